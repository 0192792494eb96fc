"""Files as users really send them, right or broken: CSV in several encodings, workbooks, archives."""

import html
import io
import re
import zipfile

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile


def csv_bytes(rows, *, sep=";", encoding="utf-8"):
    """``rows``: lists of values, the header first."""
    return "".join(sep.join(values) + "\r\n" for values in rows).encode(encoding)


def xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    for values in rows:
        workbook.active.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(members):
    """An archive of ``{name: bytes}``, deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


def page_text(response):
    """The page as a reader sees it (entities such as &#x27; decoded)."""
    return html.unescape(response.content.decode())


def blank_row_bomb(header, blank_rows):
    """A workbook with ``header`` then ``blank_rows`` rows of one empty cell, and no dimension saying where the
    sheet ends: about 140 Ko zipped per million rows, fifty times more once unzipped, as found from outside."""
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes([header]))) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    sheet = re.sub(r"<dimension [^>]*/>", "", members["xl/worksheets/sheet1.xml"].decode())
    members["xl/worksheets/sheet1.xml"] = sheet.replace(
        "</sheetData>", '<row><c t="s"/></row>' * blank_rows + "</sheetData>"
    ).encode()
    return zip_bytes(members)


def blank_lines_csv(header, blank_lines, sep=";"):
    """A CSV with ``header`` then ``blank_lines`` empty lines (5 Mo for about 2.5 million)."""
    return (sep.join(header) + "\r\n" + "\r\n" * blank_lines).encode()
