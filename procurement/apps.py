from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.core import checks


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = "Marchés et heures d'insertion"

    def ready(self):
        from common import dashboard
        from procurement import dashboard as procurement_dashboard

        dashboard.register(procurement_dashboard.work)
        checks.register(proofs_are_not_public, checks.Tags.security, deploy=False)


def proofs_are_not_public(app_configs, **kwargs):
    """Proofs must not sit where static or media files are served from (``procurement/proofs.py``)."""
    location = settings.STORAGES.get("proofs", {}).get("OPTIONS", {}).get("location")
    if not location:
        return []
    proofs = Path(location).resolve()
    errors = []
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        public = getattr(settings, name, None)
        if public and (proofs == Path(public).resolve() or Path(public).resolve() in proofs.parents):
            errors.append(
                checks.Error(
                    f"PROOFS_ROOT ({proofs}) est dans {name} : les justificatifs seraient servis sans contrôle.",
                    id="procurement.E001",
                )
            )
    return errors
