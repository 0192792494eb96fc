"""Stands in for the procurement demo in the marketplace's seed test: awarded contracts for every
demo company (the real procurement demo is tested by its app)."""

from accounts.enums import OrganisationKind
from demo import accounts as accounts_demo
from procurement.models import Contract, HoursSource, HoursStatement, ValidatedHours
from reference.models import Commune
from tests.procurement.factories import AwardFactory


def seed(*, scale, rng, faker):
    companies = accounts_demo.organisations().filter(kind=OrganisationKind.COMPANY).order_by("pk")
    place = Commune.objects.paris_arrondissements().first()
    for company in companies:
        for n in range(2):
            # The same reference on every seed: the demo's plan of each contract's hours follows it.
            AwardFactory(
                company=company,
                contract__reference=f"DEMO-{company.siret}-{n}",
                contract__place_of_execution=place,
                contract__in_progress=True,
            )
    return {"marchés": 2 * len(companies)}


def reset():
    companies = accounts_demo.organisations().filter(kind=OrganisationKind.COMPANY)
    contracts = Contract.objects.filter(awards__company__in=companies)
    ValidatedHours.objects.filter(contract__in=contracts).delete()
    HoursStatement.objects.filter(source__contract__in=contracts).delete()
    HoursSource.objects.filter(contract__in=contracts).delete()
    Contract.objects.filter(pk__in=list(contracts.values_list("pk", flat=True))).delete()
