"""The buttons to the matcher's proposals on the marketplace's position and candidate pages (``common.links``),
for the organisations allowed to read them (``matching.read``)."""

from django.urls import reverse

from accounts import perms
from common.links import Link
from marketplace.enums import PositionState, SessionState


def _allowed(request):
    return perms.can(getattr(request, "organisation", None), "matching.read")


def position_matches(request, position):
    if _allowed(request) and position.state == PositionState.OPEN:
        return Link(reverse("matching:position_matches", args=[position.pk]), "Candidats proposés par le rapprochement")
    return None


def candidate_matches(request, candidate):
    if _allowed(request):
        return Link(reverse("matching:candidate_matches", args=[candidate.pk]), "Offres proposées et métiers proches")
    return None


def session_matches(request, session):
    """On a planned information session, for the facilitator: people to invite from the matcher."""
    organisation = getattr(request, "organisation", None)
    if _allowed(request) and perms.can(organisation, "session.invite") and session.state == SessionState.PLANNED:
        return Link(
            reverse("matching:session_matches", args=[session.pk]),
            "Inviter parmi les candidats proposés par le rapprochement",
        )
    return None
