"""Submissions (*candidatures*) as each role sees them, and the moves of the workflow."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from accounts import perms
from accounts.perms import organisation_required
from common import refusals
from common.views import paginate, renamed_params
from marketplace import services, workflows
from marketplace.enums import SubmissionState
from marketplace.forms import SubmissionTransitionForm
from marketplace.models import Position, Submission


@organisation_required()
def submission_list(request):
    organisation = request.organisation
    submissions = Submission.objects.visible_to(organisation).for_display()
    state = request.GET.get("etat", "")
    if state in SubmissionState.values:
        submissions = submissions.filter(state=state)
    # From an offer's counts (« 20 candidatures dont 11 transmises »): that offer's, those sent to the company.
    position_id = request.GET.get("offre", "")
    position = None
    if position_id.isdecimal():
        position = Position.objects.visible_to(organisation).filter(pk=position_id).select_related("job_title").first()
        submissions = submissions.filter(position_id=position_id)
    reached = request.GET.get("transmises") == "1"
    if reached:
        submissions = submissions.filter(reached_company_at__isnull=False)
    return render(
        request,
        "marketplace/submission_list.html",
        {
            "page_obj": paginate(request, submissions),
            "state": state,
            "states": SubmissionState.choices,
            "position": position,
            "reached": reached,
        },
    )


def _move_forms(submission, organisation, bound=None):
    """One form per move this organisation may make now, in workflow order; ``bound`` replaces its move's."""
    return [
        bound
        if bound is not None and bound.target_state == move.target
        else SubmissionTransitionForm(submission=submission, organisation=organisation, target=move.target)
        for move in workflows.SUBMISSION.moves(submission, organisation)
    ]


def _render_detail(request, submission, bound=None):
    organisation = request.organisation
    moves = _move_forms(submission, organisation, bound)
    context = {
        "submission": submission,
        "candidate": submission.candidate,
        # Moves that can be undone in the workflow's course are buttons; the others confirm first.
        "simple_moves": [f for f in moves if not f.consequence and f.target_state != SubmissionState.HIRED],
        "hire_form": next((f for f in moves if f.target_state == SubmissionState.HIRED), None),
        "irreversible_moves": [f for f in moves if f.consequence],
        # What the company may not read of the prescriber's words is decided once, for page and API alike.
        "note": submission.note_for(organisation),
        "history": submission.history_for(organisation),
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


@renamed_params({"to": "etat"})
@organisation_required()
def submission_transition(request, pk):
    """POST: makes the move. GET ``?etat=``: the confirmation page of an irreversible move, for a browser without
    JavaScript (with it, the same form opens in a modal on the submission's page)."""
    submission = _submission(request, pk)
    if not workflows.SUBMISSION.moves(submission, request.organisation):
        raise PermissionDenied("Votre organisation ne peut pas faire avancer cette candidature.")
    if request.method != "POST":
        form = SubmissionTransitionForm(
            submission=submission, organisation=request.organisation, target=request.GET.get("etat")
        )
        if not form.consequence or form.target_state not in dict(form.fields["target"].choices):
            return redirect("marketplace:submission_detail", pk=pk)
        return render(request, "marketplace/submission_confirm.html", {"submission": submission, "form": form})
    form = SubmissionTransitionForm(request.POST, submission=submission, organisation=request.organisation)
    if form.is_valid() and refusals.call(
        services.transition_submission,
        form=form,
        submission=submission,
        actor=request.user,
        organisation=request.organisation,
        **form.service_kwargs(),
    ):
        messages.success(request, f"La candidature est passée à l'état « {SubmissionState(form.target_state).label} ».")
        return redirect("marketplace:submission_detail", pk=pk)
    if "target" in form.errors:
        refusals.flash(request, ValidationError(form.errors["target"]))
        return redirect("marketplace:submission_detail", pk=pk)
    if form.consequence:
        return render(request, "marketplace/submission_confirm.html", {"submission": submission, "form": form})
    return _render_detail(request, submission, form)
