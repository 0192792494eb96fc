"""The list of contracts at risk: worst first (most hours at risk), a fixed number of queries whatever its length,
and what ``manage.py check_shortfalls`` leaves alone (contracts in their first months, without an end date, short
by 10 % or less)."""

import datetime
import io
from decimal import Decimal

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from notifications.models import Notification
from procurement import services
from procurement.models import ContractForecast
from tests.accounts.factories import OrganisationFactory
from tests.clock import moment
from tests.procurement.factories import HoursStatementFactory, contract_in_progress_for
from tests.queue import run_queued_jobs

D = datetime.date


def contract_with(company, reference, hours_due, monthly_hours, facilitator, facilitator_org, **contract):
    """A contract of 2025 whose company delivered ``monthly_hours`` in each month of January to March it was
    notified for (hours before its notification would be refused), validated."""
    fields = {
        "reference": reference,
        "clause_hours": hours_due,
        "notified_on": D(2025, 1, 1),
        "ends_on": D(2025, 12, 31),
        "penalty_per_missing_hour": Decimal("20"),
        "buyer": OrganisationFactory(buyer=True, name=f"Acheteur {reference}"),
        **contract,
    }
    contract, source = contract_in_progress_for(company, **{f"contract__{key}": value for key, value in fields.items()})
    for month in range(fields["notified_on"].month, 4):
        statement = HoursStatementFactory(source=source, month=D(2025, month, 1), hours=Decimal(monthly_hours))
        services.validate_statement(statement=statement, actor=facilitator, organisation=facilitator_org)
    return contract


def test_worst_first_in_a_fixed_number_of_queries(
    clock, client_as, facilitator, facilitator_org, company_org, company_user, django_assert_num_queries
):
    clock.move_to(moment(D(2025, 4, 15)))
    # 3 months at N h, 9 left: 12 N projected against the hours due.
    contract_with(company_org, "A", 1200, 50, facilitator, facilitator_org)  # 600 projected: 600 at risk
    contract_with(company_org, "B", 2400, 100, facilitator, facilitator_org)  # 1,200: 1,200 at risk, the worst
    contract_with(company_org, "C", 1200, 75, facilitator, facilitator_org, penalty_per_missing_hour=None)  # 300
    contract_with(company_org, "D", 1200, 90, facilitator, facilitator_org)  # 1,080: 120, 10 %: not at risk
    contract_with(company_org, "E", 1200, 10, facilitator, facilitator_org, ends_on=None)  # no end: no projection
    contract_with(company_org, "F", 1200, 10, facilitator, facilitator_org, notified_on=D(2025, 2, 1))  # 2 months
    out = io.StringIO()
    call_command("check_shortfalls", stdout=out)
    assert out.getvalue() == "marchés vérifiés : 5, à risque : 3, alertés : 3, rétablis : 0.\n"
    assert list(ContractForecast.objects.at_risk().values_list("contract__reference", "hours_at_risk")) == [
        ("B", 1200),
        ("A", 600),
        ("C", 300),
    ]
    # Each contract's buyer and the company holding all three hear of each, with its link; the company's member
    # gets one email per contract, the facilitator's one for the month's list.
    texts = {ref: f"Marché {ref} : {pct} % des heures d'insertion à risque au rythme actuel." for ref, pct in
             [("A", 50), ("B", 50), ("C", 25)]}  # fmt: skip
    alerts = Notification.objects.filter(text__in=texts.values())
    assert sorted(alerts.values_list("recipient__name", "text")) == sorted(
        [(f"Acheteur {ref}", text) for ref, text in texts.items()] + [(company_org.name, t) for t in texts.values()]
    )
    run_queued_jobs()
    to_company = sorted(m.subject for m in mail.outbox if m.to == [company_user.email])
    assert [s for s in to_company if "Marché" in s] == [f"[Passerelle] {text}" for text in texts.values()]
    assert [m for m in mail.outbox if m.to == [facilitator.email] and "3 marchés à risque" in m.subject]

    client = client_as(facilitator)
    # Session, user, memberships with their organisation; the count and the page of forecasts with their
    # contracts and buyers; the header's unread notifications.
    with django_assert_num_queries(6):
        page = client.get(reverse("procurement:contracts_at_risk")).content.decode()
    assert page.index(">B</a>") < page.index(">A</a>") < page.index(">C</a>")
    assert ">D</a>" not in page and ">E</a>" not in page and ">F</a>" not in page
    assert "<td>1\xa0200 h (50 %)</td><td>24\xa0000 €</td>" in page.replace("\n", "").replace("  ", "")
    assert "non fixée" in page  # C's contract sets no penalty


def test_a_dry_run_writes_and_sends_nothing(clock, facilitator, facilitator_org, company_org):
    clock.move_to(moment(D(2025, 4, 15)))
    contract_with(company_org, "A", 1200, 50, facilitator, facilitator_org)
    out = io.StringIO()
    call_command("check_shortfalls", "--dry-run", stdout=out)
    assert out.getvalue() == "[simulation] marchés vérifiés : 1, à risque : 1, alertés : 1, rétablis : 0.\n"
    assert not ContractForecast.objects.exists()
    assert not facilitator_org.notifications.filter(text__contains="risque").exists()
