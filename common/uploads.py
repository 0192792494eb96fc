"""Checks shared by every file a user sends (proofs of hours, candidate and DECP imports): the size is checked
before anything reads the content, and the content, not only the name, says what the file is."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

ZIP_SIGNATURE = b"PK\x03\x04"


def check_size(size, *, limit, what="Le fichier"):
    """Raises a French ValidationError for an empty file or one over ``limit`` bytes."""
    if not size:
        raise ValidationError(f"{what} est vide.")
    if size > limit:
        raise ValidationError(f"{what} dépasse la taille maximale de {filesizeformat(limit)}.")
