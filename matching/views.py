"""Pages of the matcher's proposals: candidates for a position (facilitator: every pool; prescriber:
its own), positions and similar occupations for a candidate, and the facilitator's fairness report.
The ranking is ``matching.engine``'s; these views only load, check and render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import perms
from accounts.perms import organisation_required
from marketplace import services, sessions
from marketplace.enums import SessionState
from marketplace.models import Candidate, InformationSession, Position
from matching import engine, fairness
from matching import services as matching_services
from matching.scoring import active_scorer

PROPOSALS_SHOWN = 20
SESSION_PROPOSALS_SHOWN = 10
CLOSE_OCCUPATIONS_SHOWN = 10


def _pool_of(organisation):
    """Whose candidates an organisation may be proposed: every pool for the facilitator, else its own."""
    return None if perms.sees_everything(organisation) else organisation.pk


class Eligibility:
    BADGES = {
        engine.Eligibility.ELIGIBLE: "fr-badge--success",
        engine.Eligibility.PENDING: "fr-badge--info",
        engine.Eligibility.EXPIRED: "fr-badge--warning",
    }

    def __init__(self, value):
        self.value, self.label, self.badge = value, engine.Eligibility.LABELS[value], self.BADGES[value]


def _matched_rows(proposals, candidates, flags):
    """The proposals the organisation may see (``candidates``: loaded through ``visible_to``), with eligibility."""
    return [
        {"proposal": p, "candidate": candidates[p.object_id], "eligibility": Eligibility(flags[p.object_id])}
        for p in proposals
        if p.object_id in candidates
    ]


@organisation_required("matching.read")
def position_matches(request, pk):
    organisation = request.organisation
    position = get_object_or_404(Position.objects.visible_to(organisation).for_display(), pk=pk)
    scorer = active_scorer()
    proposals = engine.rank_candidates(
        position.pk, prescriber_id=_pool_of(organisation), limit=PROPOSALS_SHOWN, scorer=scorer
    )
    candidates = (
        Candidate.objects.visible_to(organisation)
        .select_related("commune", "prescriber")
        .in_bulk([p.object_id for p in proposals])
    )
    flags = engine.eligibility_flags(list(candidates))
    rows = _matched_rows(proposals, candidates, flags)
    return render(
        request,
        "matching/position_matches.html",
        {
            "position": position,
            "rows": rows,
            "scorer": scorer,
            "can_submit": perms.can(organisation, "submission.create"),
            "can_ask": perms.can(organisation, "matching.ask_prescriber"),
        },
    )


def _proposed(request, pk):
    """The position and the candidate named in the POST, each through its visible queryset."""
    position = get_object_or_404(Position.objects.visible_to(request.organisation), pk=pk)
    candidate_id = request.POST.get("candidate", "")
    # "abc", "1e5" or a number past the database's integers names no candidate: 404, not a failed lookup.
    if not (candidate_id.isascii() and candidate_id.isdigit()) or int(candidate_id) >= 2**63:
        raise Http404("Aucun candidat de votre vivier ne porte ce numéro.")
    candidate = get_object_or_404(Candidate.objects.visible_to(request.organisation), pk=int(candidate_id))
    return position, candidate


@require_POST
@organisation_required("submission.create")
def position_matches_submit(request, pk):
    """One click: the prescriber submits a proposed candidate of its pool."""
    position, candidate = _proposed(request, pk)
    try:
        services.submit_candidate(
            candidate=candidate, position=position, actor=request.user, organisation=request.organisation
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, f"La candidature de {candidate.full_name} est transmise au facilitateur.")
    if request.POST.get("next_page") == "candidate":
        return redirect("matching:candidate_matches", pk=candidate.pk)
    return redirect("matching:position_matches", pk=position.pk)


@require_POST
@organisation_required("matching.ask_prescriber")
def position_matches_ask(request, pk):
    """The facilitator asks the candidate's prescriber to submit them."""
    position, candidate = _proposed(request, pk)
    try:
        matching_services.ask_prescriber(
            candidate=candidate, position=position, actor=request.user, organisation=request.organisation
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{candidate.prescriber.name} est invité à positionner {candidate.full_name}.")
    return redirect("matching:position_matches", pk=position.pk)


@organisation_required("matching.read")
def candidate_matches(request, pk):
    organisation = request.organisation
    candidate = get_object_or_404(Candidate.objects.visible_to(organisation), pk=pk)
    proposals = engine.rank_positions(candidate.pk, limit=PROPOSALS_SHOWN)
    positions = Position.objects.for_display().in_bulk([p.object_id for p in proposals])
    sought = {job.occupation_id: job.occupation for job in candidate.job_titles.select_related("occupation")}
    return render(
        request,
        "matching/candidate_matches.html",
        {
            "candidate": candidate,
            "rows": [
                {"proposal": p, "position": positions[p.object_id]} for p in proposals if p.object_id in positions
            ],
            "sought": sought.values(),
            "close_occupations": engine.close_occupations(list(sought), k=CLOSE_OCCUPATIONS_SHOWN),
            "can_submit": perms.can(organisation, "submission.create") and candidate.has_consent,
        },
    )


@organisation_required("session.invite")
def session_matches(request, pk):
    """The matcher's proposals for each position of an information session, from every pool, for the facilitator
    to invite: people already holding a seat are left out."""
    organisation = request.organisation
    if not perms.can(organisation, "matching.read"):
        raise PermissionDenied("Votre organisation n'a pas accès aux propositions du rapprochement.")
    session = get_object_or_404(InformationSession.objects.visible_to(organisation), pk=pk)
    positions = list(session.positions.for_display().order_by("company__name", "pk"))
    seated = set(session.invitations.holding_a_seat().values_list("candidate_id", flat=True))
    scorer = active_scorer()
    ranked = {}
    for position in positions:
        proposals = engine.rank_candidates(position.pk, limit=SESSION_PROPOSALS_SHOWN + len(seated), scorer=scorer)
        ranked[position.pk] = [p for p in proposals if p.object_id not in seated][:SESSION_PROPOSALS_SHOWN]
    ids = {p.object_id for proposals in ranked.values() for p in proposals}
    candidates = Candidate.objects.visible_to(organisation).select_related("commune", "prescriber").in_bulk(ids)
    flags = engine.eligibility_flags(list(candidates))
    return render(
        request,
        "matching/session_matches.html",
        {
            "session": session,
            "blocks": [{"position": p, "rows": _matched_rows(ranked[p.pk], candidates, flags)} for p in positions],
            "scorer": scorer,
            "can_invite": session.state == SessionState.PLANNED,
        },
    )


@require_POST
@organisation_required("session.invite")
def session_matches_invite(request, pk):
    """One click: the facilitator invites a proposed person; their prescriber is asked to answer for them."""
    session = get_object_or_404(InformationSession.objects.visible_to(request.organisation), pk=pk)
    position = get_object_or_404(Position.objects.visible_to(request.organisation), pk=request.POST.get("position"))
    candidate = get_object_or_404(Candidate.objects.visible_to(request.organisation), pk=request.POST.get("candidate"))
    try:
        sessions.invite(
            session=session,
            candidate=candidate,
            position=position,
            actor=request.user,
            organisation=request.organisation,
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, f"{candidate.full_name} est invité(e) : {candidate.prescriber.name} est prévenu.")
    return redirect("matching:session_matches", pk=session.pk)


@organisation_required("matching.fairness")
def fairness_report(request):
    report = fairness.report(k=fairness.DEFAULT_K, max_positions=fairness.PAGE_MAX_POSITIONS)
    return render(request, "matching/fairness_report.html", {"report": report})
