"""Proofs of hours (pay slips, timesheets, invoices): what an upload must be, where it is kept, and how it
is handed back.

A proof names a person and their pay: it never has a public address. It is kept in the ``proofs`` storage
(``settings.STORAGES``, outside ``MEDIA_ROOT``), whose ``url()`` refuses, and only ``proof_response``
hands it out, once the view has checked who asks (``HoursStatement.objects.proofs_readable_by``). In
production the web server can send the file itself: see ``PROOF_SENDFILE_HEADER`` in the README.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, InMemoryStorage
from django.http import FileResponse, HttpResponse

from common.uploads import check_size

# File signatures (magic numbers) -> (accepted extensions, content type): the extension alone proves nothing.
SIGNATURES = {
    b"%PDF-": ((".pdf",), "application/pdf"),
    b"\x89PNG\r\n\x1a\n": ((".png",), "image/png"),
    b"\xff\xd8\xff": ((".jpg", ".jpeg"), "image/jpeg"),
}
DEFAULT_MAX_BYTES = 5 * 1024 * 1024


def max_proof_bytes():
    """Upper size of a proof, from the ``PROCUREMENT_PROOF_MAX_BYTES`` setting (5 Mo when unset)."""
    return getattr(settings, "PROCUREMENT_PROOF_MAX_BYTES", DEFAULT_MAX_BYTES)


def check_proof(upload):
    """The content type of ``upload`` (read from its first bytes), or a French ValidationError unless it is
    a PDF, JPEG or PNG under the size limit."""
    if upload is None:
        raise ValidationError("Joignez un justificatif (bulletin de paie, relevé d'heures ou facture).")
    check_size(upload.size, limit=max_proof_bytes(), what="Le justificatif")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    name = upload.name.lower()
    for signature, (extensions, content_type) in SIGNATURES.items():
        if head.startswith(signature):
            if not name.endswith(extensions):
                raise ValidationError("L'extension du justificatif ne correspond pas à son contenu.")
            return content_type
    raise ValidationError("Le justificatif doit être un fichier PDF, JPEG ou PNG.")


class _NoUrl:
    def url(self, name):
        raise ValueError("Un justificatif n'a pas d'adresse publique : seule la vue des justificatifs le sert.")


class PrivateFileSystemStorage(_NoUrl, FileSystemStorage):
    """Proofs on disk, in ``PROOFS_ROOT`` (outside what any web server serves)."""


class PrivateInMemoryStorage(_NoUrl, InMemoryStorage):
    """Proofs in memory, for tests."""


def proof_response(statement):
    """The proof as a download: attachment, the content type found when it was checked, never sniffed.
    With ``PROOF_SENDFILE_HEADER`` set (``X-Accel-Redirect`` for nginx, ``X-Sendfile`` for Apache), the
    answer carries no body and the web server sends the file from ``PROOF_SENDFILE_PREFIX`` + its name."""
    name = f"justificatif-{statement.pk}.{statement.proof.name.rsplit('.', 1)[-1]}"
    content_type = statement.proof_content_type or "application/octet-stream"
    header = getattr(settings, "PROOF_SENDFILE_HEADER", "")
    if header:
        response = HttpResponse(content_type=content_type)
        response[header] = getattr(settings, "PROOF_SENDFILE_PREFIX", "/justificatifs-proteges/") + statement.proof.name
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    else:
        response = FileResponse(
            statement.proof.open("rb"), as_attachment=True, filename=name, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
