"""Typos in job title searches: "cuisinnier", "plonbier", "jardinnier" find cuisinier, plombier, jardinier.

Search as you type requires every typed word to start a word of a label. A word that starts none is a typo
(or a word no label has): it is replaced by the beginnings of label words closest to it, at one edit
(a letter added, missing, replaced, or two swapped) for words of 4 to 7 letters, two from 8, none under 4.
Both databases run the same search, so the answers are the same on SQLite and PostgreSQL.

The words of every label are kept in memory per process (6,700 words and their 24,000 beginnings by length: a
few megabytes, built in a quarter of a second) and compared with rapidfuzz. The database is asked whether they
are still current only when a typed word starts none of them: that costs one query on the typo path, none
on the usual one. A label edited in place keeps its old words until the process restarts.
"""

import bisect
import threading

from django.db.models import Count, Max, Sum
from rapidfuzz import process
from rapidfuzz.distance import OSA

SHORTEST = 4
LONG = 8
MOST_CORRECTIONS = 10


def max_edits(word):
    if len(word) < SHORTEST:
        return 0
    return 1 if len(word) < LONG else 2


class Vocabulary:
    """The words of the job title labels (normalised as ``search_text``) and their beginnings by length."""

    def __init__(self, texts, fingerprint=None):
        self.fingerprint = fingerprint
        self.words = sorted({word for text in texts for word in text.split()})
        longest = max((len(w) for w in self.words), default=0)
        self.beginnings = {
            length: sorted({w[:length] for w in self.words if len(w) >= length})
            for length in range(SHORTEST - 2, longest + 1)
        }

    def starts_a_word(self, token):
        i = bisect.bisect_left(self.words, token)
        return i < len(self.words) and self.words[i].startswith(token)

    def corrections(self, token):
        """The beginnings of words closest to ``token`` (fewest edits first, then alphabetical); none when
        ``token`` already starts a word, is too short, or nothing is close enough."""
        edits = max_edits(token)
        if not edits or self.starts_a_word(token):
            return []
        found = []
        for length in range(len(token) - edits, len(token) + edits + 1):
            choices = self.beginnings.get(length, ())
            found += [
                (distance, beginning)
                for beginning, distance, _ in process.extract(
                    token, choices, scorer=OSA.distance, score_cutoff=edits, limit=None
                )
            ]
        if not found:
            return []
        fewest = min(distance for distance, _ in found)
        return sorted({beginning for distance, beginning in found if distance == fewest})[:MOST_CORRECTIONS]


_vocabulary = None
_lock = threading.Lock()


def _fingerprint(queryset):
    """Changes whenever job titles are added or removed (count, highest and sum of codes OGR): one query."""
    return tuple(queryset.aggregate(n=Count("pk"), top=Max("pk"), total=Sum("pk")).values())


def vocabulary(queryset, *, check=False):
    """The process's vocabulary of ``queryset``'s labels; with ``check``, rebuilt if job titles changed."""
    global _vocabulary
    with _lock:
        if _vocabulary is None or check:
            fingerprint = _fingerprint(queryset)
            if _vocabulary is None or _vocabulary.fingerprint != fingerprint:
                _vocabulary = Vocabulary(queryset.values_list("search_text", flat=True), fingerprint)
        return _vocabulary


def corrections(queryset, tokens):
    """``{token: [beginnings of words it was probably meant to be]}`` for the tokens that start no word."""
    words = vocabulary(queryset)
    if all(words.starts_a_word(t) or not max_edits(t) for t in tokens):
        return {}
    words = vocabulary(queryset, check=True)
    return {token: found for token in tokens if (found := words.corrections(token))}
