import unicodedata


def normalize_search_text(text):
    """Lower-case, strip accents and squeeze spaces: the form both stored labels and queries take."""
    decomposed = unicodedata.normalize("NFKD", text)
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(without_accents.casefold().split())
