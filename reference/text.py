import re
import unicodedata

# Ligatures that NFKD leaves alone but that people type as two letters ("oeuvre" for "œuvre").
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})
_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")


def normalize_search_text(text):
    """Lower-case, strip accents, turn punctuation into spaces and squeeze them: the form both the
    stored ``search_text`` columns and the queries take, so that "macon" and "MAÇON" find
    "Maçon / Maçonne", and "aide macon" finds "Aide-maçon", on SQLite and PostgreSQL alike."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_ALPHANUMERIC.sub(" ", without_accents).split())


def commune_search_text(name, postcodes):
    return normalize_search_text(f"{name} {postcodes}")
