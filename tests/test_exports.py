"""Every CSV and XLSX the site hands out, downloaded as the role allowed to, with spreadsheet formulas in every
free-text field: no cell may start as a formula (=, +, -, @, tabulation, carriage return) unless neutralised
by a leading quote, and numbers stay numbers. The list of exports is checked against the URLconf, so that a
new export cannot be added without being walked here."""

import csv
import html
import inspect
import io
import re

import openpyxl
import pytest
from django.conf import settings
from django.urls import URLResolver, get_resolver, reverse

from common.exports import FORMULA_PREFIXES, neutralise
from tests.api.world import build_world

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "-1+1", "@SUM(1+1)", "\t=1+1", "\r=1+1"]
NEUTRALISED = tuple(f"'{formula}" for formula in FORMULAS)
# A number written as text behind a quote, as neutralising it by mistake would.
QUOTED_NUMBER = re.compile(r"'-?\d+([.,]\d+)?")
# What in a view's code says it writes a spreadsheet.
EXPORT_MARKERS = ("to_csv(", "to_xlsx(", "text/csv", "spreadsheetml")


def dashboard_downloads(client, url):
    """The export links of a report page, as a user clicks them."""
    page = client.get(url).content.decode()
    return [url + html.unescape(query) for query in re.findall(r'href="(\?[^"]*export=[^"]*)"', page)]


# url name: (role allowed, the downloads of that view given the world and a client, whether free text shows)
EXPORTS = {
    "procurement:contract_export": (
        "buyer",
        lambda world, client: [reverse("procurement:contract_export", args=[world["contract"].pk])],
        False,  # hours by modality and month only
    ),
    "reporting:report_dashboard": (
        "facilitator",
        lambda world, client: dashboard_downloads(client, "/marches/rapports/?from=2024-01-01&to=2024-12-31"),
        True,
    ),
    "reporting:annual_report": (
        "facilitator",
        lambda world, client: [reverse("reporting:annual_report", args=[2024])],
        True,
    ),
    "marketplace:placement_export": (
        "facilitator",
        lambda world, client: [reverse("marketplace:placement_export")],
        True,
    ),
    # Found by hand: the view hands the writing to ``marketplace.personal_data``.
    "marketplace:candidate_export": (
        "facilitator",
        lambda world, client: [reverse("marketplace:candidate_export", args=[world["candidates"][0].pk, "xlsx"])],
        True,
    ),
    "marketplace:candidate_import_template": (
        "prescriber",
        lambda world, client: [reverse("marketplace:candidate_import_template")],
        False,  # a fixed example row
    ),
}


def views_writing_spreadsheets():
    """Names of this project's URL patterns whose view code writes a CSV or an XLSX."""
    found = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
                continue
            callback = pattern.callback
            view = getattr(callback, "cls", None) or getattr(callback, "view_class", None) or inspect.unwrap(callback)
            try:
                path, source = inspect.getsourcefile(view), inspect.getsource(view)
            except (TypeError, OSError):  # built-in or generated at run time
                continue
            if path.startswith(str(settings.BASE_DIR)) and any(marker in source for marker in EXPORT_MARKERS):
                found.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return found


def test_every_export_of_the_urlconf_is_walked_below():
    assert views_writing_spreadsheets() - set(EXPORTS) == set()


@pytest.fixture
def world(organisations):
    for formula, organisation in zip(FORMULAS * 2, organisations.values(), strict=False):
        organisation.name = f"{formula} {organisation.name}"
        organisation.save(update_fields=["name"])
    return build_world(organisations, text=FORMULAS[0])


def cells(response):
    """Every cell of a downloaded CSV (strings) or XLSX (typed values; a formula cell fails the test)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("text/csv"):
        assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, as French spreadsheets expect
        return [value for row in csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";") for value in row]
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    values = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            assert not [cell.coordinate for cell in row if cell.data_type == "f"], f"formula in {sheet.title}"
            values += [cell.value for cell in row if cell.value is not None]
    return values


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_an_export_neutralises_every_formula(name, world, request, client_as):
    role, downloads, shows_free_text = EXPORTS[name]
    client = client_as(request.getfixturevalue(role))
    urls = downloads(world, client)
    assert urls

    values = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        values += cells(response)
    assert [v for v in values if isinstance(v, str) and v.startswith(FORMULA_PREFIXES)] == []
    assert [v for v in values if isinstance(v, str) and QUOTED_NUMBER.fullmatch(v)] == []
    if shows_free_text:
        # The formulas reached the files, neutralised, next to figures that stayed numbers.
        assert any(isinstance(v, str) and v.startswith(NEUTRALISED) for v in values)
        assert any(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("-1+1", "'-1+1"),
        ("\t=1", "'\t=1"),
        ("Bâtiment", "Bâtiment"),
        (-5, -5),
        (-2.5, -2.5),
    ],
)
def test_neutralise_quotes_text_not_numbers(value, written):
    assert neutralise(value) == written
