"""Workflows of procurement: sizing a clause, moving a contract through its states, awarding it,
recording SIAE orders and keeping the hours ledger. Views, API and commands only call these."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Sum
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone

from accounts import perms
from accounts.enums import OrganisationKind, SiaeKind
from accounts.models import Organisation
from audit.enums import AuditAction
from audit.services import record
from common.formats import number
from notifications.services import notify, notify_each
from procurement import forecast, rules, workflows
from procurement.enums import AwardRole, ContractState, Modality, OrderKind, StatementState
from procurement.models import (
    Award,
    ClauseSettings,
    Contract,
    ContractForecast,
    HoursSource,
    HoursStatement,
    SectorDefaults,
    SiaeOrder,
    ValidatedHours,
)
from procurement.progress import months_between
from procurement.proofs import check_proof
from procurement.rules import first_of_month


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


def check_figures(contract):
    """Rates are percentages above 0 and at most 100 (stored as fractions); amount and hourly cost are
    positive. Every way in (page, API, import) goes through here: 5 for 5 % must not size 83,333 h."""
    errors = {}
    for field, label in (("labour_share", "La part de main-d'œuvre"), ("insertion_rate", "Le taux d'insertion")):
        value = getattr(contract, field)
        error = rules.check_percent(None if value is None else Decimal(value) * 100, label)
        if error:
            errors[field] = error
    for field, label in (("amount_excl_vat", "Le montant HT"), ("hourly_cost", "Le coût horaire chargé")):
        error = rules.check_positive(getattr(contract, field), label)
        if error:
            errors[field] = error
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_contract(*, contract, actor, organisation):
    """Creates or updates a contract (already filled by a form or serializer) with its clause sized.
    A buyer registers contracts for itself; the facilitator for the buyer it names."""
    creating = contract.pk is None
    if creating:
        if not perms.can(organisation, "contract.create"):
            raise PermissionDenied("Votre organisation ne peut pas enregistrer de marché.")
        if organisation.kind == OrganisationKind.BUYER:
            contract.buyer = organisation
        contract.created_by = actor
        contract.state = ContractState.DRAFT
    else:
        current = Contract.objects.select_for_update(of=("self",)).get(pk=contract.pk)
        if not workflows.can_edit(current, organisation):
            raise PermissionDenied("Ce marché n'est plus modifiable : seul un brouillon peut l'être.")
    if contract.buyer_id is None or contract.buyer.kind != OrganisationKind.BUYER:
        raise ValidationError({"buyer": "Choisissez un donneur d'ordre."})
    check_figures(contract)
    size_clause(contract)
    contract.full_clean(exclude=["created_by"])
    contract.save()
    if creating:
        workflows.CONTRACT.start(contract, actor=actor, organisation=organisation)
    return contract


def _tell_the_facilitator(text, *, link, subject):
    """The facilitator hears of what waits for it (a contract to confirm, hours to check): in the app and by
    email, within the transaction that made the news."""
    notify(
        organisations=Organisation.objects.of_kind(OrganisationKind.FACILITATOR),
        text=text,
        link=link,
        subject=subject,
    )


def _record_move(contract, transition, source, actor, organisation, action=AuditAction.CONTRACT_MOVED, **details):
    record(
        action=action,
        actor=actor,
        organisation=organisation,
        target=contract,
        concerned=contract.buyer_id,
        contract=contract,
        details={"from": source, "to": transition.target, **details},
    )


def _check_awards(contract):
    """Awarding needs the companies and their hours (``award_contract`` writes them)."""
    awards = list(contract.awards.all())
    if not awards:
        raise ValidationError("Attribuez d'abord le marché à au moins une entreprise.")
    if sum(award.hours_share for award in awards) != contract.clause_hours:
        raise ValidationError("La répartition des heures ne correspond pas aux heures d'insertion.")


def _check_no_pending_statements(contract):
    """A contract closes once the facilitator decided every statement: its hours are then frozen."""
    pending = HoursStatement.objects.filter(source__contract=contract, state=StatementState.DECLARED).count()
    if pending:
        raise ValidationError(
            f"{pending} relevé{'s' if pending > 1 else ''} d'heures attend{'ent' if pending > 1 else ''} "
            "encore la décision du facilitateur : validez-les ou refusez-les avant de clore le marché, "
            "dont les heures seront alors arrêtées."
        )


@transaction.atomic
def transition_contract(*, contract, target, actor, organisation, reason=""):
    """Moves the contract to state ``target`` when ``workflows.CONTRACT`` allows it for this organisation, and
    logs it. A refused move raises (ValidationError or PermissionDenied) and changes nothing."""
    contract = Contract.objects.select_for_update(of=("self",)).get(pk=contract.pk)
    transition = workflows.CONTRACT.check(contract, target, organisation)
    if transition.name == "confirm" and not contract.clause_hours:
        raise ValidationError("Les heures d'insertion doivent être fixées avant d'être confirmées.")
    if transition.name == "award":
        _check_awards(contract)
    if transition.name == "close":
        _check_no_pending_statements(contract)
    source = contract.state
    fields = []
    if transition.name == "start" and contract.execution_started_on is None:
        contract.execution_started_on = timezone.localdate()
        fields.append("execution_started_on")
    workflows.CONTRACT.apply(
        contract, transition, actor=actor, organisation=organisation, reason=reason, update_fields=fields
    )
    _record_move(contract, transition, source, actor, organisation)
    if transition.name == "submit" and organisation.kind == OrganisationKind.BUYER:
        _tell_the_facilitator(
            f"Marché {contract.reference} soumis par {contract.buyer.name} : {contract.clause_hours} heures "
            "d'insertion à confirmer.",
            link=reverse("procurement:contract_detail", args=[contract.pk]),
            subject=contract,
        )
    return contract


@transaction.atomic
def award_contract(*, contract, awards, actor, organisation, reason=""):
    """Awards a confirmed contract to companies named by SIRET (one holder, any co-contractors), with
    the clause hours split between them, then moves it to « attribué ».

    ``awards``: list of dicts with ``siret``, ``role`` and ``hours_share``. Every bad row is reported."""
    contract = Contract.objects.select_for_update(of=("self",)).get(pk=contract.pk)
    transition = workflows.CONTRACT.check(contract, ContractState.AWARDED, organisation)
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
    source = contract.state
    workflows.CONTRACT.apply(contract, transition, actor=actor, organisation=organisation, reason=reason)
    _record_move(contract, transition, source, actor, organisation, AuditAction.CONTRACT_AWARDED, companies=len(awards))
    return contract


@transaction.atomic
def save_reference_values(*, sector_defaults=(), clause_settings=None, actor, organisation):
    """The facilitator edits the per-sector reference values (``SectorDefaults`` already filled by a form
    or serializer) and the shared settings (FTE divisor, SIAE hourly cost, overtime tolerance): every FTE
    figure follows the divisor at once. Audited (field names, never values)."""
    if not perms.can(organisation, "clause_settings.edit"):
        raise PermissionDenied("Seul le facilitateur modifie les valeurs de référence.")
    errors = {}
    for defaults in sector_defaults:
        for field, label in (("labour_share", "La part de main-d'œuvre"), ("insertion_rate", "Le taux d'insertion")):
            error = rules.check_percent(Decimal(getattr(defaults, field)) * 100, label)
            if error:
                errors[field] = error
        error = rules.check_positive(defaults.hourly_cost, "Le coût horaire chargé")
        if error:
            errors["hourly_cost"] = error
    if errors:
        raise ValidationError(errors)
    changed = []
    for defaults in sector_defaults:
        defaults.full_clean()
        defaults.save()
        changed.append(defaults.sector)
    if clause_settings is not None:
        clause_settings.full_clean()
        clause_settings.save()
    record(
        action=AuditAction.CLAUSE_SETTINGS_CHANGED,
        actor=actor,
        organisation=organisation,
        target=clause_settings,
        details={"sectors": changed, "settings": clause_settings is not None},
    )


def order_modality(kind, siae):
    """Staff provision counts as ETTI or AI/GEIQ hours; sub- and co-contracting as SIAE subcontracting."""
    if kind != OrderKind.STAFF_PROVISION:
        return Modality.SIAE_SUBCONTRACTING
    return Modality.ETTI if siae.siae_kind in (SiaeKind.ETTI, SiaeKind.EITI) else Modality.AI_GEIQ


def hours_from_amount(amount):
    """An order's amount converted to hours at the reference SIAE hourly cost (domain rule)."""
    cost = ClauseSettings.current().siae_hourly_cost
    return int((Decimal(amount) / cost).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def open_hours_source(*, contract, company, modality, label, starts_on, ends_on, weekly_hours=None, planned_hours=None):
    """Opens a line of the ledger (call inside the creating transaction): a validated placement (with its
    weekly hours) or an SIAE order (with its planned hours). Refused unless the contract is in execution,
    allows the modality and runs during the source's period."""
    what = "La mise à l'emploi" if weekly_hours is not None else "La commande"
    error = (
        rules.check_execution_state(contract.state)
        or rules.check_modality(modality, contract.allowed_modalities)
        or rules.check_period_within_contract(
            what=what,
            starts_on=starts_on,
            ends_on=ends_on,
            contract_starts_on=contract.hours_start,
            contract_ends_on=contract.ends_on,
        )
    )
    if error:
        raise ValidationError({"contract": error})
    return HoursSource.objects.create(
        contract=contract,
        company=company,
        modality=modality,
        label=label,
        starts_on=starts_on,
        ends_on=ends_on,
        weekly_hours=weekly_hours,
        planned_hours=planned_hours,
    )


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
    error = rules.check_positive(amount_excl_vat, "Le montant HT")
    if error:
        errors["amount_excl_vat"] = error
    if errors:
        raise ValidationError(errors)
    if hours is None:
        hours = hours_from_amount(amount_excl_vat)
    modality = order_modality(kind, siae)
    source = open_hours_source(
        contract=contract,
        company=organisation,
        modality=modality,
        label=f"{OrderKind(kind).label} – {siae.name}",
        starts_on=starts_on,
        ends_on=ends_on,
        planned_hours=hours,
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


def _check_hours(source, month, hours, *, exclude=None, closed_ok=False):
    """Every rule of ``procurement.rules`` on ``hours`` more for the source's ``month`` (the source locked by
    the caller): returns the ``MonthCheck`` (refusals, limit checked, warning for the facilitator)."""
    counted = source.statements.counted()
    if exclude is not None:
        counted = counted.exclude(pk=exclude.pk)
    totals = counted.aggregate(month_total=Sum("hours", filter=models.Q(month=month)), source_total=Sum("hours"))
    return rules.check_month(
        rules.Bounds.of(source, source.contract),
        month,
        month_total=(totals["month_total"] or 0) + hours,
        source_total=(totals["source_total"] or 0) + hours,
        today=timezone.localdate(),
        tolerance_percent=ClauseSettings.current().overtime_tolerance_percent,
        closed_ok=closed_ok,
    )


@transaction.atomic
def declare_hours(*, source, month, hours, proof, proof_kind, actor, organisation, adjusts=None):
    """The company owning ``source`` (an SIAE order, a validated placement...) declares the hours of one
    month with a proof, within the limits of ``procurement.rules``. A month already validated can only be
    corrected by an adjusting statement, itself within those limits."""
    if organisation is None or source.company_id != organisation.pk or not perms.can(organisation, "hours.declare"):
        raise PermissionDenied("Seule l'entreprise concernée déclare ces heures.")
    # One declaration at a time per source: the checks below read what the others write.
    source = HoursSource.objects.select_for_update(of=("self",)).select_related("contract").get(pk=source.pk)
    month = first_of_month(month)
    errors = {}
    content_type = ""
    try:
        content_type = check_proof(proof)
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
    checked = _check_hours(source, month, hours if "hours" not in errors else 0)
    for field, message in checked.errors.items():
        errors.setdefault(field, message)
    if errors:
        raise ValidationError(errors)
    statement = HoursStatement.objects.create(
        source=source,
        month=month,
        hours=hours,
        modality=source.modality,
        proof=proof,
        proof_kind=proof_kind,
        proof_content_type=content_type,
        limit_note=checked.limit,
        warning=checked.warning,
        adjusts=adjusts,
        declared_by=actor,
    )
    workflows.STATEMENT.start(statement, actor=actor, organisation=organisation)
    details = {"adjusts": adjusts.pk} if adjusts else {}
    _record_statement(statement, AuditAction.HOURS_DECLARED, actor, organisation, **details)
    what = "Correction" if adjusts else "Heures"
    _tell_the_facilitator(
        f"{what} de {rules.month_label(month)} déclarée{'' if adjusts else 's'} par {organisation.name} sur le marché "
        f"{source.contract.reference} : {rules.hours_label(hours)} h à vérifier"
        + (" (au-delà des heures prévues de la commande)." if checked.warning else "."),
        link=reverse("procurement:statement_list"),
        subject=statement,
    )
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


def _lock_and_check(statement, target, organisation):
    """The statement, locked, once ``workflows.STATEMENT`` lets this organisation take it to ``target``."""
    statement = HoursStatement.objects.select_for_update(of=("self",)).select_related("source").get(pk=statement.pk)
    if statement.state != StatementState.DECLARED:
        raise ValidationError("Ce relevé a déjà été traité : il ne peut plus changer.")
    return statement, workflows.STATEMENT.check(statement, target, organisation)


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
def validate_statement(*, statement, actor, organisation, reason=""):
    """The facilitator counts the hours, checked again against every rule (the contract, the placement or
    the settings may have changed since they were declared): the statement becomes immutable and joins the
    totals."""
    statement, transition = _lock_and_check(statement, StatementState.VALIDATED, organisation)
    source = HoursSource.objects.select_for_update(of=("self",)).select_related("contract").get(pk=statement.source_id)
    checked = _check_hours(source, statement.month, statement.hours, exclude=statement)
    if checked.errors:
        raise ValidationError(checked.errors)
    statement.decided_by = actor
    statement.decided_at = timezone.now()
    statement.limit_note, statement.warning = checked.limit, checked.warning
    try:
        with transaction.atomic():
            workflows.STATEMENT.apply(
                statement,
                transition,
                actor=actor,
                organisation=organisation,
                reason=reason,
                update_fields=["decided_by", "decided_at", "limit_note", "warning"],
            )
    except IntegrityError as exc:
        raise ValidationError("Des heures sont déjà validées pour cette source et ce mois.") from exc
    add_validated_hours(
        contract_id=source.contract_id,
        company_id=source.company_id,
        modality=statement.modality,
        month=statement.month,
        hours=statement.hours,
    )
    _record_statement(statement, AuditAction.HOURS_VALIDATED, actor, organisation)
    _tell_the_company(statement)
    return statement


def validate_statements(*, statements, actor, organisation):
    """The facilitator validates several statements at once: each one in its own transaction, checked and
    audited as if validated alone, so one refusal leaves the others validated. Returns the validated
    statements and, for each refused one, ``(statement, messages)``."""
    validated, refused = [], []
    for statement in statements:
        try:
            validated.append(
                transition_statement(
                    statement=statement, target=StatementState.VALIDATED, actor=actor, organisation=organisation
                )
            )
        except ValidationError as exc:
            refused.append((statement, exc.messages))
    return validated, refused


@transaction.atomic
def correct_closed_statement(*, statement, hours, reason, actor, organisation):
    """After closing, the ledger is frozen: only the facilitator corrects it, with a reason, by an adjusting
    statement validated at once (and audited), within the same limits as any declaration."""
    if not perms.can(organisation, "hours.validate"):
        raise PermissionDenied("Seul le facilitateur corrige les heures d'un marché clos.")
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = "Indiquez le motif de la correction."
    if hours is None or hours == 0:
        errors["hours"] = "Une correction ajoute ou retire des heures : indiquez un nombre non nul."
    statement = HoursStatement.objects.select_for_update(of=("self",)).get(pk=statement.pk)
    source = HoursSource.objects.select_for_update(of=("self",)).select_related("contract").get(pk=statement.source_id)
    if source.contract.state != ContractState.CLOSED:
        errors["statement"] = (
            "Seules les heures d'un marché clos se corrigent ainsi ; sinon, l'entreprise déclare une correction."
        )
    elif statement.state != StatementState.VALIDATED or statement.adjusts_id is not None:
        errors["statement"] = "Une correction porte sur un relevé validé (pas sur une autre correction)."
    if errors:
        raise ValidationError(errors)
    checked = _check_hours(source, statement.month, hours, closed_ok=True)
    if checked.errors:
        raise ValidationError(checked.errors)
    now = timezone.now()
    correction = HoursStatement.objects.create(
        source=source,
        month=statement.month,
        hours=hours,
        modality=statement.modality,
        state=StatementState.VALIDATED,
        reason=reason.strip(),
        adjusts=statement,
        limit_note=checked.limit,
        warning=checked.warning,
        by_facilitator=True,
        declared_by=actor,
        declared_at=now,
        decided_by=actor,
        decided_at=now,
    )
    workflows.STATEMENT.start(correction, actor=actor, organisation=organisation, reason=correction.reason)
    add_validated_hours(
        contract_id=source.contract_id,
        company_id=source.company_id,
        modality=correction.modality,
        month=correction.month,
        hours=correction.hours,
    )
    _record_statement(correction, AuditAction.HOURS_CORRECTED, actor, organisation, adjusts=statement.pk)
    return correction


@transaction.atomic
def reject_statement(*, statement, actor, organisation, reason):
    """The facilitator refuses the hours, saying why; the company may declare the month again."""
    statement, transition = _lock_and_check(statement, StatementState.REJECTED, organisation)
    if not (reason or "").strip():
        raise ValidationError({"reason": "Indiquez le motif du refus."})
    statement.reason = reason.strip()
    statement.decided_by = actor
    statement.decided_at = timezone.now()
    workflows.STATEMENT.apply(
        statement,
        transition,
        actor=actor,
        organisation=organisation,
        reason=statement.reason,
        update_fields=["reason", "decided_by", "decided_at"],
    )
    _record_statement(statement, AuditAction.HOURS_REJECTED, actor, organisation)
    _tell_the_company(statement)
    return statement


def transition_statement(*, statement, target, actor, organisation, reason=""):
    """Validates or rejects a declared statement (``workflows.STATEMENT``): the pages' and API's one way in."""
    decide = {StatementState.VALIDATED: validate_statement, StatementState.REJECTED: reject_statement}.get(target)
    if decide is None:
        workflows.STATEMENT.check(statement, target, organisation)  # no such move: refuses, in French
    return decide(statement=statement, actor=actor, organisation=organisation, reason=reason)


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


def _alert_for_parties(prediction, companies, today):
    """What the buyer and the companies holding the contract learn, with the figures: that it falls behind."""
    contract = prediction.contract
    return {
        "organisations": [contract.buyer, *companies],
        "text": f"Marché {contract.reference} : {number(prediction.shortfall_percent, 0)} % des heures d'insertion "
        "à risque au rythme actuel.",
        "details": _shortfall_details(prediction, today),
        "link": reverse("procurement:contract_detail", args=[contract.pk]),
        "subject": contract,
    }


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
            row.alerted_month = month
            alerted.append(prediction)
    ContractForecast.objects.bulk_create(new, batch_size=1000)
    # The rows already there, locked above, rewritten as one upsert per thousand: ``bulk_update`` builds a CASE per
    # field and row: 1.4 s of Python for 1,091 contracts at scale 100 (python -m benchmarks --only reporting).
    ContractForecast.objects.bulk_create(
        changed,
        update_conflicts=True,
        unique_fields=["contract"],
        update_fields=[
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
    # The parties' alerts at once (one insert, one query of their members, then the emails' jobs).
    notify_each(_alert_for_parties(p, companies.get(p.contract.pk, []), today) for p in alerted)
    if alerted:
        _alert_facilitators(alerted)
    return {
        "marchés vérifiés": len(new) + len(changed),
        "à risque": sum(1 for row in new + changed if row.at_risk),
        "alertés": len(alerted),
        "rétablis": recovered,
    }
