"""Demo contracts with social clauses for the demo organisations (``demo.accounts`` runs first): contracts of
the real Paris buyers of the MEP's report, in the sectors each of them buys, awarded to companies of the trade,
with their SIAE orders and the orders' monthly hours; ``demo.marketplace`` then hires the people whose hours
make up the rest. Deterministic.

Nothing here could not have been entered by a user: each hours statement is checked, before it is written,
by the very functions the services call (``procurement.rules.check_month``), and the seed stops on the first
one that breaks a rule; ``manage.py check_integrity`` finds nothing in the result. What each contract
delivers is planned once (``plan``): closed contracts mostly met (95–125 % of their hours, a few short),
contracts in progress at the pace of their elapsed months (front-loaded, as works are), a few of them late.

Per unit of scale: 20 contracts. Bulk inserts in chunks, so that ``scale=100`` (2,000 contracts) takes minutes.
"""

import dataclasses
import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.utils import timezone

from accounts.enums import OrganisationKind as Kind
from accounts.enums import SiaeKind
from accounts.models import User
from common.db import chunked, keys_of, raw_delete_by_keys
from demo import accounts as accounts_demo
from procurement import rules
from procurement.enums import AwardRole, ContractState, Modality, OrderKind, Sector, StatementState
from procurement.models import (
    Award,
    ClauseSettings,
    Contract,
    ContractForecast,
    ContractTransition,
    HoursSource,
    HoursStatement,
    SectorDefaults,
    SiaeOrder,
    SiaeProfile,
    StatementTransition,
    ValidatedHours,
)
from procurement.rules import add_months, first_of_month
from procurement.services import clause_hours_from, order_modality
from procurement.workflows import CONTRACT
from reference.models import Commune

SEED = 2026
CONTRACTS_PER_SCALE = 20
CHUNK = 20_000
S = Sector
# What each buyer buys: (object, sector, CPV, amount range in k€, durations in months). Big works (the T3
# tramway, hospital and housing programmes, ZAC) carry most of the hours, as in the MEP's portfolio.
CONTRACTS_BY_BUYER = {
    "ville-de-paris": [
        ("Rénovation du groupe scolaire {street}", S.BUILDING, "45214200", (800, 6000), (18, 24, 36)),
        (
            "Nettoyage des bâtiments municipaux du {arr} arrondissement",
            S.CLEANING,
            "90910000",
            (300, 2500),
            (24, 36, 48),
        ),
        ("Entretien des espaces verts du {park}", S.GREEN_SPACES, "77310000", (200, 1800), (24, 36, 48)),
        ("Collecte des encombrants du {arr} arrondissement", S.WASTE, "90510000", (800, 5000), (36, 48)),
        ("Réfection de la voirie {street}", S.PUBLIC_WORKS, "45233140", (600, 5000), (12, 18, 24)),
        (
            "Tramway T3 – prolongement, lot {lot} : génie civil et plateforme",
            S.PUBLIC_WORKS,
            "45234121",
            (20000, 90000),
            (36, 48),
        ),
        (
            "Accueil des usagers des mairies d'arrondissement – lot {lot}",
            S.RECEPTION,
            "79992000",
            (200, 1200),
            (24, 36),
        ),
        (
            "Déménagement des services de la direction des affaires scolaires",
            S.REMOVALS,
            "98392000",
            (100, 800),
            (12, 24),
        ),
        ("Restauration scolaire de la caisse des écoles du {arr}", S.CATERING, "55524000", (2000, 12000), (36, 48)),
    ],
    "aphp": [
        ("Restauration des patients de l'hôpital {hospital}", S.CATERING, "55320000", (2000, 12000), (36, 48)),
        ("Bionettoyage des locaux de l'hôpital {hospital}", S.CLEANING, "90911200", (1500, 9000), (36, 48)),
        ("Blanchisserie des sites de l'AP-HP – lot {lot}", S.TEXTILE, "98311000", (1000, 8000), (36, 48)),
        (
            "Restructuration du bâtiment {letter} de l'hôpital {hospital}",
            S.BUILDING,
            "45215140",
            (8000, 60000),
            (36, 48, 60),
        ),
        ("Transport de linge et de repas entre les sites de l'AP-HP", S.LOGISTICS, "60100000", (800, 5000), (24, 36)),
        ("Sécurité incendie et gardiennage de l'hôpital {hospital}", S.SECURITY, "79713000", (600, 4000), (24, 36)),
    ],
    "paris-habitat": [
        ("Réhabilitation thermique de {n} logements, {street}", S.BUILDING, "45453000", (3000, 25000), (24, 36)),
        ("Entretien des parties communes des résidences du {arr}", S.CLEANING, "90919200", (500, 4000), (36, 48)),
        (
            "Maintenance multitechnique des résidences du {arr}",
            S.FACILITY_MAINTENANCE,
            "50700000",
            (800, 6000),
            (36, 48),
        ),
        ("Entretien des espaces verts des résidences du {arr}", S.GREEN_SPACES, "77310000", (200, 1500), (24, 36)),
    ],
    "region-idf": [
        ("Rénovation du lycée {lycee}", S.BUILDING, "45214220", (3000, 30000), (24, 36)),
        ("Restauration des lycées parisiens – lot {lot}", S.CATERING, "55524000", (2000, 9000), (36, 48)),
        ("Nettoyage des lycées du {arr} arrondissement", S.CLEANING, "90910000", (400, 3000), (36, 48)),
        ("Formation des agents des lycées aux métiers de l'entretien", S.TRAINING, "80500000", (100, 600), (12, 24)),
    ],
    "semavip": [
        (
            "Aménagement de la ZAC Paris Nord-Est – lot {lot} : voirie et réseaux",
            S.PUBLIC_WORKS,
            "45233120",
            (5000, 40000),
            (36, 48),
        ),
        ("ZAC Claude Bernard : construction de {n} logements", S.BUILDING, "45211340", (8000, 45000), (36, 48)),
        ("Aménagement des espaces verts de la ZAC Pajol", S.GREEN_SPACES, "45112710", (500, 3000), (12, 24)),
    ],
    "bnf": [
        (
            "Maintenance multitechnique du site François-Mitterrand",
            S.FACILITY_MAINTENANCE,
            "50700000",
            (1500, 8000),
            (36, 48),
        ),
        ("Accueil et orientation des lecteurs du site Richelieu", S.RECEPTION, "79992000", (300, 1500), (24, 36)),
        (
            "Transfert des collections vers le centre de conservation – lot {lot}",
            S.REMOVALS,
            "98392000",
            (300, 2500),
            (12, 24),
        ),
        ("Nettoyage des sites parisiens de la BnF", S.CLEANING, "90910000", (800, 4000), (36, 48)),
    ],
    "louvre": [
        ("Surveillance et gardiennage des salles – lot {lot}", S.SECURITY, "79713000", (1500, 9000), (36, 48)),
        ("Accueil des visiteurs sous la pyramide", S.RECEPTION, "79992000", (500, 3000), (24, 36)),
        ("Nettoyage des espaces muséographiques", S.CLEANING, "90910000", (800, 5000), (36, 48)),
        ("Restauration des façades de la cour Carrée – lot {lot}", S.BUILDING, "45454100", (3000, 20000), (24, 36)),
    ],
    "minefi": [
        ("Tri et distribution du courrier du site de Bercy", S.MAIL, "64110000", (300, 1500), (24, 36, 48)),
        ("Restauration administrative du site de Bercy", S.CATERING, "55510000", (1500, 8000), (36, 48)),
        ("Nettoyage des bâtiments du site de Bercy", S.CLEANING, "90910000", (1000, 6000), (36, 48)),
        ("Impression des formulaires fiscaux – lot {lot}", S.PRINTING, "79810000", (300, 2000), (12, 24)),
    ],
    "justice": [
        ("Maintenance du tribunal judiciaire de Paris", S.FACILITY_MAINTENANCE, "50700000", (1500, 9000), (36, 48)),
        ("Restauration de la maison d'arrêt de la Santé", S.CATERING, "55520000", (1000, 6000), (36, 48)),
        ("Nettoyage du tribunal judiciaire de Paris", S.CLEANING, "90910000", (800, 5000), (36, 48)),
    ],
    "interieur": [
        ("Accueil du public de la préfecture de police", S.RECEPTION, "79992000", (400, 2500), (24, 36)),
        ("Gardiennage des sites de la préfecture de police – lot {lot}", S.SECURITY, "79713000", (800, 5000), (36, 48)),
        ("Nettoyage des commissariats du {arr} arrondissement", S.CLEANING, "90910000", (300, 2000), (36, 48)),
    ],
    "defense": [
        ("Maintenance multitechnique du site de Balard", S.FACILITY_MAINTENANCE, "50700000", (3000, 15000), (36, 48)),
        ("Restauration du site de Balard", S.CATERING, "55510000", (2000, 9000), (36, 48)),
    ],
    "premier-ministre": [
        ("Tri et acheminement du courrier des services du Premier ministre", S.MAIL, "64110000", (200, 1000), (24, 36)),
        ("Impression et façonnage des documents officiels", S.PRINTING, "79810000", (200, 1500), (24, 36)),
        ("Déménagement des services de la rue de Ségur", S.REMOVALS, "98392000", (200, 1200), (12, 18)),
    ],
    "sante": [
        ("Nettoyage des locaux du site Duquesne", S.CLEANING, "90910000", (300, 2000), (36, 48)),
        ("Accueil du public du site Duquesne", S.RECEPTION, "79992000", (200, 1000), (24, 36)),
    ],
    "agriculture": [
        ("Maintenance des bâtiments de la rue de Varenne", S.FACILITY_MAINTENANCE, "50700000", (500, 3000), (36, 48)),
        ("Restauration administrative de la rue de Varenne", S.CATERING, "55510000", (500, 3000), (36, 48)),
    ],
    "affaires-etrangeres": [
        ("Tri du courrier et de la valise diplomatique", S.MAIL, "64110000", (300, 1500), (24, 36)),
        ("Déménagement des services du Quai d'Orsay – lot {lot}", S.REMOVALS, "98392000", (300, 2000), (12, 24)),
    ],
}
# Share of the contracts each buyer registers (the Ville de Paris first, as in the MEP's report).
BUYER_WEIGHTS = {
    "ville-de-paris": 30,
    "aphp": 14,
    "paris-habitat": 12,
    "region-idf": 8,
    "semavip": 5,
    "bnf": 4,
    "louvre": 4,
    "minefi": 4,
    "justice": 3,
    "interieur": 3,
    "defense": 3,
    "premier-ministre": 2,
    "sante": 3,
    "agriculture": 2,
    "affaires-etrangeres": 3,
}
PARKS = ["bois de Vincennes", "parc des Buttes-Chaumont", "parc Montsouris", "parc de Bercy", "parc de la Villette"]
HOSPITALS = ["Saint-Louis", "Lariboisière", "Bichat", "Pitié-Salpêtrière", "Robert-Debré", "Tenon", "Cochin"]
LYCEES = ["Hélène-Boucher", "Jacques-Decour", "Diderot", "Maximilien-Vox", "Raspail", "Lucas-de-Nehou"]
# Who delivers what share of a contract's hours, among the modalities it allows (training has no source:
# no way in creates one).
MODALITY_WEIGHTS = {
    Modality.DIRECT_HIRE: 60,
    Modality.ETTI: 12,
    Modality.AI_GEIQ: 10,
    Modality.SIAE_SUBCONTRACTING: 18,
}
# How often a contract allows each modality besides direct hire (allowed by 95 % of them).
OPTIONAL_MODALITIES = (
    (Modality.ETTI, 0.6),
    (Modality.AI_GEIQ, 0.45),
    (Modality.SIAE_SUBCONTRACTING, 0.55),
    (Modality.TRAINING, 0.2),
)
# Of the ETTI hours, the share of temporary placements (the rest: staff provision orders to an ETTI).
TEMPORARY_SHARE = Decimal("0.4")
ORDER_SIAE_KINDS = {
    Modality.ETTI: (OrderKind.STAFF_PROVISION, (SiaeKind.ETTI, SiaeKind.EITI)),
    Modality.AI_GEIQ: (OrderKind.STAFF_PROVISION, (SiaeKind.AI, SiaeKind.GEIQ)),
    Modality.SIAE_SUBCONTRACTING: (OrderKind.SUBCONTRACTING, (SiaeKind.EI, SiaeKind.ACI, SiaeKind.EA)),
}
HALF = Decimal("0.5")


def to_half_hour(value):
    """Hours as a payslip shows them: down to the half hour."""
    return (Decimal(value) / HALF).to_integral_value(rounding=ROUND_DOWN) * HALF


def previous_month(today):
    return add_months(first_of_month(today), -1)


# ---- What each contract delivers ---------------------------------------------------------------------------


@dataclass
class Plan:
    """The hours one contract delivers by the day of the seed: ``months`` with hours, the ``ratio`` of the
    clause hours they add up to, what placements bring (``placement_hours``, of which ``temporary_hours`` in
    temporary work through an ETTI) and what each kind of SIAE order brings (``order_hours``)."""

    months: list
    ratio: float
    placement_hours: Decimal = Decimal(0)
    temporary_hours: Decimal = Decimal(0)
    order_hours: dict = field(default_factory=dict)


def hours_months(contract, today):
    """Months in which the contract has had hours, from its start to its end or last month."""
    start = contract.hours_start
    if start is None or contract.state not in (*rules.EXECUTION_STATES, ContractState.CLOSED):
        return []
    last = previous_month(today)
    if contract.ends_on:
        last = min(last, first_of_month(contract.ends_on))
    months, month = [], first_of_month(start)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def plan(contract, today):
    """Deterministic for a contract (its reference seeds it): both demo modules read the same plan."""
    rng = random.Random(f"{SEED}:{contract.reference}:{contract.lot}")
    months = hours_months(contract, today)
    if not months:
        return Plan(months=[], ratio=0.0)
    if contract.state == ContractState.CLOSED:
        ratio = rng.uniform(0.97, 1.25) if rng.random() < 0.85 else rng.uniform(0.62, 0.95)
    else:
        total = max(1, total_months(contract))
        elapsed = min(1.0, len(months) / total)
        pace = rng.uniform(0.85, 1.3) if rng.random() < 0.88 else rng.uniform(0.35, 0.6)  # a few late ones
        # Front-loaded: works deliver most of their insertion hours in their first phases.
        ratio = pace * elapsed**0.6
    target = Decimal(contract.clause_hours) * Decimal(str(round(ratio, 4)))
    allowed = [m for m in MODALITY_WEIGHTS if not contract.allowed_modalities or m in contract.allowed_modalities]
    weights = {m: MODALITY_WEIGHTS[m] for m in allowed}
    total_weight = sum(weights.values()) or 1
    result = Plan(months=months, ratio=ratio)
    for modality, weight in weights.items():
        hours = target * weight / total_weight
        if modality == Modality.DIRECT_HIRE:
            result.placement_hours += hours
        elif modality == Modality.ETTI and Modality.DIRECT_HIRE in weights:
            result.temporary_hours = hours * TEMPORARY_SHARE
            result.placement_hours += result.temporary_hours
            result.order_hours[modality] = hours - result.temporary_hours
        else:
            result.order_hours[modality] = hours
    return result


def total_months(contract):
    """Months from the contract's start to its end, both included."""
    start, end = contract.hours_start, contract.ends_on
    if start is None or end is None:
        return 0
    return (end.year - start.year) * 12 + end.month - start.month + 1


# ---- Statements, checked by the services' own rules ----------------------------------------------------------


class Ledger:
    """Writes hours statements in chunks after checking each with ``procurement.rules.check_month``, and keeps
    the validated totals that reports read (as ``services.add_validated_hours`` does)."""

    def __init__(self, *, today, now, facilitator, facilitator_org, rng):
        self.today, self.now, self.facilitator, self.rng = today, now, facilitator, rng
        self.facilitator_org = facilitator_org
        self.tolerance = ClauseSettings.current().overtime_tolerance_percent
        self.pending_from = previous_month(today)
        self.rows, self.written = [], 0
        self.totals = defaultdict(Decimal)

    def _at(self, day, *, days):
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
        return moment + datetime.timedelta(days=days, hours=self.rng.randint(0, 7))

    def add(self, *, source, contract, bounds, monthly_hours, declared_by_id=None):
        """The statements of ``source`` for each ``(month, hours)``: validated, the last month possibly still
        waiting for the facilitator, now and then one refused then declared again."""
        source_total = Decimal(0)
        if bounds.contract_state == ContractState.CLOSED:
            # Declared and decided while the contract ran: closing came after (``_seed_transitions``).
            bounds = dataclasses.replace(bounds, contract_state=ContractState.IN_PROGRESS)
        for month, hours in monthly_hours:
            source_total += hours
            checked = rules.check_month(
                bounds,
                month,
                month_total=hours,
                source_total=source_total,
                today=self.today,
                tolerance_percent=self.tolerance,
            )
            if checked.errors:
                raise RuntimeError(f"Le jeu de démonstration enfreint une règle ({source.label}) : {checked.errors}")
            declared_at = min(self._at(rules.last_of_month(month), days=self.rng.randint(2, 9)), self.now)
            decided_at = declared_at + datetime.timedelta(days=self.rng.randint(2, 12))
            waiting = contract.state != ContractState.CLOSED and (
                decided_at >= self.now or (month >= self.pending_from and self.rng.random() < 0.6)
            )
            common = {
                "source": source,
                "month": month,
                "hours": hours,
                "modality": source.modality,
                "proof_kind": "invoice" if bounds.planned_hours is not None else "payslip",
                "limit_note": checked.limit,
                "warning": checked.warning,
                "declared_by_id": declared_by_id,
            }
            if not waiting and self.rng.random() < 0.02:
                refused_at = declared_at + datetime.timedelta(days=2)
                self.rows.append(
                    HoursStatement(
                        **common,
                        state=StatementState.REJECTED,
                        reason="Justificatif illisible : déclarez à nouveau avec un document lisible.",
                        declared_at=declared_at,
                        decided_by=self.facilitator,
                        decided_at=refused_at,
                    )
                )
                declared_at, decided_at = (
                    refused_at + datetime.timedelta(days=1),
                    refused_at + datetime.timedelta(days=4),
                )
            self.rows.append(
                HoursStatement(
                    **common,
                    state=StatementState.DECLARED if waiting else StatementState.VALIDATED,
                    declared_at=declared_at,
                    decided_by=None if waiting else self.facilitator,
                    decided_at=None if waiting else min(decided_at, self.now),
                )
            )
            if not waiting:
                self.totals[(contract.pk, source.company_id, source.modality, month)] += hours
            if len(self.rows) >= CHUNK:
                self.flush()

    def flush(self):
        HoursStatement.objects.bulk_create(self.rows, batch_size=5000)
        self._logs(self.rows)
        self.written += len(self.rows)
        self.rows = []

    def _logs(self, statements):
        """Each statement's history: declared by its company, then validated or rejected by the facilitator."""
        logs = []
        for statement in statements:
            logs.append(
                StatementTransition(
                    statement=statement,
                    from_state="",
                    to_state=StatementState.DECLARED,
                    actor_id=statement.declared_by_id or self.facilitator.pk,
                    organisation_id=statement.source.company_id,
                    at=statement.declared_at,
                )
            )
            if statement.state != StatementState.DECLARED:
                logs.append(
                    StatementTransition(
                        statement=statement,
                        from_state=StatementState.DECLARED,
                        to_state=statement.state,
                        actor=self.facilitator,
                        organisation=self.facilitator_org,
                        at=statement.decided_at,
                        reason=statement.reason,
                    )
                )
        StatementTransition.objects.bulk_create(logs, batch_size=5000)

    def close(self):
        """Writes what is left and the validated totals, added to those already written (the procurement demo
        writes the orders', the marketplace demo the placements')."""
        self.flush()
        keys = list(self.totals)
        existing = {}
        for chunk in chunked(sorted({k[0] for k in keys})):
            for total in ValidatedHours.objects.filter(contract_id__in=chunk):
                existing[(total.contract_id, total.company_id, total.modality, total.month)] = total
        updated, created = [], []
        for key, hours in self.totals.items():
            if key in existing:
                existing[key].hours += hours
                updated.append(existing[key])
            else:
                contract_id, company_id, modality, month = key
                created.append(
                    ValidatedHours(
                        contract_id=contract_id, company_id=company_id, modality=modality, month=month, hours=hours
                    )
                )
        ValidatedHours.objects.bulk_update(updated, ["hours"], batch_size=5000)
        ValidatedHours.objects.bulk_create(created, batch_size=5000)
        return self.written


# ---- Seeding -----------------------------------------------------------------------------------------------


def reset():
    """Deletes the demo's procurement data, by keys collected first (``common.db``): on PostgreSQL the
    one-statement DELETE through three nested subqueries it replaces once ran 27 minutes on tables filled
    moments before. Statements go without Django's collector, which would load a million rows to follow
    their links. EXPLAIN ANALYZE at scale 100 (2,000 contracts, 58,702 sources, 984,600 statements): each
    chunk of 5,000 sources is an Index Scan on the statements' source_id index deleting ~95,000 rows in
    0.22 s; the whole reset takes 4.2 s."""
    organisation_ids = keys_of(accounts_demo.organisations())
    contract_ids = keys_of(Contract.objects.filter(buyer_id__in=organisation_ids))
    source_ids = [
        pk for chunk in chunked(contract_ids) for pk in keys_of(HoursSource.objects.filter(contract_id__in=chunk))
    ]
    raw_delete_by_keys(ValidatedHours, "contract_id", contract_ids)
    # Corrections first: they point to the statement they adjust.
    adjusting = [
        pk
        for chunk in chunked(source_ids)
        for pk in keys_of(HoursStatement.objects.filter(source_id__in=chunk, adjusts__isnull=False))
    ]
    for chunk in chunked(source_ids):
        raw_delete_by_keys(
            StatementTransition, "statement_id", keys_of(HoursStatement.objects.filter(source_id__in=chunk))
        )
    raw_delete_by_keys(HoursStatement, "pk", adjusting)
    raw_delete_by_keys(HoursStatement, "source_id", source_ids)
    SiaeOrder.objects.filter(contract_id__in=contract_ids).delete()
    raw_delete_by_keys(HoursSource, "pk", source_ids)
    raw_delete_by_keys(ContractTransition, "contract_id", contract_ids)
    # What the monthly shortfall check wrote, once the worker has run it on the demo.
    raw_delete_by_keys(ContractForecast, "contract_id", contract_ids)
    raw_delete_by_keys(Award, "contract_id", contract_ids)
    raw_delete_by_keys(Contract, "pk", contract_ids)
    SiaeProfile.objects.filter(organisation_id__in=organisation_ids).delete()


def first_member_of(organisations):
    """The first member of each organisation (who acts for it in the demo's history)."""
    members = {}
    for organisation_id, user in (
        User.objects.filter(memberships__organisation__in=organisations)
        .order_by("pk")
        .values_list("memberships__organisation_id", "pk")
    ):
        members.setdefault(organisation_id, user)
    return members


def seed(*, scale, rng, faker):
    organisations = list(accounts_demo.organisations().order_by("pk"))
    by_kind = defaultdict(list)
    for organisation in organisations:
        by_kind[organisation.kind].append(organisation)
    if not (by_kind[Kind.BUYER] and by_kind[Kind.COMPANY] and by_kind[Kind.FACILITATOR]):
        return {"marchés": 0}
    facilitator_org = by_kind[Kind.FACILITATOR][0]
    facilitator = User.objects.filter(memberships__organisation=facilitator_org).order_by("pk").first()
    today = timezone.localdate()
    now = timezone.now()
    profiles = _seed_profiles(by_kind[Kind.SIAE], rng, faker)
    contracts, awards_by_contract = _seed_contracts(scale, by_kind, rng, faker, today)
    _seed_transitions(contracts, facilitator, facilitator_org, today, now)
    siae_by_kind = defaultdict(list)
    for siae in by_kind[Kind.SIAE]:
        siae_by_kind[siae.siae_kind].append(siae)
    members = first_member_of(by_kind[Kind.COMPANY])
    ledger = Ledger(today=today, now=now, facilitator=facilitator, facilitator_org=facilitator_org, rng=rng)
    siae_cost = ClauseSettings.current().siae_hourly_cost
    orders = []
    for contract in contracts:
        contract_plan = plan(contract, today)
        for modality, hours in sorted(contract_plan.order_hours.items()):
            kind, siae_kinds = ORDER_SIAE_KINDS[modality]
            siaes = [s for k in siae_kinds for s in siae_by_kind[k] if order_modality(kind, s) == modality]
            if siaes and hours >= 20:
                orders += _orders(contract, contract_plan.months, hours, kind, siaes, awards_by_contract, rng)
    sources = HoursSource.objects.bulk_create([source for source, _, _ in orders], batch_size=5000)
    SiaeOrder.objects.bulk_create(
        [
            SiaeOrder(
                contract=source.contract,
                company=source.company,
                siae=siae,
                kind=kind,
                amount_excl_vat=(Decimal(source.planned_hours) * siae_cost).quantize(Decimal("0.01")),
                starts_on=source.starts_on,
                ends_on=source.ends_on,
                hours=source.planned_hours,
                source=source,
                created_by_id=members.get(source.company_id),
                created_at=_moment(source.starts_on, -rng.randint(5, 20)),
            )
            for source, (_, (_, siae, kind), _) in zip(sources, orders, strict=True)
        ],
        batch_size=5000,
    )
    for source, _, monthly_hours in orders:
        ledger.add(
            source=source,
            contract=source.contract,
            bounds=rules.Bounds.of(source, source.contract),
            monthly_hours=monthly_hours,
            declared_by_id=members.get(source.company_id),
        )
    written = ledger.close()
    return {
        "marchés": len(contracts),
        "fiches SIAE": profiles,
        "commandes à des SIAE": len(orders),
        "relevés d'heures des commandes": written,
    }


def _moment(day, days):
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=days), datetime.time(10)))


def _orders(contract, months, hours, kind, siaes, awards_by_contract, rng):
    """SIAE orders of 3 to 12 months within the contract's months until they bring ``hours``: each with its
    source (period and planned hours) and its monthly hours. A third are planned a little short of what they
    bring, as happens: the facilitator sees a warning, not a refusal."""
    result, remaining, guard = [], Decimal(hours), 0
    while remaining >= 20 and guard < 200:
        guard += 1
        length = min(len(months), rng.randint(3, 12))
        first = rng.randrange(0, len(months) - length + 1)
        period = months[first : first + length]
        monthly = Decimal(rng.randint(60, 350))
        if monthly * length > remaining:
            length = max(1, min(length, int(remaining // monthly) or 1))
            period = period[:length]
            monthly = min(monthly, to_half_hour(remaining / length))
        monthly_hours = [(month, to_half_hour(monthly * Decimal(str(rng.uniform(0.85, 1.1))))) for month in period]
        monthly_hours = [(m, h) for m, h in monthly_hours if h > 0]
        if not monthly_hours:
            break
        total = sum(h for _, h in monthly_hours)
        planned = int(total * Decimal(str(rng.uniform(0.92, 1.15))))
        company = rng.choice(awards_by_contract[contract.pk])
        siae = rng.choice(siaes)
        source = HoursSource(
            contract=contract,
            company=company,
            modality=order_modality(kind, siae),
            label=f"{OrderKind(kind).label} – {siae.name}",
            starts_on=period[0],
            ends_on=rules.last_of_month(period[-1]),
            planned_hours=max(1, planned),
            created_at=_moment(period[0], -rng.randint(5, 20)),
        )
        result.append((source, (company, siae, kind), monthly_hours))
        remaining -= total
    return result


def _seed_profiles(siaes, rng, faker):
    sectors = list(SectorDefaults.objects.order_by("sector"))
    arrondissements = list(Commune.objects.paris_arrondissements())
    profiles = SiaeProfile.objects.bulk_create(
        SiaeProfile(
            organisation=siae,
            description=f"{siae.get_siae_kind_display()} implantée à Paris depuis {rng.randint(1985, 2020)}.",
            contact_name=faker.name(),
            contact_email=siae.email,
            contact_phone=siae.phone,
        )
        for siae in siaes
    )
    sector_links, commune_links = [], []
    for profile in profiles:
        sector_links += [
            SiaeProfile.sectors.through(siaeprofile_id=profile.pk, sectordefaults_id=s.pk)
            for s in rng.sample(sectors, 2)
        ]
        commune_links += [
            SiaeProfile.communes.through(siaeprofile_id=profile.pk, commune_id=c.pk)
            for c in rng.sample(arrondissements, min(3, len(arrondissements)))
        ]
    SiaeProfile.sectors.through.objects.bulk_create(sector_links)
    SiaeProfile.communes.through.objects.bulk_create(commune_links)
    return len(profiles)


def _dates_and_state(rng, today, durations):
    """Notification, end and state: registered ones still before award (a few), awarded ones about to start,
    contracts in execution, and closed ones (their end plus the time to close them past)."""
    months = rng.choice(durations)
    if rng.random() < 0.06:
        notified_on = today + datetime.timedelta(days=rng.randint(15, 120))
        state = rng.choice([ContractState.DRAFT, ContractState.SUBMITTED, ContractState.CONFIRMED])
    else:
        notified_on = today - datetime.timedelta(days=rng.randint(20, 5 * 365))
        state = None
    ends_on = add_months(notified_on, months) - datetime.timedelta(days=1)
    if state is None:
        if (today - notified_on).days < 45:
            state = ContractState.AWARDED
        elif ends_on + datetime.timedelta(days=60) < today:
            state = ContractState.CLOSED if rng.random() < 0.92 else ContractState.IN_PROGRESS
        elif ends_on < today:
            state = ContractState.IN_PROGRESS  # ended, not closed yet
        else:
            state = ContractState.IN_PROGRESS if rng.random() < 0.96 else ContractState.AWARDED
    return notified_on, ends_on, state


def _seed_contracts(scale, by_kind, rng, faker, today):
    defaults = {d.sector: d for d in SectorDefaults.objects.all()}
    arrondissements = list(Commune.objects.paris_arrondissements())
    buyers = {accounts_demo.key_of(buyer): buyer for buyer in by_kind[Kind.BUYER]}
    keys = [key for key in BUYER_WEIGHTS if key in buyers] or sorted(buyers)
    weights = [BUYER_WEIGHTS.get(key, 1) for key in keys]
    companies_by_sector = defaultdict(list)
    for company in by_kind[Kind.COMPANY]:
        for sector in accounts_demo.trade_of(company):
            companies_by_sector[sector].append(company)
    contracts = []
    for n in range(scale * CONTRACTS_PER_SCALE):
        key = rng.choices(keys, weights)[0]
        pattern, sector, cpv, (low, high), durations = rng.choice(
            CONTRACTS_BY_BUYER.get(key, CONTRACTS_BY_BUYER["ville-de-paris"])
        )
        commune = rng.choice(arrondissements) if arrondissements else None
        title = pattern.format(
            street=faker.street_name(),
            arr=f"{int(commune.code_insee[-2:])}e" if commune else "11e",
            park=rng.choice(PARKS),
            hospital=rng.choice(HOSPITALS),
            lycee=rng.choice(LYCEES),
            letter=rng.choice("ABCDEFG"),
            n=rng.randrange(40, 400, 10),
            lot=rng.randint(1, 6),
        )
        notified_on, ends_on, state = _dates_and_state(rng, today, durations)
        amount = Decimal(rng.randint(low, high) * 1000)
        values = defaults[sector]
        allowed = {modality for modality, share in OPTIONAL_MODALITIES if rng.random() < share}
        if rng.random() < 0.95:
            allowed.add(Modality.DIRECT_HIRE)
        elif not allowed - {Modality.TRAINING}:
            allowed.add(Modality.SIAE_SUBCONTRACTING)
        started = state in (ContractState.IN_PROGRESS, ContractState.CLOSED)
        contracts.append(
            Contract(
                buyer=buyers[key],
                reference=f"{notified_on.year}-DEMO-{n + 1:05d}",
                title=title,
                sector=sector,
                cpv_code=cpv,
                amount_excl_vat=amount,
                notified_on=notified_on,
                execution_started_on=notified_on + datetime.timedelta(days=rng.randint(3, 20)) if started else None,
                ends_on=ends_on,
                place_of_execution=commune,
                labour_share=values.labour_share,
                insertion_rate=values.insertion_rate,
                hourly_cost=values.hourly_cost,
                clause_hours=clause_hours_from(
                    amount=amount,
                    labour_share=values.labour_share,
                    insertion_rate=values.insertion_rate,
                    hourly_cost=values.hourly_cost,
                ),
                allowed_modalities=sorted(allowed),
                penalty_per_missing_hour=Decimal(rng.choice([15, 20, 30])),
                state=state,
                created_at=_moment(notified_on, -rng.randint(70, 120)),
            )
        )
    Contract.objects.bulk_create(contracts, batch_size=2000)
    awards, awards_by_contract = [], {}
    awarded = {ContractState.AWARDED, ContractState.IN_PROGRESS, ContractState.CLOSED}
    for contract in contracts:
        if contract.state not in awarded:
            continue
        trade = companies_by_sector.get(contract.sector) or by_kind[Kind.COMPANY]
        companies = rng.sample(trade, min(len(trade), rng.choice([1, 1, 1, 2])))
        holder_share = contract.clause_hours if len(companies) == 1 else contract.clause_hours * 2 // 3
        awards.append(Award(contract=contract, company=companies[0], role=AwardRole.HOLDER, hours_share=holder_share))
        if len(companies) > 1:
            awards.append(
                Award(
                    contract=contract,
                    company=companies[1],
                    role=AwardRole.CO_CONTRACTOR,
                    hours_share=contract.clause_hours - holder_share,
                )
            )
        awards_by_contract[contract.pk] = companies
    Award.objects.bulk_create(awards, batch_size=5000)
    return contracts, awards_by_contract


def _seed_transitions(contracts, actor, organisation, today, now):
    """The log of each contract's path from its creation to its state, by the facilitator, dated as it happened:
    created, submitted and confirmed before the award, started at the start of execution, closed two months
    after the end (after the last hours were decided)."""
    if actor is None:
        return
    path = [t for t in CONTRACT.transitions if t.name != "send_back"]
    logs = []
    for contract in contracts:
        notified = _moment(contract.notified_on, 0)
        dates = {
            ContractState.DRAFT: notified - datetime.timedelta(days=70),
            ContractState.SUBMITTED: notified - datetime.timedelta(days=60),
            ContractState.CONFIRMED: notified - datetime.timedelta(days=45),
            ContractState.AWARDED: notified - datetime.timedelta(days=20),
            ContractState.IN_PROGRESS: _moment(contract.execution_started_on or contract.notified_on, 0),
            ContractState.CLOSED: _moment(contract.ends_on, 55) if contract.ends_on else notified,
        }
        state = ""
        for transition in path:
            logs.append(
                ContractTransition(
                    contract=contract,
                    from_state=state,
                    to_state=transition.target,
                    actor=actor,
                    organisation=organisation,
                    at=min(dates[transition.target], now),
                )
            )
            state = transition.target
            if state == contract.state:
                break
    ContractTransition.objects.bulk_create(logs, batch_size=5000)
