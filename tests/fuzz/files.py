"""Files as users really send them, right or broken: CSV in several encodings, workbooks, archives."""

import html
import io
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
