"""What every form of the site shares."""

from decimal import Decimal
from pathlib import Path

import dsfr
from django import forms
from django.utils.functional import cached_property
from dsfr.forms import DsfrDjangoTemplates

FORM_TEMPLATES = Path(__file__).resolve().parent / "form_templates"


class FormRenderer(DsfrDjangoTemplates):
    """The DSFR's form templates, with the few of Django's widgets the site rewrites in French
    (``common/form_templates/``) looked up first: Django's "---------" for an empty choice becomes
    « Sélectionner une option », as the DSFR writes it, in every select of every form and filter."""

    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [
                    FORM_TEMPLATES,
                    Path(dsfr.__file__).resolve().parent / self.backend.app_dirname,
                    Path(forms.__file__).resolve().parent / "templates",
                ],
                "NAME": "djangoforms",
                "OPTIONS": {},
            }
        )


class TrimmedDecimals:
    """Form mixin: decimals stored with trailing zeros (0.5000, 30.00) are shown without them (0.5, 30), as
    people write them; the browser's number field then shows them in the page's language (« 0,5 »)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            value = self.initial.get(name)
            if isinstance(field, forms.DecimalField) and isinstance(value, Decimal) and value.is_finite():
                self.initial[name] = value.normalize() if value != value.to_integral() else value.quantize(1)
