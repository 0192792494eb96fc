"""Tables exported to CSV and XLSX with French headers. Cells that a spreadsheet would run as a
formula (starting with =, +, -, @) are neutralised with a leading quote."""

import io
from dataclasses import dataclass
from decimal import Decimal

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


def neutralise(value):
    """Quotes text a spreadsheet would run as a formula; decimals become numbers, the same on every database."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    if isinstance(value, Decimal):
        return float(value)
    return value


def _frame(table):
    return pd.DataFrame([[neutralise(v) for v in row] for row in table.rows], columns=table.columns)


def to_csv(table):
    """UTF-8 with BOM, semicolons and decimal commas, as French spreadsheets expect."""
    return _frame(table).to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


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
