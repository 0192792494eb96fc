import datetime
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from procurement.enums import AwardRole, ContractState, Modality, Sector, StatementState
from procurement.models import Award, Contract, HoursSource, HoursStatement, SiaeProfile
from tests.accounts.factories import OrganisationFactory

PDF_BYTES = b"%PDF-1.4\n% fiche de paie de test\n%%EOF\n"


def pdf_upload(name="bulletin.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    buyer = factory.SubFactory(OrganisationFactory, buyer=True)
    reference = factory.Sequence(lambda n: f"2024-VDP-{n:04d}")
    title = "Rénovation du groupe scolaire Belleville"
    sector = Sector.BUILDING
    amount_excl_vat = Decimal("1000000")
    labour_share = Decimal("0.5")
    insertion_rate = Decimal("0.05")
    hourly_cost = Decimal("30")
    clause_hours = 833
    notified_on = datetime.date(2024, 1, 15)
    # A few years ahead of whenever the tests run: hours and placements must fall within the contract.
    ends_on = factory.LazyFunction(lambda: datetime.date(datetime.date.today().year + 4, 12, 31))

    class Params:
        submitted = factory.Trait(state=ContractState.SUBMITTED)
        confirmed = factory.Trait(state=ContractState.CONFIRMED)
        in_progress = factory.Trait(state=ContractState.IN_PROGRESS)


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award

    contract = factory.SubFactory(ContractFactory, in_progress=True)
    company = factory.SubFactory(OrganisationFactory, company=True)
    role = AwardRole.HOLDER
    hours_share = factory.SelfAttribute("contract.clause_hours")


class HoursSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HoursSource

    contract = factory.SubFactory(ContractFactory, in_progress=True)
    company = factory.SubFactory(OrganisationFactory, company=True)
    modality = Modality.DIRECT_HIRE
    label = factory.Sequence(lambda n: f"Embauche directe – salarié {n}")


class HoursStatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HoursStatement

    source = factory.SubFactory(HoursSourceFactory)
    month = datetime.date(2024, 3, 1)
    hours = Decimal("120")
    modality = factory.SelfAttribute("source.modality")
    proof_kind = "payslip"
    state = StatementState.DECLARED


class SiaeProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SiaeProfile

    organisation = factory.SubFactory(OrganisationFactory, siae=True)
    contact_name = "Camille Martin"
    contact_email = "contact@siae.test"


def contract_in_progress_for(company, **kwargs):
    """A contract in execution awarded to ``company`` as holder, with one direct-hire source of its own."""
    award = AwardFactory(company=company, contract__in_progress=True, **kwargs)
    source = HoursSourceFactory(contract=award.contract, company=company)
    return award.contract, source
