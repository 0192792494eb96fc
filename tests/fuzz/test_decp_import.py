"""Bad DECP files, through the page and the ``import_decp`` command: a file that cannot be read gets a French
message naming the problem and writes nothing; a record that cannot be read is listed with its reasons and
is not written. Files in the encodings JSON allows are read."""

import codecs
import copy
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from procurement import decp as decp_module
from procurement.decp import import_decp
from procurement.models import Contract
from tests.accounts.factories import OrganisationFactory, member_of
from tests.fuzz import FUZZ
from tests.fuzz.files import page_text, upload, xlsx_bytes, zip_bytes

PAGE = "/marches/import-decp/"
RECORD = {
    "id": "PARIS-2024-101",
    "acheteur": {"id": "21750001600019"},
    "objet": "Déménagement des services de la direction des affaires scolaires",
    "codeCPV": "98392000",
    "dureeMois": 12,
    "dateNotification": "2024-06-03",
    "montant": 150000.0,
    "titulaires": [{"typeIdentifiant": "SIRET", "id": "44090956200041"}],
    "considerationsSociales": ["Clause sociale"],
}


def decp(*records):
    return json.dumps({"marches": list(records)}, ensure_ascii=False).encode()


@pytest.fixture
def paris(db):
    return OrganisationFactory(buyer=True, siret="21750001600019", name="Ville de Paris")


@pytest.fixture(params=["page", "command"])
def send(request, paris, client_as, tmp_path, capsys):
    """Sends a DECP file as a buyer through the page, or as the facilitator through the command; returns
    what the user reads."""
    if request.param == "page":
        client = client_as(member_of(paris))
        return lambda content: page_text(client.post(PAGE, {"file": upload("decp.json", content)}))

    def command(content):
        path = tmp_path / "decp.json"
        path.write_bytes(content)
        try:
            call_command("import_decp", str(path))
        except CommandError as exc:
            return str(exc)
        out, err = capsys.readouterr()
        return out + err

    return command


@pytest.mark.parametrize(
    "content",
    [
        codecs.BOM_UTF8 + decp(RECORD),
        codecs.BOM_UTF16_LE + decp(RECORD).decode().encode("utf-16-le"),
        json.dumps({"marches": {"marche": RECORD}}).encode(),
    ],
    ids=["utf8-bom", "utf16", "one record, not in a list"],
)
def test_files_json_allows_are_read(send, content):
    assert "1 marché(s) importé(s)" in send(content)
    assert Contract.objects.get().title == RECORD["objet"]


def nested(depth):
    return ("[" * depth + "]" * depth).encode()


BROKEN = {
    "latin-1": (decp(RECORD).decode().encode("latin-1"), "n'est pas un texte UTF-8, comme le format DECP l'exige"),
    "random bytes": (bytes(range(256)) * 4, "n'est pas un texte UTF-8"),
    "xml flavour": (b'<?xml version="1.0"?><marches></marches>', "au format XML : seul le format JSON"),
    "workbook named .json": (xlsx_bytes([["id"], ["x"]]), "n'est pas un texte UTF-8"),
    "zip": (zip_bytes({"decp.json": decp(RECORD)}), "n'est pas un texte UTF-8"),
    "csv": (b"id;objet\nA;B\n", "n'est pas un fichier JSON (il doit commencer par « { »)"),
    "truncated": (decp(RECORD)[:200], "n'est pas un JSON valide : erreur ligne 1, colonne"),
    "deeply nested": (nested(100_000), "imbriqué trop profondément"),
    "not an object": (b"[1, 2, 3]", "la clé « marches » est absente"),
    "marches is text": (b'{"marches": "tous"}', "la clé « marches » est absente"),
    "nul character": (
        decp(RECORD, dict(RECORD, id="PARIS-NUL", objet="Nettoyage\x00")),
        "caractère nul (\\u0000) ligne 1",
    ),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_an_unreadable_file_is_named_and_writes_nothing(send, case):
    content, message = BROKEN[case]

    assert message in send(content)
    assert not Contract.objects.exists()


def test_an_empty_file_is_refused(send):
    assert "vide" in send(b"")
    assert not Contract.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_being_read(send, settings):
    settings.IMPORT_MAX_BYTES = 100
    # Not even JSON: had it been read, the message would be about that.
    assert "Le fichier dépasse la taille maximale de 100\xa0octets." in send(b"\x00" * 101)


def test_too_many_records_are_refused(send, settings):
    settings.IMPORT_MAX_ROWS = 2
    records = [dict(RECORD, id=f"PARIS-{n}") for n in range(3)]

    assert "Le fichier compte plus de 2 marchés : 2 au plus par import." in send(decp(*records))
    assert not Contract.objects.exists()


def test_a_file_of_millions_of_empty_records_is_refused_before_it_is_parsed(send, monkeypatch):
    """Found from outside: 10 Mo of « {} » records cost a worker a second and 260 Mo before the count refused them."""
    parsed = []
    monkeypatch.setattr(decp_module, "_Reader", lambda *a, **k: parsed.append(1))
    bomb = b'{"marches": [' + b",".join([b"{}"] * 3_000_000) + b"]}"
    assert len(bomb) < 10 * 1024 * 1024

    assert "Le fichier compte bien plus de valeurs que 5000 marchés n'en ont : 5000 au plus." in send(bomb)
    assert parsed == []


@pytest.mark.parametrize("shape", ["flat", "wrapped"])
def test_records_are_read_no_further_than_the_limit(send, settings, monkeypatch, shape):
    settings.IMPORT_MAX_ROWS = 100
    decoded = []

    class CountingDecoder(json.JSONDecoder):
        def raw_decode(self, text, position=0):
            decoded.append(text[position])
            return super().raw_decode(text, position)

    monkeypatch.setattr(decp_module.json, "JSONDecoder", CountingDecoder)
    records = [dict(RECORD, id=f"PARIS-{n}") for n in range(150)]
    content = decp(*records) if shape == "flat" else json.dumps({"marches": {"marche": records}}).encode()

    assert "Le fichier compte plus de 100 marchés : 100 au plus par import." in send(content)
    assert decoded.count("{") == 100  # the records allowed, then the refusal: the 49 others are never decoded
    assert not Contract.objects.exists()


def record_with(**changes):
    record = copy.deepcopy(RECORD)
    record.update(changes)
    return record


WRONG_TYPES = {
    "record is text": ("PARIS-A", "Enregistrement illisible."),
    "buyer is a list": (record_with(id="PARIS-B", acheteur=["21750001600019"]), "SIRET de l'acheteur (acheteur.id)"),
    "holders is a number": (record_with(id="PARIS-C", titulaires=5), None),
    "holder is text": (record_with(id="PARIS-D", titulaires=["44090956200041"]), "SIRET du titulaire invalide"),
    "amount is a list": (record_with(id="PARIS-E", montant=[150000]), "Montant manquant ou illisible"),
    "amount is true": (record_with(id="PARIS-F", montant=True), "Montant manquant ou illisible"),
    "amount too large": (record_with(id="PARIS-G", montant=1e300), "Montant hors limites"),
    "duration is text": (record_with(id="PARIS-H", dureeMois="12"), "Durée invalide : « 12 »"),
    "duration past year 9999": (record_with(id="PARIS-I", dureeMois=10**9), "Durée invalide"),
    "date is an object": (record_with(id="PARIS-J", dateNotification={"jour": 3}), "date de notification"),
    "id is a list": (record_with(id=["PARIS-K"]), "Champ obligatoire manquant : identifiant (id)."),
    "id too long": (record_with(id="P" * 101), "Identifiant trop long : 100 caractères au plus (id)."),
    "title is an object": (record_with(id="PARIS-L", objet={"fr": "x"}), "Champ obligatoire manquant : objet"),
}


@pytest.mark.parametrize("case", WRONG_TYPES, ids=list(WRONG_TYPES))
def test_a_record_of_wrong_types_is_listed_and_not_written(send, case):
    record, reason = WRONG_TYPES[case]
    shown = send(decp(RECORD, record))

    if reason is None:  # a holder list that is no list: no holder to check, the record is fine
        assert "2 marché(s) importé(s)" in shown
    else:
        assert "1 marché(s) importé(s)" in shown and "1 en erreur" in shown
        assert reason in shown
        assert list(Contract.objects.values_list("decp_id", flat=True)) == [RECORD["id"]]


def test_a_single_consideration_as_text_still_counts(send):
    """Files converted from XML give a one-item list as the item alone."""
    record = record_with(considerationsSociales={"considerationSociale": "Clause sociale"})

    assert "1 marché(s) importé(s)" in send(decp(record))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)


@FUZZ
@given(content=st.binary(max_size=3000))
def test_arbitrary_bytes_get_a_french_message_never_a_500(client_as, paris, content):
    response = client_as(member_of(paris)).post(PAGE, {"file": upload("decp.json", content)})

    assert response.status_code == 200
    assert not Contract.objects.exists()


# Where a value goes in a record: a field, or a field of a nested object or list.
PLACES = [(field,) for field in sorted(RECORD)] + [
    ("acheteur", "id"),
    ("titulaires", 0),
    ("titulaires", 0, "id"),
    ("titulaires", 0, "typeIdentifiant"),
    ("considerationsSociales", 0),
]


def record_with_value_at(place, value):
    record = copy.deepcopy(RECORD)
    *parents, last = place
    target = record
    for key in parents:
        target = target[key]
    target[last] = value
    return record


@FUZZ
@given(place=st.sampled_from(PLACES), value=JSON)
def test_any_json_anywhere_in_a_record_is_either_imported_or_listed(paris, place, value):
    """Whatever a field holds, the record is imported as a valid one would be, or listed with reasons: the
    service never fails on it."""
    record = record_with_value_at(place, value)
    before = Contract.objects.count()

    try:
        report = import_decp(raw=decp(record), organisation=paris)
    except ValidationError as exc:  # the only refusal of a whole file of valid JSON
        assert "caractère nul" in exc.messages[0] and "\\u0000" in json.dumps(value)
        assert Contract.objects.count() == before
        return
    outcomes = len(report.created) + len(report.rejected) + len(report.already_imported)
    assert outcomes + report.without_social_consideration == 1
    assert Contract.objects.count() - before == len(report.created)
    assert all(reasons for _, reasons in report.rejected)
