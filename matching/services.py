"""The matcher's one workflow step: the facilitator asks a prescriber to submit a proposed candidate."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from accounts import perms
from marketplace.enums import PositionState
from marketplace.models import Submission
from notifications.services import notify


@transaction.atomic
def ask_prescriber(*, candidate, position, actor, organisation):
    """Notifies the candidate's prescriber (in the app and by email) that the facilitator proposes
    submitting this candidate to this position; the prescriber decides and submits."""
    if not perms.can(organisation, "matching.ask_prescriber"):
        raise PermissionDenied("Seul le facilitateur demande à un prescripteur de positionner un candidat.")
    if position.state != PositionState.OPEN:
        raise ValidationError("Cette offre n'est pas ouverte aux candidatures.")
    if Submission.objects.filter(candidate=candidate, position=position).exists():
        raise ValidationError("Ce candidat est déjà positionné sur cette offre.")
    sender = actor.get_full_name() or actor.email
    notify(
        organisations=[candidate.prescriber],
        # The names go in the details, erased with the person's data; the text is also the email's subject.
        text=(
            f"{organisation.name} vous propose de positionner une personne que vous suivez sur l'offre "
            f"« {position.job_title.label} » de {position.company.name}."
        ),
        details=f"Personne proposée : {candidate.full_name} (demande de {sender}).",
        link=reverse("matching:candidate_matches", args=[candidate.pk]),
        subject=candidate,
    )
