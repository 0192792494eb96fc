"""Tables exported to CSV and XLSX with French headers. Cells that a spreadsheet would run as a
formula (starting with =, +, -, @) are neutralised with a leading quote."""

import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from django.http import HttpResponse
from openpyxl.drawing.image import Image

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Table:
    """A titled table: what a page shows and what every export writes."""

    slug: str
    title: str
    columns: list
    rows: list


# kind of figure: (decimals shown on a page, unit after it, Excel number format of its cell). Excel writes the
# format with "," for thousands and "." for decimals and shows it in the reader's language: « 1 234,5 ».
NUMBER_KINDS = {
    "count": (0, "", "#,##0"),
    "hours": (0, "", "#,##0"),
    "euros": (0, " €", '#,##0" €"'),
    "money": (2, " €", '#,##0.00" €"'),
    "percent": (1, " %", "0.0 %"),
    "fte": (1, "", "#,##0.0"),
}


@dataclass(frozen=True)
class Number:
    """A figure and its kind: a page writes it the French way (« 12 345 », « 44,2 % »), a workbook keeps the
    exact number in its cell with the matching number format, a CSV the bare number. A percent is a fraction."""

    value: object
    kind: str = "count"

    def __str__(self):
        if self.value is None:
            return "—"
        decimals, unit, _ = NUMBER_KINDS[self.kind]
        value = Decimal(self.value) * 100 if self.kind == "percent" else self.value
        return french_number(value, decimals) + unit


def french_number(value, decimals=0):
    """« 12 345,7 »: rounded half up, thousands grouped by a no-break space and a decimal comma, as Django's
    French format writes them; done here because ``number_format`` cuts digits off instead of rounding, and costs
    a tenth of a millisecond a call (a report writes thousands)."""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{rounded:,.{decimals}f}".replace(",", "\xa0").replace(".", ",")


def neutralise(value):
    """Quotes text a spreadsheet would run as a formula; decimals become numbers, the same on every database."""
    if isinstance(value, Number):
        value = value.value
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    if isinstance(value, Decimal):
        return float(value)
    return value


def _frame(table):
    return pd.DataFrame([[neutralise(v) for v in row] for row in table.rows], columns=table.columns)


def to_csv(table):
    """UTF-8 with BOM and semicolons, as French spreadsheets expect. Lines end with CRLF, so that a field holding
    a lone carriage return (a name typed as "\r=1+1") is quoted instead of cutting its row in two."""
    return _frame(table).to_csv(index=False, sep=";", lineterminator="\r\n").encode("utf-8-sig")


def to_xlsx(tables, *, images=()):
    """One sheet per table; ``images`` are (sheet title, PNG bytes) pairs added as charts."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for table in tables:
            _frame(table).to_excel(writer, sheet_name=table.title[:31], index=False)
            sheet = writer.sheets[table.title[:31]]
            for row_number, row in enumerate(table.rows, start=2):
                for column_number, value in enumerate(row, start=1):
                    if isinstance(value, Number):
                        sheet.cell(row_number, column_number).number_format = NUMBER_KINDS[value.kind][2]
            for column in sheet.columns:
                sheet.column_dimensions[column[0].column_letter].width = max(12, min(60, len(str(column[0].value)) + 4))
        for title, png in images:
            sheet = writer.book.create_sheet(title[:31])
            sheet.add_image(Image(io.BytesIO(png)), "A1")
    return buffer.getvalue()


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def download(content, filename):
    """The file as an attachment, its type read from the name's extension."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[filename.rsplit(".", 1)[1]])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
