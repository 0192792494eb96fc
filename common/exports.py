"""Tables exported to CSV and XLSX with French headers. Cells that a spreadsheet would run as a
formula (starting with =, +, -, @) are neutralised with a leading quote."""

import io
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from django.http import HttpResponse
from openpyxl.drawing.image import Image

from common import formats

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Table:
    """A titled table: what a page shows and what every export writes."""

    slug: str
    title: str
    columns: list
    rows: list


# kind of figure: (most decimals shown on a page, unit after it, Excel number format of its cell, None for the
# value's own: whole or with its decimals). Excel writes the format with "," for thousands and "." for decimals and
# shows it in the reader's language: « 1 234,5 ». Hours keep their decimals (half hours are declared): rounded, a
# contract's 2,558 h due and 2,554.5 h validated would read 2,554 validated and 4 missing beside a penalty of 3.5 h.
NUMBER_KINDS = {
    "count": (0, "", "#,##0"),
    "hours": (2, "", None),
    "euros": (0, " €", '#,##0" €"'),
    "money": (2, " €", '#,##0.00" €"'),
    "percent": (1, " %", "0.0 %"),
    "fte": (1, "", "#,##0.0"),
}


@dataclass(frozen=True)
class Number:
    """A figure and its kind: a page writes it the French way (``common.formats.number``: « 12 345 », « 44,2 % »),
    a workbook keeps the exact number in its cell with the kind's number format, a CSV the bare number. A percent
    is a fraction."""

    value: object
    kind: str = "count"

    def __str__(self):
        if self.value is None:
            return "—"
        decimals, unit, _ = NUMBER_KINDS[self.kind]
        value = Decimal(self.value) * 100 if self.kind == "percent" else self.value
        return formats.number(value, decimals) + unit


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
    """UTF-8 with BOM, semicolons and decimal commas, as French spreadsheets expect. Lines end with CRLF, so that a
    field holding a lone carriage return (a name typed as "\r=1+1") is quoted instead of cutting its row in two."""
    return _frame(table).to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n").encode("utf-8-sig")


# Number formats of the XLSX cells: codes are written the English way in the file and shown by the reader's
# spreadsheet in its own language (« 1 234,5 » in French), and cells stay numbers.
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"


def _format_numbers(sheet):
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, bool) or not isinstance(cell.value, int | float):
                continue
            cell.number_format = INTEGER_FORMAT if float(cell.value).is_integer() else DECIMAL_FORMAT


def to_xlsx(tables, *, images=()):
    """One sheet per table; ``images`` are (sheet title, PNG bytes) pairs added as charts."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for table in tables:
            _frame(table).to_excel(writer, sheet_name=table.title[:31], index=False)
            sheet = writer.sheets[table.title[:31]]
            _format_numbers(sheet)
            # A figure that says its kind (hours, euros, a share...) gets that kind's format instead.
            for row_number, row in enumerate(table.rows, start=2):
                for column_number, value in enumerate(row, start=1):
                    if isinstance(value, Number) and NUMBER_KINDS[value.kind][2]:
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
