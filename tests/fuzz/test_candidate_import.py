"""Bad files sent to the candidate import, through the page and the API: each gets a French message naming
the problem (and the line or column where there is one), and nothing is written. Good files in the
encodings and separators French spreadsheets produce are imported whole."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marketplace import imports
from marketplace.imports import COLUMNS
from marketplace.models import Candidate
from tests.fuzz import FUZZ
from tests.fuzz.files import blank_lines_csv, blank_row_bomb, csv_bytes, page_text, upload, xlsx_bytes, zip_bytes
from tests.marketplace.factories import CommuneFactory, JobTitleFactory
from tests.marketplace.test_import import row
from tests.reference.factories import paris_arrondissement

PAGE, API = "/candidats/importer/", "/api/v1/candidates/import/"


@pytest.fixture
def job_title(db):
    CommuneFactory()
    return JobTitleFactory()


@pytest.fixture
def good_rows(job_title):
    """The header and two valid rows, one with accents, as lists of values."""
    rows = [row(job_title), row(job_title, nom="Lefèvre", prenom="Hélène", commune="75119")]
    return [COLUMNS, *([values[column] for column in COLUMNS] for values in rows)]


def send(channel, client, api, name, content):
    """Posts the file through the page or the API; returns the French messages shown."""
    if channel == "page":
        response = client.post(PAGE, {"file": upload(name, content)})
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            return []
        shown = list(response.context["errors"]) + [m for ms in response.context["form"].errors.values() for m in ms]
        assert shown and all(message in page_text(response) for message in shown)
        return shown
    response = api.post(API, {"file": upload(name, content)}, format="multipart")
    assert response.status_code in (201, 400), response.content
    return [] if response.status_code == 201 else [m for ms in response.json().values() for m in ms]


@pytest.fixture(params=["page", "api"])
def post(request, client_as, api_as, prescriber):
    client, api = client_as(prescriber), api_as(prescriber)
    return lambda name, content: send(request.param, client, api, name, content)


def replace(rows, line, column, value):
    """A copy of ``rows`` with one cell changed (line 0 is the header)."""
    rows = [list(values) for values in rows]
    rows[line][COLUMNS.index(column) if line else column] = value
    return rows


@pytest.mark.parametrize(
    ("encoding", "sep", "bom"),
    [
        ("utf-8", ";", b"\xef\xbb\xbf"),
        ("utf-8", ",", b""),
        ("cp1252", ";", b""),
        ("utf-16-le", "\t", b"\xff\xfe"),
    ],
    ids=["utf8-bom", "comma", "windows-1252", "utf16-tabs"],
)
def test_csv_as_spreadsheets_save_it_is_imported_whole(post, good_rows, prescriber_org, encoding, sep, bom):
    assert post("vivier.csv", bom + csv_bytes(good_rows, sep=sep, encoding=encoding)) == []

    assert set(Candidate.objects.filter(prescriber=prescriber_org).values_list("first_name", "last_name")) == {
        ("Camille", "Exemple"),
        ("Hélène", "Lefèvre"),
    }


def test_xlsx_with_real_dates_and_numbers_is_imported(post, good_rows):
    import datetime

    rows = replace(good_rows, 1, "date_naissance", datetime.datetime(1998, 3, 15))
    rows = replace(rows, 1, "distance_max_km", 12)
    assert post("vivier.xlsx", xlsx_bytes(rows)) == []
    assert Candidate.objects.get(last_name="Exemple").max_commute_km == 12


BROKEN = {
    "random bytes": ("vivier.csv", lambda rows: bytes(range(256)) * 4, "L'encodage du fichier n'est pas reconnu"),
    "binary that decodes": ("vivier.csv", lambda rows: b"nom;prenom\x00\x01\x02" * 50, "caractères de contrôle"),
    "utf-16 without its mark": (
        "vivier.csv",
        lambda rows: csv_bytes(rows, encoding="utf-16-le"),
        "caractères de contrôle (octets nuls, binaire)",
    ),
    "utf-8 spoilt by one latin-1 line": (
        "vivier.csv",
        lambda rows: csv_bytes(rows) + csv_bytes(rows[2:], encoding="latin-1"),
        "mélange des encodages",
    ),
    "truncated workbook": ("vivier.xlsx", lambda rows: xlsx_bytes(rows)[:600], "Le classeur Excel est illisible"),
    "zip of something else": (
        "vivier.xlsx",
        lambda rows: zip_bytes({"notes.txt": csv_bytes(rows)}),
        "archive ZIP mais pas un classeur",
    ),
    "csv named .xlsx": ("vivier.xlsx", csv_bytes, "l'extension .xlsx mais n'est pas un classeur"),
    "workbook named .csv": ("vivier.csv", xlsx_bytes, "l'extension .csv mais contient un classeur"),
    "pdf": ("vivier.pdf", lambda rows: b"%PDF-1.4", "doit être au format CSV ou XLSX"),
    "empty": ("vivier.csv", lambda rows: b"", "vide"),
    "blank lines only": (
        "vivier.csv",
        lambda rows: b"\r\n\r\n",
        "Le fichier est vide : la première ligne doit nommer les colonnes",
    ),
    "unclosed quote": (
        "vivier.csv",
        lambda rows: csv_bytes(rows) + b'"Exemple;Camille\r\n',
        "Le CSV est mal formé vers la ligne 4",
    ),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_a_broken_file_gets_a_french_message_and_writes_nothing(post, good_rows, case):
    name, make, message = BROKEN[case]

    shown = post(name, make(good_rows))

    assert any(message in text for text in shown), shown
    assert not Candidate.objects.exists()


def header_case(good_rows, change):
    rows = [list(values) for values in good_rows]
    change(rows)
    return rows


COLUMN_CASES = {
    "header only": (lambda rows: rows.__delitem__(slice(1, None)), ["aucune ligne de candidat"]),
    "missing column": (
        lambda rows: [values.pop(1) for values in rows],
        ["Colonne(s) manquante(s) : prenom."],
    ),
    "misspelt column": (
        lambda rows: rows[0].__setitem__(1, "Prénom"),
        ["Colonne(s) manquante(s) : prenom.", "Colonne(s) inconnue(s) : prénom (colonnes possibles : nom, prenom"],
    ),
    "repeated column": (
        lambda rows: [values.append(values[0]) for values in rows],
        ["Colonne(s) en double : nom."],
    ),
    "value past the header": (
        lambda rows: rows[2].append("en trop"),
        ["Ligne 3 : valeur « en trop » en colonne T, qui n'a pas d'en-tête"],
    ),
}


@pytest.mark.parametrize("case", COLUMN_CASES, ids=list(COLUMN_CASES))
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_wrong_columns_are_named(post, good_rows, case, extension):
    change, messages = COLUMN_CASES[case]
    rows = header_case(good_rows, change)
    content = csv_bytes(rows) if extension == "csv" else xlsx_bytes(rows)

    shown = " ".join(post(f"vivier.{extension}", content))

    assert all(message in shown for message in messages), shown
    assert not Candidate.objects.exists()


FORMULAS = {
    ("nom", '=HYPERLINK("http://evil.example","x")'): "« nom » commence par « = » comme une formule de tableur",
    ("prenom", "@SUM(A1:A2)"): "« prenom » commence par « @ » comme une formule de tableur",
    ("nom", "-1+1"): "« nom » commence par « - » comme une formule de tableur",
    ("telephone", "+cmd|' /C calc'!A0"): "téléphone « +cmd|' /C calc'!A0 » invalide",
    ("telephone", "-1+1"): "téléphone « -1+1 » invalide",
    ("email", "=1+1@evil.example"): "« email » commence par « = » comme une formule de tableur",
}


@pytest.mark.parametrize("cell", FORMULAS, ids=[f"{c}={v}" for c, v in FORMULAS])
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_a_formula_in_a_cell_is_refused_with_its_line(post, good_rows, cell, extension):
    column, formula = cell
    rows = replace(good_rows, 2, column, formula)
    content = csv_bytes(rows) if extension == "csv" else xlsx_bytes(rows)

    shown = " ".join(post(f"vivier.{extension}", content))

    assert f"Ligne 3 : {FORMULAS[cell]}" in shown or ("Ligne 3 :" in shown and FORMULAS[cell] in shown), shown
    assert not Candidate.objects.exists()


def test_a_phone_in_international_form_is_kept(post, good_rows):
    assert post("vivier.csv", csv_bytes(replace(good_rows, 1, "telephone", "+33 6 12 34 56 78"))) == []
    assert Candidate.objects.get(last_name="Exemple").phone == "+33 6 12 34 56 78"


def test_text_longer_than_its_field_is_refused_not_cut(post, good_rows):
    shown = " ".join(post("vivier.csv", csv_bytes(replace(good_rows, 1, "nom", "N" * 101))))

    assert "Ligne 2 : « nom » dépasse 100 caractères" in shown
    assert not Candidate.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_being_read(post, settings):
    settings.IMPORT_MAX_BYTES = 1000
    # Unreadable garbage: had it been read, the message would be about its content.
    shown = " ".join(post("vivier.xlsx", b"\x00" * 1001))

    assert "Le fichier dépasse la taille maximale de 1000\xa0octets." in shown
    assert not Candidate.objects.exists()


def test_a_workbook_that_unzips_to_a_huge_size_is_refused(post, settings):
    settings.IMPORT_MAX_BYTES = 10_000
    bomb = zip_bytes({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b" " * 300_000})
    assert len(bomb) < 10_000

    assert any("trop volumineux une fois décompressé" in text for text in post("vivier.xlsx", bomb))


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_too_many_rows_are_refused(post, good_rows, settings, extension):
    settings.IMPORT_MAX_ROWS = 3
    rows = good_rows + good_rows[1:]
    content = csv_bytes(rows) if extension == "csv" else xlsx_bytes(rows)

    assert any(
        "plus de 3 lignes : 3 candidats au plus par import" in text for text in post(f"vivier.{extension}", content)
    )
    assert not Candidate.objects.exists()


def test_a_workbook_of_blank_rows_is_refused_before_it_is_opened(post, monkeypatch):
    """The bomb found from outside: a few hundred Ko of blank rows held a worker 31 s (openpyxl reads a sheet whole
    when it does not state its size). It is now measured as it streams by, and openpyxl never opens it."""
    opened = []
    monkeypatch.setattr(imports.openpyxl, "load_workbook", lambda *a, **k: opened.append(1))
    bomb = blank_row_bomb(COLUMNS, 300_000)
    assert len(bomb) < 100_000

    shown = post("vivier.xlsx", bomb)

    assert shown == ["Le classeur compte plus de 5000 lignes : 5000 candidats au plus par import."]
    assert opened == []


def test_a_csv_of_blank_lines_is_read_no_further_than_the_limit(post, monkeypatch, settings):
    settings.IMPORT_MAX_ROWS = 100
    settings.IMPORT_BACKGROUND_BYTES = settings.IMPORT_MAX_BYTES  # read while the request waits, to watch it
    read = []
    lines = imports._csv_lines
    monkeypatch.setattr(imports, "_csv_lines", lambda text: (read.append(1) or line for line in lines(text)))

    shown = post("vivier.csv", blank_lines_csv(COLUMNS, 2_500_000))

    assert shown == ["Le fichier compte plus de 100 lignes : 100 candidats au plus par import."]
    assert len(read) == 102  # the header, the 100 lines allowed, and the one too many


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_blank_lines_within_the_limit_are_fine(post, good_rows, settings, extension):
    settings.IMPORT_MAX_ROWS = 3
    rows = [*good_rows, [""] * len(COLUMNS)]
    content = csv_bytes(rows) if extension == "csv" else xlsx_bytes(rows)

    assert post(f"vivier.{extension}", content) == []
    assert Candidate.objects.count() == 2


@FUZZ
@given(content=st.binary(max_size=3000), extension=st.sampled_from(["csv", "xlsx"]))
def test_arbitrary_bytes_get_a_french_error_page_never_a_500(client_as, prescriber, job_title, content, extension):
    response = client_as(prescriber).post(PAGE, {"file": upload(f"vivier.{extension}", content)})

    assert response.status_code == 200
    page = page_text(response)
    assert "Import refusé" in page or "Le fichier soumis est vide" in page
    assert not Candidate.objects.exists()


@pytest.fixture
def good_files(good_rows):
    """Built once per test: a workbook's bytes change with the time it is saved at."""
    return {"csv": csv_bytes(good_rows), "xlsx": xlsx_bytes(good_rows)}


@FUZZ
@given(data=st.data(), extension=st.sampled_from(["csv", "xlsx"]))
def test_a_damaged_good_file_imports_all_or_nothing(client_as, prescriber, good_files, data, extension):
    """Changing bytes of a good file never gives a 500, nor a partial import."""
    content = bytearray(good_files[extension])
    for _ in range(data.draw(st.integers(1, 4))):
        content[data.draw(st.integers(0, len(content) - 1))] = data.draw(st.integers(0, 255))
    before = Candidate.objects.count()

    response = client_as(prescriber).post(PAGE, {"file": upload(f"vivier.{extension}", bytes(content))})

    assert response.status_code in (200, 302)
    assert Candidate.objects.count() - before in (0, 2)


@FUZZ
@given(data=st.data(), extension=st.sampled_from(["csv", "xlsx"]))
def test_a_cut_good_file_imports_the_rows_it_holds_or_nothing(client_as, prescriber, good_files, data, extension):
    """A file cut short (an interrupted copy) never gives a 500: what is imported is every row it still holds,
    or nothing (a workbook cut short is always unreadable)."""
    content = good_files[extension][: data.draw(st.integers(1, len(good_files[extension]) - 1))]
    before = Candidate.objects.count()

    response = client_as(prescriber).post(PAGE, {"file": upload(f"vivier.{extension}", content)})

    assert response.status_code in (200, 302)
    rows_held = (
        len([line for line in content.decode(errors="ignore").splitlines()[1:] if line.strip()])
        if extension == "csv"
        else 0
    )
    assert Candidate.objects.count() - before in (0, rows_held)


def test_the_template_a_prescriber_downloads_imports_as_is(client_as, prescriber, prescriber_org):
    JobTitleFactory(label="Maçon / Maçonne")
    paris_arrondissement(19)
    client = client_as(prescriber)
    template = client.get("/candidats/importer/modele.csv").content
    # No code a person could not read: French labels for the situation, criteria, jobs and contracts.
    for code in ("job_seeker", "under_26", "qpv_zrr", "10946", "cdi|cdd"):
        assert code.encode() not in template

    response = client.post(PAGE, {"file": upload("modele_import_candidats.csv", template)}, follow=True)

    assert "1 candidat importé." in page_text(response)
    candidate = Candidate.objects.get(prescriber=prescriber_org)
    assert (candidate.last_name, candidate.wanted_contract_types) == ("Exemple", ["cdi", "cdd"])
