import datetime

import pytest
from django.urls import reverse

from accounts.enums import SiaeKind
from procurement.enums import Modality
from procurement.models import SectorDefaults, SiaeOrder, SiaeProfile
from reference.models import Commune
from tests.dashboards import work_items
from tests.procurement.factories import SiaeProfileFactory, contract_in_progress_for


@pytest.fixture
def paris_20(db):
    return Commune.objects.create(
        code_insee="75120",
        name="Paris 20e Arrondissement",
        slug="paris-20",
        department="75",
        postcodes="75020",
        latitude=48.86,
        longitude=2.40,
    )


@pytest.fixture
def directory(paris_20):
    cleaning = SiaeProfileFactory(organisation__name="Propreté Solidaire", organisation__siae_kind=SiaeKind.EI)
    cleaning.sectors.add(SectorDefaults.objects.get(sector="cleaning"))
    cleaning.communes.add(paris_20)
    temp = SiaeProfileFactory(organisation__name="Intérim Insertion", organisation__siae_kind=SiaeKind.ETTI)
    temp.sectors.add(SectorDefaults.objects.get(sector="building"))
    return cleaning, temp


def test_anyone_logged_in_filters_the_directory(client_as, prescriber, directory, paris_20, django_assert_num_queries):
    client = client_as(prescriber)
    # session, user, memberships, filter validation (sector, commune), count, page, sectors, communes,
    # and the filter form's choices (sectors, communes)
    with django_assert_num_queries(12):
        page = client.get(reverse("procurement:siae_directory"), {"secteur": "cleaning", "commune": "75120"})
    content = page.content.decode()
    assert "Propreté Solidaire" in content and "Intérim Insertion" not in content
    content = client.get(reverse("procurement:siae_directory"), {"type": "etti"}).content.decode()
    assert "Intérim Insertion" in content and "Propreté Solidaire" not in content
    # A link from before the page spoke French in its query string still leads there.
    old = client.get(reverse("procurement:siae_directory"), {"kind": "etti", "commune": "75120"})
    assert (old.status_code, old["Location"]) == (301, "/marches/siae/?commune=75120&type=etti")


def test_api_directory(api_as, company_user, directory):
    body = api_as(company_user).get("/api/v1/siae/", {"sector": "building"}).json()
    assert [(r["name"], r["siae_kind"], r["sectors"]) for r in body["results"]] == [
        ("Intérim Insertion", "etti", ["building"])
    ]


def test_siae_edits_its_profile(client_as, siae_user, siae_org, paris_20):
    response = client_as(siae_user).post(
        reverse("procurement:siae_profile_edit"),
        {"sectors": ["cleaning", "green_spaces"], "communes": ["75120"], "contact_name": "Léa", "contact_phone": "01"},
    )
    assert response.status_code == 302
    profile = SiaeProfile.objects.get(organisation=siae_org)
    assert set(profile.sectors.values_list("sector", flat=True)) == {"cleaning", "green_spaces"}


def test_company_cannot_edit_a_profile(client_as, company_user):
    assert client_as(company_user).get(reverse("procurement:siae_profile_edit")).status_code == 403


def order_payload(contract, siae, **extra):
    return {
        "contract": contract.pk,
        "siae": siae.pk,
        "kind": "staff_provision",
        "amount_excl_vat": "60000",
        "starts_on": "2024-02-01",
        "ends_on": "2024-12-31",
        **extra,
    }


def test_awarded_company_records_an_siae_order(api_as, company_user, company_org, siae_org):
    contract, _ = contract_in_progress_for(company_org)
    response = api_as(company_user).post("/api/v1/siae-orders/", order_payload(contract, siae_org), format="json")
    assert response.status_code == 201, response.json()
    order = SiaeOrder.objects.get()
    # EI staff provision counts as AI/GEIQ; 60 000 € at the 30 €/h reference cost = 2 000 h.
    assert (order.hours, order.source.modality, order.source.company) == (2000, Modality.AI_GEIQ, company_org)
    assert response.json()["modality"] == Modality.AI_GEIQ


def test_order_refusals(api_as, company_user, other_company_user, company_org, siae_org, buyer_org):
    contract, _ = contract_in_progress_for(company_org)
    response = api_as(other_company_user).post("/api/v1/siae-orders/", order_payload(contract, siae_org), format="json")
    assert response.status_code == 400 and "contract" in response.json()
    response = api_as(company_user).post(
        "/api/v1/siae-orders/", order_payload(contract, buyer_org, ends_on="2023-01-01"), format="json"
    )
    assert set(response.json()) == {"siae"}
    assert not SiaeOrder.objects.exists()


def test_siae_order_page_and_the_siae_then_sees_the_contract(client_as, company_user, siae_user, company_org, siae_org):
    contract, _ = contract_in_progress_for(company_org)
    response = client_as(company_user).post(
        reverse("procurement:siae_order_create", args=[contract.pk]),
        {**order_payload(contract, siae_org), "kind": "subcontracting", "hours": "450"},
    )
    assert response.status_code == 302
    assert SiaeOrder.objects.get().source.modality == Modality.SIAE_SUBCONTRACTING
    assert client_as(siae_user).get(reverse("procurement:contract_detail", args=[contract.pk])).status_code == 200
    assert datetime.date(2024, 12, 31) == SiaeOrder.objects.get().ends_on


def test_anyone_searches_the_directory_with_labelled_filters(client, directory):
    """Public, as the first thing a buyer or a company looking for a partner opens."""
    response = client.get(reverse("procurement:siae_directory"), {"type": "ei"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Propreté Solidaire" in page and "Intérim Insertion" not in page
    for field, label in (("nom", "Nom"), ("type", "Type"), ("secteur", "Secteur"), ("commune", "Commune desservie")):
        assert f'<label class="fr-label" for="id_{field}">{label}</label>' in page
    assert 'class="fr-select"' in page and 'class="fr-input"' in page
    assert "Tous les types" in page and "---------" not in page


def test_each_siae_has_its_page_whose_contact_needs_a_login(client, client_as, company_user, directory):
    cleaning, _ = directory
    url = reverse("procurement:siae_detail", args=[cleaning.pk])
    listing = client.get(reverse("procurement:siae_directory")).content.decode()
    assert f'href="{url}"' in listing

    anonymous = client.get(url).content.decode()
    assert "Propreté Solidaire" in anonymous and "Propreté et nettoyage" in anonymous
    assert cleaning.contact_email not in anonymous and "Connectez-vous" in anonymous

    logged_in = client_as(company_user).get(url).content.decode()
    assert f"mailto:{cleaning.contact_email}" in logged_in


def test_an_unknown_siae_page_is_not_found(client, db):
    assert client.get(reverse("procurement:siae_detail", args=[999999])).status_code == 404


def test_the_siae_reads_its_orders_from_its_dashboard(client_as, company_user, siae_user, company_org, siae_org):
    contract, _ = contract_in_progress_for(company_org)
    client_as(company_user).post(
        reverse("procurement:siae_order_create", args=[contract.pk]),
        {**order_payload(contract, siae_org), "kind": "subcontracting", "hours": "1450"},
    )
    other_contract, _ = contract_in_progress_for(company_org)
    client = client_as(siae_user)

    dashboard = client.get(reverse("accounts:dashboard")).content.decode()
    assert work_items(dashboard)["commande reçue"][:2] == ("1", reverse("procurement:siae_order_list"))

    page = client.get(reverse("procurement:siae_order_list")).content.decode()
    assert "1 commande</caption>" in page
    assert contract.reference in page and other_contract.reference not in page
    assert "1 450 h" in page.replace("\xa0", " ")


def test_a_prescriber_has_no_orders_to_read(client_as, prescriber):
    assert client_as(prescriber).get(reverse("procurement:siae_order_list")).status_code == 403
