import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from marketplace.enums import (
    ContractType,
    FrenchLevel,
    InvitationState,
    QualificationLevel,
    Sex,
    Situation,
    SubmissionState,
)
from marketplace.models import (
    Candidate,
    EligibilityCheck,
    InformationSession,
    Position,
    SessionInvitation,
    Submission,
)
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.procurement.factories import AwardFactory
from tests.reference import factories as reference_factories
from tests.reference.factories import SkillFactory


class CommuneFactory(reference_factories.CommuneFactory):
    """Paris 19e by default: marketplace tests place positions and candidates in Paris."""

    code_insee = "75119"
    name = "Paris 19e Arrondissement"
    slug = "paris-19e"
    postcodes = "75019"
    latitude = 48.887
    longitude = 2.384


class OccupationFactory(reference_factories.OccupationFactory):
    """Masonry by default, with two skills unless ``skills=[...]`` is given."""

    code_rome = "F1703"
    label = "Maçonnerie"

    @factory.post_generation
    def skills(obj, create, extracted, **kwargs):
        if create:
            obj.skills.set(extracted if extracted is not None else [SkillFactory(), SkillFactory()])


class JobTitleFactory(reference_factories.JobTitleFactory):
    label = factory.Sequence(lambda n: f"Maçon {n}")
    occupation = factory.SubFactory(OccupationFactory)


def awarded_contract(company):
    """A contract in progress awarded to ``company``."""
    return AwardFactory(company=company).contract


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    company = factory.SubFactory(OrganisationFactory, company=True)
    contract = factory.LazyAttribute(lambda o: awarded_contract(o.company))
    job_title = factory.SubFactory(JobTitleFactory)
    commune = factory.SubFactory(CommuneFactory)
    contract_type = ContractType.CDD
    weekly_hours = Decimal("35")
    start_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=15))
    openings = 2
    state = "open"
    created_by = factory.SubFactory(UserFactory)


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate
        skip_postgeneration_save = True

    prescriber = factory.SubFactory(OrganisationFactory, prescriber=True)
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Exemple{n}")
    birth_date = datetime.date(1998, 3, 15)
    sex = Sex.FEMALE
    commune = factory.SubFactory(CommuneFactory)
    email = factory.Sequence(lambda n: f"candidat{n}@example.test")
    phone = "0600000000"
    consent_at = factory.LazyFunction(timezone.now)
    consent_text_version = "2026-01"
    situation = Situation.JOB_SEEKER
    level1_criteria = ["rsa"]
    # Not « under 26 »: the factory's birth date (1998) makes the person 26 or more since March 2024.
    level2_criteria = ["low_qualification", "qpv_zrr"]
    qualification_level = QualificationLevel.LEVEL_3
    french_level = FrenchLevel.B1
    available_from = factory.LazyFunction(timezone.localdate)

    @factory.post_generation
    def job_titles(obj, create, extracted, **kwargs):
        if create:
            obj.job_titles.set(extracted if extracted is not None else [JobTitleFactory()])


class EligibilityCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EligibilityCheck

    candidate = factory.SubFactory(CandidateFactory)
    criteria = [{"criterion": "rsa", "proof": "caf_certificate"}]
    is_eligible = True
    checked_by = factory.SubFactory(UserFactory)
    checked_by_organisation = factory.SubFactory(OrganisationFactory, facilitator=True)
    checked_at = factory.LazyFunction(timezone.now)
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=183))


class SubmissionFactory(factory.django.DjangoModelFactory):
    """``SubmissionFactory(state=...)``; ``sent=True`` marks it as having reached the company."""

    class Meta:
        model = Submission

    candidate = factory.SubFactory(CandidateFactory)
    position = factory.SubFactory(PositionFactory)
    submitted_by = factory.SubFactory(UserFactory)
    state = SubmissionState.SUBMITTED

    class Params:
        sent = factory.Trait(
            state=SubmissionState.SENT_TO_COMPANY, reached_company_at=factory.LazyFunction(timezone.now)
        )
        interview = factory.Trait(
            state=SubmissionState.INTERVIEW, reached_company_at=factory.LazyFunction(timezone.now)
        )


def validated_placement(*, candidate, position, facilitator, hours_months=(), hours=Decimal("120"), start_date=None):
    """``candidate`` hired on ``position`` and validated by ``facilitator`` (a user of a facilitator
    organisation), with validated hours for each month of ``hours_months``: made by the services, so
    with their audit trail."""
    from marketplace import services
    from procurement import services as procurement_services
    from tests.procurement.factories import pdf_upload

    facilitator_org = facilitator.memberships.get().organisation
    company_user = UserFactory()
    EligibilityCheckFactory(candidate=candidate, checked_by_organisation=facilitator_org)
    submission = SubmissionFactory(candidate=candidate, position=position, interview=True)
    services.transition_submission(
        submission=submission,
        target=SubmissionState.HIRED,
        actor=company_user,
        organisation=position.company,
        # Hired from the first month of hours on (the ledger refuses hours outside the placement).
        hire={
            "start_date": start_date or min(hours_months, default=None),
            "planned_end_date": timezone.localdate() + datetime.timedelta(days=200),
        },
    )
    placement = services.validate_placement(
        placement=submission.placement, actor=facilitator, organisation=facilitator_org
    )
    for month in hours_months:
        statement = procurement_services.declare_hours(
            source=placement.hours_source,
            month=month,
            hours=hours,
            proof=pdf_upload(),
            proof_kind="payslip",
            actor=company_user,
            organisation=position.company,
        )
        procurement_services.validate_statement(statement=statement, actor=facilitator, organisation=facilitator_org)
    return placement


class InformationSessionFactory(factory.django.DjangoModelFactory):
    """A planned session tomorrow morning at the Maison de l'Emploi, for ``positions=[...]`` (one new position by
    default), organised by ``organiser`` (a facilitator organisation)."""

    class Meta:
        model = InformationSession
        skip_postgeneration_save = True

    title = "Recrutement en nombre"
    starts_at = factory.LazyFunction(
        lambda: timezone.make_aware(
            datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=1), datetime.time(9, 30))
        )
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    address = "32 rue des Envierges"
    commune = factory.SubFactory(CommuneFactory)
    capacity = 10
    organiser = factory.SubFactory(OrganisationFactory, facilitator=True)
    created_by = factory.SubFactory(UserFactory)

    class Params:
        today = factory.Trait(
            starts_at=factory.LazyFunction(
                lambda: timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(9, 30)))
            )
        )

    @factory.post_generation
    def positions(obj, create, extracted, **kwargs):
        if create:
            obj.positions.set(extracted if extracted is not None else [PositionFactory()])


class SessionInvitationFactory(factory.django.DjangoModelFactory):
    """An invitation waiting for the prescriber's answer; ``confirmed=True`` with the person's submission."""

    class Meta:
        model = SessionInvitation

    session = factory.SubFactory(InformationSessionFactory)
    candidate = factory.SubFactory(CandidateFactory)
    position = factory.LazyAttribute(lambda o: o.session.positions.first())
    invited_by = factory.SubFactory(UserFactory)
    state = InvitationState.INVITED
    submission = None

    class Params:
        confirmed = factory.Trait(
            state=InvitationState.CONFIRMED,
            submission=factory.LazyAttribute(
                lambda o: SubmissionFactory(candidate=o.candidate, position=o.position, submitted_by=o.invited_by)
            ),
        )
