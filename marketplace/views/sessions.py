"""Information sessions (*informations collectives*): the list and page each role sees, and the facilitator's and
prescribers' steps. Every rule is ``marketplace.sessions``'; who sees what is the models' ``visible_to``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import perms
from accounts.enums import OrganisationKind
from accounts.perms import organisation_required
from common.refusals import add_errors, flash
from common.views import paginate, renamed_params
from marketplace import sessions
from marketplace.enums import InvitationState, SessionState, SubmissionState
from marketplace.forms import (
    INVITATION_CONSEQUENCES,
    InvitationMoveForm,
    RedirectionOutcomeForm,
    SessionCancelForm,
    SessionForm,
    SessionInviteForm,
    SessionRegisterForm,
)
from marketplace.models import Candidate, InformationSession, SessionInvitation, Submission
from marketplace.workflows import INVITATION_WORKFLOW, SESSION_WORKFLOW


def _forward(moves):
    """The moves on the way forward, one button each on the session's page; those that end the person's way
    (``INVITATION_CONSEQUENCES``) are confirmed first, from the invitation's page."""
    return [m for m in moves if m.name not in INVITATION_CONSEQUENCES]


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


def _render_detail(request, session, *, invite_form=None, register_form=None):
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
        invitation.quick_moves = _forward(INVITATION_WORKFLOW.moves(invitation, organisation))
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
        context["cancel_form"] = SessionCancelForm()
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
            # The form asks for a day and times where the service speaks of the start and end.
            add_errors(form, exc, fields={"starts_at": "day", "ends_at": "end_time"})
        else:
            messages.success(request, "L'information collective est enregistrée.")
            return redirect("marketplace:session_detail", pk=session.pk)
    return render(request, "marketplace/session_form.html", {"form": form, "session": session})


@organisation_required("session.plan")
def session_cancel(request, pk):
    """POST: cancels the session. GET: the confirmation page, for a browser without JavaScript (with it, the same
    form opens in a modal on the session's page)."""
    session = _session(request, pk)
    if not SESSION_WORKFLOW.moves(session, request.organisation):
        messages.error(request, f"Une information collective « {session.get_state_display()} » ne s'annule plus.")
        return redirect("marketplace:session_detail", pk=pk)
    form = SessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sessions.move_session(
                session=session,
                target=SessionState.CANCELLED,
                reason=form.cleaned_data["reason"],
                actor=request.user,
                organisation=request.organisation,
            )
        except (ValidationError, PermissionDenied) as exc:
            flash(request, exc)
        else:
            messages.success(request, "L'information collective est annulée ; les prescripteurs sont prévenus.")
        return redirect("marketplace:session_detail", pk=pk)
    return render(request, "marketplace/session_cancel.html", {"session": session, "form": form})


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
            add_errors(form, exc)
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
            add_errors(form, exc)
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


def _move_forms(invitation, organisation, bound=None):
    """One form per move this organisation may make now, in the table's order; ``bound`` replaces its move's."""
    moves = INVITATION_WORKFLOW.moves(invitation, organisation)
    return [
        bound if bound is not None and bound.target == m.target else InvitationMoveForm(moves=moves, target=m.target)
        for m in moves
    ]


def _render_invitation(request, invitation, bound=None):
    organisation = request.organisation
    forms = _move_forms(invitation, organisation, bound)
    show_outcome = invitation.state == InvitationState.REDIRECTED and perms.can(organisation, "session.attendance")
    return render(
        request,
        "marketplace/invitation_detail.html",
        {
            "invitation": invitation,
            "session": invitation.session,
            "candidate": invitation.candidate,
            "simple_moves": [f for f in forms if not f.consequence],
            "ending_moves": [f for f in forms if f.consequence],
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


@renamed_params({"to": "etat"})
@organisation_required()
def invitation_move(request, pk):
    """POST: one move of the invitation, from its page or a button of the session's page (``next=session``). GET
    ``?etat=``: the confirmation page of a move that ends the person's way, for a browser without JavaScript."""
    invitation = _invitation(request, pk)
    moves = INVITATION_WORKFLOW.moves(invitation, request.organisation)
    if not moves:
        raise PermissionDenied("Votre organisation ne peut pas faire avancer cette invitation.")
    if request.method != "POST":
        form = InvitationMoveForm(moves=moves, target=request.GET.get("etat"))
        if not form.consequence:
            return redirect("marketplace:invitation_detail", pk=pk)
        return render(request, "marketplace/invitation_confirm.html", {"invitation": invitation, "form": form})
    form = InvitationMoveForm(request.POST, moves=moves)
    back = (
        redirect("marketplace:session_detail", pk=invitation.session_id)
        if request.POST.get("next") == "session"
        else redirect("marketplace:invitation_detail", pk=pk)
    )
    if form.is_valid():
        try:
            moved = sessions.move_invitation(
                invitation=invitation, actor=request.user, organisation=request.organisation, **form.service_kwargs()
            )
        except ValidationError as exc:
            if not form.consequence:
                flash(request, exc)
                return back
            add_errors(form, exc)
        else:
            messages.success(request, f"{invitation.candidate.full_name} : {moved.get_state_display().lower()}.")
            return back
    if "target" in form.errors:
        messages.error(request, "Votre organisation ne peut pas faire passer cette invitation à cet état.")
        return back
    return render(request, "marketplace/invitation_confirm.html", {"invitation": invitation, "form": form})


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
            flash(request, exc)
        else:
            messages.success(request, "La suite de la réorientation est enregistrée.")
    else:
        messages.error(request, "Choisissez la suite dans la liste.")
    return redirect("marketplace:invitation_detail", pk=pk)
