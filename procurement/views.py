"""Procurement pages. Each view loads objects through ``visible_to`` (outsiders get 404), checks the
role through ``accounts.perms`` (403) and calls a service."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.enums import OrganisationKind
from accounts.forms import TransitionForm
from accounts.perms import can, organisation_required
from common import exports, refusals
from common.views import paginate, renamed_params
from procurement import decp, forecast, grid, progress, proofs, queue, services, workflows
from procurement.enums import ContractState, StatementState
from procurement.forms import (
    AwardFormSet,
    ClauseSettingsForm,
    ContractFilterForm,
    ContractForm,
    CorrectionForm,
    DeclareHoursForm,
    DecpUploadForm,
    RejectStatementForm,
    SectorDefaultsFormSet,
    SiaeDirectoryFilter,
    SiaeOrderForm,
    SiaeProfileForm,
)
from procurement.models import (
    ClauseSettings,
    Contract,
    ContractForecast,
    HoursSource,
    HoursStatement,
    SectorDefaults,
    SiaeOrder,
    SiaeProfile,
)

# The contract page's month × source table: beyond that, the statements list (« Relevés d'heures »).
SOURCES_SHOWN = 100


def _contract(request, pk):
    return get_object_or_404(Contract.objects.visible_to(request.organisation).select_related("buyer"), pk=pk)


@renamed_params({"state": "etat", "sector": "secteur"})
@organisation_required()
def contract_list(request):
    contracts = Contract.objects.visible_to(request.organisation).select_related("buyer").order_by("-created_at", "-pk")
    filters = ContractFilterForm(request.GET)
    if filters.is_valid():
        if filters.cleaned_data["etat"]:
            contracts = contracts.filter(state=filters.cleaned_data["etat"])
        if filters.cleaned_data["secteur"]:
            contracts = contracts.filter(sector=filters.cleaned_data["secteur"])
    context = {
        "page_obj": paginate(request, contracts),
        "filters": filters,
        "can_create": can(request.organisation, "contract.create"),
    }
    return render(request, "procurement/contract_list.html", context)


def _save_contract_form(request, form, contract=None):
    if request.method == "POST" and form.is_valid():
        saved = refusals.call(
            services.save_contract,
            form=form,
            contract=form.instance,
            actor=request.user,
            organisation=request.organisation,
        )
        if saved:
            messages.success(request, f"Marché enregistré : {saved.clause_hours} heures d'insertion.")
            return redirect("procurement:contract_detail", pk=saved.pk)
    return render(request, "procurement/contract_form.html", {"form": form, "contract": contract})


@organisation_required("contract.create")
def contract_create(request):
    form = ContractForm(request.POST or None, organisation=request.organisation)
    return _save_contract_form(request, form)


@organisation_required()
def contract_edit(request, pk):
    contract = _contract(request, pk)
    if not workflows.can_edit(contract, request.organisation):
        raise PermissionDenied("Ce marché n'est plus modifiable : seul un brouillon peut l'être.")
    form = ContractForm(request.POST or None, instance=contract, organisation=request.organisation)
    return _save_contract_form(request, form, contract)


@organisation_required()
def contract_detail(request, pk):
    contract = _contract(request, pk)
    organisation = request.organisation
    sources = (
        HoursSource.objects.visible_to(organisation)
        .filter(contract=contract)
        .select_related("company")
        .order_by("company__name", "label")
    )
    sources = list(sources[:SOURCES_SHOWN])
    statements = HoursStatement.objects.filter(source__in=[source.pk for source in sources]).values_list(
        "pk", "source_id", "month", "hours", "state", "adjusts_id"
    )
    # A closed contract's hours are frozen: only the facilitator corrects them, with a motive.
    closed = contract.state == ContractState.CLOSED
    correct_closed = closed and can(organisation, "hours.validate")
    hours_grid = grid.month_grid(
        contract,
        sources,
        statements,
        today=timezone.localdate(),
        correctable_company_id=organisation.pk if can(organisation, "hours.declare") and not closed else None,
        correct_closed=correct_closed,
    )
    awards = contract.awards.select_related("company").order_by("role", "company__name")
    moves = workflows.CONTRACT.moves(contract, organisation)
    context = {
        "contract": contract,
        "progress": progress.contract_progress(contract),
        "transitions": contract.transitions.select_related("actor", "organisation"),
        # Moves that can be undone are buttons; the others confirm first (IRREVERSIBLE says what they do).
        "moves": [move for move in moves if move.target not in workflows.IRREVERSIBLE],
        "irreversible": [
            (move, workflows.IRREVERSIBLE[move.target]) for move in moves if move.target in workflows.IRREVERSIBLE
        ],
        "can_edit": workflows.can_edit(contract, organisation),
        "awards": awards,
        "orders": contract.siae_orders.select_related("siae", "company").order_by("-created_at"),
        "grid": hours_grid,
        "can_order": can(organisation, "siae_order.manage")
        and contract.state in workflows.EXECUTION_STATES
        and any(award.company_id == organisation.pk for award in awards),
        "ledger_frozen": closed,
        "can_correct_closed": correct_closed,
        "forecast": ContractForecast.objects.filter(contract=contract).first(),
    }
    return render(request, "procurement/contract_detail.html", context)


@organisation_required()
def contracts_at_risk(request):
    """Contracts in progress that the last monthly check found short of their hours, worst first."""
    context = {
        "page_obj": paginate(request, forecast.contracts_at_risk(request.organisation)),
        "threshold": settings.SHORTFALL_ALERT_PERCENT,
    }
    return render(request, "procurement/contracts_at_risk.html", context)


@renamed_params({"to": "etat"})
@organisation_required()
def contract_transition(request, pk):
    """POST: moves the contract. GET ``?etat=``: the confirmation page of an irreversible move (closing), for a
    browser without JavaScript; with it, the same form opens in a modal on the contract's page."""
    contract = _contract(request, pk)
    if request.method != "POST":
        moves = workflows.CONTRACT.moves(contract, request.organisation)
        transition = next((move for move in moves if move.target == request.GET.get("etat")), None)
        if transition is None or transition.target not in workflows.IRREVERSIBLE:
            return redirect("procurement:contract_detail", pk=contract.pk)
        return render(
            request,
            "procurement/contract_confirm.html",
            {"contract": contract, "transition": transition, "consequence": workflows.IRREVERSIBLE[transition.target]},
        )
    form = TransitionForm(request.POST, workflow=workflows.CONTRACT, obj=contract, organisation=request.organisation)
    if not form.is_valid():
        refusals.flash(request, ValidationError(form.errors))
    elif refusals.call(
        services.transition_contract,
        request=request,
        contract=contract,
        actor=request.user,
        organisation=request.organisation,
        **form.service_kwargs(),
    ):
        messages.success(request, "L'état du marché a changé.")
    return redirect("procurement:contract_detail", pk=contract.pk)


@organisation_required("contract.award")
def contract_award(request, pk):
    contract = _contract(request, pk)
    formset = AwardFormSet(request.POST or None)
    if request.method == "POST" and formset.is_valid():
        rows = [f.cleaned_data for f in formset if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        awarded = refusals.call(
            services.award_contract,
            form=formset,
            contract=contract,
            awards=rows,
            actor=request.user,
            organisation=request.organisation,
        )
        if awarded:
            messages.success(request, "Le marché est attribué.")
            return redirect("procurement:contract_detail", pk=contract.pk)
    return render(request, "procurement/contract_award.html", {"contract": contract, "formset": formset})


@organisation_required()
@csp_update({"style-src": [UNSAFE_INLINE]})  # matplotlib styles its SVG inline; opened on its own, it runs no script
def contract_chart(request, pk):
    contract = _contract(request, pk)
    svg = progress.chart(progress.contract_progress(contract), fmt="svg")
    return HttpResponse(svg, content_type="image/svg+xml")


def closing_rows(state):
    """Hours due, validated, missing and the penalty (at closing), or the projection, the hours at risk and
    the penalty at stake (in progress): what the contract page shows and its export carries."""
    per_hour = state.contract.penalty_per_missing_hour
    rows = [["Heures d'insertion dues", state.due], ["Heures validées", state.validated]]
    if state.is_closed:
        rows += [["Heures manquantes", state.remaining], ["Pénalité par heure manquante (€)", per_hour]]
        rows.append(["Pénalité due (€)", state.penalty])
    else:
        rows += [
            ["Projection à la date de fin au rythme actuel", state.projected],
            ["Heures à risque", state.hours_at_risk],
            ["Pénalité par heure manquante (€)", per_hour],
            ["Pénalité en jeu (€)", state.penalty_at_stake],
        ]
    return [[label, "non fixée" if value is None else value] for label, value in rows]


def progress_tables(state):
    """The contract's progress as exportable tables."""
    return [
        exports.Table(
            "bilan",
            "Bilan à la clôture" if state.is_closed else "Bilan et projection",
            ["Indicateur", "Valeur"],
            closing_rows(state),
        ),
        exports.Table(
            "modalites",
            "Par modalité",
            ["Modalité", "Heures déclarées", "Heures validées"],
            [list(row) for row in state.modality_rows()],
        ),
        exports.Table(
            "mois",
            "Par mois",
            ["Mois", "Heures déclarées", "Heures validées", "Heures validées cumulées"],
            [[m.strftime("%m/%Y"), d, v, c] for m, d, v, c in state.month_rows()],
        ),
    ]


@organisation_required()
def contract_export(request, pk):
    contract = _contract(request, pk)
    state = progress.contract_progress(contract)
    content = exports.to_xlsx(progress_tables(state), images=[("Graphique", progress.chart(state, fmt="png"))])
    return exports.download(content, f"avancement-{contract.pk}.xlsx")


@organisation_required("contract.import_decp")
def decp_import(request):
    form = DecpUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = decp.import_decp(
                raw=decp.read_upload(form.cleaned_data["file"]),
                actor=request.user,
                organisation=request.organisation,
                dry_run=form.cleaned_data["dry_run"],
            )
        except ValidationError as exc:
            refusals.add_errors(form, ValidationError({"file": exc.messages}))
        else:
            messages.info(request, report.summary)
    return render(request, "procurement/decp_import.html", {"form": form, "report": report})


@organisation_required("clause_settings.edit")
def clause_settings(request):
    formset = SectorDefaultsFormSet(request.POST or None, queryset=SectorDefaults.objects.all(), prefix="sectors")
    settings_form = ClauseSettingsForm(request.POST or None, instance=ClauseSettings.current(), prefix="settings")
    if request.method == "POST" and formset.is_valid() and settings_form.is_valid():
        try:
            services.save_reference_values(
                sector_defaults=[form.instance for form in formset.forms if form.has_changed()],
                clause_settings=settings_form.instance,
                actor=request.user,
                organisation=request.organisation,
            )
        except ValidationError as exc:
            refusals.add_errors(settings_form, exc)
        else:
            messages.success(request, "Les valeurs de référence sont enregistrées.")
            return redirect("procurement:clause_settings")
    return render(request, "procurement/clause_settings.html", {"formset": formset, "settings_form": settings_form})


@login_not_required
@renamed_params({"name": "nom", "kind": "type", "sector": "secteur"})
def siae_directory(request):
    """Public, as a buyer or a company looking for a partner would first search it (contacts need a login)."""
    profiles = SiaeDirectoryFilter(request.GET or None, queryset=SiaeProfile.objects.for_directory())
    return render(
        request, "procurement/siae_directory.html", {"filter": profiles, "page_obj": paginate(request, profiles.qs)}
    )


@login_not_required
def siae_detail(request, pk):
    """One SIAE's page in the directory; its contact is shown to logged-in organisations only."""
    profile = get_object_or_404(SiaeProfile.objects.for_directory(), pk=pk)
    context = {
        "profile": profile,
        "organisation": profile.organisation,
        "shows_contact": request.organisation is not None,
        "is_own": request.organisation is not None and request.organisation.pk == profile.organisation_id,
    }
    return render(request, "procurement/siae_detail.html", context)


@organisation_required("siae_order.read")
def siae_order_list(request):
    """Orders to SIAE: those an SIAE received, a company placed, on a buyer's contracts; all for the facilitator."""
    orders = (
        SiaeOrder.objects.visible_to(request.organisation)
        .select_related("contract", "company", "siae")
        .order_by("-starts_on", "-pk")
    )
    return render(request, "procurement/siae_order_list.html", {"page_obj": paginate(request, orders)})


@organisation_required()
def siae_profile_edit(request):
    if request.organisation.kind != OrganisationKind.SIAE:
        raise PermissionDenied("Seule une SIAE a une fiche dans l'annuaire.")
    profile, _ = SiaeProfile.objects.get_or_create(organisation=request.organisation)
    form = SiaeProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Votre fiche est à jour dans l'annuaire des SIAE.")
        return redirect("procurement:siae_directory")
    return render(request, "procurement/siae_profile_form.html", {"form": form})


@organisation_required("siae_order.manage")
def siae_order_create(request, pk):
    contract = _contract(request, pk)
    form = SiaeOrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        order = refusals.call(
            services.create_siae_order,
            form=form,
            contract=contract,
            actor=request.user,
            organisation=request.organisation,
            **form.cleaned_data,
        )
        if order:
            messages.success(request, "La commande à la SIAE est enregistrée.")
            return redirect("procurement:contract_detail", pk=contract.pk)
    return render(request, "procurement/siae_order_form.html", {"form": form, "contract": contract})


@renamed_params({"state": "etat"})
@organisation_required()
def statement_list(request):
    """The facilitator's queue of statements to check, each with its proof, its source and the limit it was
    checked against; the others' statements on their contracts. A fixed number of queries per page."""
    organisation = request.organisation
    can_validate = can(organisation, "hours.validate")
    # The facilitator opens its queue (statements to check); everyone else sees all their statements.
    state = request.GET.get("etat", StatementState.DECLARED if can_validate else "")
    page = paginate(request, queue.statements_for(organisation, state))
    rows = queue.rows(page.object_list, organisation)
    for row in rows:
        row.statement.moves = workflows.STATEMENT.moves(row.statement, organisation)
    context = {
        "page_obj": page,
        "rows": rows,
        "state": state,
        "states": StatementState.choices,
        "state_values": StatementState.values,
        "can_validate": can_validate,
        "reject_consequence": RejectStatementForm.CONSEQUENCE,
        # A company declares from here: one link per source of its contracts in execution.
        "sources": HoursSource.objects.filter(company=organisation, contract__state__in=workflows.EXECUTION_STATES)
        .select_related("contract")
        .order_by("contract__reference", "label")
        if can(organisation, "hours.declare")
        else [],
    }
    return render(request, "procurement/statement_list.html", context)


@require_POST
@organisation_required("hours.validate")
def statement_validate_many(request):
    """Validates the ticked statements, each checked and audited on its own: one refusal leaves the others."""
    ids = [int(value) for value in request.POST.getlist("statements") if value.isdecimal()]
    if not ids:
        messages.error(request, "Cochez au moins un relevé à valider.")
        return redirect("procurement:statement_list")
    statements = HoursStatement.objects.visible_to(request.organisation).filter(pk__in=ids).order_by("month", "pk")
    # Each ticked statement goes through the one transition (``services.transition_statement``) on its own.
    validated, refused = services.validate_statements(
        statements=list(statements), actor=request.user, organisation=request.organisation
    )
    if validated:
        total = sum(statement.hours for statement in validated)
        messages.success(
            request,
            f"{len(validated)} relevé{'s' if len(validated) > 1 else ''} validé{'s' if len(validated) > 1 else ''} "
            f"({floatformat(total, -2)} h).",
        )
    for statement, errors in refused:
        messages.error(request, f"Relevé n° {statement.pk} ({statement.month:%m/%Y}) non validé : {' '.join(errors)}")
    return redirect("procurement:statement_list")


@login_not_required
def statement_proof(request, pk):
    """The proof of a statement, to the facilitator and the declaring company only: 404 for anyone else,
    anonymous visitors included (the login page would tell them the proof exists)."""
    organisation = request.organisation if request.user.is_authenticated else None
    statement = get_object_or_404(HoursStatement.objects.proofs_readable_by(organisation).exclude(proof=""), pk=pk)
    return proofs.proof_response(statement)


@organisation_required("hours.validate")
def statement_correct(request, pk):
    """After closing, the facilitator alone corrects a validated statement, with a reason (audited)."""
    statement = get_object_or_404(
        HoursStatement.objects.visible_to(request.organisation).select_related("source__contract"), pk=pk
    )
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_closed_statement(
                statement=statement, actor=request.user, organisation=request.organisation, **form.cleaned_data
            )
        except ValidationError as exc:
            refusals.add_errors(form, exc)
        else:
            messages.success(request, "La correction est enregistrée et comptée.")
            return redirect("procurement:contract_detail", pk=statement.source.contract_id)
    return render(request, "procurement/statement_correct.html", {"form": form, "statement": statement})


@organisation_required("hours.declare")
def declare_hours(request, source_pk):
    source = get_object_or_404(
        HoursSource.objects.visible_to(request.organisation).select_related("contract"), pk=source_pk
    )
    validated = source.statements.filter(state=StatementState.VALIDATED, adjusts=None)
    corrects = request.GET.get("corrige")
    if corrects is not None and not corrects.isdecimal():
        raise Http404("Relevé à corriger introuvable.")
    adjusts = get_object_or_404(validated, pk=corrects) if corrects is not None else None
    initial = {"month": adjusts.month.strftime("%Y-%m")} if adjusts else {}
    form = DeclareHoursForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        statement = refusals.call(
            services.declare_hours,
            form=form,
            source=source,
            actor=request.user,
            organisation=request.organisation,
            adjusts=adjusts,
            **form.cleaned_data,
        )
        if statement:
            messages.success(request, "Les heures sont déclarées : le facilitateur va les vérifier.")
            return redirect("procurement:contract_detail", pk=source.contract_id)
    return render(request, "procurement/declare_hours.html", {"form": form, "source": source, "adjusts": adjusts})


@organisation_required()
def statement_transition(request, pk):
    """POST: validates or rejects (saying why) a declared statement, the facilitator's two buttons on the list.
    GET: the confirmation page of a refusal, for a browser without JavaScript (with it, it opens in a modal)."""
    statement = get_object_or_404(
        HoursStatement.objects.visible_to(request.organisation).select_related("source__contract", "source__company"),
        pk=pk,
    )
    organisation = request.organisation
    rejecting = request.POST.get("target", StatementState.REJECTED) == StatementState.REJECTED
    if rejecting:
        form = RejectStatementForm(
            request.POST if request.method == "POST" else None, statement=statement, organisation=organisation
        )
    else:
        form = TransitionForm(request.POST, workflow=workflows.STATEMENT, obj=statement, organisation=organisation)
    if request.method != "POST":
        if StatementState.REJECTED not in {move.target for move in form.moves}:
            return redirect("procurement:statement_list")
        return render(request, "procurement/statement_reject.html", {"statement": statement, "form": form})
    if not form.is_valid():
        if rejecting and "target" not in form.errors:
            return render(request, "procurement/statement_reject.html", {"statement": statement, "form": form})
        refusals.flash(request, ValidationError(form.errors))
    elif refusals.call(
        services.transition_statement,
        request=request,
        statement=statement,
        actor=request.user,
        organisation=organisation,
        **form.service_kwargs(),
    ):
        messages.success(
            request,
            "Le relevé est refusé ; l'entreprise en est informée par son tableau de bord."
            if rejecting
            else f"{floatformat(statement.hours, -2)} h validées.",
        )
    return redirect("procurement:statement_list")
