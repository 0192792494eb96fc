"""Submissions (*candidatures*) as each role sees them, and the moves of the workflow."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import perms
from accounts.perms import organisation_required
from common import refusals
from common.views import paginate
from marketplace import services, workflows
from marketplace.enums import SubmissionState
from marketplace.forms import SubmissionTransitionForm
from marketplace.models import Submission


@organisation_required()
def submission_list(request):
    organisation = request.organisation
    submissions = Submission.objects.visible_to(organisation).for_display()
    state = request.GET.get("etat", "")
    if state in SubmissionState.values:
        submissions = submissions.filter(state=state)
    return render(
        request,
        "marketplace/submission_list.html",
        {"page_obj": paginate(request, submissions), "state": state, "states": SubmissionState.choices},
    )


def _render_detail(request, submission, form=None):
    organisation = request.organisation
    form = form or SubmissionTransitionForm(submission=submission, organisation=organisation)
    context = {
        "submission": submission,
        "candidate": submission.candidate,
        "form": form if form.moves else None,
        "history": workflows.submission_history(submission, organisation),
        "show_eligibility": perms.can_see_eligibility(organisation, submission.candidate.prescriber_id),
        "job_titles": submission.candidate.job_titles.all(),
        "skills": submission.candidate.skills.all(),
        "placement": getattr(submission, "placement", None),
    }
    return render(request, "marketplace/submission_detail.html", context)


def _submission(request, pk):
    return get_object_or_404(Submission.objects.visible_to(request.organisation).for_display(), pk=pk)


@organisation_required()
def submission_detail(request, pk):
    return _render_detail(request, _submission(request, pk))


@require_POST
@organisation_required()
def submission_transition(request, pk):
    submission = _submission(request, pk)
    form = SubmissionTransitionForm(request.POST, submission=submission, organisation=request.organisation)
    if not form.moves:
        raise PermissionDenied("Votre organisation ne peut pas faire avancer cette candidature.")
    if form.is_valid() and refusals.call(
        services.transition_submission,
        form=form,
        submission=submission,
        actor=request.user,
        organisation=request.organisation,
        **form.service_kwargs(),
    ):
        messages.success(request, "La candidature a changé d'état.")
        return redirect("marketplace:submission_detail", pk=pk)
    return _render_detail(request, submission, form)
