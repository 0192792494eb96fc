"""Reusable form fields over the reference data, with a search-as-you-type DSFR widget.

Usage, in any form (``DsfrBaseForm`` or ``ModelForm``)::

    from reference.forms import CommuneField, JobTitleField, MultipleJobTitleField

    class PositionForm(forms.ModelForm, DsfrBaseForm):
        job_title = JobTitleField(label="Métier")
        commune = CommuneField(label="Lieu de travail")
        ...

    class CandidateForm(forms.ModelForm, DsfrBaseForm):
        job_titles = MultipleJobTitleField(label="Métiers recherchés")

and in the page's template, load the widget's script and style once (``{{ form.media }}``)::

    {% block page_js %}{{ form.media }}{% endblock %}

How the widget works: a text input (``<name>_search``) asks the htmx partial
``reference:job_title_search`` / ``reference:commune_search`` for options as one types; picking one
(mouse, or arrows and Enter) stores its primary key in a hidden input named ``<name>`` (for the
multiple field, in a checked checkbox ``<name>``, unchecked to remove it). Without JavaScript the hidden
input stays disabled and the typed text is resolved on submit: a code (code OGR, code INSEE, postcode)
or an exact label ("Maçon / Maçonne", "Paris 11e (75011)"); zero or several matches give a form error.
Tests and scripts may simply post the primary key(s) under ``<name>``.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from reference.models import Commune, JobTitle

AMBIGUOUS_EXAMPLES = 5


class TypedText(str):
    """What the person typed in the text input, as opposed to a primary key picked from the list."""


class AutocompleteWidget(forms.TextInput):
    """The DSFR text input with a listbox of suggestions, for a ``ModelChoiceField``."""

    template_name = "reference/widgets/autocomplete.html"
    multiple = False

    class Media:
        js = ["reference/js/autocomplete.js"]
        css = {"all": ["reference/css/autocomplete.css"]}

    def __init__(self, search_url, attrs=None):
        super().__init__({"class": "fr-input", **(attrs or {})})
        self.search_url = search_url

    def value_from_datadict(self, data, files, name):
        chosen = data.get(name)
        if chosen not in (None, ""):
            return chosen
        return TypedText(data.get(f"{name}_search", ""))

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_search" not in data

    def format_value(self, value):
        # Keep the primary key or TypedText as it is: get_context needs to tell them apart.
        return value

    def _selected(self, values):
        """The objects of the primary keys among ``values``, in that order (one query)."""
        keys = [str(v) for v in values if v not in (None, "") and not isinstance(v, TypedText)]
        if not keys:
            return []
        field = self.choices.field
        key_name = field.to_field_name or "pk"
        found = {}
        for obj in field.queryset.filter(**{f"{key_name}__in": keys}):
            found[str(getattr(obj, key_name))] = (str(getattr(obj, key_name)), field.label_from_instance(obj))
        return [found[k] for k in dict.fromkeys(keys) if k in found]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["search_url"] = str(self.search_url)
        widget["listbox_id"] = f"{widget['attrs']['id']}-listbox"
        if isinstance(value, TypedText):
            widget["text"], widget["selected_value"] = value, ""
        else:
            selected = self._selected([value])
            widget["selected_value"], widget["text"] = selected[0] if selected else ("", "")
        return context


class MultipleAutocompleteWidget(AutocompleteWidget):
    """The same input for a ``ModelMultipleChoiceField``: each choice becomes a checked checkbox."""

    template_name = "reference/widgets/autocomplete_multiple.html"
    multiple = True

    def value_from_datadict(self, data, files, name):
        values = [v for v in data.getlist(name) if v] if hasattr(data, "getlist") else list(data.get(name) or [])
        typed = data.get(f"{name}_search", "")
        if typed.strip():
            values.append(TypedText(typed))
        return values

    def use_required_attribute(self, initial):
        # The text input is empty once a choice is added: "required" there would block the form.
        return False

    def value_omitted_from_data(self, data, files, name):
        # As for checkboxes: nothing checked sends nothing, which means "none", not "left out".
        return False

    def get_context(self, name, value, attrs):
        context = super(AutocompleteWidget, self).get_context(name, value, attrs)
        widget = context["widget"]
        widget["search_url"] = str(self.search_url)
        widget["listbox_id"] = f"{widget['attrs']['id']}-listbox"
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        widget["selected"] = self._selected(values)
        widget["text"] = next((v for v in values if isinstance(v, TypedText)), "")
        return context


def _resolve(field, text, what):
    """The single object of ``field.queryset`` that ``text`` names, or a ValidationError."""
    matches = field.queryset.matching(text)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise ValidationError(
            f"« {text.strip()} » ne correspond à aucun{what}. Choisissez dans la liste des suggestions.",
            code="invalid_choice",
        )
    examples = " ; ".join(f"{field.label_from_instance(obj)} : {obj.pk}" for obj in matches[:AMBIGUOUS_EXAMPLES])
    raise ValidationError(
        f"« {text.strip()} » correspond à plusieurs choix ; saisissez le code de l'un d'eux ({examples}).",
        code="ambiguous",
    )


class _AutocompleteChoiceMixin:
    no_match_label = ""

    def to_python(self, value):
        if isinstance(value, TypedText):
            if not value.strip():
                return None
            return _resolve(self, value, self.no_match_label)
        return super().to_python(value)


class JobTitleField(_AutocompleteChoiceMixin, forms.ModelChoiceField):
    """A ROME job title (*appellation*), searched as you type."""

    no_match_label = " métier"

    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault("widget", AutocompleteWidget(reverse_lazy("reference:job_title_search")))
        kwargs.setdefault("help_text", "Tapez quelques lettres du métier, puis choisissez dans la liste.")
        super().__init__(queryset if queryset is not None else JobTitle.objects.all(), **kwargs)


class CommuneField(_AutocompleteChoiceMixin, forms.ModelChoiceField):
    """A commune of Île-de-France (or an arrondissement of Paris), searched by name or postcode."""

    no_match_label = "e commune d'Île-de-France"

    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault("widget", AutocompleteWidget(reverse_lazy("reference:commune_search")))
        kwargs.setdefault("help_text", "Tapez le nom ou le code postal, puis choisissez dans la liste.")
        super().__init__(queryset if queryset is not None else Commune.objects.in_ile_de_france(), **kwargs)


class MultipleJobTitleField(forms.ModelMultipleChoiceField):
    """Several ROME job titles (the jobs a candidate seeks), added one by one as you type."""

    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault("widget", MultipleAutocompleteWidget(reverse_lazy("reference:job_title_search")))
        kwargs.setdefault(
            "help_text", "Tapez quelques lettres d'un métier et choisissez-le ; recommencez pour en ajouter."
        )
        super().__init__(queryset if queryset is not None else JobTitle.objects.all(), **kwargs)

    def clean(self, value):
        value = list(value or [])
        keys = [v for v in value if not isinstance(v, TypedText)]
        for typed in (v for v in value if isinstance(v, TypedText)):
            keys.append(str(_resolve(self, typed, " métier").pk))
        return super().clean(list(dict.fromkeys(keys)))

    def has_changed(self, initial, data):
        return super().has_changed(initial, [v for v in (data or []) if not isinstance(v, TypedText)]) or any(
            isinstance(v, TypedText) for v in (data or [])
        )
