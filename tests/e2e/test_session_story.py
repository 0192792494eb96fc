"""An information session (*information collective*) in a real browser, one tab per role: the facilitator plans it
for two companies' positions and invites people from the submissions and from the matcher's proposals, two
prescribers answer for their people (one signs someone up, and finds the session full), the facilitator records
who came and the outcomes, the company hires the person sent to it, and the session's funnel says so.

What the session starts from is made by the services, not the pages (the whole story walks those): a contract
awarded to the company, two open positions, people in two prescribers' pools and their submissions. Every step
of the session goes through the pages.

Screenshots: ``e2e-screenshots/test_an_information_session-<nn>-<role>-<step>.png``, in the story's order."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from marketplace import services
from marketplace.models import Candidate
from reference.models import JobTitle
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.e2e.rome import real_occupation
from tests.e2e.test_story import button, expect_message, expect_state, field, follow, link, nav, pick, tick
from tests.marketplace.factories import CandidateFactory, PositionFactory
from tests.procurement.factories import AwardFactory
from tests.reference.factories import paris_arrondissement

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

JOB = "Maçon / Maçonne"
TITLE = "Recrutement maçonnerie"


@pytest.fixture
def drive(settings, buyer_org, company_org, other_company_org, prescriber, other_prescriber):
    """Masonry positions of two companies; Awa and Dina (first prescriber) and Binta (second) submitted to them;
    Chloé (second prescriber) not submitted, whom the matcher proposes; Eva (second) left to sign up too late."""
    settings.MATCHER_MODEL = "content"
    real_occupation("F1703")
    mason = JobTitle.objects.get(label=JOB)
    contract = AwardFactory(company=company_org, contract__buyer=buyer_org).contract
    positions = [
        PositionFactory(company=company_org, contract=contract, job_title=mason, commune=paris_arrondissement(19)),
        PositionFactory(company=other_company_org, job_title=mason, commune=paris_arrondissement(11)),
    ]
    first, second = (user.memberships.get().organisation for user in (prescriber, other_prescriber))
    people = {}
    for name, org in [("Awa Diallo", first), ("Dina Benali", first), ("Binta Keita", second)]:
        people[name] = person(name, org, mason)
        position = positions[1] if name == "Binta Keita" else positions[0]
        user = prescriber if org == first else other_prescriber
        services.submit_candidate(candidate=people[name], position=position, actor=user, organisation=org)
    people["Chloé Martin"] = person("Chloé Martin", second, mason)
    people["Eva Moreau"] = person("Eva Moreau", second, mason)
    return {"positions": positions, "people": people}


def person(name, prescriber_org, job_title):
    first_name, last_name = name.split()
    candidate = CandidateFactory(
        prescriber=prescriber_org,
        first_name=first_name,
        last_name=last_name,
        job_titles=[job_title],
        commune=paris_arrondissement(20),
    )
    services.prefill_skills(candidate)
    return Candidate.objects.get(pk=candidate.pk)


def open_modal(tab, trigger, title):
    """Clicks the trigger of an irreversible move once the DSFR script has started (it marks the root element: a
    click before that would follow the link to the confirmation page), and returns the modal it opens."""
    page = tab.page
    page.wait_for_selector("html[data-fr-js=true]", state="attached")
    page.get_by_role("main").get_by_role("link", name=trigger, exact=True).click()
    modal = page.get_by_role("dialog", name=title)
    expect(modal).to_be_visible()
    return modal


def row_button(tab, name):
    follow(tab.page.get_by_role("button", name=name, exact=True))


def facilitator_plans_the_session(mep, today):
    nav(mep, "Informations collectives")
    link(mep, "Programmer une information collective")
    field(mep, "Intitulé").fill(TITLE)
    tick(mep, f"{JOB} – Bâtiment Durable (test) (Paris 19e (75019))")
    tick(mep, f"{JOB} – Autre entreprise (test) (Paris 11e (75011))")
    field(mep, "Date").fill(today.isoformat())
    field(mep, "Heure de début").fill("09:30")
    field(mep, "Heure de fin").fill("11:30")
    field(mep, "Adresse").fill("32 rue des Envierges")
    pick(mep, "Arrondissement ou commune", "75020", "Paris 20e (75020)")
    field(mep, "Nombre de places").fill("3")
    mep.shot("session-saisie")
    button(mep, "Enregistrer")
    expect_message(mep, "L'information collective est enregistrée.")
    expect_state(mep, "Programmée")
    expect(mep.page.locator("#seats")).to_have_text("3 places, 0 réservée, 3 libres")


def facilitator_invites(mep):
    tick(mep, f"Awa Diallo (Mission locale (test)) – {JOB}, Bâtiment Durable (test)")
    tick(mep, f"Binta Keita (Autre prescripteur (test)) – {JOB}, Autre entreprise (test)")
    button(mep, "Inviter")
    expect_message(mep, "2 personnes invitées : leurs prescripteurs sont prévenus.")
    link(mep, "Inviter parmi les candidats proposés par le rapprochement")
    block = mep.page.get_by_role("table").filter(has=mep.page.get_by_role("row").filter(has_text="Chloé Martin"))
    row = block.first.get_by_role("row").filter(has_text="Chloé Martin")
    expect(row).to_contain_text("Autre prescripteur (test)")
    mep.shot("propositions")
    follow(row.get_by_role("button", name="Inviter"))
    expect_message(mep, "Chloé Martin est invité(e) : Autre prescripteur (test) est prévenu.")
    link(mep, "Retour à l'information collective")
    expect(mep.page.locator("#seats")).to_have_text("3 places, 3 réservées, 0 libre")
    mep.shot("invitations-envoyees")


def test_an_information_session(tab, drive, buyer, facilitator, prescriber, other_prescriber, company_user):
    today = timezone.localdate()
    tabs = {}
    for role, user, heading in [
        ("facilitateur", facilitator, "Espace facilitateur"),
        ("prescripteur", prescriber, "Espace prescripteur"),
        ("prescripteur2", other_prescriber, "Espace prescripteur"),
        ("entreprise", company_user, "Espace entreprise"),
        ("acheteur", buyer, "Espace donneur d'ordre"),
    ]:
        tabs[role] = tab(role)
        tabs[role].page.set_default_timeout(10_000)
        tabs[role].login(user.email, DEFAULT_PASSWORD)
        expect(tabs[role].page.get_by_role("heading", level=1)).to_have_text(heading)
    mep, first, second, company, buyer_tab = tabs.values()
    session_link = f"{today:%d/%m/%Y} 09:30"

    facilitator_plans_the_session(mep, today)
    facilitator_invites(mep)

    # The first prescriber confirms Awa from the session's page.
    nav(first, "Informations collectives")
    link(first, session_link)
    row_button(first, "Confirmer la venue : Awa Diallo")
    expect_message(first, "Awa Diallo : venue confirmée.")
    first.shot("venue-confirmee")

    # The second prescriber opens Binta's invitation from its notification and declines (confirmed in a modal that
    # says what follows); then confirms Chloé.
    page = second.page
    follow(page.get_by_role("banner").get_by_role("link", name=re.compile("^Notifications")))
    invitation = page.get_by_role("listitem").filter(has_text="Binta Keita")
    follow(invitation.get_by_role("link", name=re.compile("^Invitation à l'information collective")))
    modal = open_modal(second, "Décliner", "Décliner ?")
    expect(modal).to_contain_text("La personne ne viendra pas : sa place se libère")
    modal.get_by_label("Commentaire").fill("Elle a trouvé un emploi entre-temps.")
    second.shot("declin")
    follow(modal.get_by_role("button", name="Confirmer : décliner"))
    expect_message(second, "Binta Keita : déclinée.")
    expect_state(second, "Déclinée")
    link(second, "Retour à l'information collective")
    row_button(second, "Confirmer la venue : Chloé Martin")
    expect_message(second, "Chloé Martin : venue confirmée.")

    # A seat is free again: the first prescriber signs Dina up; then the session is full for Eva.
    field(first, "Personne de votre vivier").select_option(label="Dina Benali")
    field(first, "Offre").select_option(label=f"{JOB} – Bâtiment Durable (test) (Paris 19e (75019))")
    button(first, "Inscrire")
    expect_message(first, "Dina Benali est inscrit(e) à l'information collective.")
    second.page.reload()
    field(second, "Personne de votre vivier").select_option(label="Eva Moreau")
    field(second, "Offre").select_option(label=f"{JOB} – Autre entreprise (test) (Paris 11e (75011))")
    button(second, "Inscrire")
    expect(second.page.get_by_role("main")).to_contain_text(
        "Cette information collective est complète : 3 places, toutes réservées."
    )
    second.shot("session-complete")

    # On the day: who came, then the outcomes.
    mep.page.reload()
    for name in ("Présente : Awa Diallo", "Présente : Chloé Martin", "Absente : Dina Benali"):
        row_button(mep, name)
    expect_state(mep, "Tenue")
    row_button(mep, "Présélectionner : Awa Diallo")
    row_button(mep, "Transmettre à l'entreprise : Awa Diallo")
    expect_message(mep, "Awa Diallo : transmise à l'entreprise.")
    link(mep, "Chloé Martin")
    modal = open_modal(mep, "Réorienter", "Réorienter ?")
    modal.get_by_label("Réorientée vers").select_option(label="Formation")
    modal.get_by_label("Commentaire").fill("CACES R482 avec le PLIE.")
    mep.shot("reorientation")
    follow(modal.get_by_role("button", name="Confirmer : réorienter"))
    expect_message(mep, "Chloé Martin : réorientée.")
    mep.shot("reorientee")

    # The company reads the one person sent to it and hires her through her submission.
    nav(company, "Informations collectives")
    link(company, session_link)
    people = company.page.locator("#invitations")
    expect(people).to_contain_text("Awa Diallo")
    for name in ("Chloé Martin", "Dina Benali", "Binta Keita"):
        expect(people).not_to_contain_text(name)
    company.shot("personne-transmise")
    link(company, "Awa Diallo")
    follow(company.page.get_by_role("link", name=re.compile(r"^Candidature n° \d+ : transmise à l'entreprise")))
    button(company, "Convoquer en entretien")
    expect_state(company, "Entretien")
    field(company, "Date de fin prévue").fill((today + datetime.timedelta(days=182)).isoformat())
    button(company, "Embaucher")
    expect_state(company, "Embauché")

    # The funnel, as the facilitator and the buyer read it; the buyer sees no one.
    for reader in (mep, buyer_tab):
        if reader is buyer_tab:
            nav(reader, "Informations collectives")
            link(reader, session_link)
        else:
            link(reader, "Retour à l'information collective")
        funnel = reader.page.locator("#funnel tbody tr")
        expect(funnel).to_have_text(
            [
                re.compile(r"Invitées\s*4"),
                re.compile(r"Confirmées\s*3"),
                re.compile(r"Présentes\s*2"),
                re.compile(r"Présélectionnées\s*1"),
                re.compile(r"Transmises à l'entreprise\s*1"),
                re.compile(r"Embauchées\s*1"),
            ]
        )
        expect(reader.page.locator("#funnel-sides")).to_have_text(
            "Déclinées : 1 · Absentes : 1 · Non retenues : 0 · Réorientées : 1"
        )
    expect(buyer_tab.page.get_by_role("main")).not_to_contain_text("Awa Diallo")
    mep.shot("entonnoir")
    buyer_tab.shot("entonnoir")
