"""Submissions (*candidatures*) as each role sees them, and the moves of the workflow."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import perms
from accounts.perms import organisation_required
from common.views import add_errors, paginate
from marketplace import services
from marketplace.enums import SubmissionState
from marketplace.forms import TransitionForm
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
    form = form or TransitionForm(submission=submission, organisation=organisation)
    context = {
        "submission": submission,
        "candidate": submission.candidate,
        "form": form if form.fields["to"].choices else None,
        "history": submission.transitions.select_related("actor", "actor_organisation"),
        "show_eligibility": perms.can_see_eligibility(organisation, submission.candidate.prescriber_id),
        "job_titles": submission.candidate.job_titles.all(),
        "skills": submission.candidate.skills.all(),
        "placement": getattr(submission, "placement", None),
    }
    return render(request, "marketplace/submission_detail.html", context)


@organisation_required()
def submission_detail(request, pk):
    submission = get_object_or_404(Submission.objects.visible_to(request.organisation).for_display(), pk=pk)
    return _render_detail(request, submission)


@require_POST
@organisation_required()
def submission_transition(request, pk):
    submission = get_object_or_404(Submission.objects.visible_to(request.organisation).for_display(), pk=pk)
    form = TransitionForm(request.POST, submission=submission, organisation=request.organisation)
    if not form.fields["to"].choices:
        raise PermissionDenied("Votre organisation ne peut pas faire avancer cette candidature.")
    if form.is_valid():
        try:
            services.transition_submission(
                submission=submission,
                target=form.cleaned_data["to"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                hire=form.hire_data,
                actor=request.user,
                organisation=request.organisation,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "La candidature a changé d'état.")
            return redirect("marketplace:submission_detail", pk=pk)
    return _render_detail(request, submission, form)
