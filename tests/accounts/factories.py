import factory
from allauth.account.models import EmailAddress
from stdnum import luhn

from accounts.enums import OrganisationKind, PrescriberKind, SiaeKind
from accounts.models import Membership, Organisation, User

DEFAULT_PASSWORD = "un-mot-de-passe-solide-2026"


def make_siret(n):
    """A valid SIRET (Luhn) built from a counter, so factories never collide."""
    siren_body = f"{n:08d}"
    siren = siren_body + luhn.calc_check_digit(siren_body)
    body = siren + "0001"
    return body + luhn.calc_check_digit(body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.test")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        """Verified by default, as allauth requires to log in; ``UserFactory(verified_email=False)`` otherwise."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.COMPANY
    name = factory.Sequence(lambda n: f"Organisation {n}")
    siret = factory.Sequence(lambda n: make_siret(n + 1000))
    address = "1 rue de Rivoli"

    class Params:
        buyer = factory.Trait(kind=OrganisationKind.BUYER)
        company = factory.Trait(kind=OrganisationKind.COMPANY)
        prescriber = factory.Trait(kind=OrganisationKind.PRESCRIBER, prescriber_kind=PrescriberKind.FRANCE_TRAVAIL)
        siae = factory.Trait(kind=OrganisationKind.SIAE, siae_kind=SiaeKind.EI)
        facilitator = factory.Trait(kind=OrganisationKind.FACILITATOR)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    is_admin = False


def member_of(organisation, **kwargs):
    """A user belonging to ``organisation`` (the usual way tests get an actor)."""
    return MembershipFactory(organisation=organisation, **kwargs).user
