"""The facilitator's hours queue: each pending statement with its proof, its source (a person's pseudonym or
the SIAE, the contract, the month, the modality) and the limit it was checked against; several validated at
once, each checked and audited on its own; one rejected with a reason. A fixed number of queries."""

import datetime
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from audit.enums import AuditAction
from audit.models import AuditEvent
from common.pseudonyms import pseudonym
from marketplace.enums import ContractType, PlacementState
from marketplace.models import Placement
from procurement.enums import Modality, OrderKind, StatementState
from procurement.models import HoursStatement, SiaeOrder, ValidatedHours
from tests.accounts.factories import OrganisationFactory
from tests.marketplace.factories import CandidateFactory, PositionFactory, SubmissionFactory
from tests.procurement.factories import AwardFactory, HoursSourceFactory, HoursStatementFactory, pdf_upload

QUEUE = reverse("procurement:statement_list")


def add_months(day, months):
    index = day.month - 1 + months
    return datetime.date(day.year + index // 12, index % 12 + 1, 1)


@pytest.fixture
def contract(company_org):
    return AwardFactory(company=company_org, contract__in_progress=True).contract


def placement_source(contract, company, candidate):
    """A placement's line of the ledger, 35 h a week from January 2024."""
    source = HoursSourceFactory(
        contract=contract, company=company, starts_on=datetime.date(2024, 1, 8), weekly_hours=Decimal("35")
    )
    position = PositionFactory(company=company, contract=contract)
    Placement.objects.create(
        submission=SubmissionFactory(candidate=candidate, position=position, sent=True),
        position=position,
        contract_type=ContractType.CDI,
        hired_on=datetime.date(2024, 1, 2),
        start_date=datetime.date(2024, 1, 8),
        weekly_hours=35,
        state=PlacementState.VALIDATED,
        hours_source=source,
    )
    return source


def order_source(contract, company):
    siae = OrganisationFactory(siae=True, name="Rebond Bâtiment – EI")
    source = HoursSourceFactory(
        contract=contract,
        company=company,
        modality=Modality.SIAE_SUBCONTRACTING,
        label="Sous-traitance – Rebond Bâtiment",
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        planned_hours=3000,
    )
    SiaeOrder.objects.create(
        contract=contract,
        company=company,
        siae=siae,
        kind=OrderKind.SUBCONTRACTING,
        amount_excl_vat=90000,
        starts_on=source.starts_on,
        ends_on=source.ends_on,
        hours=3000,
        source=source,
    )
    return source


def pending(sources, count):
    """``count`` pending statements spread over the sources, one per source and month."""
    statements = []
    for index in range(count):
        source = sources[index % len(sources)]
        statements.append(
            HoursStatementFactory(
                source=source,
                month=add_months(datetime.date(2024, 1, 1), index // len(sources)),
                hours=Decimal("100"),
                proof=pdf_upload(),
                proof_content_type="application/pdf",
                limit_note="152,4 h au plus pour … (vérifié à la déclaration)",
            )
        )
    return statements


@pytest.fixture
def queue_of(contract, company_org, prescriber_org):
    def make(count):
        candidates = [CandidateFactory(prescriber=prescriber_org) for _ in range(4)]
        sources = [placement_source(contract, company_org, c) for c in candidates] + [
            order_source(contract, company_org)
        ]
        return candidates, pending(sources, count)

    return make


def test_each_row_says_what_the_facilitator_needs(client_as, facilitator, queue_of):
    candidates, statements = queue_of(5)
    page = unescape(client_as(facilitator).get(QUEUE).content.decode())
    assert "5 relevés" in page
    for candidate in candidates:
        assert f"Personne {pseudonym(candidate.pk)}" in page
        assert candidate.last_name not in page  # a pseudonym, not the name
    assert "SIAE Rebond Bâtiment – EI" in page
    assert "152,4 h au plus pour … (vérifié à la déclaration)" in page
    assert "janvier 2024" in page and "Sous-traitance / co-traitance avec une SIAE" in page
    for statement in statements:
        assert reverse("procurement:statement_proof", args=[statement.pk]) in page


def test_the_queue_runs_a_fixed_number_of_queries(client_as, facilitator, queue_of, django_assert_num_queries):
    queue_of(100)
    client = client_as(facilitator)
    client.get(QUEUE)  # warms the per-process caches (content types, settings)
    # session, user, memberships (current organisation); count, the page of statements with their source,
    # contract, company, SIAE order and person (one joined query); the layout's unread notifications.
    with django_assert_num_queries(6):
        response = client.get(QUEUE)
    assert "100 relevés" in response.content.decode()
    assert response.content.decode().count('name="statements"') == 100


def test_validate_several_at_once_each_checked_and_audited(client_as, facilitator, contract, company_org):
    source = HoursSourceFactory(
        contract=contract, company=company_org, starts_on=datetime.date(2024, 1, 8), weekly_hours=Decimal("35")
    )
    good = [HoursStatementFactory(source=source, month=datetime.date(2024, m, 1), hours=140) for m in (2, 3)]
    # Declared before the rules (or imported): 200 h in April 2024 is over 35 h a week.
    too_many = HoursStatementFactory(source=source, month=datetime.date(2024, 4, 1), hours=200)
    response = client_as(facilitator).post(
        reverse("procurement:statement_validate_many"),
        {"statements": [s.pk for s in [*good, too_many]]},
        follow=True,
    )
    page = unescape(response.content.decode())
    assert "2 relevés validés (280 h)." in page
    assert f"Relevé n° {too_many.pk} (04/2024) non validé : 161,7 h au plus pour avril 2024 : 35 h par semaine" in page
    states = dict(HoursStatement.objects.values_list("pk", "state"))
    assert [states[s.pk] for s in good] == ["validated", "validated"]
    assert states[too_many.pk] == StatementState.DECLARED
    assert AuditEvent.objects.filter(action=AuditAction.HOURS_VALIDATED).count() == 2
    assert sum(ValidatedHours.objects.values_list("hours", flat=True)) == 280
    # Then one rejected, with its reason.
    client_as(facilitator).post(
        reverse("procurement:statement_reject", args=[too_many.pk]), {"reason": "Trop d'heures"}
    )
    too_many.refresh_from_db()
    assert (too_many.state, too_many.reason) == ("rejected", "Trop d'heures")


def test_validate_several_through_the_api(api_as, facilitator, company_user, contract, company_org):
    source = HoursSourceFactory(contract=contract, company=company_org)
    first, second = (HoursStatementFactory(source=source, month=datetime.date(2024, m, 1)) for m in (2, 3))
    assert api_as(company_user).post("/api/v1/hours/validate/", {"statements": [first.pk]}).status_code == 403
    body = api_as(facilitator).post("/api/v1/hours/validate/", {"statements": [first.pk, second.pk]}, format="json")
    assert body.json() == {"validated": [first.pk, second.pk], "refused": []}
    body = api_as(facilitator).post("/api/v1/hours/validate/", {"statements": [first.pk]}, format="json").json()
    assert body == {
        "validated": [],
        "refused": [{"id": first.pk, "errors": ["Ce relevé a déjà été traité : il ne peut plus changer."]}],
    }
