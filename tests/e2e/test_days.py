"""Each role's day in the browser, from the login page: its dashboard, then each main task reached from it, and
the result on screen. Every page visited is checked by ``tests.e2e.day.Day`` (axe-core with no serious or
critical violation, no sideways scroll at 390 px, no English default of Django, a screenshot); the tab fails the
test on any console error or failed request. The clicks from the dashboard to each task are counted and printed
(``pytest -s``): the figures of the report of issue 13.

The database holds each role's work as it stands in the morning (factories); everything done goes through the
pages."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from marketplace.enums import ContractType, SubmissionState
from marketplace.models import Placement
from procurement.enums import OrderKind, StatementState
from procurement.models import SiaeOrder
from tests.e2e.day import Day
from tests.marketplace.factories import CandidateFactory, EligibilityCheckFactory, PositionFactory, SubmissionFactory
from tests.procurement.factories import (
    ContractFactory,
    HoursSourceFactory,
    HoursStatementFactory,
    contract_in_progress_for,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def last_month():
    return (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def main(day):
    return day.page.get_by_role("main")


def message(day, text):
    expect(day.page.locator(".fr-alert").filter(has_text=text)).to_be_visible()


def expect_item(day, label, count):
    """The dashboard's item ``label`` shows ``count``."""
    expect(day.item_link(label).locator(".passerelle-work__count")).to_have_text(str(count))


def test_the_facilitator_empties_its_queues(tab, facilitator, buyer_org, company_org, prescriber_org):
    submitted = ContractFactory(buyer=buyer_org, submitted=True)
    contract, source = contract_in_progress_for(company_org, contract__buyer=buyer_org)
    HoursStatementFactory(source=source, month=last_month())
    position = PositionFactory(company=company_org, contract=contract)
    candidate = CandidateFactory(prescriber=prescriber_org, first_name="Awa", last_name="Diallo")
    EligibilityCheckFactory(candidate=candidate)
    Placement.objects.create(
        submission=SubmissionFactory(candidate=candidate, position=position, state=SubmissionState.HIRED),
        position=position,
        contract_type=ContractType.CDD,
        hired_on=timezone.localdate(),
        start_date=timezone.localdate(),
        weekly_hours=35,
    )
    day = Day(tab("facilitateur"))
    day.login(facilitator)
    page = day.page

    day.start("Confirmer les heures d'un marché")
    expect_item(day, "marché aux heures à confirmer", 1)
    day.click(day.item_link("marché aux heures à confirmer"), "marches-a-confirmer")
    day.click(main(day).get_by_role("link", name=submitted.reference), "marche-soumis")
    day.click(main(day).get_by_role("button", name="Confirmer les heures"), "heures-confirmees")
    message(day, "L'état du marché a changé.")
    day.done()
    day.dashboard()
    expect_item(day, "marché aux heures à confirmer", 0)

    day.start("Valider un relevé d'heures")
    day.click(day.item_link("relevé d'heures à valider"), "releves-a-valider")
    row = main(day).get_by_role("row").filter(has_text=contract.reference)
    day.click(row.get_by_role("button", name="Valider"), "releve-valide")
    message(day, "120 h validées.")
    day.done()
    day.dashboard()
    expect_item(day, "relevé d'heures à valider", 0)

    day.start("Valider une mise à l'emploi")
    day.click(day.item_link("mise à l'emploi à valider"), "mises-a-l-emploi-a-valider")
    day.click(main(day).get_by_role("link", name="Awa Diallo"), "mise-a-l-emploi")
    day.click(main(day).get_by_role("button", name="Valider la mise à l'emploi"), "mise-a-l-emploi-validee")
    message(day, "La mise à l'emploi est validée.")
    day.done()
    day.dashboard()
    expect_item(day, "mise à l'emploi à valider", 0)
    expect(page.locator(".passerelle-work")).to_be_visible()
    day.finish()


def test_the_siae_reads_its_orders_and_hours(tab, siae_user, siae_org, company_org):
    contract, _ = contract_in_progress_for(company_org)
    source = HoursSourceFactory(contract=contract, company=company_org, modality="siae_subcontracting")
    SiaeOrder.objects.create(
        contract=contract,
        company=company_org,
        siae=siae_org,
        kind=OrderKind.SUBCONTRACTING,
        amount_excl_vat=Decimal("3000"),
        starts_on=last_month(),
        ends_on=timezone.localdate(),
        hours=100,
        source=source,
    )
    HoursStatementFactory(source=source, month=last_month(), hours=60, state=StatementState.VALIDATED)
    HoursStatementFactory(source=source, month=timezone.localdate().replace(day=1), hours=40)
    day = Day(tab("SIAE"))
    day.login(siae_user)

    day.start("Lire ses commandes")
    expect_item(day, "commande reçue", 1)
    day.click(day.item_link("commande reçue"), "commandes")
    expect(main(day).get_by_role("row").filter(has_text=contract.reference)).to_contain_text("3 000 €")
    day.done()
    day.dashboard()

    day.start("Suivre ses heures")
    day.click(day.item_link("relevé d'heures en attente"), "heures-en-attente")
    expect(main(day).get_by_role("row").filter(has_text=contract.reference)).to_contain_text("40")
    day.done()
    day.finish()


def test_the_buyer_follows_its_contracts_and_registers_one(tab, buyer, buyer_org, company_org):
    contract, source = contract_in_progress_for(company_org, contract__buyer=buyer_org)
    HoursStatementFactory(source=source, month=last_month(), state=StatementState.VALIDATED)
    day = Day(tab("acheteur"))
    day.login(buyer)
    today = timezone.localdate()

    day.start("Suivre un marché")
    table = main(day).locator("#heures-par-marche")
    day.click(table.get_by_role("link", name=contract.reference), "marche-suivi")
    expect(day.page.locator("#validated-hours")).to_have_text("120 h (14,4 %)")
    grid = day.page.get_by_role("table", name="Heures par source, 12 derniers mois")
    expect(grid.get_by_role("row").filter(has_text=source.label)).to_contain_text("120 h")
    day.done()
    day.dashboard()

    day.start("Enregistrer un marché")
    day.nav("Marchés")
    day.click(main(day).get_by_role("link", name="Enregistrer un marché", exact=True), "nouveau-marche")
    day.field("Référence").fill("2026-VDP-0042")
    day.field("Objet").fill("Entretien des espaces verts du 19e")
    day.field("Secteur").select_option(label="Espaces verts")
    day.field("Montant HT (€)").fill("400000")
    day.field("Date de notification").fill(today.isoformat())
    day.field("Date de fin").fill((today + datetime.timedelta(days=365)).isoformat())
    day.field("Part de main-d'œuvre (%)").fill("50")
    day.field("Taux d'insertion (%)").fill("5")
    day.field("Coût horaire chargé (€)").fill("25")
    day.click(main(day).get_by_role("button", name="Enregistrer", exact=True), "marche-enregistre")
    message(day, "Marché enregistré : 400 heures d'insertion.")
    day.click(main(day).get_by_role("button", name="Soumettre au facilitateur"), "marche-soumis")
    message(day, "L'état du marché a changé.")
    day.done()
    day.dashboard()
    expect_item(day, "marché en cours de vérification", 1)
    day.finish()


def test_the_company_processes_a_submission_and_declares_a_month(
    tab, company_user, company_org, buyer_org, prescriber_org
):
    contract, source = contract_in_progress_for(company_org, contract__buyer=buyer_org)
    position = PositionFactory(company=company_org, contract=contract)
    candidate = CandidateFactory(prescriber=prescriber_org, first_name="Awa", last_name="Diallo")
    EligibilityCheckFactory(candidate=candidate)
    SubmissionFactory(candidate=candidate, position=position, sent=True)
    day = Day(tab("entreprise"))
    day.login(company_user)
    month = last_month()

    day.start("Traiter une candidature")
    expect_item(day, "candidature à examiner", 1)
    day.click(day.item_link("candidature à examiner"), "candidatures-a-examiner")
    day.click(main(day).get_by_role("link", name="Awa Diallo"), "candidature")
    day.click(main(day).get_by_role("button", name="Convoquer en entretien"), "entretien")
    expect(main(day).locator(".fr-badge").first).to_have_text("Entretien")
    day.done()
    day.dashboard()

    day.start("Déclarer un mois d'heures")
    day.click(day.item_link("mois d'heures à déclarer"), "mois-a-declarer")
    day.click(main(day).get_by_role("link", name=f"{contract.reference} – {source.label}"), "declaration")
    day.field("Mois").fill(month.strftime("%Y-%m"))
    day.field("Heures").fill("120")
    day.field("Type de justificatif").select_option(label="Bulletin de paie")
    day.field("Justificatif").set_input_files(
        {"name": "bulletin.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    day.click(main(day).get_by_role("button", name="Déclarer", exact=True), "heures-declarees")
    message(day, "Les heures sont déclarées : le facilitateur va les vérifier.")
    day.done()
    day.finish()


def test_the_prescriber_proposes_a_candidate_for_a_new_position(tab, prescriber, prescriber_org, company_org):
    position = PositionFactory(company=company_org, created_at=timezone.now())
    candidate = CandidateFactory(prescriber=prescriber_org, first_name="Awa", last_name="Diallo")
    EligibilityCheckFactory(candidate=candidate, valid_until=timezone.localdate() + datetime.timedelta(days=10))
    day = Day(tab("prescripteur"))
    day.login(prescriber)

    day.start("Voir les éligibilités qui expirent")
    expect_item(day, "éligibilité expire bientôt", 1)
    day.click(day.item_link("éligibilité expire bientôt"), "eligibilites-qui-expirent")
    expect(main(day).get_by_role("link", name="Diallo Awa")).to_be_visible()
    day.done()
    day.dashboard()

    day.start("Proposer un candidat sur une nouvelle offre")
    day.click(day.item_link("nouvelle offre"), "nouvelles-offres")
    day.click(main(day).get_by_role("link", name=position.job_title.label), "offre")
    day.click(main(day).get_by_role("link", name="Proposer un candidat"), "proposer")
    day.field("Candidat").select_option(label="Diallo Awa")
    day.click(main(day).get_by_role("button", name="Proposer la candidature"), "candidature-proposee")
    message(day, "La candidature est transmise au facilitateur.")
    day.done()
    day.dashboard()
    expect_item(day, "candidature proposée au facilitateur", 1)
    day.finish()
