from django import forms
from dsfr.forms import DsfrBaseForm

from accounts.enums import OrganisationKind, OrganisationStatus, PrescriberKind, SiaeKind
from accounts.models import Organisation
from reference.forms import CommuneField


class SignupForm(DsfrBaseForm):
    """Extra fields for allauth's sign-up form."""

    field_order = ["first_name", "last_name", "email", "password1", "password2"]
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.save(update_fields=["first_name", "last_name"])


class OrganisationForm(forms.ModelForm, DsfrBaseForm):
    kind = forms.ChoiceField(
        label="Type d'organisation",
        choices=[(k.value, k.label) for k in OrganisationKind if k != OrganisationKind.FACILITATOR],
    )
    # Longer than 14 so that a SIRET typed in groups ("217 500 016 00019") reaches clean_siret.
    siret = forms.CharField(label="SIRET", max_length=20, help_text="14 chiffres (exemple : 217 500 016 00019).")
    commune = CommuneField(label="Commune", required=False)

    class Meta:
        model = Organisation
        fields = [
            "kind",
            "prescriber_kind",
            "siae_kind",
            "name",
            "siret",
            "address",
            "commune",
            "email",
            "phone",
        ]

    def clean_siret(self):
        value = "".join(self.cleaned_data["siret"].split())
        # Already on Passerelle: the person is offered to ask to join it (see the template), never a twin.
        self.existing = Organisation.objects.filter(siret=value).exclude(kind=OrganisationKind.FACILITATOR).first()
        if self.existing is not None:
            raise forms.ValidationError(
                "Cette organisation existe déjà sur Passerelle : demandez à la rejoindre plutôt que d'en créer "
                "une seconde.",
                code="unique",
            )
        return value

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == OrganisationKind.PRESCRIBER and not cleaned.get("prescriber_kind"):
            self.add_error("prescriber_kind", "Précisez le type de prescripteur.")
        if kind == OrganisationKind.SIAE and not cleaned.get("siae_kind"):
            self.add_error("siae_kind", "Précisez le type de SIAE.")
        if kind != OrganisationKind.PRESCRIBER:
            cleaned["prescriber_kind"] = ""
        if kind != OrganisationKind.SIAE:
            cleaned["siae_kind"] = ""
        return cleaned

    def _post_clean(self):
        # Sub-kinds that do not apply are dropped before the model's constraints are checked.
        self.instance.prescriber_kind = self.cleaned_data.get("prescriber_kind", "")
        self.instance.siae_kind = self.cleaned_data.get("siae_kind", "")
        super()._post_clean()


OrganisationForm.base_fields["prescriber_kind"].choices = [("", "—")] + PrescriberKind.choices
OrganisationForm.base_fields["siae_kind"].choices = [("", "—")] + SiaeKind.choices


class DecisionForm(DsfrBaseForm):
    """The facilitator's decision on an organisation or a request to join one: nothing chosen in advance."""

    decision = forms.ChoiceField(
        label="Décision",
        choices=[(OrganisationStatus.APPROVED, "Valider"), (OrganisationStatus.REFUSED, "Refuser")],
        widget=forms.RadioSelect,
    )


class InvitationForm(DsfrBaseForm):
    email = forms.EmailField(label="Adresse e-mail de la personne à inviter")
