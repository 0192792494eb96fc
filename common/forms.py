"""What every form of the site shares."""

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
