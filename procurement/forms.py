from decimal import Decimal

import django_filters
from django import forms
from dsfr.forms import DsfrBaseForm

from accounts.enums import OrganisationKind, SiaeKind
from accounts.models import Organisation
from common.forms import TrimmedDecimals
from procurement import rules
from procurement.enums import AwardRole, ContractState, Modality, ProofKind, Sector
from procurement.models import ClauseSettings, Contract, SectorDefaults, SiaeOrder, SiaeProfile
from reference.models import Commune

# Rates are typed in percent everywhere (site and API); ``procurement.rules.check_percent`` says what is allowed.
PERCENT = {"max_digits": 6, "decimal_places": 2, "required": False}


def percent_of(fraction):
    """0.5000 (stored) -> 50 (shown, as people write it; 12.5 stays 12.5): at most the two decimals the field
    accepts back."""
    value = (Decimal(fraction) * 100).quantize(Decimal("0.01"))
    return value.normalize() if value != value.to_integral() else value.quantize(1)


RATE_LABELS = {
    "labour_share_percent": "La part de main-d'œuvre",
    "insertion_rate_percent": "Le taux d'insertion",
}
AMOUNT_LABELS = {"amount_excl_vat": "Le montant HT", "hourly_cost": "Le coût horaire chargé"}


def check_rates_and_amounts(form, cleaned):
    """The rules of ``procurement.rules`` on the form's fields, so each message sits on its field."""
    for name, label in RATE_LABELS.items():
        error = rules.check_percent(cleaned.get(name), label) if name in form.fields else None
        if error:
            form.add_error(name, error)
    for name, label in AMOUNT_LABELS.items():
        error = rules.check_positive(cleaned.get(name), label) if name in form.fields else None
        if error:
            form.add_error(name, error)


class ContractForm(forms.ModelForm, DsfrBaseForm):
    """Rates are typed in percent here (50 for 50 %) and stored as fractions; left blank, they come from
    the sector's reference values. Entering the hours directly bypasses the computation."""

    labour_share_percent = forms.DecimalField(label="Part de main-d'œuvre (%)", **PERCENT)
    insertion_rate_percent = forms.DecimalField(label="Taux d'insertion (%)", **PERCENT)
    allowed_modalities = forms.MultipleChoiceField(
        label="Modalités autorisées",
        choices=Modality.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Contract
        fields = [
            "buyer",
            "reference",
            "lot",
            "title",
            "sector",
            "cpv_code",
            "amount_excl_vat",
            "notified_on",
            "ends_on",
            "place_of_execution",
            "labour_share_percent",
            "insertion_rate_percent",
            "hourly_cost",
            "hours_entered",
            "allowed_modalities",
            "penalty_per_missing_hour",
        ]
        widgets = {
            "notified_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "hourly_cost": "Laissez vide pour la valeur de référence du secteur.",
            "hours_entered": "Remplace le calcul montant × part de main-d'œuvre × taux ÷ coût horaire.",
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation.kind == OrganisationKind.BUYER:
            del self.fields["buyer"]
        else:
            self.fields["buyer"].queryset = Organisation.objects.of_kind(OrganisationKind.BUYER)
        self.fields["place_of_execution"].queryset = Commune.objects.filter(department__in=["75", "92", "93", "94"])
        for name in ("labour_share", "insertion_rate"):
            value = getattr(self.instance, name)
            if value is not None:
                self.initial[f"{name}_percent"] = percent_of(value)

    def clean(self):
        cleaned = super().clean()
        notified_on, ends_on = cleaned.get("notified_on"), cleaned.get("ends_on")
        if notified_on and ends_on and ends_on < notified_on:
            self.add_error("ends_on", "La date de fin doit suivre la date de notification.")
        check_rates_and_amounts(self, cleaned)
        return cleaned

    def _post_clean(self):
        for name in ("labour_share", "insertion_rate"):
            percent = self.cleaned_data.get(f"{name}_percent")
            setattr(self.instance, name, None if percent is None else percent / 100)
        super()._post_clean()


class ContractFilterForm(forms.Form):
    """The contract list's filters (templates/components/filters.html), every one optional."""

    state = forms.ChoiceField(label="État", choices=[("", "Tous les états")] + ContractState.choices, required=False)
    sector = forms.ChoiceField(label="Secteur", choices=[("", "Tous les secteurs")] + Sector.choices, required=False)


class TransitionForm(DsfrBaseForm):
    to = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AwardForm(DsfrBaseForm):
    siret = forms.CharField(label="SIRET de l'entreprise", max_length=20)
    # With an initial value, a row left untouched counts as empty and is skipped: the browser sends the
    # select's first option for every row.
    role = forms.ChoiceField(label="Rôle", choices=AwardRole.choices, initial=AwardRole.HOLDER)
    hours_share = forms.IntegerField(label="Heures à réaliser", min_value=0)

    def clean_siret(self):
        return "".join(self.cleaned_data["siret"].split())


AwardFormSet = forms.formset_factory(AwardForm, extra=3, min_num=1, validate_min=True)


class DecpUploadForm(DsfrBaseForm):
    file = forms.FileField(label="Fichier DECP (JSON)", help_text="Format DECP v2, imbriqué ou à plat.")
    dry_run = forms.BooleanField(label="Vérifier seulement, sans rien importer", required=False)


class SectorDefaultsForm(TrimmedDecimals, forms.ModelForm, DsfrBaseForm):
    """Per-sector reference values, rates in percent like everywhere else (stored as fractions)."""

    labour_share_percent = forms.DecimalField(label="Part de main-d'œuvre (%)", **{**PERCENT, "required": True})
    insertion_rate_percent = forms.DecimalField(label="Taux d'insertion (%)", **{**PERCENT, "required": True})

    class Meta:
        model = SectorDefaults
        fields = ["labour_share_percent", "insertion_rate_percent", "hourly_cost"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("labour_share", "insertion_rate"):
            value = getattr(self.instance, name, None)
            if value is not None:
                self.initial[f"{name}_percent"] = percent_of(value)

    def clean(self):
        cleaned = super().clean()
        check_rates_and_amounts(self, cleaned)
        return cleaned

    def _post_clean(self):
        for name in ("labour_share", "insertion_rate"):
            percent = self.cleaned_data.get(f"{name}_percent")
            if percent is not None:
                setattr(self.instance, name, percent / 100)
        super()._post_clean()


SectorDefaultsFormSet = forms.modelformset_factory(SectorDefaults, form=SectorDefaultsForm, extra=0)


class ClauseSettingsForm(TrimmedDecimals, forms.ModelForm, DsfrBaseForm):
    class Meta:
        model = ClauseSettings
        fields = ["fte_divisor", "siae_hourly_cost", "overtime_tolerance_percent"]


class SiaeProfileForm(forms.ModelForm, DsfrBaseForm):
    class Meta:
        model = SiaeProfile
        fields = ["description", "sectors", "communes", "contact_name", "contact_email", "contact_phone"]
        widgets = {"sectors": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communes"].queryset = Commune.objects.filter(department__in=["75", "92", "93", "94"])


class SiaeOrderForm(forms.ModelForm, DsfrBaseForm):
    hours = forms.IntegerField(
        label="Heures d'insertion apportées",
        min_value=1,
        required=False,
        help_text="Laissez vide pour convertir le montant au coût horaire de référence des SIAE.",
    )

    class Meta:
        model = SiaeOrder
        fields = ["siae", "kind", "amount_excl_vat", "starts_on", "ends_on", "hours"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["siae"].queryset = Organisation.objects.siae()


class DeclareHoursForm(DsfrBaseForm):
    month = forms.DateField(
        label="Mois", widget=forms.DateInput(attrs={"type": "month"}), input_formats=["%Y-%m", "%Y-%m-%d"]
    )
    hours = forms.DecimalField(label="Heures", max_digits=8, decimal_places=2)
    proof_kind = forms.ChoiceField(label="Type de justificatif", choices=ProofKind.choices)
    proof = forms.FileField(label="Justificatif (PDF, JPEG ou PNG)")


class CorrectionForm(DsfrBaseForm):
    hours = forms.DecimalField(
        label="Heures à ajouter ou à retirer",
        max_digits=8,
        decimal_places=2,
        help_text="Un nombre négatif retire des heures ; le relevé corrigé ne change pas.",
    )
    reason = forms.CharField(label="Motif de la correction", widget=forms.Textarea(attrs={"rows": 2}))


class RejectForm(DsfrBaseForm):
    CONSEQUENCE = (
        "Le relevé sera refusé pour de bon : ses heures ne compteront pas pour la clause. L'entreprise reçoit le motif "
        "ci-dessous et devra déclarer de nouveau les heures de ce mois, avec un justificatif valable."
    )
    reason = forms.CharField(label="Motif du refus, transmis à l'entreprise", widget=forms.Textarea(attrs={"rows": 2}))


class SiaeFilter(django_filters.FilterSet):
    """The SIAE directory's search: by kind, sector, commune served and name."""

    name = django_filters.CharFilter(field_name="organisation__name", lookup_expr="icontains", label="Nom")
    kind = django_filters.ChoiceFilter(
        field_name="organisation__siae_kind", choices=SiaeKind.choices, label="Type", empty_label="Tous les types"
    )
    sector = django_filters.ModelChoiceFilter(
        field_name="sectors", queryset=SectorDefaults.objects.all(), label="Secteur", empty_label="Tous les secteurs"
    )
    commune = django_filters.ModelChoiceFilter(
        field_name="communes",
        queryset=Commune.objects.filter(department__in=["75", "92", "93", "94"]),
        label="Commune desservie",
        empty_label="Toutes les communes",
    )

    class Meta:
        model = SiaeProfile
        fields = ["name", "kind", "sector", "commune"]
