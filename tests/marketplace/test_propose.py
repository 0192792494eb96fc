"""« Proposer un candidat » from a public offer: a prescriber reaches, after its login, a form listing its own
pool; everyone else reads how to reach the facilitator. And an offer's counts lead to the lists they count."""

import pytest
from django.urls import reverse

from marketplace.enums import SubmissionState
from marketplace.models import Submission
from tests.marketplace.factories import CandidateFactory, PositionFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def position(company_org):
    return PositionFactory(company=company_org)


def test_a_visitor_is_invited_to_log_in_and_propose(client, position):
    page = client.get(reverse("marketplace:position_detail", args=[position.pk])).content.decode()

    target = reverse("marketplace:position_propose", args=[position.pk])
    assert f'href="{reverse("account_login")}?next={target}">Proposer un candidat</a>' in page
    assert "écrivez au facilitateur" in page


def test_after_logging_in_the_prescriber_lands_on_the_form(client, prescriber, position):
    from tests.accounts.factories import DEFAULT_PASSWORD

    target = reverse("marketplace:position_propose", args=[position.pk])
    response = client.post(
        f"{reverse('account_login')}?next={target}", {"login": prescriber.email, "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 302 and response.url == target


def test_the_prescriber_proposes_someone_of_its_pool(
    client_as, prescriber, prescriber_org, other_prescriber_org, position
):
    mine = CandidateFactory(prescriber=prescriber_org, last_name="Diallo")
    without_consent = CandidateFactory(prescriber=prescriber_org, last_name="Sansaccord", consent_at=None)
    already = CandidateFactory(prescriber=prescriber_org, last_name="Dejala")
    SubmissionFactory(candidate=already, position=position)
    someone_else = CandidateFactory(prescriber=other_prescriber_org, last_name="Ailleurs")
    client = client_as(prescriber)
    url = reverse("marketplace:position_propose", args=[position.pk])

    offer = client.get(reverse("marketplace:position_detail", args=[position.pk])).content.decode()
    assert f'href="{url}">Proposer un candidat</a>' in offer
    form = client.get(url).content.decode()
    assert "Diallo" in form
    for absent in ("Sansaccord", "Dejala", "Ailleurs"):
        assert absent not in form

    # Someone of another pool cannot be slipped in.
    refused = client.post(url, {"candidate": someone_else.pk})
    assert refused.status_code == 200 and not Submission.objects.filter(candidate=someone_else).exists()
    assert "Sélectionnez un choix valide" in refused.content.decode()
    assert not Submission.objects.filter(candidate=without_consent).exists()

    response = client.post(url, {"candidate": mine.pk, "note": "Motivée, disponible tout de suite."})

    submission = Submission.objects.get(candidate=mine)
    assert response.status_code == 302 and response.url == reverse(
        "marketplace:submission_detail", args=[submission.pk]
    )
    assert (submission.position, submission.state) == (position, SubmissionState.SUBMITTED)


def test_other_roles_read_how_to_reach_the_facilitator(client_as, company_user, other_company_user, position):
    page = client_as(other_company_user).get(reverse("marketplace:position_detail", args=[position.pk])).content
    assert "Un candidat pour ce poste ?" in page.decode()
    url = reverse("marketplace:position_propose", args=[position.pk])
    assert client_as(other_company_user).get(url).status_code == 403


def test_the_offer_counts_lead_to_the_lists_they_count(client_as, company_user, position, prescriber_org):
    SubmissionFactory(
        position=position, candidate=CandidateFactory(prescriber=prescriber_org, last_name="Envoyee"), sent=True
    )
    SubmissionFactory(position=position, candidate=CandidateFactory(prescriber=prescriber_org, last_name="Attente"))
    SubmissionFactory(candidate=CandidateFactory(prescriber=prescriber_org, last_name="Autreoffre"), sent=True)
    client = client_as(company_user)

    offer = client.get(reverse("marketplace:position_detail", args=[position.pk])).content.decode()
    listing = reverse("marketplace:submission_list")
    assert f'<a href="{listing}?offre={position.pk}">2 candidatures</a>' in offer
    assert f'<a href="{listing}?offre={position.pk}&amp;transmises=1">1 transmise à l\'entreprise</a>' in offer

    page = client.get(listing, {"offre": position.pk, "transmises": "1"}).content.decode()
    assert "Envoyee" in page and "Attente" not in page and "Autreoffre" not in page
