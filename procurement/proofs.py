"""Checks on uploaded proofs of hours: the content must really be a PDF, JPEG or PNG, and small enough."""

from django.conf import settings
from django.core.exceptions import ValidationError

from common.uploads import check_size

# File signatures (magic numbers) -> accepted extensions: the extension alone proves nothing.
SIGNATURES = {
    b"%PDF-": (".pdf",),
    b"\x89PNG\r\n\x1a\n": (".png",),
    b"\xff\xd8\xff": (".jpg", ".jpeg"),
}
DEFAULT_MAX_BYTES = 5 * 1024 * 1024


def max_proof_bytes():
    """Upper size of a proof, from the ``PROCUREMENT_PROOF_MAX_BYTES`` setting (5 Mo when unset)."""
    return getattr(settings, "PROCUREMENT_PROOF_MAX_BYTES", DEFAULT_MAX_BYTES)


def check_proof(upload):
    """Raises a French ValidationError unless ``upload`` is a PDF, JPEG or PNG under the size limit."""
    if upload is None:
        raise ValidationError("Joignez un justificatif (bulletin de paie, relevé d'heures ou facture).")
    check_size(upload.size, limit=max_proof_bytes(), what="Le justificatif")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    name = upload.name.lower()
    for signature, extensions in SIGNATURES.items():
        if head.startswith(signature):
            if not name.endswith(extensions):
                raise ValidationError("L'extension du justificatif ne correspond pas à son contenu.")
            return
    raise ValidationError("Le justificatif doit être un fichier PDF, JPEG ou PNG.")
