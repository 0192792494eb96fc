"""``{% audit_details event %}``: an event's details in French, field names and states by their labels."""

import datetime

from django import template
from django.core.exceptions import FieldDoesNotExist

from audit.enums import ErasureReason

register = template.Library()

KEY_LABELS = {
    "adjusts": "corrige le relevé n°",
    "anonymised": "anonymisés",
    "companies": "entreprises",
    "consent_text_version": "texte de consentement",
    "criteria": "critères vérifiés",
    "eligible": "éligible",
    "erasure_reason": "motif",
    "format": "format",
    "hours": "heures",
    "left": "laissés (candidature ou embauche en cours)",
    "line": "ligne du fichier",
    "month": "mois",
    "months": "inactifs depuis (mois)",
    "pseudonymised": "noms pseudonymisés",
    "reference": "référence de la demande",
    "rows": "lignes",
}


def _field(model, name):
    try:
        return model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        return None


# Codes of details that are no model field.
CODE_LABELS = {"erasure_reason": dict(ErasureReason.choices)}


def _value(model, name, value):
    """A stored code as its label when the model has a field of that name with choices."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if name in CODE_LABELS:
        return CODE_LABELS[name].get(value, value)
    if name == "month":
        return datetime.date.fromisoformat(value).strftime("%m/%Y")
    field = _field(model, name)
    if field is not None and field.choices:
        return dict(field.flatchoices).get(value, value)
    return value


@register.simple_tag
def audit_details(event):
    model = event.content_type.model_class() if event.content_type else None
    parts = []
    details = dict(event.details)
    if "to" in details:
        source, target = details.pop("from", ""), details.pop("to")
        parts.append(f"{_value(model, 'state', source) or 'création'} → {_value(model, 'state', target)}")
    if "fields" in details:
        names = [str(getattr(_field(model, name), "verbose_name", name)) for name in details.pop("fields")]
        parts.append("champs modifiés : " + ", ".join(names))
    for key, value in details.items():
        label = KEY_LABELS.get(key) or str(getattr(_field(model, key), "verbose_name", key))
        parts.append(f"{label} : {_value(model, key, value)}")
    return " · ".join(parts) or "—"
