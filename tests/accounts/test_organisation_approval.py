"""Organisations anyone could claim: registered on the site, they act only once the facilitator approved them; a
person asks to join one already there instead of registering a twin; the facilitator decides both."""

import pytest
from django.core import mail

from accounts.enums import OrganisationStatus
from accounts.models import JoinRequest, Membership, Organisation
from procurement.enums import AwardRole, ContractState
from tests.accounts.factories import UserFactory, make_siret
from tests.procurement.factories import ContractFactory

pytestmark = pytest.mark.django_db(transaction=True)  # emails leave once the decision is committed

COMPANY = {"kind": "company", "name": "Bâtiment Durable", "siret": make_siret(77), "address": "3 quai de Jemmapes"}


def register(client, data):
    return client.post("/organisation/creer/", data, follow=True)


def award(api_client, contract, siret):
    payload = {"awards": [{"siret": siret, "role": AwardRole.HOLDER, "hours_share": contract.clause_hours}]}
    return api_client.post(f"/api/v1/contracts/{contract.pk}/award/", payload, format="json")


def decide(client, kind, pk, decision):
    return client.post(f"/organisations/a-valider/{kind}/{pk}/", {"decision": decision}, follow=True)


def test_a_prescriber_registered_by_anyone_reads_nothing_until_approved(client_as, facilitator, api_as):
    """The door found open: a "France Travail Paris 18e" was accepted from anyone, and acted at once."""
    newcomer = UserFactory()
    client = client_as(newcomer)
    response = register(
        client,
        {
            "kind": "prescriber",
            "prescriber_kind": "france_travail",
            "name": "France Travail Paris 18e",
            "siret": make_siret(78),
        },
    )

    assert response.redirect_chain[-1][0] == "/organisation/en-attente/"
    assert (
        "France Travail Paris 18e" in response.content.decode()
        and "en attente de validation" in response.content.decode()
    )
    assert client.get("/tableau-de-bord/")["Location"] == "/organisation/en-attente/"
    assert client.get("/candidats/").status_code == 403
    assert client.get("/candidats/nouveau/").status_code == 403
    me = api_as(newcomer).get("/api/v1/me/").json()
    assert me["current_organisation"] is None
    assert [(o["name"], o["status"]) for o in me["organisations"]] == [("France Travail Paris 18e", "pending")]
    assert api_as(newcomer).post("/api/v1/candidates/", {}, format="json").status_code == 403

    organisation = Organisation.objects.get(name="France Travail Paris 18e")
    page = client_as(facilitator).get("/organisations/a-valider/").content.decode()
    assert "France Travail Paris 18e" in page and newcomer.email in page
    decided = decide(client_as(facilitator), "organisation", organisation.pk, OrganisationStatus.APPROVED)
    assert "L&#x27;organisation « France Travail Paris 18e » est validée." in decided.content.decode()

    client = client_as(newcomer)
    assert client.get("/candidats/").status_code == 200
    assert "Espace prescripteur" in client.get("/tableau-de-bord/").content.decode()
    assert mail.outbox[-1].to == [newcomer.email]
    assert "peut maintenant agir" in mail.outbox[-1].body


def test_a_contract_is_not_awarded_to_whoever_registered_a_companys_siret_first(
    client_as, api_as, facilitator, buyer, buyer_org
):
    client = client_as(UserFactory())
    register(client, COMPANY)
    company = Organisation.objects.get(siret=COMPANY["siret"])
    contract = ContractFactory(buyer=buyer_org, confirmed=True)

    refused = award(api_as(buyer), contract, COMPANY["siret"])

    assert refused.status_code == 400
    assert refused.json() == {"awards": [f"Ligne 1 : aucune entreprise inscrite n'a le SIRET {COMPANY['siret']}."]}

    decide(client_as(facilitator), "organisation", company.pk, OrganisationStatus.APPROVED)
    accepted = award(api_as(buyer), contract, COMPANY["siret"])
    assert accepted.status_code == 200 and accepted.json()["state"] == ContractState.AWARDED


def test_a_refused_organisation_never_acts_and_its_admin_is_told(client_as, facilitator):
    newcomer = UserFactory()
    register(client_as(newcomer), COMPANY)
    company = Organisation.objects.get(siret=COMPANY["siret"])

    response = decide(client_as(facilitator), "organisation", company.pk, OrganisationStatus.REFUSED)

    assert "est refusée." in response.content.decode()
    company.refresh_from_db()
    assert company.status == OrganisationStatus.REFUSED and company.decided_by == facilitator
    assert client_as(newcomer).get("/offres/nouvelle/").status_code == 403
    assert "n'a pas validé « Bâtiment Durable »" in mail.outbox[-1].body
    # Decided once: a second decision changes nothing.
    again = decide(client_as(facilitator), "organisation", company.pk, OrganisationStatus.APPROVED)
    assert "Cette organisation a déjà fait l&#x27;objet d&#x27;une décision." in again.content.decode()
    company.refresh_from_db()
    assert company.status == OrganisationStatus.REFUSED


def test_no_decision_is_chosen_in_advance(client_as, facilitator):
    register(client_as(UserFactory()), COMPANY)
    company = Organisation.objects.get(siret=COMPANY["siret"])
    page = client_as(facilitator).get("/organisations/a-valider/").content.decode()
    assert "checked" not in page

    response = client_as(facilitator).post(f"/organisations/a-valider/organisation/{company.pk}/", {}, follow=True)

    assert "Choisissez de valider ou de refuser." in response.content.decode()
    company.refresh_from_db()
    assert company.status == OrganisationStatus.PENDING


def test_a_colleague_asks_to_join_instead_of_registering_a_twin(client_as, facilitator, company_org, company_user):
    colleague = UserFactory()
    client = client_as(colleague)
    organisations = Organisation.objects.count()
    offer = register(client, {**COMPANY, "siret": company_org.siret}).content.decode()
    assert f"Demander à rejoindre « {company_org.name} »" in offer

    response = client.post("/organisation/rejoindre/", {"siret": company_org.siret}, follow=True)

    assert response.redirect_chain[-1][0] == "/organisation/en-attente/"
    assert Organisation.objects.count() == organisations  # no twin
    assert not Membership.objects.filter(user=colleague).exists()
    assert client.get("/marches/").status_code == 403
    join_request = JoinRequest.objects.get(user=colleague)
    assert colleague.email in client_as(facilitator).get("/organisations/a-valider/").content.decode()

    decide(client_as(facilitator), "adhesion", join_request.pk, OrganisationStatus.APPROVED)

    membership = Membership.objects.get(user=colleague)
    assert membership.organisation == company_org and not membership.is_admin
    assert client_as(colleague).get("/marches/").status_code == 200
    assert "vous êtes maintenant membre" in mail.outbox[-1].body


def test_asking_twice_makes_one_request(client_as, company_org):
    client = client_as(UserFactory())
    client.post("/organisation/rejoindre/", {"siret": company_org.siret})
    client.post("/organisation/rejoindre/", {"siret": company_org.siret})
    assert JoinRequest.objects.count() == 1


def test_nobody_asks_to_join_the_facilitator(client_as, facilitator_org):
    client = client_as(UserFactory())
    page = register(client, {**COMPANY, "siret": facilitator_org.siret}).content.decode()
    assert "Demander à rejoindre" not in page
    assert client.post("/organisation/rejoindre/", {"siret": facilitator_org.siret}).status_code == 404
    assert not JoinRequest.objects.exists()


@pytest.mark.parametrize("role", ["buyer", "company_user", "prescriber", "siae_user"])
def test_only_the_facilitator_decides(role, request, client_as):
    register(client_as(UserFactory()), COMPANY)
    company = Organisation.objects.get(siret=COMPANY["siret"])
    client = client_as(request.getfixturevalue(role))

    assert client.get("/organisations/a-valider/").status_code == 403
    assert (
        client.post(f"/organisations/a-valider/organisation/{company.pk}/", {"decision": "approved"}).status_code == 403
    )
    company.refresh_from_db()
    assert company.status == OrganisationStatus.PENDING
