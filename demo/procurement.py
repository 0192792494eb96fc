"""Demo contracts with social clauses for the demo organisations (``demo.accounts`` runs first): Paris
buyers' contracts, awards, SIAE profiles and orders, and monthly hours statements, deterministic.

Per unit of scale: 20 contracts, about 500 hours sources and 10,000 statements, written with bulk_create
in chunks, so that ``scale=100`` (2,000 contracts, 50,000 sources, 1,000,000 statements) takes minutes.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from accounts.enums import OrganisationKind as Kind
from accounts.enums import SiaeKind
from accounts.models import User
from common.db import chunked, keys_of, raw_delete_by_keys
from demo import accounts as accounts_demo
from procurement.enums import AwardRole, ContractState, Modality, OrderKind, StatementState
from procurement.models import (
    Award,
    Contract,
    ContractTransition,
    HoursSource,
    HoursStatement,
    SectorDefaults,
    SiaeOrder,
    SiaeProfile,
    ValidatedHours,
)
from procurement.services import clause_hours_from, first_of_month, order_modality
from procurement.workflows import TRANSITIONS
from reference.models import Commune

CONTRACTS_PER_SCALE = 20
SOURCES_PER_CONTRACT = 29
MONTHS_PER_SOURCE = 20
CHUNK = 20_000

# (object pattern, sector, CPV, amount range in k€)
CONTRACT_OBJECTS = [
    ("Rénovation du groupe scolaire {street}", "building", "45214200", (800, 6000)),
    ("Réhabilitation thermique des logements {street}", "building", "45453000", (1500, 9000)),
    ("Nettoyage des bâtiments municipaux du {arr} arrondissement", "cleaning", "90910000", (200, 2000)),
    ("Entretien des espaces verts du {park}", "green_spaces", "77310000", (150, 1500)),
    ("Restauration des patients de l'hôpital {hospital}", "catering", "55320000", (1000, 8000)),
    ("Maintenance multitechnique des équipements sportifs du {arr}", "facility_maintenance", "50700000", (300, 3000)),
    ("Collecte des encombrants du {arr} arrondissement", "waste", "90510000", (500, 4000)),
    ("Déménagement des services de la direction des affaires scolaires", "removals", "98392000", (100, 800)),
    ("Gardiennage des musées de la Ville de Paris – lot {lot}", "security", "79713000", (400, 3000)),
    ("Accueil des usagers des mairies d'arrondissement", "reception", "79992000", (200, 1200)),
    ("Réfection de la voirie {street}", "public_works", "45233140", (600, 5000)),
    ("Tri et distribution du courrier interne", "mail", "64110000", (150, 900)),
]
PARKS = ["bois de Vincennes", "parc des Buttes-Chaumont", "parc Montsouris", "jardin du Luxembourg", "parc de Bercy"]
HOSPITALS = ["Saint-Louis", "Lariboisière", "Bichat", "Pitié-Salpêtrière", "Robert-Debré", "Tenon"]
# Modality mix of the hours sources, in draws out of 20.
MODALITY_DRAWS = (
    [Modality.DIRECT_HIRE] * 11
    + [Modality.ETTI] * 3
    + [Modality.AI_GEIQ] * 2
    + [Modality.SIAE_SUBCONTRACTING] * 3
    + [Modality.TRAINING]
)
ORDER_SIAE_KINDS = {
    Modality.ETTI: (OrderKind.STAFF_PROVISION, {SiaeKind.ETTI, SiaeKind.EITI}),
    Modality.AI_GEIQ: (OrderKind.STAFF_PROVISION, {SiaeKind.AI, SiaeKind.GEIQ}),
    Modality.SIAE_SUBCONTRACTING: (OrderKind.SUBCONTRACTING, {SiaeKind.EI, SiaeKind.ACI, SiaeKind.EA}),
}


def add_months(day, months):
    index = day.month - 1 + months
    return datetime.date(day.year + index // 12, index % 12 + 1, 1)


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
    raw_delete_by_keys(HoursStatement, "pk", adjusting)
    raw_delete_by_keys(HoursStatement, "source_id", source_ids)
    SiaeOrder.objects.filter(contract_id__in=contract_ids).delete()
    raw_delete_by_keys(HoursSource, "pk", source_ids)
    raw_delete_by_keys(ContractTransition, "contract_id", contract_ids)
    raw_delete_by_keys(Award, "contract_id", contract_ids)
    raw_delete_by_keys(Contract, "pk", contract_ids)
    SiaeProfile.objects.filter(organisation_id__in=organisation_ids).delete()


def seed(*, scale, rng, faker):
    organisations = list(accounts_demo.organisations().order_by("pk"))
    by_kind = defaultdict(list)
    for organisation in organisations:
        by_kind[organisation.kind].append(organisation)
    if not (by_kind[Kind.BUYER] and by_kind[Kind.COMPANY] and by_kind[Kind.FACILITATOR]):
        return {"marchés": 0}
    facilitator_org = by_kind[Kind.FACILITATOR][0]
    facilitator = User.objects.filter(memberships__organisation=facilitator_org).order_by("pk").first()
    today = datetime.date.today()
    current_month = first_of_month(today)
    profiles = _seed_profiles(by_kind[Kind.SIAE], rng, faker)
    contracts, awards_by_contract = _seed_contracts(scale, by_kind, rng, faker, today)
    _seed_transitions(contracts, facilitator, facilitator_org)
    siae_by_kind = defaultdict(list)
    for siae in by_kind[Kind.SIAE]:
        siae_by_kind[siae.siae_kind].append(siae)

    sources, orders_for = [], {}
    for contract in contracts:
        if contract.state not in (ContractState.IN_PROGRESS, ContractState.CLOSED):
            continue
        companies = awards_by_contract[contract.pk]
        for index in range(SOURCES_PER_CONTRACT):
            modality = rng.choice(MODALITY_DRAWS)
            company = rng.choice(companies)
            order = None
            if modality in ORDER_SIAE_KINDS:
                kind, siae_kinds = ORDER_SIAE_KINDS[modality]
                candidates = [s for k in sorted(siae_kinds) for s in siae_by_kind[k]]
                if not candidates:
                    modality = Modality.DIRECT_HIRE
                else:
                    siae = rng.choice(candidates)
                    order = (kind, siae)
                    modality = order_modality(kind, siae)
            label = (
                f"{OrderKind(order[0]).label} – {order[1].name}"
                if order
                else (f"{Modality(modality).label} – salarié en insertion n° {index + 1}")
            )
            sources.append(HoursSource(contract=contract, company=company, modality=modality, label=label))
            orders_for[len(sources) - 1] = order
    HoursSource.objects.bulk_create(sources, batch_size=5000)

    orders, statements, totals = [], [], defaultdict(Decimal)
    statement_count = 0
    for position, source in enumerate(sources):
        contract = source.contract
        first = add_months(first_of_month(contract.notified_on), rng.randint(0, 6))
        last = min(first_of_month(contract.ends_on), current_month)
        months = []
        month = first
        while month <= last and len(months) < MONTHS_PER_SOURCE:
            months.append(month)
            month = add_months(month, 1)
        order = orders_for[position]
        base = rng.randint(60, 151) if order is None else rng.randint(150, 400)
        if order is not None and months:
            hours = base * len(months)
            orders.append(
                SiaeOrder(
                    contract=contract,
                    company=source.company,
                    siae=order[1],
                    kind=order[0],
                    amount_excl_vat=Decimal(hours * 32),
                    starts_on=months[0],
                    ends_on=add_months(months[-1], 1) - datetime.timedelta(days=1),
                    hours=hours,
                    source=source,
                )
            )
        for month in months:
            hours = Decimal(base + rng.randint(-15, 15))
            recent = month >= add_months(current_month, -1)
            draw = rng.random()
            if recent and draw < 0.5:
                state = StatementState.DECLARED
            elif draw < 0.03:
                state = StatementState.REJECTED
            else:
                state = StatementState.VALIDATED
            statements.append(
                HoursStatement(
                    source=source,
                    month=month,
                    hours=hours,
                    modality=source.modality,
                    proof_kind="invoice" if order else "payslip",
                    state=state,
                    reason="Justificatif illisible" if state == StatementState.REJECTED else "",
                    decided_by=facilitator if state != StatementState.DECLARED else None,
                )
            )
            if state == StatementState.VALIDATED:
                totals[(contract.pk, source.company_id, source.modality, month)] += hours
        if len(statements) >= CHUNK:
            HoursStatement.objects.bulk_create(statements)
            statement_count += len(statements)
            statements = []
    HoursStatement.objects.bulk_create(statements)
    statement_count += len(statements)
    SiaeOrder.objects.bulk_create(orders, batch_size=5000)
    ValidatedHours.objects.bulk_create(
        (
            ValidatedHours(contract_id=c, company_id=co, modality=m, month=mo, hours=h)
            for (c, co, m, mo), h in totals.items()
        ),
        batch_size=5000,
    )
    return {
        "marchés": len(contracts),
        "fiches SIAE": profiles,
        "sources d'heures": len(sources),
        "commandes à des SIAE": len(orders),
        "relevés d'heures": statement_count,
    }


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


def _state_for(rng, notified_on, ends_on, today):
    if notified_on > today or rng.random() < 0.08:
        return rng.choice([ContractState.DRAFT, ContractState.SUBMITTED, ContractState.CONFIRMED])
    if ends_on < today:
        return ContractState.CLOSED
    return ContractState.IN_PROGRESS if rng.random() < 0.95 else ContractState.AWARDED


def _seed_contracts(scale, by_kind, rng, faker, today):
    defaults = {d.sector: d for d in SectorDefaults.objects.all()}
    arrondissements = list(Commune.objects.paris_arrondissements())
    contracts = []
    for n in range(scale * CONTRACTS_PER_SCALE):
        pattern, sector, cpv, (low, high) = rng.choice(CONTRACT_OBJECTS)
        commune = rng.choice(arrondissements) if arrondissements else None
        title = pattern.format(
            street=faker.street_name(),
            arr=f"{int(commune.code_insee[-2:])}e" if commune else "11e",
            park=rng.choice(PARKS),
            hospital=rng.choice(HOSPITALS),
            lot=rng.randint(1, 6),
        )
        notified_on = datetime.date(2022, 1, 1) + datetime.timedelta(days=rng.randint(0, 1400))
        ends_on = add_months(notified_on, rng.choice([24, 36, 48])) - datetime.timedelta(days=1)
        amount = Decimal(rng.randint(low, high) * 1000)
        values = defaults[sector]
        contracts.append(
            Contract(
                buyer=rng.choice(by_kind[Kind.BUYER]),
                reference=f"{notified_on.year}-DEMO-{n + 1:05d}",
                title=title,
                sector=sector,
                cpv_code=cpv,
                amount_excl_vat=amount,
                notified_on=notified_on,
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
                allowed_modalities=sorted(rng.sample(Modality.values, 3)),
                penalty_per_missing_hour=Decimal(rng.choice([15, 20, 30])),
                state=_state_for(rng, notified_on, ends_on, today),
            )
        )
    Contract.objects.bulk_create(contracts, batch_size=2000)
    awards, awards_by_contract = [], {}
    awarded = {ContractState.AWARDED, ContractState.IN_PROGRESS, ContractState.CLOSED}
    for contract in contracts:
        if contract.state not in awarded:
            continue
        companies = rng.sample(by_kind[Kind.COMPANY], min(len(by_kind[Kind.COMPANY]), rng.choice([1, 1, 2])))
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


def _seed_transitions(contracts, actor, organisation):
    """The log of each contract's path from draft to its state (performed by the facilitator in the demo)."""
    if actor is None:
        return
    path = [t for t in TRANSITIONS if t.name != "send_back"]
    logs = []
    for contract in contracts:
        at = datetime.datetime.combine(contract.notified_on, datetime.time(10), tzinfo=datetime.UTC)
        for step, transition in enumerate(path):
            if contract.state == transition.source:
                break
            logs.append(
                ContractTransition(
                    contract=contract,
                    from_state=transition.source,
                    to_state=transition.target,
                    actor=actor,
                    organisation=organisation,
                    at=at + datetime.timedelta(days=step),
                )
            )
    ContractTransition.objects.bulk_create(logs, batch_size=5000)
