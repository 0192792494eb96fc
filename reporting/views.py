"""Report pages: the dashboard of a period with its CSV and XLSX exports, and the facilitator's annual workbook."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render

from accounts.perms import can, organisation_required, sees_everything
from common import exports
from reporting import reports


@organisation_required("reports.own")
def report_dashboard(request):
    try:
        period = reports.Period.from_params(request.GET)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        period = reports.Period.year(datetime.date.today().year)
    tables = reports.tables(request.organisation, period)
    export = request.GET.get("export")
    if export == "xlsx":
        return exports.download(exports.to_xlsx(tables), f"rapport-{period.start}-{period.end}.xlsx")
    if export == "csv":
        table = next((t for t in tables if t.slug == request.GET.get("table")), tables[0])
        return exports.download(exports.to_csv(table), f"{table.slug}-{period.start}-{period.end}.csv")
    context = {
        "period": period,
        "summary": reports.summary(request.organisation, period),
        "tables": tables,
        "can_annual": can(request.organisation, "reports.all"),
        "masks_small_counts": not sees_everything(request.organisation),
        "small_count_threshold": settings.REPORT_SMALL_COUNT_THRESHOLD,
    }
    return render(request, "reporting/report_dashboard.html", context)


@organisation_required("reports.all")
def annual_report(request, year):
    period = reports.Period.year(year)
    summary = reports.summary(request.organisation, period)
    headline = exports.Table(
        "synthese",
        "Synthèse",
        ["Indicateur", "Valeur"],
        [
            ["Opérations", summary["operations"]],
            ["Montant HT (€)", summary["amount_excl_vat"]],
            ["Heures négociées", summary["hours_negotiated"]],
            ["Heures validées", summary["hours_validated"]],
            ["Équivalents temps plein", summary["fte"]],
            ["Heures réalisées par des SIAE", summary["siae_hours"]],
            ["Chiffre d'affaires apporté aux SIAE (€)", summary["siae_turnover"]],
        ],
    )
    content = exports.to_xlsx([headline, *reports.tables(request.organisation, period)])
    return exports.download(content, f"rapport-annuel-{year}.xlsx")
