"""Workflows of procurement: sizing a clause, moving a contract through its states, awarding it,
recording SIAE orders and keeping the hours ledger. Views, API and commands only call these."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone

from accounts import perms
from accounts.enums import OrganisationKind, SiaeKind
from accounts.models import Organisation
from audit.enums import AuditAction
from audit.services import record
from common.formats import number
from notifications.services import notify
from procurement import forecast, workflows
from procurement.enums import AwardRole, ContractState, Modality, OrderKind, StatementState
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
    ValidatedHours,
)
from procurement.progress import months_between
from procurement.proofs import check_proof


def clause_hours_from(*, amount, labour_share, insertion_rate, hourly_cost):
    """amount × labour share × insertion rate ÷ loaded hourly cost, rounded half up to the hour."""
    hours = Decimal(amount) * Decimal(labour_share) * Decimal(insertion_rate) / Decimal(hourly_cost)
    return int(hours.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def size_clause(contract):
    """Sets ``clause_hours``: typed in directly, or computed from the contract's parameters, the
    missing ones taken from its sector's defaults and stored so the computation stays visible."""
    if contract.hours_entered is not None:
        contract.clause_hours = contract.hours_entered
        return contract
    defaults = SectorDefaults.objects.filter(sector=contract.sector).first()
    for field in ("labour_share", "insertion_rate", "hourly_cost"):
        if getattr(contract, field) is None:
            if defaults is None:
                raise ValidationError(
                    {field: "Aucune valeur de référence pour ce secteur : saisissez-la ou saisissez les heures."}
                )
            setattr(contract, field, getattr(defaults, field))
    contract.clause_hours = clause_hours_from(
        amount=contract.amount_excl_vat,
        labour_share=contract.labour_share,
        insertion_rate=contract.insertion_rate,
        hourly_cost=contract.hourly_cost,
    )
    return contract


def save_contract(*, contract, actor, organisation):
    """Creates or updates a contract (already filled by a form or serializer) with its clause sized.
    A buyer registers contracts for itself; the facilitator for the buyer it names."""
    if contract.pk is None:
        if not perms.can(organisation, "contract.create"):
            raise PermissionDenied("Votre organisation ne peut pas enregistrer de marché.")
        if organisation.kind == OrganisationKind.BUYER:
            contract.buyer = organisation
        contract.created_by = actor
        contract.state = ContractState.DRAFT
    else:
        current = Contract.objects.get(pk=contract.pk)
        if not workflows.can_edit(current, organisation):
            raise PermissionDenied("Ce marché n'est plus modifiable : seul un brouillon peut l'être.")
    if contract.buyer_id is None or contract.buyer.kind != OrganisationKind.BUYER:
        raise ValidationError({"buyer": "Choisissez un donneur d'ordre."})
    size_clause(contract)
    contract.full_clean(exclude=["created_by"])
    contract.save()
    return contract


def _check_transition(contract, target, organisation):
    transition = workflows.find(contract.state, target)
    if transition is None:
        labels = dict(ContractState.choices)
        raise ValidationError(
            {
                "to": f"Un marché « {labels[contract.state]} » ne peut pas passer à l'état "
                f"« {labels.get(target, target)} »."
            }
        )
    if organisation is None or organisation.kind not in transition.kinds:
        raise PermissionDenied(f"Votre organisation ne peut pas effectuer l'action « {transition.label} ».")
    if transition.target == ContractState.CONFIRMED and not contract.clause_hours:
        raise ValidationError({"to": "Les heures d'insertion doivent être fixées avant d'être confirmées."})
    if transition.target == ContractState.AWARDED:
        total = sum(award.hours_share for award in contract.awards.all())
        if not contract.awards.exists():
            raise ValidationError({"to": "Attribuez d'abord le marché à au moins une entreprise."})
        if total != contract.clause_hours:
            raise ValidationError({"to": "La répartition des heures ne correspond pas aux heures d'insertion."})
    return transition


def _log(contract, from_state, actor, organisation, note, action=AuditAction.CONTRACT_MOVED, **details):
    ContractTransition.objects.create(
        contract=contract,
        from_state=from_state,
        to_state=contract.state,
        actor=actor,
        organisation=organisation,
        note=note,
    )
    record(
        action=action,
        actor=actor,
        organisation=organisation,
        target=contract,
        concerned=contract.buyer_id,
        contract=contract,
        details={"from": from_state, "to": contract.state, **details},
    )


@transaction.atomic
def transition_contract(*, contract, to, actor, organisation, note=""):
    """Moves the contract to state ``to`` when the table allows it for this organisation, and logs it.
    A refused transition raises (ValidationError or PermissionDenied) and changes nothing."""
    contract = Contract.objects.select_for_update(of=("self",)).get(pk=contract.pk)
    _check_transition(contract, to, organisation)
    from_state = contract.state
    contract.state = to
    contract.save(update_fields=["state"])
    _log(contract, from_state, actor, organisation, note)
    return contract


@transaction.atomic
def award_contract(*, contract, awards, actor, organisation, note=""):
    """Awards a confirmed contract to companies named by SIRET (one holder, any co-contractors), with
    the clause hours split between them, then moves it to « attribué ».

    ``awards``: list of dicts with ``siret``, ``role`` and ``hours_share``. Every bad row is reported."""
    contract = Contract.objects.select_for_update(of=("self",)).get(pk=contract.pk)
    transition = workflows.find(contract.state, ContractState.AWARDED)
    if transition is None:
        raise ValidationError({"awards": "Seul un marché dont les heures sont confirmées peut être attribué."})
    if organisation is None or organisation.kind not in transition.kinds:
        raise PermissionDenied("Votre organisation ne peut pas attribuer ce marché.")
    companies = Organisation.objects.of_kind(OrganisationKind.COMPANY).in_bulk(
        [row["siret"] for row in awards], field_name="siret"
    )
    errors, seen = [], set()
    for index, row in enumerate(awards, start=1):
        company = companies.get(row["siret"])
        if company is None:
            errors.append(f"Ligne {index} : aucune entreprise inscrite n'a le SIRET {row['siret']}.")
        elif company.pk in seen:
            errors.append(f"Ligne {index} : l'entreprise {company.name} figure deux fois.")
        else:
            seen.add(company.pk)
    if not awards:
        errors.append("Indiquez au moins une entreprise titulaire.")
    elif sum(1 for row in awards if row["role"] == AwardRole.HOLDER) != 1:
        errors.append("Indiquez exactement une entreprise titulaire ; les autres sont co-traitantes.")
    total = sum(row["hours_share"] for row in awards)
    if total != contract.clause_hours:
        errors.append(
            f"La répartition totalise {total} h alors que le marché compte {contract.clause_hours} h d'insertion."
        )
    if errors:
        raise ValidationError({"awards": errors})
    contract.awards.all().delete()
    Award.objects.bulk_create(
        Award(contract=contract, company=companies[row["siret"]], role=row["role"], hours_share=row["hours_share"])
        for row in awards
    )
    from_state = contract.state
    contract.state = ContractState.AWARDED
    contract.save(update_fields=["state"])
    _log(contract, from_state, actor, organisation, note, AuditAction.CONTRACT_AWARDED, companies=len(awards))
    return contract


def order_modality(kind, siae):
    """Staff provision counts as ETTI or AI/GEIQ hours; sub- and co-contracting as SIAE subcontracting."""
    if kind != OrderKind.STAFF_PROVISION:
        return Modality.SIAE_SUBCONTRACTING
    return Modality.ETTI if siae.siae_kind in (SiaeKind.ETTI, SiaeKind.EITI) else Modality.AI_GEIQ


def hours_from_amount(amount):
    """An order's amount converted to hours at the reference SIAE hourly cost (domain rule)."""
    cost = ClauseSettings.current().siae_hourly_cost
    return int((Decimal(amount) / cost).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@transaction.atomic
def create_siae_order(*, contract, siae, kind, amount_excl_vat, starts_on, ends_on, hours=None, actor, organisation):
    """A company awarded the contract records its order to an SIAE; the order gets its own hours source."""
    if not perms.can(organisation, "siae_order.manage"):
        raise PermissionDenied("Seule une entreprise attributaire enregistre ses commandes aux SIAE.")
    errors = {}
    if not contract.awards.filter(company=organisation).exists():
        errors["contract"] = "Votre entreprise n'est pas attributaire de ce marché."
    elif contract.state not in workflows.EXECUTION_STATES:
        errors["contract"] = "Le marché doit être attribué ou en cours d'exécution."
    if siae.kind != OrganisationKind.SIAE:
        errors["siae"] = "Choisissez une structure d'insertion (SIAE)."
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = "La fin de la commande doit suivre son début."
    if errors:
        raise ValidationError(errors)
    if hours is None:
        hours = hours_from_amount(amount_excl_vat)
    modality = order_modality(kind, siae)
    source = HoursSource.objects.create(
        contract=contract,
        company=organisation,
        modality=modality,
        label=f"{OrderKind(kind).label} – {siae.name}",
    )
    return SiaeOrder.objects.create(
        contract=contract,
        company=organisation,
        siae=siae,
        kind=kind,
        amount_excl_vat=amount_excl_vat,
        starts_on=starts_on,
        ends_on=ends_on,
        hours=hours,
        source=source,
        created_by=actor,
    )


def first_of_month(day):
    return day.replace(day=1)


@transaction.atomic
def declare_hours(*, source, month, hours, proof, proof_kind, actor, organisation, adjusts=None):
    """The company owning ``source`` (an SIAE order, a validated placement...) declares the hours of one
    month with a proof. A month already validated can only be corrected by an adjusting statement."""
    if organisation is None or source.company_id != organisation.pk or not perms.can(organisation, "hours.declare"):
        raise PermissionDenied("Seule l'entreprise concernée déclare ces heures.")
    # One declaration at a time per source: the checks below read what the others write.
    source = HoursSource.objects.select_for_update(of=("self",)).select_related("contract").get(pk=source.pk)
    month = first_of_month(month)
    errors = {}
    if source.contract.state not in workflows.EXECUTION_STATES:
        errors["source"] = "Le marché n'est pas en cours d'exécution : aucune heure ne peut être déclarée."
    if month > first_of_month(timezone.localdate()):
        errors["month"] = "On ne déclare pas les heures d'un mois à venir."
    try:
        check_proof(proof)
    except ValidationError as exc:
        errors["proof"] = exc.messages
    if not proof_kind:
        errors["proof_kind"] = "Précisez le type de justificatif."
    same_month = source.statements.filter(month=month)
    if adjusts is None:
        if hours is None or hours <= 0:
            errors["hours"] = "Le nombre d'heures doit être positif."
        elif same_month.filter(state=StatementState.VALIDATED).exists():
            errors["month"] = "Les heures de ce mois sont déjà validées : déclarez une correction."
        elif same_month.filter(state=StatementState.DECLARED, adjusts=None).exists():
            errors["month"] = "Une déclaration pour ce mois attend déjà la validation du facilitateur."
    else:
        if adjusts.source_id != source.pk or adjusts.month != month or adjusts.state != StatementState.VALIDATED:
            errors["adjusts"] = "Une correction porte sur un relevé validé de la même source et du même mois."
        if hours is None or hours == 0:
            errors["hours"] = "Une correction ajoute ou retire des heures : indiquez un nombre non nul."
    if errors:
        raise ValidationError(errors)
    statement = HoursStatement.objects.create(
        source=source,
        month=month,
        hours=hours,
        modality=source.modality,
        proof=proof,
        proof_kind=proof_kind,
        adjusts=adjusts,
        declared_by=actor,
    )
    details = {"adjusts": adjusts.pk} if adjusts else {}
    _record_statement(statement, AuditAction.HOURS_DECLARED, actor, organisation, **details)
    return statement


def _record_statement(statement, action, actor, organisation, **details):
    """Hours of a placement are also filed under its person (the facilitator's filter)."""
    source = statement.source
    candidate = HoursSource.objects.filter(pk=source.pk).values_list("placement__submission__candidate", flat=True)
    record(
        action=action,
        actor=actor,
        organisation=organisation,
        target=statement,
        candidate=candidate.first(),
        concerned=source.company_id,
        contract=source.contract_id,
        details={"month": statement.month.isoformat(), "hours": f"{statement.hours:.2f}", **details},
    )


def _lock_pending(statement, organisation, action):
    if not perms.can(organisation, action):
        raise PermissionDenied("Seul le facilitateur valide ou refuse les heures déclarées.")
    statement = HoursStatement.objects.select_for_update(of=("self",)).select_related("source").get(pk=statement.pk)
    if statement.state != StatementState.DECLARED:
        raise ValidationError({"state": "Ce relevé a déjà été traité : il ne peut plus changer."})
    return statement


def add_validated_hours(*, contract_id, company_id, modality, month, hours):
    """Adds hours to the running total that reports read (call inside the validating transaction)."""
    total, _ = ValidatedHours.objects.select_for_update().get_or_create(
        contract_id=contract_id, company_id=company_id, modality=modality, month=month
    )
    ValidatedHours.objects.filter(pk=total.pk).update(hours=F("hours") + hours)


def _tell_the_company(statement):
    """The company learns that its hours count, or why they do not and that it may declare them again."""
    what = f"Heures de {statement.month:%m/%Y} ({statement.source.label}, {floatformat(statement.hours, -2)} h)"
    if statement.state == StatementState.VALIDATED:
        text, details = f"{what} validées par le facilitateur.", ""
    else:
        text = f"{what} refusées. Vous pouvez les déclarer à nouveau avec un justificatif."
        details = f"Motif : {statement.reason}"
    notify(
        organisations=[statement.source.company],
        text=text,
        details=details,
        link=reverse("procurement:statement_list"),
        subject=statement,
    )


@transaction.atomic
def validate_statement(*, statement, actor, organisation):
    """The facilitator counts the hours: the statement becomes immutable and joins the totals."""
    statement = _lock_pending(statement, organisation, "hours.validate")
    statement.state = StatementState.VALIDATED
    statement.decided_by = actor
    statement.decided_at = timezone.now()
    try:
        with transaction.atomic():
            statement.save(update_fields=["state", "decided_by", "decided_at"])
    except IntegrityError as exc:
        raise ValidationError({"state": "Des heures sont déjà validées pour cette source et ce mois."}) from exc
    add_validated_hours(
        contract_id=statement.source.contract_id,
        company_id=statement.source.company_id,
        modality=statement.modality,
        month=statement.month,
        hours=statement.hours,
    )
    _record_statement(statement, AuditAction.HOURS_VALIDATED, actor, organisation)
    _tell_the_company(statement)
    return statement


@transaction.atomic
def reject_statement(*, statement, actor, organisation, reason):
    """The facilitator refuses the hours, saying why; the company may declare the month again."""
    if not (reason or "").strip():
        raise ValidationError({"reason": "Indiquez le motif du refus."})
    statement = _lock_pending(statement, organisation, "hours.validate")
    statement.state = StatementState.REJECTED
    statement.reason = reason.strip()
    statement.decided_by = actor
    statement.decided_at = timezone.now()
    statement.save(update_fields=["state", "reason", "decided_by", "decided_at"])
    _record_statement(statement, AuditAction.HOURS_REJECTED, actor, organisation)
    _tell_the_company(statement)
    return statement


def _shortfall_details(prediction, today):
    contract = prediction.contract
    lines = [
        f"Heures d'insertion dues : {number(prediction.due)} h.",
        f"Heures validées au {today:%d/%m/%Y} : {number(prediction.validated)} h.",
        f"Projection au {contract.ends_on:%d/%m/%Y}, date de fin, au rythme actuel : {number(prediction.projected)} h.",
        f"Heures à risque : {number(prediction.hours_at_risk)} h ({number(prediction.shortfall_percent, 1)} %).",
    ]
    if prediction.penalty_at_stake is not None:
        lines.append(
            f"Pénalité en jeu : {number(prediction.penalty_at_stake, 2)} € "
            f"({number(contract.penalty_per_missing_hour, 2)} € par heure manquante)."
        )
    return "\n".join(lines)


def _alert_parties(prediction, companies, today):
    """The buyer and the companies holding the contract learn, with the figures, that it falls behind."""
    contract = prediction.contract
    notify(
        organisations=[contract.buyer, *companies],
        text=f"Marché {contract.reference} : {number(prediction.shortfall_percent, 0)} % des heures d'insertion "
        "à risque au rythme actuel.",
        details=_shortfall_details(prediction, today),
        link=reverse("procurement:contract_detail", args=[contract.pk]),
        subject=contract,
    )


def _alert_facilitators(alerted):
    """One message a month to the facilitator: the contracts alerted, worst first, and the link to their list
    (one per contract would be hundreds of emails at the scale of Paris)."""
    facilitators = Organisation.objects.of_kind(OrganisationKind.FACILITATOR)
    alerted = sorted(alerted, key=lambda p: (-p.hours_at_risk, p.contract.pk))
    shown = 20
    penalties = [p.penalty_at_stake for p in alerted if p.penalty_at_stake is not None]
    lines = [
        f"{p.contract.reference} ({p.contract.buyer.name}) : {number(p.hours_at_risk)} h à risque sur "
        f"{number(p.due)} h dues"
        + (f", pénalité en jeu {number(p.penalty_at_stake, 2)} €" if p.penalty_at_stake is not None else "")
        + "."
        for p in alerted[:shown]
    ]
    if len(alerted) > shown:
        lines.append(f"… et {len(alerted) - shown} autres.")
    lines.append(
        f"En tout : {number(sum((p.hours_at_risk for p in alerted), Decimal(0)))} h à risque, "
        f"{number(sum(penalties, Decimal(0)), 2)} € de pénalités en jeu."
    )
    count = len(alerted)
    notify(
        organisations=facilitators,
        text=f"{count} marché{'s' if count > 1 else ''} à risque de ne pas atteindre {'leurs' if count > 1 else 'ses'} "
        "heures d'insertion ce mois-ci.",
        details="\n".join(lines),
        link=reverse("procurement:contracts_at_risk"),
    )


@transaction.atomic
def check_shortfalls(*, today=None):
    """The monthly check of every contract in progress (``tasks.check_shortfalls``, run by ``db_worker``).

    A contract that has run ``SHORTFALL_GRACE_MONTHS`` since its notification and whose projection at the
    current pace misses more than ``SHORTFALL_ALERT_PERCENT`` of its hours due is at risk: its buyer and the
    companies holding it are told with the figures, the facilitator gets the month's list, once a month
    whatever the number of runs. A contract back above the threshold is no longer at risk, and its parties
    hear nothing more. Returns the counts."""
    today = today or timezone.localdate()
    month = today.replace(day=1)
    threshold = settings.SHORTFALL_ALERT_PERCENT
    contracts = (
        Contract.objects.filter(state=ContractState.IN_PROGRESS, clause_hours__gt=0, ends_on__isnull=False)
        .select_related("buyer")
        .order_by("pk")
    )
    # Locked first: two runs at once wait for each other, and the second finds the month's alerts sent (on a
    # contract's first check, the second run's insert fails and rolls back, its notifications with it).
    known = {
        row.contract_id: row
        for row in ContractForecast.objects.select_for_update(of=("self",)).filter(contract__in=contracts.values("pk"))
    }
    companies = {}
    for award in Award.objects.filter(contract__in=contracts.values("pk")).select_related("company").order_by("pk"):
        companies.setdefault(award.contract_id, []).append(award.company)
    new, changed, alerted, recovered = [], [], [], 0
    for prediction in forecast.forecasts(contracts, today=today):
        contract = prediction.contract
        row = known.get(contract.pk)
        if row is None:
            row = ContractForecast(contract=contract)
            new.append(row)
        else:
            changed.append(row)
        started = contract.notified_on or prediction.first_month
        ripe = started is not None and months_between(started, today) >= settings.SHORTFALL_GRACE_MONTHS
        at_risk = ripe and prediction.shortfall_percent > threshold
        recovered += row.at_risk and not at_risk
        row.checked_on = today
        row.hours_due = prediction.due
        row.hours_validated = prediction.validated
        row.hours_projected = prediction.projected
        row.hours_at_risk = prediction.hours_at_risk
        row.penalty_at_stake = prediction.penalty_at_stake
        row.at_risk_since = (row.at_risk_since if row.at_risk else today) if at_risk else None
        row.at_risk = at_risk
        if at_risk and row.alerted_month != month:
            _alert_parties(prediction, companies.get(contract.pk, []), today)
            row.alerted_month = month
            alerted.append(prediction)
    ContractForecast.objects.bulk_create(new, batch_size=1000)
    ContractForecast.objects.bulk_update(
        changed,
        [
            "checked_on",
            "hours_due",
            "hours_validated",
            "hours_projected",
            "hours_at_risk",
            "penalty_at_stake",
            "at_risk",
            "at_risk_since",
            "alerted_month",
        ],
        batch_size=1000,
    )
    if alerted:
        _alert_facilitators(alerted)
    return {
        "marchés vérifiés": len(new) + len(changed),
        "à risque": sum(1 for row in new + changed if row.at_risk),
        "alertés": len(alerted),
        "rétablis": recovered,
    }
