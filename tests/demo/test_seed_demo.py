import io
import re

import pytest
from django.core.management import CommandError, call_command

from accounts.enums import OrganisationKind
from accounts.models import Membership, Organisation, User
from demo import accounts as demo
from demo.management.commands import seed_demo
from reference.models import Commune
from tests.accounts.test_login import log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def arrondissements():
    """Three arrondissements are enough: named organisations fall back on them."""
    for n in (4, 10, 19):
        Commune.objects.create(
            code_insee=f"751{n:02d}",
            name=f"Paris {n}e Arrondissement",
            slug=f"paris-{n}e-arrondissement",
            department="75",
            postcodes=f"750{n:02d}",
            latitude=48.86,
            longitude=2.35,
        )


@pytest.fixture(autouse=True)
def only_accounts(monkeypatch):
    """The other apps' seeds are theirs to test; a module that does not exist is skipped."""
    monkeypatch.setattr(seed_demo, "DEMO_MODULES", ["demo.accounts", "demo.no_such_module"])


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot():
    return {
        "organisations": list(Organisation.objects.order_by("siret").values_list("siret", "name", "kind", "commune")),
        "users": list(User.objects.order_by("email").values_list("email", "first_name", "last_name", "is_staff")),
        "memberships": Membership.objects.count(),
    }


def test_without_communes_it_says_what_to_run_first():
    with pytest.raises(CommandError, match="load_reference_data"):
        seed()
    assert not Organisation.objects.exists()


def test_seeding_twice_gives_the_same_data(arrondissements):
    output = seed()
    first = snapshot()

    again = seed()

    assert snapshot() == first
    assert "existent déjà" in again
    organisations = len(demo.NAMED_ORGANISATIONS) + len(demo.PER_SCALE)
    assert re.search(
        rf"^demo\.accounts : {organisations} organisations, \d+ utilisateurs, \d+ appartenances$", output, re.M
    )
    for local_part, *_ in demo.LOGINS:
        assert f"{local_part}@demo.passerelle.test" in again


def test_reset_recreates_exactly_the_same_data(arrondissements):
    seed()
    first = snapshot()
    Organisation.objects.filter(name="Paris Habitat").update(name="Modifié à la main")

    seed("--reset")

    assert snapshot() == first


def test_demo_organisations_cover_every_role(arrondissements):
    seed()
    names = set(Organisation.objects.values_list("name", flat=True))
    assert {"Ville de Paris", "Paris Habitat", "Mission locale de Paris", "Maison de l'Emploi de Paris (MEP)"} <= names
    assert set(Organisation.objects.values_list("kind", flat=True)) == set(OrganisationKind)
    assert {"ei", "etti", "ai", "aci", "geiq"} <= set(Organisation.objects.siae().values_list("siae_kind", flat=True))
    for organisation in Organisation.objects.all():
        organisation.full_clean()  # valid SIRET, sub-kinds consistent
        assert organisation.commune.is_paris_arrondissement


@pytest.mark.parametrize(
    ("local_part", "heading"),
    [
        ("acheteur", "Espace donneur d'ordre"),
        ("entreprise", "Espace entreprise"),
        ("entreprise2", "Espace entreprise"),
        ("prescripteur", "Espace prescripteur"),
        ("prescripteur2", "Espace prescripteur"),
        ("siae", "Espace SIAE"),
        ("facilitateur", "Espace facilitateur"),
    ],
)
def test_each_demo_login_works_with_the_demo_password(client, arrondissements, local_part, heading):
    seed()
    response = log_in(client, f"{local_part}@demo.passerelle.test", password="passerelle-demo")
    assert f"<h1>{heading}</h1>" in response.content.decode()


def test_the_two_companies_and_prescribers_are_distinct(arrondissements):
    seed()

    def organisation_of(local_part):
        return Membership.objects.get(user__email=f"{local_part}@demo.passerelle.test").organisation

    assert organisation_of("entreprise") != organisation_of("entreprise2")
    assert organisation_of("prescripteur") != organisation_of("prescripteur2")


def test_the_facilitator_may_use_the_admin(client, arrondissements):
    seed()
    log_in(client, demo.FACILITATOR_EMAIL, password="passerelle-demo")
    assert client.get("/admin/accounts/organisation/").status_code == 200
    assert client.get("/admin/auth/group/").status_code == 403  # Django's own tables stay with superusers


def test_scale_grows_the_data(arrondissements):
    seed("--scale", "3")
    assert Organisation.objects.count() == len(demo.NAMED_ORGANISATIONS) + 3 * len(demo.PER_SCALE)
    assert User.objects.count() > 3 * len(demo.PER_SCALE)


def test_scale_must_be_positive(arrondissements):
    with pytest.raises(CommandError, match="--scale"):
        seed("--scale", "0")


def test_reset_leaves_other_data_alone(arrondissements, company_user, company_org):
    seed()
    seed("--reset")
    assert Organisation.objects.filter(pk=company_org.pk).exists()
    assert User.objects.filter(pk=company_user.pk).exists()
