"""``manage.py check_integrity`` lists every row breaking a rule, with counts per rule and exit status 1; a
database written through the services has none."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from marketplace.enums import ContractType, PlacementState
from marketplace.models import Candidate, EligibilityCheck, Placement
from procurement.enums import ContractState, Modality, StatementState
from procurement.models import Contract, HoursSource, HoursStatement, ValidatedHours
from tests.marketplace.factories import (
    CandidateFactory,
    PositionFactory,
    SubmissionFactory,
    validated_placement,
)
from tests.procurement.factories import AwardFactory, HoursSourceFactory, HoursStatementFactory

MARCH = datetime.date(2025, 3, 1)


def run():
    from io import StringIO

    out = StringIO()
    try:
        call_command("check_integrity", "--limit", "50", stdout=out)
    except CommandError as exc:
        return out.getvalue(), str(exc)
    return out.getvalue(), None


@pytest.fixture
def clean(company_org, prescriber_org, facilitator):
    """A placement validated and its hours declared and validated through the services."""
    contract = AwardFactory(company=company_org, contract__in_progress=True).contract
    position = PositionFactory(company=company_org, contract=contract)
    candidate = CandidateFactory(prescriber=prescriber_org)
    return validated_placement(
        candidate=candidate, position=position, facilitator=facilitator, hours_months=[MARCH], hours=Decimal("140")
    )


def test_rows_written_through_the_services_break_no_rule(clean):
    out, error = run()
    assert error is None
    assert "Aucune anomalie : chaque ligne respecte les règles." in out


def test_every_broken_rule_is_listed_and_counted(clean, company_org, prescriber_org, facilitator):
    source = clean.hours_source
    contract = source.contract
    # 900 h in one month on a 35 h a week placement; a month before it started; a future month.
    HoursStatementFactory(source=source, month=datetime.date(2025, 4, 1), hours=900, state=StatementState.DECLARED)
    HoursStatementFactory(source=source, month=datetime.date(2024, 1, 1), hours=10, state=StatementState.DECLARED)
    HoursStatementFactory(source=source, month=datetime.date(2099, 1, 1), hours=10, state=StatementState.DECLARED)
    # Hours on a source nobody opened, in a modality the contract does not allow.
    Contract.objects.filter(pk=contract.pk).update(allowed_modalities=[Modality.DIRECT_HIRE])
    orphan = HoursSourceFactory(contract=contract, company=company_org, modality=Modality.TRAINING)
    HoursStatementFactory(source=orphan, month=MARCH)
    # Totals that do not match the validated statements.
    ValidatedHours.objects.filter(contract=contract).update(hours=96_359)
    # Hours on a draft contract, after its end.
    draft = AwardFactory(company=company_org, contract__state=ContractState.DRAFT).contract
    draft_source = HoursSourceFactory(contract=draft, company=company_org)
    HoursStatementFactory(source=draft_source, month=datetime.date(2060, 1, 1), state=StatementState.DECLARED)
    # A rate typed as 5 instead of 5 %.
    Contract.objects.filter(pk=draft.pk).update(insertion_rate=Decimal("5"))
    # A second full-time placement of the same person at the same time; its source disagreeing with it.
    person = clean.submission.candidate
    second = Placement.objects.create(
        submission=SubmissionFactory(
            candidate=person, position=PositionFactory(company=company_org, contract=contract)
        ),
        position=PositionFactory(company=company_org, contract=contract),
        contract_type=ContractType.CDI,
        hired_on=datetime.date(2025, 2, 1),
        start_date=datetime.date(2025, 2, 1),
        weekly_hours=35,
        state=PlacementState.VALIDATED,
        hours_source=HoursSourceFactory(contract=contract, company=company_org, weekly_hours=20),
    )
    # « Over 50 » verified for someone in their twenties.
    EligibilityCheck.objects.filter(candidate=person).update(criteria=[{"criterion": "over_50", "proof": "x"}])
    Candidate.objects.filter(pk=person.pk).update(birth_date=datetime.date(2000, 1, 1))
    # Born in 773, consented in the future: written past the services.
    ancient = CandidateFactory(prescriber=prescriber_org)
    Candidate.objects.filter(pk=ancient.pk).update(birth_date=datetime.date(773, 2, 9))

    out, error = run()
    assert error is not None and error.endswith("règles.")
    expected = [
        "Heures d'un mois à venir",
        "Heures hors de l'exécution du marché",
        "Heures sur un marché qui n'est pas en exécution",
        "Modalité non autorisée par le marché",
        "Heures hors de la période de la mise à l'emploi ou de la commande",
        "Heures au-delà de ce que la mise à l'emploi permet dans le mois",
        "Totaux d'heures validées différents des relevés",
        "Taux ou montants hors limites",
        "Source d'heures sans mise à l'emploi ni commande",
        "Limites d'une source différentes de sa mise à l'emploi",
        "Plus de 48 h par semaine pour une même personne",
        "Critère d'âge incohérent avec la date de naissance",
        "Date de naissance ou de consentement impossible",
    ]
    for rule in expected:
        assert f"[{rule}]" in out, rule
    assert "900 h déclarées pour ce mois." in out
    assert f"candidat n° {ancient.pk} : Date de naissance peu plausible (09/02/773)" in out
    assert f"mise à l'emploi n° {second.pk} : Cette personne travaille déjà 35 h par semaine" in out
    assert "96\xa0359 h dans les totaux pour 140 h de relevés validés." in out


def test_hours_recorded_after_closing_are_listed_except_the_facilitators_corrections(
    api_as, buyer, buyer_org, company_org, facilitator
):
    contract = AwardFactory(company=company_org, contract__buyer=buyer_org, contract__in_progress=True).contract
    api_as(buyer).post(f"/api/v1/contracts/{contract.pk}/transition/", {"target": "closed"}, format="json")
    source = HoursSourceFactory(contract=contract, company=company_org)
    late = HoursStatementFactory(source=source, month=MARCH)
    out, _ = run()
    assert f"[Heures enregistrées après la clôture du marché] relevé n° {late.pk} (mars 2025)" in out
    HoursStatement.objects.filter(pk=late.pk).update(by_facilitator=True)
    out, _ = run()
    assert "après la clôture" not in out
    assert HoursSource.objects.count() == 1
