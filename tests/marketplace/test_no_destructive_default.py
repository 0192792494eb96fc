"""No destructive default: a page offers only the moves open to this person now, preselects none, and an
irreversible one (withdraw, refuse, close a contract, anonymise) is confirmed first: in a DSFR modal saying what
will happen, or without JavaScript on a confirmation page holding the same form."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.enums import ContractType, PlacementState, SubmissionState
from marketplace.models import Candidate, Placement
from procurement.enums import ContractState
from tests.marketplace.factories import EligibilityCheckFactory, SubmissionFactory
from tests.procurement.factories import ContractFactory

pytestmark = pytest.mark.django_db


def page(response):
    return response.content.decode()


def selected_options(html):
    return re.findall(r"<option[^>]*selected[^>]*>([^<]*)</option>", html)


def test_the_prescriber_withdraws_only_after_confirming(client_as, prescriber, position, candidate):
    submission = SubmissionFactory(candidate=candidate, position=position)
    client = client_as(prescriber)
    detail = page(client.get(reverse("marketplace:submission_detail", args=[submission.pk])))
    confirm_url = reverse("marketplace:submission_transition", args=[submission.pk]) + "?to=withdrawn"

    # No state to pick, hence none preselected: one action, behind a confirmation.
    assert "Nouvel état" not in detail and "<select" not in detail
    assert f'href="{confirm_url}" data-confirm-modal="confirm-withdrawn"' in detail
    assert 'id="confirm-withdrawn" class="fr-modal"' in detail and "pour de bon" in detail

    confirmation = page(client.get(confirm_url))
    assert "Retirer la candidature ?" in confirmation and "pour de bon" in confirmation
    submission.refresh_from_db()
    assert submission.state == SubmissionState.SUBMITTED  # opening the confirmation changes nothing

    client.post(reverse("marketplace:submission_transition", args=[submission.pk]), {"to": "withdrawn"})
    submission.refresh_from_db()
    assert submission.state == SubmissionState.WITHDRAWN


def test_a_refusal_needs_its_motive_whose_label_says_so_once(client_as, company_user, position, candidate):
    submission = SubmissionFactory(candidate=candidate, position=position, sent=True)
    client = client_as(company_user)
    url = reverse("marketplace:submission_transition", args=[submission.pk])
    detail = page(client.get(reverse("marketplace:submission_detail", args=[submission.pk])))

    assert "Convoquer en entretien" in detail and "Retirer la candidature" not in detail
    assert "(obligatoire en cas de refus)" not in detail
    assert re.search(r'for="id_refused_reason" class="fr-label">\s*Motif du refus\s*</label>', detail)
    assert selected_options(detail) == ["Sélectionner un motif"]

    missing = client.post(url, {"to": "refused"})
    assert missing.status_code == 200 and "Choisissez le motif du refus dans la liste." in page(missing)
    submission.refresh_from_db()
    assert submission.state == SubmissionState.SENT_TO_COMPANY

    client.post(url, {"to": "refused", "reason": "profile_mismatch"})
    submission.refresh_from_db()
    assert (submission.state, submission.refusal_reason) == (SubmissionState.REFUSED, "profile_mismatch")


def test_a_move_not_open_to_this_organisation_changes_nothing(client_as, company_user, position, candidate):
    submission = SubmissionFactory(candidate=candidate, position=position, sent=True)

    response = client_as(company_user).post(
        reverse("marketplace:submission_transition", args=[submission.pk]), {"to": "withdrawn"}, follow=True
    )

    assert "ne peut pas faire passer cette candidature à cet état" in page(response)
    submission.refresh_from_db()
    assert submission.state == SubmissionState.SENT_TO_COMPANY


def pending_placement(position, candidate, **extra):
    submission = SubmissionFactory(candidate=candidate, position=position, state=SubmissionState.HIRED)
    return Placement.objects.create(
        submission=submission,
        position=position,
        contract_type=ContractType.CDD,
        hired_on=timezone.localdate(),
        start_date=timezone.localdate(),
        planned_end_date=timezone.localdate() + datetime.timedelta(days=180),
        weekly_hours=35,
        **extra,
    )


def test_a_placement_that_cannot_be_validated_says_why_before_the_click(client_as, facilitator, position, candidate):
    placement = pending_placement(position, candidate)
    client = client_as(facilitator)
    url = reverse("marketplace:placement_detail", args=[placement.pk])

    blocked = page(client.get(url))
    assert "Aucune vérification d&#x27;éligibilité valide" in blocked
    assert f'href="{reverse("marketplace:eligibility_check", args=[candidate.pk])}"' in blocked
    assert 'value="validate"' not in blocked

    EligibilityCheckFactory(candidate=candidate)
    ready = page(client.get(url))
    assert 'id="placement-blocker"' not in ready and 'value="validate"' in ready


def test_refusing_a_placement_is_confirmed_with_its_motive(client_as, facilitator, position, candidate):
    placement = pending_placement(position, candidate)
    client = client_as(facilitator)
    url = reverse("marketplace:placement_decide", args=[placement.pk])

    detail = page(client.get(reverse("marketplace:placement_detail", args=[placement.pk])))
    assert f'href="{url}" data-confirm-modal="confirm-refuse-placement"' in detail
    assert "Refuser la mise à l'emploi n°" in page(client.get(url))

    without_motive = client.post(url, {"decision": "refuse"})
    assert without_motive.status_code == 200 and "Ce champ est obligatoire." in page(without_motive)
    placement.refresh_from_db()
    assert placement.state == PlacementState.PENDING

    client.post(url, {"decision": "refuse", "note": "Personne non éligible à la date d'embauche."})
    placement.refresh_from_db()
    assert placement.state == PlacementState.REFUSED


def test_the_exit_form_preselects_nothing_for_a_contract_still_running(client_as, facilitator, position, candidate):
    placement = pending_placement(position, candidate, state=PlacementState.VALIDATED)
    client = client_as(facilitator)

    detail = page(client.get(reverse("marketplace:placement_detail", args=[placement.pk])))

    assert selected_options(detail) == ["Sélectionner une situation"]
    assert "Le contrat court jusqu'au" in detail
    response = client.post(reverse("marketplace:placement_outcome", args=[placement.pk]), {"outcome": ""})
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.outcome == ""
    client.post(reverse("marketplace:placement_outcome", args=[placement.pk]), {"outcome": "long_cdd"})
    placement.refresh_from_db()
    assert placement.outcome == "long_cdd"


def test_closing_a_contract_is_confirmed_first(client_as, buyer, buyer_org):
    contract = ContractFactory(buyer=buyer_org, in_progress=True)
    client = client_as(buyer)
    url = reverse("procurement:contract_transition", args=[contract.pk])

    detail = page(client.get(reverse("procurement:contract_detail", args=[contract.pk])))
    assert f'href="{url}?to=closed" data-confirm-modal="confirm-closed"' in detail
    assert 'name="to" value="closed"><button' not in detail  # no one-click closing button
    confirmation = page(client.get(url + "?to=closed"))
    assert "Clore le marché ?" in confirmation and "pour de bon" in confirmation
    contract.refresh_from_db()
    assert contract.state == ContractState.IN_PROGRESS

    client.post(url, {"to": "closed"})
    contract.refresh_from_db()
    assert contract.state == ContractState.CLOSED


def test_anonymising_is_confirmed_in_a_modal_with_no_motive_chosen(client_as, facilitator, candidate):
    client = client_as(facilitator)

    detail = page(client.get(reverse("marketplace:candidate_detail", args=[candidate.pk])))

    anonymise_url = reverse("marketplace:candidate_anonymise", args=[candidate.pk])
    assert f'href="{anonymise_url}" data-confirm-modal="confirm-anonymise"' in detail
    modal = detail[detail.index('id="confirm-anonymise"') :]
    assert "pour de bon" in modal and selected_options(modal) == ["Sélectionner un motif"]
    client.post(anonymise_url, {"reason": "", "confirm": "on"})
    assert not Candidate.objects.get(pk=candidate.pk).is_anonymised
