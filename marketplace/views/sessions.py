"""Information sessions (*informations collectives*): the list and page each role sees, and the facilitator's and
prescribers' steps. Every rule is ``marketplace.sessions``'; who sees what is the models' ``visible_to``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import perms
from accounts.enums import OrganisationKind
from accounts.perms import organisation_required
from common.views import add_errors, paginate
from marketplace import sessions
from marketplace.enums import InvitationState, SessionState, SubmissionState
from marketplace.forms import (
    InvitationMoveForm,
    RedirectionOutcomeForm,
    SessionCancelForm,
    SessionForm,
    SessionInviteForm,
    SessionRegisterForm,
)
from marketplace.models import Candidate, InformationSession, SessionInvitation, Submission
from marketplace.workflows import INVITATION_WORKFLOW, SESSION_WORKFLOW

# Moves offered as one button on the session's page (its label says the move, on the way forward); the others end
# the person's way (declined, withdrawn, not retained, redirected): on the invitation's page, with their reason
# and a confirmation.
QUICK_MOVES = {"confirm", "attend", "miss", "preselect", "send"}


def _messages_of(exc):
    return " ".join(getattr(exc, "messages", [str(exc)]))


@organisation_required()
def session_list(request):
    organisation = request.organisation
    found = InformationSession.objects.visible_to(organisation).with_funnel().for_display()
    state = request.GET.get("etat", "")
    if state in SessionState.values:
        found = found.filter(state=state)
    return render(
        request,
        "marketplace/session_list.html",
        {
            # Meta.ordering does not apply to aggregated querysets: order explicitly for stable pages.
            "page_obj": paginate(request, found.order_by("-starts_at", "-pk")),
            "state": state,
            "states": SessionState.choices,
            "can_plan": perms.can(organisation, "session.plan"),
        },
    )


def _session(request, pk):
    return get_object_or_404(
        InformationSession.objects.visible_to(request.organisation)
        .with_funnel()
        .select_related("commune", "organiser"),
        pk=pk,
    )


def _invitable_submissions(session):
    """Submissions to the session's positions still waiting for preselection, whose person holds no seat yet."""
    seated = session.invitations.holding_a_seat().values("candidate_id")
    return (
        Submission.objects.filter(
            position__information_sessions=session, state=SubmissionState.SUBMITTED, candidate__anonymised_at=None
        )
        .exclude(candidate_id__in=seated)
        .for_display()
        .order_by("created_at", "pk")
    )


def _registrable(session, organisation):
    """The prescriber's people it may still sign up: consenting, not anonymised, holding no seat yet."""
    seated = session.invitations.holding_a_seat().values("candidate_id")
    return Candidate.objects.visible_to(organisation).consenting().filter(anonymised_at=None).exclude(pk__in=seated)


def _render_detail(request, session, *, invite_form=None, register_form=None, cancel_form=None):
    organisation = request.organisation
    positions = list(session.positions.for_display().order_by("company__name", "pk"))
    invitations = list(
        SessionInvitation.objects.visible_to(organisation)
        .filter(session=session)
        .for_display()
        .order_by("candidate__last_name", "candidate__first_name", "pk")
    )
    for invitation in invitations:
        invitation.session = session
        invitation.quick_moves = [
            m for m in INVITATION_WORKFLOW.moves(invitation, organisation) if m.name in QUICK_MOVES
        ]
    is_planned = session.state == SessionState.PLANNED
    context = {
        "session": session,
        "positions": positions,
        "companies": sorted({p.company.name for p in positions}),
        "invitations": invitations,
        # A buyer gets the counts only: ``SessionInvitation.objects.visible_to`` shows it no one.
        "sees_people": organisation.kind != OrganisationKind.BUYER,
        "history": session.transitions.select_related("actor", "organisation")
        if perms.sees_everything(organisation)
        else [],
        "session_moves": SESSION_WORKFLOW.moves(session, organisation),
    }
    # A form sent back with its errors is shown whatever the session's state, so that its refusal is read.
    if invite_form is None and is_planned and perms.can(organisation, "session.invite"):
        invite_form = SessionInviteForm(submissions=_invitable_submissions(session))
    if register_form is None and is_planned and perms.can(organisation, "session.register"):
        register_form = SessionRegisterForm(
            candidates=_registrable(session, organisation), positions=session.positions.for_display()
        )
    context.update(invite_form=invite_form, register_form=register_form)
    if context["session_moves"]:
        context["cancel_form"] = cancel_form or SessionCancelForm()
    return render(request, "marketplace/session_detail.html", context)


@organisation_required()
def session_detail(request, pk):
    return _render_detail(request, _session(request, pk))


@organisation_required("session.plan")
def session_edit(request, pk=None):
    organisation = request.organisation
    session = _session(request, pk) if pk else InformationSession()
    if pk and session.state != SessionState.PLANNED:
        messages.error(request, f"Une information collective « {session.get_state_display()} » ne se modifie plus.")
        return redirect("marketplace:session_detail", pk=pk)
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            session = sessions.save_session(
                session=form.instance,
                positions=form.cleaned_data["positions"],
                actor=request.user,
                organisation=organisation,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "L'information collective est enregistrée.")
            return redirect("marketplace:session_detail", pk=session.pk)
    return render(request, "marketplace/session_form.html", {"form": form, "session": session})


@require_POST
@organisation_required("session.plan")
def session_cancel(request, pk):
    session = _session(request, pk)
    form = SessionCancelForm(request.POST)
    if form.is_valid():
        try:
            sessions.move_session(
                session=session,
                target=SessionState.CANCELLED,
                reason=form.cleaned_data["reason"],
                actor=request.user,
                organisation=request.organisation,
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _messages_of(exc))
        else:
            messages.success(request, "L'information collective est annulée ; les prescripteurs sont prévenus.")
            return redirect("marketplace:session_detail", pk=pk)
    return _render_detail(request, session, cancel_form=form)


@require_POST
@organisation_required("session.invite")
def session_invite(request, pk):
    """The facilitator invites the people of the submissions it ticked: all of them, or none."""
    session = _session(request, pk)
    form = SessionInviteForm(request.POST, submissions=_invitable_submissions(session))
    if form.is_valid():
        chosen = form.cleaned_data["submissions"]
        try:
            sessions.invite_many(
                session=session,
                pairs=[(s.candidate, s.position) for s in chosen],
                actor=request.user,
                organisation=request.organisation,
            )
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
        else:
            count = len(chosen)
            messages.success(
                request,
                f"{count} personne{'s' if count > 1 else ''} invitée{'s' if count > 1 else ''} : leurs "
                "prescripteurs sont prévenus.",
            )
            return redirect("marketplace:session_detail", pk=pk)
    return _render_detail(request, session, invite_form=form)


@require_POST
@organisation_required("session.register")
def session_register(request, pk):
    """A prescriber signs up one of the people it follows."""
    session = _session(request, pk)
    form = SessionRegisterForm(
        request.POST,
        candidates=_registrable(session, request.organisation),
        positions=session.positions.for_display(),
    )
    if form.is_valid():
        candidate = form.cleaned_data["candidate"]
        try:
            sessions.invite(
                session=session,
                candidate=candidate,
                position=form.cleaned_data["position"],
                actor=request.user,
                organisation=request.organisation,
            )
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
        else:
            messages.success(request, f"{candidate.full_name} est inscrit(e) à l'information collective.")
            return redirect("marketplace:session_detail", pk=pk)
    return _render_detail(request, session, register_form=form)


def _invitation(request, pk):
    return get_object_or_404(
        SessionInvitation.objects.visible_to(request.organisation)
        .for_display()
        .select_related("session__commune", "position__commune"),
        pk=pk,
    )


def _render_invitation(request, invitation, form=None):
    organisation = request.organisation
    moves = INVITATION_WORKFLOW.moves(invitation, organisation)
    show_outcome = invitation.state == InvitationState.REDIRECTED and perms.can(organisation, "session.attendance")
    return render(
        request,
        "marketplace/invitation_detail.html",
        {
            "invitation": invitation,
            "session": invitation.session,
            "candidate": invitation.candidate,
            "form": form or (InvitationMoveForm(moves=moves) if moves else None),
            # Comments written along the way may speak of the person's situation: not for the company.
            "history": invitation.transitions.select_related("actor", "organisation")
            if perms.can_see_eligibility(organisation, invitation.candidate.prescriber_id)
            else [],
            "outcome_form": RedirectionOutcomeForm(initial={"outcome": invitation.redirection_outcome})
            if show_outcome
            else None,
        },
    )


@organisation_required()
def invitation_detail(request, pk):
    return _render_invitation(request, _invitation(request, pk))


@require_POST
@organisation_required()
def invitation_move(request, pk):
    """One move of an invitation, from a button of the session's page (``next=session``) or the invitation's form."""
    invitation = _invitation(request, pk)
    moves = INVITATION_WORKFLOW.moves(invitation, request.organisation)
    if not moves:
        raise PermissionDenied("Votre organisation ne peut pas faire avancer cette invitation.")
    from_session = request.POST.get("next") == "session"
    if from_session:
        # A button of the session's page offers only the moves that need no reason: its label says the move.
        moves = [m for m in moves if m.name in QUICK_MOVES]
    form = InvitationMoveForm(request.POST, moves=moves, button=from_session)
    if form.is_valid():
        try:
            moved = sessions.move_invitation(
                invitation=invitation, actor=request.user, organisation=request.organisation, **form.service_kwargs()
            )
        except ValidationError as exc:
            if from_session:
                messages.error(request, _messages_of(exc))
                return redirect("marketplace:session_detail", pk=invitation.session_id)
            add_errors(form, exc)
        else:
            messages.success(request, f"{invitation.candidate.full_name} : {moved.get_state_display().lower()}.")
            if from_session:
                return redirect("marketplace:session_detail", pk=invitation.session_id)
            return redirect("marketplace:invitation_detail", pk=pk)
    elif from_session:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("marketplace:session_detail", pk=invitation.session_id)
    return _render_invitation(request, invitation, form)


@require_POST
@organisation_required("session.attendance")
def invitation_outcome(request, pk):
    invitation = _invitation(request, pk)
    form = RedirectionOutcomeForm(request.POST)
    if form.is_valid():
        try:
            sessions.record_redirection_outcome(
                invitation=invitation,
                outcome=form.cleaned_data["outcome"],
                actor=request.user,
                organisation=request.organisation,
            )
        except ValidationError as exc:
            messages.error(request, _messages_of(exc))
        else:
            messages.success(request, "La suite de la réorientation est enregistrée.")
    else:
        messages.error(request, "Choisissez la suite dans la liste.")
    return redirect("marketplace:invitation_detail", pk=pk)
