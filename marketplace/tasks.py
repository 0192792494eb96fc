"""Background jobs of the marketplace, queued in the database (django-tasks); ``manage.py db_worker`` runs them.
Pages and the API queue a large import here; the import itself (``imports``) knows nothing of the queue."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django_tasks import task

from accounts import perms
from audit import context
from common.uploads import check_size
from marketplace import imports
from marketplace.models import CandidateImport


@task()
def run_candidate_import(job_id):
    """A large candidate import (``queue_import``); returns its state."""
    return imports.run_import(job_id).state


def queue_import(*, uploaded, organisation, actor):
    """Keeps the file (its size checked first) and queues its import; the page and the API show the result
    once a ``db_worker`` has run it. Returns the ``CandidateImport``."""
    if not perms.can(organisation, "candidate.manage"):
        raise PermissionDenied("Seul un prescripteur importe des candidats dans son vivier.")
    try:
        check_size(uploaded.size, limit=settings.IMPORT_MAX_BYTES)
    except ValidationError as exc:
        raise imports.CandidateImportError(exc.messages) from exc
    uploaded.seek(0)
    origin = context.current()
    job = CandidateImport.objects.create(
        organisation=organisation,
        actor=actor,
        file_name=uploaded.name[:200],
        content=uploaded.read(),
        origin={"channel": origin.channel, "ip_address": origin.ip_address, "user_agent": origin.user_agent},
    )
    run_candidate_import.enqueue(job_id=job.pk)
    return job
