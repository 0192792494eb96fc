"""An information session driven end to end by the facilitator, two prescribers and a company: once through the
pages, once through the API. Only organisations, people's records, positions and submissions are made directly;
every step of the session goes through what each person uses."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from marketplace.enums import InvitationState, RefusalReason, SessionState, SubmissionState
from marketplace.models import InformationSession, SessionInvitation, Submission
from notifications.models import Notification
from tests.marketplace.factories import CandidateFactory, PositionFactory, SubmissionFactory
from tests.procurement.factories import AwardFactory
from tests.reference.factories import paris_arrondissement

pytestmark = pytest.mark.django_db

IS = InvitationState


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def drive(buyer_org, company_org, other_company_org, prescriber_org, other_prescriber_org):
    """Two companies' open positions (the first on the buyer's contract) and five people of two prescribers:
    Awa, Binta and Dina submitted by their prescribers, Chloé and Eva not yet (the matcher would propose them)."""
    contract = AwardFactory(company=company_org, contract__buyer=buyer_org).contract
    mason = PositionFactory(company=company_org, contract=contract, commune=paris_arrondissement(19))
    cleaner = PositionFactory(company=other_company_org, commune=paris_arrondissement(20))
    first, second = prescriber_org, other_prescriber_org
    people = {
        "awa": CandidateFactory(prescriber=first, first_name="Awa", last_name="Diallo"),
        "binta": CandidateFactory(prescriber=second, first_name="Binta", last_name="Keita"),
        "chloe": CandidateFactory(prescriber=second, first_name="Chloé", last_name="Martin"),
        "dina": CandidateFactory(prescriber=first, first_name="Dina", last_name="Benali"),
        "eva": CandidateFactory(prescriber=second, first_name="Eva", last_name="Moreau"),
    }
    submissions = {
        "awa": SubmissionFactory(candidate=people["awa"], position=mason),
        "binta": SubmissionFactory(candidate=people["binta"], position=cleaner),
        "dina": SubmissionFactory(candidate=people["dina"], position=mason),
        "eva": SubmissionFactory(candidate=people["eva"], position=cleaner),
    }
    return {"mason": mason, "cleaner": cleaner, "people": people, "submissions": submissions}


def invitation_of(person):
    return SessionInvitation.objects.exclude(state__in=[IS.DECLINED, IS.WITHDRAWN]).get(candidate=person)


def move(client, invitation, target, **data):
    """A form of the invitation's page (or its confirmation page)."""
    return client.post(f"/informations-collectives/invitations/{invitation.pk}/etat/", {"target": target, **data})


def quick(client, invitation, target):
    """A button of the session's page."""
    return move(client, invitation, target, next="session")


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_a_session_through_the_pages(
    drive, facilitator, prescriber, other_prescriber, company_user, other_company_user, buyer, facilitator_org
):
    people, mason, cleaner = drive["people"], drive["mason"], drive["cleaner"]
    mep, first, second = logged_in(facilitator), logged_in(prescriber), logged_in(other_prescriber)
    company, other_company = logged_in(company_user), logged_in(other_company_user)
    today = timezone.localdate()

    # The facilitator plans a session for both companies' positions, today, three seats.
    assert mep.get("/informations-collectives/nouvelle/").status_code == 200
    response = mep.post(
        "/informations-collectives/nouvelle/",
        {
            "title": "Recrutement bâtiment et propreté",
            "positions": [mason.pk, cleaner.pk],
            "day": today.isoformat(),
            "start_time": "09:30",
            "end_time": "11:30",
            "address": "32 rue des Envierges",
            "commune": paris_arrondissement(20).pk,
            "capacity": "3",
        },
    )
    session = InformationSession.objects.get()
    assert response.status_code == 302 and response.url == f"/informations-collectives/{session.pk}/"
    assert (session.state, set(session.positions.all()), session.organiser) == (
        SessionState.PLANNED,
        {mason, cleaner},
        facilitator_org,
    )
    assert Notification.objects.filter(recipient=mason.company, link=response.url).exists()
    assert Notification.objects.filter(recipient=cleaner.company, link=response.url).exists()
    url = response.url

    # It invites Awa and Binta from their submissions, and Chloé from the matcher's proposals.
    page = mep.get(url)
    assert {s.candidate for s in page.context["invite_form"].fields["submissions"].queryset} == {
        people["awa"],
        people["binta"],
        people["dina"],
        people["eva"],
    }
    submissions = drive["submissions"]
    response = mep.post(f"{url}inviter/", {"submissions": [submissions["awa"].pk, submissions["binta"].pk]})
    assert response.status_code == 302
    response = mep.post(f"{url}propositions/inviter/", {"candidate": people["chloe"].pk, "position": cleaner.pk})
    assert response.status_code == 302
    assert SessionInvitation.objects.filter(state=IS.INVITED).count() == 3
    # Each invitation goes to the person's prescriber, who answers for them; the text names no one.
    told = Notification.objects.filter(recipient=drive["people"]["binta"].prescriber, text__startswith="Invitation")
    assert told.count() == 2 and all("Binta" not in n.text for n in told)
    assert {n.details for n in told} == {"Personne invitée : Binta Keita.", "Personne invitée : Chloé Martin."}

    # Full: the first prescriber cannot sign Dina up, and nothing is written.
    response = first.post(f"{url}inscrire/", {"candidate": people["dina"].pk, "position": mason.pk})
    assert response.status_code == 200
    assert "Cette information collective est complète : 3 places, toutes réservées." in response.content.decode()
    assert not SessionInvitation.objects.filter(candidate=people["dina"]).exists()

    # The prescribers answer: Awa confirmed from the session's page; Binta declined (confirmed first) on her
    # invitation's page, which frees her seat; Chloé confirmed, which submits her to the position.
    response = quick(first, invitation_of(people["awa"]), IS.CONFIRMED)
    assert response.status_code == 302 and invitation_of(people["awa"]).state == IS.CONFIRMED
    binta = invitation_of(people["binta"])
    confirmation = second.get(f"/informations-collectives/invitations/{binta.pk}/etat/?etat=declined")
    assert "La personne ne viendra pas : sa place se libère" in confirmation.content.decode()
    binta.refresh_from_db()
    assert binta.state == IS.INVITED
    move(second, binta, IS.DECLINED, reason="Elle a trouvé un emploi.")
    binta.refresh_from_db()
    assert binta.state == IS.DECLINED
    assert Notification.objects.filter(recipient=facilitator_org, text__startswith="Invitation déclinée").exists()
    quick(second, invitation_of(people["chloe"]), IS.CONFIRMED)
    chloe = invitation_of(people["chloe"])
    assert (chloe.state, chloe.submission.candidate, chloe.submission.position) == (
        IS.CONFIRMED,
        people["chloe"],
        cleaner,
    )
    assert chloe.submission.state == SubmissionState.SUBMITTED
    # A prescriber answers for its own people only: the other's invitation is not even found.
    assert quick(second, invitation_of(people["awa"]), IS.DECLINED).status_code == 404

    # A seat is free: the first prescriber signs Dina up, confirmed at once.
    response = first.post(f"{url}inscrire/", {"candidate": people["dina"].pk, "position": mason.pk})
    assert response.status_code == 302
    assert invitation_of(people["dina"]).state == IS.CONFIRMED
    # The facilitator adds a seat and invites Eva, whom her prescriber confirms.
    form = mep.get(f"{url}modifier/").context["form"]
    data = {name: form[name].value() for name in ("title", "day", "start_time", "end_time", "address")}
    data.update(positions=[mason.pk, cleaner.pk], commune=paris_arrondissement(20).pk, capacity="4")
    assert mep.post(f"{url}modifier/", data).status_code == 302
    mep.post(f"{url}inviter/", {"submissions": [submissions["eva"].pk]})
    quick(second, invitation_of(people["eva"]), IS.CONFIRMED)

    # On the day: Awa, Chloé and Eva came, Dina did not (her prescriber is told). The session is held.
    for name in ("awa", "chloe", "eva"):
        assert quick(mep, invitation_of(people[name]), IS.PRESENT).status_code == 302
    quick(mep, invitation_of(people["dina"]), IS.ABSENT)
    session.refresh_from_db()
    assert session.state == SessionState.HELD
    assert Notification.objects.filter(recipient=people["dina"].prescriber, text__startswith="Absence").exists()

    # Outcomes: Awa preselected and sent to the company; Chloé redirected to a training; Eva not retained.
    quick(mep, invitation_of(people["awa"]), IS.PRESELECTED)
    quick(mep, invitation_of(people["awa"]), IS.SENT)
    move(mep, invitation_of(people["chloe"]), IS.REDIRECTED, redirection="training", reason="CACES")
    move(mep, invitation_of(people["eva"]), IS.NOT_RETAINED, not_retained_reason=RefusalReason.MISSING_QUALIFICATION)
    states = {name: invitation_of(person).state for name, person in people.items() if name != "binta"}
    assert states == {"awa": IS.SENT, "chloe": IS.REDIRECTED, "dina": IS.ABSENT, "eva": IS.NOT_RETAINED}
    # ... which moved their submissions along their usual workflow.
    awa, eva = submissions["awa"], submissions["eva"]
    awa.refresh_from_db(), eva.refresh_from_db()
    assert awa.state == SubmissionState.SENT_TO_COMPANY and awa.reached_company_at is not None
    assert (eva.state, eva.refusal_reason) == (SubmissionState.REFUSED, RefusalReason.MISSING_QUALIFICATION)
    assert invitation_of(people["chloe"]).submission.refusal_reason == RefusalReason.REDIRECTED
    # The prescriber is told why Eva was not retained.
    assert Notification.objects.filter(
        recipient=people["eva"].prescriber, text__contains="Qualification ou expérience insuffisante"
    ).exists()

    # The company sees the session and the one person sent to it, never the others; the other company no one.
    page = company.get(url).content.decode()
    assert "Awa Diallo" in page
    assert not any(name in page for name in ("Chloé Martin", "Dina Benali", "Eva Moreau", "Binta Keita"))
    assert company.get(f"/informations-collectives/invitations/{invitation_of(people['eva']).pk}/").status_code == 404
    page = other_company.get(url).content.decode()
    assert not any(f"{p.first_name} {p.last_name}" in page for p in people.values())

    # The company hires Awa through her submission.
    submission_url = f"/candidatures/{awa.pk}/transition/"
    company.post(submission_url, {"target": SubmissionState.INTERVIEW})
    end = (today + datetime.timedelta(days=200)).isoformat()
    assert company.post(submission_url, {"target": SubmissionState.HIRED, "planned_end_date": end}).status_code == 302

    # The session's funnel, as the facilitator and the buyer read it; the buyer sees no one.
    for client in (mep, logged_in(buyer)):
        page = client.get(url)
        session = page.context["session"]
        assert session.funnel() == [
            ("Invitées", 5),
            ("Confirmées", 4),
            ("Présentes", 3),
            ("Présélectionnées", 1),
            ("Transmises à l'entreprise", 1),
            ("Embauchées", 1),
        ]
        assert session.funnel_sides() == [("Déclinées", 1), ("Absentes", 1), ("Non retenues", 1), ("Réorientées", 1)]
    # Full names, as for the company above: a last name alone (Martin, Moreau) is also one Faker gives members.
    assert not any(f"{p.first_name} {p.last_name}" in page.content.decode() for p in people.values())
    # The first prescriber sees its own two people, never the other prescriber's.
    page = first.get(url).content.decode()
    assert "Awa Diallo" in page and "Dina Benali" in page
    assert "Chloé Martin" not in page and "Eva Moreau" not in page


def test_a_session_through_the_api(
    drive, api_as, facilitator, prescriber, other_prescriber, company_user, other_company_user, buyer
):
    people, mason, cleaner = drive["people"], drive["mason"], drive["cleaner"]
    mep, first, second = api_as(facilitator), api_as(prescriber), api_as(other_prescriber)
    company = api_as(company_user)
    starts = timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0)

    response = mep.post(
        "/api/v1/sessions/",
        {
            "title": "Recrutement bâtiment et propreté",
            "positions": [mason.pk, cleaner.pk],
            "starts_at": starts.isoformat(),
            "ends_at": (starts + datetime.timedelta(hours=2)).isoformat(),
            "is_online": True,
            "online_link": "https://visio.example.test/mep",
            "capacity": 2,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    session = response.json()
    assert session["state"] == "planned" and session["place"] == "À distance"
    assert session["companies"] == sorted([mason.company.name, cleaner.company.name])

    def invite(client, person, position):
        return client.post(
            "/api/v1/invitations/",
            {"session": session["id"], "candidate": person.pk, "position": position.pk},
            format="json",
        )

    awa = invite(mep, people["awa"], mason)
    assert awa.status_code == 201 and awa.json()["state"] == "invited"
    chloe = invite(second, people["chloe"], cleaner)  # her prescriber signs her up: confirmed at once
    assert chloe.status_code == 201 and chloe.json()["state"] == "confirmed"
    # Two seats, both held: the facilitator cannot invite a third person, and nothing is written.
    full = invite(mep, people["eva"], cleaner)
    assert full.status_code == 400
    assert full.json() == {
        "non_field_errors": [
            "Cette information collective est complète : 2 places, toutes réservées. Augmentez sa capacité ou "
            "attendez un désistement."
        ]
    }
    assert SessionInvitation.objects.count() == 2

    awa, chloe = awa.json()["id"], chloe.json()["id"]

    def transition(client, invitation, to, **data):
        return client.post(f"/api/v1/invitations/{invitation}/transition/", {"target": to, **data}, format="json")

    assert transition(first, awa, "confirmed").json()["state"] == "confirmed"
    # The attendance sheet at once, then the outcomes.
    response = mep.post(
        f"/api/v1/sessions/{session['id']}/attendance/", {"present": [awa, chloe], "absent": []}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert {row["id"]: row["state"] for row in response.json()} == {awa: "present", chloe: "present"}
    assert mep.get(f"/api/v1/sessions/{session['id']}/").json()["state"] == "held"
    assert transition(mep, awa, "preselected").status_code == 200
    # Not yet sent: the company does not read Awa.
    assert company.get(f"/api/v1/invitations/{awa}/").status_code == 404
    assert transition(mep, awa, "sent").json()["state"] == "sent"
    response = transition(mep, chloe, "redirected", redirection="other_programme", note="PLIE du 20e")
    assert response.json()["redirection"] == "other_programme"
    response = mep.post(f"/api/v1/invitations/{chloe}/redirection-outcome/", {"outcome": "training"}, format="json")
    assert response.json()["redirection_outcome"] == "training"

    # The company reads the person sent to it, without eligibility details, and hires her.
    seen = company.get(f"/api/v1/invitations/{awa}/").json()
    assert seen["candidate_details"]["last_name"] == "Diallo"
    assert "level1_criteria" not in seen["candidate_details"] and "birth_date" not in seen["candidate_details"]
    assert [i["id"] for i in company.get("/api/v1/invitations/").json()["results"]] == [awa]
    submission = Submission.objects.get(candidate=people["awa"], position=mason)
    company.post(f"/api/v1/submissions/{submission.pk}/transition/", {"target": "interview"}, format="json")
    end = (timezone.localdate() + datetime.timedelta(days=200)).isoformat()
    hired = company.post(
        f"/api/v1/submissions/{submission.pk}/transition/", {"target": "hired", "planned_end_date": end}, format="json"
    )
    assert hired.status_code == 200

    # The funnel, as the buyer reads it: counts, no one.
    expected = {
        "invited": 2,
        "confirmed": 2,
        "present": 2,
        "preselected": 1,
        "sent": 1,
        "hired": 1,
        "declined": 0,
        "absent": 0,
        "not_retained": 0,
        "redirected": 1,
    }
    assert api_as(buyer).get(f"/api/v1/sessions/{session['id']}/").json()["funnel"] == expected
    assert api_as(buyer).get("/api/v1/invitations/").json()["count"] == 0
    # Each prescriber reads its own person only.
    assert [i["id"] for i in first.get("/api/v1/invitations/").json()["results"]] == [awa]
    assert [i["id"] for i in second.get("/api/v1/invitations/").json()["results"]] == [chloe]
    assert api_as(other_company_user).get("/api/v1/invitations/").json()["count"] == 0
