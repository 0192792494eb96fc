"""Report pages: the activity report of a period with its CSV and XLSX exports, and the facilitator's annual
workbook."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render

from accounts.perms import can, organisation_required
from common import exports
from reporting import reports

# Years a report may cover: public contracts with social clauses in Paris date from the 2000s.
REPORT_YEARS = (2000, 2100)


@organisation_required("reports.own")
def report_dashboard(request):
    """The activity report (*bilan d'activité*): every contract for the facilitator, its own for a buyer."""
    try:
        period = reports.Period.from_params(request.GET)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        period = reports.Period.year(datetime.date.today().year)
    report = reports.ActivityReport(request.organisation, period)
    tables = report.tables()
    export = request.GET.get("export")
    if export == "xlsx":
        return exports.download(exports.to_xlsx(tables), f"bilan-{period.start}-{period.end}.xlsx")
    if export == "csv":
        table = next((t for t in tables if t.slug == request.GET.get("table")), tables[0])
        return exports.download(exports.to_csv(table), f"{table.slug}-{period.start}-{period.end}.csv")
    context = {
        "period": period,
        "report": report,
        "tables": tables,
        "can_annual": can(request.organisation, "reports.all"),
    }
    return render(request, "reporting/report_dashboard.html", context)


@organisation_required("reports.all")
def annual_report(request, year):
    """The facilitator's year as one workbook: the same tables as the page, one sheet each."""
    if not REPORT_YEARS[0] <= year <= REPORT_YEARS[1]:  # /annuel/0.xlsx or 99999.xlsx: no such report
        raise Http404("Aucun rapport pour cette année.")
    report = reports.ActivityReport(request.organisation, reports.Period.year(year))
    return exports.download(exports.to_xlsx(report.tables()), f"bilan-annuel-{year}.xlsx")
