"""Submissions (*candidatures*) as each role sees them, and the moves of the workflow."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from accounts import perms
from accounts.perms import organisation_required
from common.views import add_errors, paginate
from marketplace import services, workflows
from marketplace.enums import SubmissionState
from marketplace.forms import TransitionForm
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
    targets = workflows.available_targets(source=submission.state, organisation=organisation)
    return [
        bound
        if bound is not None and bound.target == target
        else TransitionForm(submission=submission, organisation=organisation, target=target)
        for target in targets
    ]


def _render_detail(request, submission, bound=None):
    organisation = request.organisation
    moves = _move_forms(submission, organisation, bound)
    context = {
        "submission": submission,
        "candidate": submission.candidate,
        # Moves that can be undone in the workflow's course are buttons; the others confirm first.
        "simple_moves": [f for f in moves if not f.consequence and f.target != SubmissionState.HIRED],
        "hire_form": next((f for f in moves if f.target == SubmissionState.HIRED), None),
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


@organisation_required()
def submission_detail(request, pk):
    submission = get_object_or_404(Submission.objects.visible_to(request.organisation).for_display(), pk=pk)
    return _render_detail(request, submission)


@organisation_required()
def submission_transition(request, pk):
    """POST: makes the move. GET ``?to=``: the confirmation page of an irreversible move, for a browser without
    JavaScript (with it, the same form opens in a modal on the submission's page)."""
    submission = get_object_or_404(Submission.objects.visible_to(request.organisation).for_display(), pk=pk)
    if not workflows.available_targets(source=submission.state, organisation=request.organisation):
        raise PermissionDenied("Votre organisation ne peut pas faire avancer cette candidature.")
    if request.method != "POST":
        form = TransitionForm(submission=submission, organisation=request.organisation, target=request.GET.get("to"))
        if not form.consequence or form.target not in dict(form.fields["to"].choices):
            return redirect("marketplace:submission_detail", pk=pk)
        return render(request, "marketplace/submission_confirm.html", {"submission": submission, "form": form})
    form = TransitionForm(request.POST, submission=submission, organisation=request.organisation)
    if form.is_valid():
        try:
            services.transition_submission(
                submission=submission,
                target=form.cleaned_data["to"],
                reason=form.cleaned_data.get("reason", ""),
                note=form.cleaned_data["note"],
                hire=form.hire_data,
                actor=request.user,
                organisation=request.organisation,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"La candidature est passée à l'état « {SubmissionState(form.target).label} ».")
            return redirect("marketplace:submission_detail", pk=pk)
    if "to" in form.errors:
        messages.error(request, "Votre organisation ne peut pas faire passer cette candidature à cet état.")
        return redirect("marketplace:submission_detail", pk=pk)
    if form.consequence:
        return render(request, "marketplace/submission_confirm.html", {"submission": submission, "form": form})
    return _render_detail(request, submission, form)
