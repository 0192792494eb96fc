"""Stands in for the procurement demo in the marketplace's seed test: awarded contracts for every
demo company (the real procurement demo is tested by its app)."""

from accounts.enums import OrganisationKind
from demo import accounts as accounts_demo
from procurement.models import Contract, HoursSource
from reference.models import Commune
from tests.procurement.factories import AwardFactory


def seed(*, scale, rng, faker):
    companies = accounts_demo.organisations().filter(kind=OrganisationKind.COMPANY).order_by("pk")
    place = Commune.objects.paris_arrondissements().first()
    for company in companies:
        for _ in range(2):
            AwardFactory(company=company, contract__place_of_execution=place, contract__in_progress=True)
    return {"marchés": 2 * len(companies)}


def reset():
    companies = accounts_demo.organisations().filter(kind=OrganisationKind.COMPANY)
    contracts = Contract.objects.filter(awards__company__in=companies)
    HoursSource.objects.filter(contract__in=contracts).delete()
    Contract.objects.filter(pk__in=list(contracts.values_list("pk", flat=True))).delete()
