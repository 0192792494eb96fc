"""The whole story of a social clause in a real browser, one tab per role, each logged in through the login
page. Only users, organisations and reference data are created in the database: every step goes through the
pages, as people would, and the next one starts from what they see (navigation, dashboards, notifications).

Screenshots: ``e2e-screenshots/test_the_whole_story-<nn>-<role>-<step>.png``, in the order of the story."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.accounts.factories import DEFAULT_PASSWORD
from tests.e2e.rome import real_occupation
from tests.procurement.factories import PDF_BYTES
from tests.reference.factories import paris_arrondissement

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CONTRACT = "2026-VDP-0042"
CONTRACT_TITLE = "Rénovation du groupe scolaire Belleville"
CLAUSE_HOURS = 833  # 1,000,000 € × 50 % × 5 % ÷ 30 €/h
JOB = "Maçon / Maçonne"
CANDIDATE = "Awa Diallo"
HOURS = 120
CONSENT = "La personne a lu le texte d'information sur le traitement de ses données (version 2026-01) et y consent"


@pytest.fixture
def world(settings):
    """ROME's masonry occupation as the shipped files give it, three Paris arrondissements; the matcher's index
    is the test's own (tests/conftest.py)."""
    settings.MATCHER_MODEL = "content"
    real_occupation("F1703")
    for arrondissement in (11, 19, 20):
        paris_arrondissement(arrondissement)


# What a person does on a page.


def follow(locator):
    """Clicks a link or a button and waits until the next page has loaded, its chart included: starting the
    next action earlier could abort a request, which the tab rightly counts as a failure."""
    page = locator.page
    page.wait_for_load_state("load")
    with page.expect_event("load"):
        locator.click()


def nav(tab, name):
    """Follows a link of the main navigation, opening the menu that holds it first."""
    navigation = tab.page.get_by_role("navigation", name="Menu principal")
    link = navigation.get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        # A collapsed menu's links are hidden, so found by their text rather than their role.
        menu = navigation.locator("li.fr-nav__item", has=tab.page.locator(f'a.fr-nav__link:text-is("{name}")'))
        menu.get_by_role("button").click()
    follow(link)


def link(tab, name):
    follow(tab.page.get_by_role("main").get_by_role("link", name=name, exact=True))


def button(tab, name):
    follow(tab.page.get_by_role("main").get_by_role("button", name=name, exact=True))


def field(tab, label):
    """The form field whose label starts with ``label`` (DSFR adds "(Optionnel)" and hints to labels)."""
    return tab.page.get_by_label(re.compile(r"^\s*" + re.escape(label)))


def tick(tab, label):
    """Ticks a DSFR checkbox by clicking its label, which draws the box."""
    tab.page.locator("label").filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")).click()
    expect(tab.page.get_by_role("checkbox", name=label, exact=True)).to_be_checked()


def pick(tab, label, typed, option, *, keyboard=False):
    """Types in a search-as-you-type field and picks ``option`` among the suggestions htmx brings: with the
    mouse, or with the keyboard when it comes first (arrow down, Enter)."""
    combobox = tab.page.get_by_role("combobox", name=label)
    combobox.fill(typed)
    options = tab.page.locator(f"#{combobox.get_attribute('id')}-listbox [role=option]")
    if keyboard:
        expect(options.first).to_have_attribute("data-label", option)
        combobox.press("ArrowDown")
        combobox.press("Enter")
    else:
        options.and_(tab.page.locator(f'[data-label="{option}"]')).click()


def expect_message(tab, text):
    expect(tab.page.locator(".fr-alert").filter(has_text=text)).to_be_visible()


def expect_state(tab, label):
    """The state badge a detail page shows first."""
    expect(tab.page.get_by_role("main").locator(".fr-badge").first).to_have_text(label)


def expect_progress(tab, *, declared, validated, rate):
    page = tab.page
    expect(page.locator("#declared-hours")).to_have_text(f"{declared} h")
    expect(page.locator("#validated-hours")).to_have_text(f"{validated} h ({rate} %)")
    name = f"Heures validées cumulées ({validated} h) comparées à l'objectif ({CLAUSE_HOURS} h)"
    chart = page.get_by_role("img", name=name, exact=True)
    assert chart.evaluate("image => image.complete && image.naturalWidth > 0")
    return chart.screenshot(caret="initial")  # not hidden: see Tab.shot


# The story, step by step.


def buyer_registers_a_contract(buyer, today):
    page = buyer.page
    nav(buyer, "Marchés")
    link(buyer, "Enregistrer un marché")
    field(buyer, "Référence").fill(CONTRACT)
    field(buyer, "Objet").fill(CONTRACT_TITLE)
    field(buyer, "Secteur").select_option(label="Bâtiment")
    field(buyer, "Montant HT (€)").fill("1000000")
    field(buyer, "Date de notification").fill((today - datetime.timedelta(days=60)).isoformat())
    field(buyer, "Date de fin").fill((today + datetime.timedelta(days=730)).isoformat())
    field(buyer, "Lieu d'exécution").select_option(label="Paris 19e (75019)")
    field(buyer, "Part de main-d'œuvre (%)").fill("50")
    field(buyer, "Taux d'insertion (%)").fill("5")
    field(buyer, "Coût horaire chargé (€)").fill("30")
    buyer.shot("marche-saisi")
    button(buyer, "Enregistrer")
    expect_message(buyer, f"Marché enregistré : {CLAUSE_HOURS} heures d'insertion.")
    expect(page.locator("#computation")).to_have_text(f"1 000 000,00 € × 50 % × 5 % ÷ 30,00 €/h = {CLAUSE_HOURS} h")
    button(buyer, "Soumettre au facilitateur")
    expect_message(buyer, "L'état du marché a changé.")
    expect_state(buyer, "Soumis au facilitateur")
    buyer.shot("marche-soumis")


def facilitator_confirms_its_hours(facilitator):
    nav(facilitator, "Marchés")
    field(facilitator, "État").select_option(label="Soumis au facilitateur")
    button(facilitator, "Filtrer")
    link(facilitator, CONTRACT)
    button(facilitator, "Confirmer les heures")
    expect_message(facilitator, "L'état du marché a changé.")
    expect_state(facilitator, "Heures confirmées")
    facilitator.shot("heures-confirmees")


def buyer_awards_it(buyer, company_siret):
    """Not a step of the brief's list, but the company may only post positions on a contract awarded to it."""
    page = buyer.page
    nav(buyer, "Marchés")
    link(buyer, CONTRACT)
    expect_state(buyer, "Heures confirmées")
    link(buyer, "Attribuer")
    holder = page.get_by_role("group", name="Entreprise 1")
    holder.get_by_label("SIRET de l'entreprise").fill(company_siret)
    holder.get_by_label("Rôle").select_option(label="Titulaire")
    holder.get_by_label("Heures à réaliser").fill(str(CLAUSE_HOURS))
    buyer.shot("attribution")
    button(buyer, "Attribuer")
    expect_message(buyer, "Le marché est attribué.")
    button(buyer, "Démarrer l'exécution")
    expect_state(buyer, "En cours d'exécution")
    expect(page.get_by_role("main")).to_contain_text(f"Bâtiment Durable (test) (Titulaire, SIRET {company_siret})")


def company_posts_a_position(company, today):
    page = company.page
    nav(company, "Mes offres")
    link(company, "Publier une offre")
    field(company, "Marché").select_option(label=f"{CONTRACT} – {CONTRACT_TITLE}")
    pick(company, "Métier (appellation ROME)", "macon", JOB, keyboard=True)
    expect(page.get_by_role("combobox", name="Métier (appellation ROME)")).to_have_value(JOB)
    pick(company, "Lieu de travail", "75019", "Paris 19e (75019)")
    expect(page.get_by_role("combobox", name="Lieu de travail")).to_have_value("Paris 19e (75019)")
    field(company, "Type de contrat").select_option(label="CDD")
    field(company, "Heures hebdomadaires").fill("35")
    field(company, "Date de début").fill(today.isoformat())
    field(company, "Nombre de postes").fill("1")
    field(company, "Description du poste").fill("Maçonnerie traditionnelle sur le chantier de l'école.")
    company.shot("offre-saisie")
    button(company, "Enregistrer")
    expect_message(company, "L'offre est enregistrée.")
    expect_state(company, "Brouillon")
    button(company, "Publier")
    expect_message(company, "L'état de l'offre est mis à jour.")
    expect_state(company, "Ouverte")
    company.shot("offre-publiee")


def prescriber_adds_a_candidate(prescriber, today):
    page = prescriber.page
    nav(prescriber, "Mon vivier")
    link(prescriber, "Ajouter un candidat")
    field(prescriber, "Prénom").fill("Awa")
    field(prescriber, "Nom").fill("Diallo")
    field(prescriber, "Date de naissance").fill("2001-05-12")
    field(prescriber, "Sexe").select_option(label="Femme")
    pick(prescriber, "Commune de résidence", "paris 20", "Paris 20e (75020)")
    field(prescriber, "E-mail").fill("awa.diallo@exemple.test")
    field(prescriber, "Situation").select_option(label="Allocataire de minima sociaux sans emploi")
    tick(prescriber, "Bénéficiaire du RSA")
    tick(prescriber, "Jeune (moins de 26 ans)")
    pick(prescriber, "Métiers recherchés", "maçon", JOB)
    chosen = page.get_by_role("group", name="Choix retenus (décochez pour retirer)").get_by_role("checkbox")
    expect(chosen).to_have_accessible_name(JOB)
    expect(chosen).to_be_checked()
    field(prescriber, "Niveau de qualification").select_option(label="Niveau 3 (CAP, BEP)")
    field(prescriber, "Niveau de français (CECRL)").select_option(label="B1")
    field(prescriber, "Distance maximale de trajet (km)").fill("10")
    field(prescriber, "Disponible à partir du").fill(today.isoformat())
    tick(prescriber, "CDD")
    tick(prescriber, CONSENT)
    prescriber.shot("candidat-saisi")
    button(prescriber, "Enregistrer et choisir ses compétences")
    expect_message(prescriber, f"La fiche de {CANDIDATE} est enregistrée : cochez ses compétences.")
    # The sought occupation's ROME skills are proposed, none ticked: the prescriber picks those Awa has.
    skills = page.get_by_role("group", name=re.compile(r"\(F1703\)$")).get_by_role("checkbox")
    expect(skills.first).not_to_be_checked()
    for number in range(3):
        tick(prescriber, page.locator(f'label[for="{skills.nth(number).get_attribute("id")}"]').inner_text())
    prescriber.shot("competences")
    button(prescriber, "Enregistrer les compétences")
    expect_message(prescriber, "3 compétences enregistrées.")
    expect(page.get_by_role("main")).to_contain_text(f"{JOB} (F1703)")


def prescriber_submits_from_the_matchers_proposals(prescriber):
    page = prescriber.page
    nav(prescriber, "Offres")
    follow(page.get_by_role("main").get_by_role("link", name=JOB))
    link(prescriber, "Candidats proposés par le rapprochement")
    row = page.get_by_role("row").filter(has_text=CANDIDATE)
    for reason in ["même métier recherché", re.compile(r"^\d+ compétences en commun$"), "habite à", "disponible"]:
        expect(row.locator(".fr-tag").filter(has_text=reason)).to_be_visible()
    expect(row).to_contain_text("Éligibilité à vérifier")
    prescriber.shot("propositions-du-rapprochement")
    follow(row.get_by_role("button", name="Positionner"))
    expect_message(prescriber, f"La candidature de {CANDIDATE} est transmise au facilitateur.")
    expect(page.get_by_role("row").filter(has_text=CANDIDATE)).to_have_count(0)
    prescriber.shot("candidature-transmise")


def facilitator_checks_eligibility_and_preselects(facilitator, valid_until):
    nav(facilitator, "Tableau de bord")
    link(facilitator, "1 candidature à présélectionner")
    link(facilitator, CANDIDATE)
    expect_state(facilitator, "Proposée")
    link(facilitator, "Fiche complète et éligibilité")
    link(facilitator, "Vérifier l'éligibilité")
    field(facilitator, "Bénéficiaire du RSA (déclaré)").select_option(label="Attestation CAF / MSA")
    facilitator.shot("verification-eligibilite")
    button(facilitator, "Enregistrer la vérification")
    expect_message(facilitator, f"{CANDIDATE} est éligible jusqu'au {valid_until:%d/%m/%Y}.")
    link(facilitator, f"{JOB} – Bâtiment Durable (test)")
    for move, state in [
        ("Présélectionner", "Présélectionnée"),
        ("Transmettre à l'entreprise", "Transmise à l'entreprise"),
    ]:
        button(facilitator, move)
        expect_message(facilitator, f"La candidature est passée à l'état « {state} ».")
        expect_state(facilitator, state)
    facilitator.shot("transmise-a-l-entreprise")


def company_hires(company, start, planned_end):
    page = company.page
    nav(company, "Candidatures")
    link(company, CANDIDATE)
    button(company, "Convoquer en entretien")
    expect_state(company, "Entretien")
    field(company, "Date de début").fill(start.isoformat())
    field(company, "Date de fin prévue").fill(planned_end.isoformat())
    company.shot("embauche")
    button(company, "Embaucher")
    expect_message(company, "La candidature est passée à l'état « Embauché ».")
    expect_state(company, "Embauché")
    expect(page.get_by_role("link", name="Mise à l'emploi : en attente de validation")).to_be_visible()


def facilitator_validates_the_placement(facilitator):
    nav(facilitator, "Mises à l'emploi")
    link(facilitator, CANDIDATE)
    expect_state(facilitator, "En attente de validation")
    button(facilitator, "Valider la mise à l'emploi")
    expect_message(facilitator, "La mise à l'emploi est validée.")
    expect_state(facilitator, "Validée")
    facilitator.shot("mise-a-l-emploi-validee")


def company_declares_a_month(company, today):
    """From the notification of the validated placement, with a payslip."""
    page = company.page
    nav(company, "Tableau de bord")
    follow(page.get_by_role("banner").get_by_role("link", name=re.compile("^Notifications")))
    follow(page.get_by_role("link", name=re.compile(r"^Mise à l'emploi n° \d+ validée : déclarez ses heures")))
    link(company, "Déclarer des heures")
    field(company, "Mois").fill(today.strftime("%Y-%m"))
    field(company, "Heures").fill(str(HOURS))
    field(company, "Type de justificatif").select_option(label="Bulletin de paie")
    field(company, "Justificatif").set_input_files(
        {"name": "bulletin.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    company.shot("declaration-des-heures")
    button(company, "Déclarer")
    expect_message(company, "Les heures sont déclarées : le facilitateur va les vérifier.")
    # The contract page's month × source table: the month's hours, waiting for the facilitator.
    grid = page.get_by_role("table", name=re.compile("^Heures par source, "))
    month = grid.get_by_role("columnheader", name=today.strftime("%m/%Y"))
    expect(month).to_be_visible()
    expect(grid.get_by_role("row").nth(1)).to_contain_text(f"{HOURS} h (à valider)")


def facilitator_validates_the_hours(facilitator):
    page = facilitator.page
    nav(facilitator, "Relevés d'heures")
    row = page.get_by_role("row").filter(has_text=CONTRACT)
    # The queue says against which limit the hours were checked.
    expect(row.get_by_role("cell").nth(6)).to_have_text(str(HOURS))
    expect(row.get_by_role("cell").nth(7)).to_contain_text("h au plus pour")
    facilitator.shot("heures-a-valider")
    follow(row.get_by_role("button", name="Valider"))
    expect_message(facilitator, f"{HOURS} h validées.")
    facilitator.shot("heures-validees")


def test_the_whole_story(settings, tab, world, buyer, company_user, prescriber, facilitator, company_org):
    today = timezone.localdate()
    tabs = {}
    for role, user, heading in [
        ("acheteur", buyer, "Espace donneur d'ordre"),
        ("facilitateur", facilitator, "Espace facilitateur"),
        ("entreprise", company_user, "Espace entreprise"),
        ("prescripteur", prescriber, "Espace prescripteur"),
    ]:
        tabs[role] = tab(role)
        tabs[role].page.set_default_timeout(10_000)
        tabs[role].login(user.email, DEFAULT_PASSWORD)
        expect(tabs[role].page.get_by_role("heading", level=1)).to_have_text(heading)
    buyer_tab, facilitator_tab, company_tab, prescriber_tab = tabs.values()

    buyer_registers_a_contract(buyer_tab, today)
    facilitator_confirms_its_hours(facilitator_tab)
    buyer_awards_it(buyer_tab, company_org.siret)
    company_posts_a_position(company_tab, today)
    prescriber_adds_a_candidate(prescriber_tab, today)
    prescriber_submits_from_the_matchers_proposals(prescriber_tab)
    valid_until = today + datetime.timedelta(days=settings.ELIGIBILITY_VALIDITY_DAYS)
    facilitator_checks_eligibility_and_preselects(facilitator_tab, valid_until)
    # Hired from the first of the month: the month's hours are within what its working days allow, whatever
    # the day the test runs.
    company_hires(company_tab, start=today.replace(day=1), planned_end=today + datetime.timedelta(days=182))
    facilitator_validates_the_placement(facilitator_tab)
    company_declares_a_month(company_tab, today)

    # The buyer follows the progress on its contract's page: hours declared, none validated yet...
    nav(buyer_tab, "Marchés")
    link(buyer_tab, CONTRACT)
    chart_before = expect_progress(buyer_tab, declared=HOURS, validated=0, rate="0")
    buyer_tab.shot("avancement-avant-validation")
    facilitator_validates_the_hours(facilitator_tab)
    # ... then moved by exactly the validated hours, in the figures, the month's table and the chart.
    buyer_tab.page.reload()
    chart_after = expect_progress(buyer_tab, declared=HOURS, validated=HOURS, rate="14,4")
    buyer_tab.page.locator("summary", has_text="Par mois").click()
    month = buyer_tab.page.get_by_role("table", name="Par mois").get_by_role("row").nth(1)
    expect(month.get_by_role("cell")).to_have_text([f"{today:%m/%Y}", str(HOURS), str(HOURS), str(HOURS)])
    assert chart_after != chart_before
    buyer_tab.shot("avancement-apres-validation")
