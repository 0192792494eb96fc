import io

import pytest
from django.core.management import call_command
from django.db.models import Count, F

from demo.management.commands import seed_demo
from marketplace.enums import InvitationState, PlacementState, SessionState, SubmissionState
from marketplace.models import (
    Candidate,
    InformationSession,
    Placement,
    Position,
    SessionInvitation,
    Submission,
    SubmissionTransition,
)
from tests.marketplace.factories import CommuneFactory, JobTitleFactory, OccupationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reference_data(monkeypatch):
    monkeypatch.setattr(seed_demo, "DEMO_MODULES", ["demo.accounts", "tests.demo.demo_contracts", "demo.marketplace"])
    for n in range(1, 21):
        CommuneFactory(code_insee=f"751{n:02d}", name=f"Paris {n}e", postcodes=f"750{n:02d}", latitude=48.85 + n / 500)
    for code in ("F1703", "F1606", "K2204", "G1602", "A1203"):
        occupation = OccupationFactory(code_rome=code, label=f"Métier {code}")
        JobTitleFactory(occupation=occupation)
        JobTitleFactory(occupation=occupation)


def seed(*args):
    call_command("seed_demo", *args, stdout=io.StringIO())


def snapshot():
    return sorted(
        Submission.objects.values_list(
            "candidate__email", "position__job_title_id", "state", "refusal_reason", "state_changed_at"
        )
    )


def test_seed_is_deterministic_and_consistent():
    seed("--scale", "2")
    first = snapshot()
    assert len(first) > 1000
    assert Candidate.objects.count() == 600
    states = set(Submission.objects.values_list("state", flat=True))
    assert states == set(SubmissionState.values)
    # Every submission's history starts at "submitted" and ends at its state.
    last = {t.submission_id: t for t in SubmissionTransition.objects.order_by("at", "pk")}
    assert all(last[s.pk].to_state == s.state for s in Submission.objects.all())
    # No consent, no processing; never more hires than openings.
    assert not Submission.objects.filter(candidate__consent_at=None).exists()
    over = Position.objects.annotate(n=Count("placements")).filter(n__gt=F("openings"))
    assert not over.exists()
    validated = Placement.objects.filter(state=PlacementState.VALIDATED)
    assert validated.exists() and not validated.filter(hours_source=None).exists()
    assert Placement.objects.exclude(outcome="").exists()

    # Two information sessions, through the services: one held yesterday (attendance recorded), one planned.
    sessions = dict(InformationSession.objects.values_list("state").annotate(n=Count("pk")))
    assert sessions == {SessionState.HELD: 1, SessionState.PLANNED: 1}
    states = set(SessionInvitation.objects.values_list("state", flat=True))
    assert {InvitationState.PRESENT, InvitationState.ABSENT, InvitationState.CONFIRMED} <= states

    seed("--reset", "--scale", "2")
    assert snapshot() == first
    assert InformationSession.objects.count() == 2  # the first seed's went with the reset
