from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from accounts import perms
from accounts.enums import OrganisationKind
from accounts.models import Organisation
from common.api_errors import as_api_error
from procurement import rules, services
from procurement.enums import AwardRole, ContractState, Modality
from procurement.models import (
    Award,
    ClauseSettings,
    Contract,
    HoursSource,
    HoursStatement,
    SectorDefaults,
    SiaeOrder,
    SiaeProfile,
)

PERCENT_HELP = (
    "En pourcentage, comme sur le site : 50 pour 50 % (au-dessus de 0, au plus 100). Stocké en fraction, "
    "jamais exposé ainsi."
)
# Old API names (fractions): refused with a message rather than silently ignored.
RENAMED_RATES = {"labour_share": "labour_share_percent", "insertion_rate": "insertion_rate_percent"}


class PercentField(serializers.DecimalField):
    """A rate stored as a fraction (0.05) and read and written in percent (5), as on the site."""

    def __init__(self, *, label, **kwargs):
        self.rate_label = label
        super().__init__(max_digits=6, decimal_places=2, help_text=PERCENT_HELP, **kwargs)

    def to_internal_value(self, data):
        percent = super().to_internal_value(data)
        error = rules.check_percent(percent, self.rate_label)
        if error:
            raise serializers.ValidationError(error)
        return percent / 100

    def to_representation(self, value):
        return None if value is None else super().to_representation(value * 100)


def refuse_renamed_rates(data):
    if hasattr(data, "keys"):
        renamed = {
            old: [f"Ce champ s'appelle « {new} » et s'exprime en pourcentage (50 pour 50 %)."]
            for old, new in RENAMED_RATES.items()
            if old in data
        }
        if renamed:
            raise serializers.ValidationError(renamed)


def with_api_names(exc):
    """A service's refusal on ``labour_share`` is reported on the API's ``labour_share_percent``."""
    if hasattr(exc, "error_dict"):
        exc = DjangoValidationError(
            {RENAMED_RATES.get(field, field): errors for field, errors in exc.error_dict.items()}
        )
    return as_api_error(exc)


class AwardSerializer(serializers.ModelSerializer):
    siret = serializers.CharField(source="company.siret")
    company_name = serializers.CharField(source="company.name")

    class Meta:
        model = Award
        fields = ["siret", "company_name", "role", "hours_share"]


class ContractSerializer(serializers.ModelSerializer):
    """Rates are percentages, as on the site (50 for 50 %); left out, they come from the sector's reference
    values. ``hours_entered`` replaces the computation; ``clause_hours`` is the result."""

    buyer = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.of_kind(OrganisationKind.BUYER),
        required=False,
        help_text="Donneur d'ordre (le facilitateur seulement ; un acheteur enregistre pour lui-même).",
    )
    buyer_name = serializers.CharField(source="buyer.name", read_only=True)
    allowed_modalities = serializers.MultipleChoiceField(
        choices=Modality.choices, required=False, help_text="Aucune : toutes les modalités sont admises."
    )
    # Declared here so that ``rules.check_positive`` says what is wrong, not the model's generic validator.
    amount_excl_vat = serializers.DecimalField(max_digits=14, decimal_places=2)
    hourly_cost = serializers.DecimalField(max_digits=8, decimal_places=2, required=False, allow_null=True)
    labour_share_percent = PercentField(
        source="labour_share", label="La part de main-d'œuvre", required=False, allow_null=True
    )
    insertion_rate_percent = PercentField(
        source="insertion_rate", label="Le taux d'insertion", required=False, allow_null=True
    )
    awards = AwardSerializer(many=True, read_only=True)

    class Meta:
        model = Contract
        fields = [
            "id",
            "buyer",
            "buyer_name",
            "reference",
            "lot",
            "title",
            "sector",
            "cpv_code",
            "amount_excl_vat",
            "notified_on",
            "ends_on",
            "execution_started_on",
            "place_of_execution",
            "labour_share_percent",
            "insertion_rate_percent",
            "hourly_cost",
            "hours_entered",
            "clause_hours",
            "allowed_modalities",
            "penalty_per_missing_hour",
            "state",
            "decp_id",
            "awards",
        ]
        read_only_fields = ["clause_hours", "state", "decp_id", "execution_started_on"]

    def to_internal_value(self, data):
        refuse_renamed_rates(data)
        return super().to_internal_value(data)

    def validate_amount_excl_vat(self, value):
        error = rules.check_positive(value, "Le montant HT")
        if error:
            raise serializers.ValidationError(error)
        return value

    def validate_hourly_cost(self, value):
        error = rules.check_positive(value, "Le coût horaire chargé")
        if error:
            raise serializers.ValidationError(error)
        return value

    def validate(self, attrs):
        notified_on = attrs.get("notified_on", getattr(self.instance, "notified_on", None))
        ends_on = attrs.get("ends_on", getattr(self.instance, "ends_on", None))
        if notified_on and ends_on and ends_on < notified_on:
            raise serializers.ValidationError({"ends_on": "La date de fin doit suivre la date de notification."})
        organisation = self.context["request"].organisation
        if organisation.kind == OrganisationKind.BUYER:
            attrs.pop("buyer", None)
        elif self.instance is None and not attrs.get("buyer"):
            raise serializers.ValidationError({"buyer": "Choisissez un donneur d'ordre."})
        return attrs

    def save(self, **kwargs):
        request = self.context["request"]
        contract = self.instance or Contract()
        for field, value in self.validated_data.items():
            setattr(contract, field, sorted(value) if field == "allowed_modalities" else value)
        try:
            self.instance = services.save_contract(
                contract=contract, actor=request.user, organisation=request.organisation
            )
        except DjangoValidationError as exc:
            raise with_api_names(exc) from exc
        return self.instance


class ContractTransitionRequestSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=ContractState.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AwardInputSerializer(serializers.Serializer):
    siret = serializers.CharField(max_length=20)
    role = serializers.ChoiceField(choices=AwardRole.choices)
    hours_share = serializers.IntegerField(min_value=0)


class AwardRequestSerializer(serializers.Serializer):
    awards = AwardInputSerializer(many=True, allow_empty=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SiaeProfileSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="organisation.id")
    name = serializers.CharField(source="organisation.name")
    siret = serializers.CharField(source="organisation.siret")
    siae_kind = serializers.CharField(source="organisation.siae_kind")
    commune = serializers.CharField(source="organisation.commune_id", allow_null=True)
    sectors = serializers.SlugRelatedField(slug_field="sector", many=True, read_only=True)
    communes = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = SiaeProfile
        fields = [
            "id",
            "name",
            "siret",
            "siae_kind",
            "commune",
            "description",
            "sectors",
            "communes",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]


class SiaeOrderSerializer(serializers.ModelSerializer):
    contract = serializers.PrimaryKeyRelatedField(queryset=Contract.objects.all())
    siae = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.siae())
    hours = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    modality = serializers.CharField(source="source.modality", read_only=True)

    class Meta:
        model = SiaeOrder
        fields = [
            "id",
            "contract",
            "company",
            "siae",
            "kind",
            "amount_excl_vat",
            "starts_on",
            "ends_on",
            "hours",
            "source",
            "modality",
        ]
        read_only_fields = ["company", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["contract"].queryset = Contract.objects.visible_to(getattr(request, "organisation", None))

    def create(self, validated_data):
        request = self.context["request"]
        try:
            return services.create_siae_order(actor=request.user, organisation=request.organisation, **validated_data)
        except DjangoValidationError as exc:
            raise as_api_error(exc) from exc


class HoursStatementSerializer(serializers.ModelSerializer):
    """Declaring: ``source``, ``month`` (any day of it), ``hours``, ``proof`` (multipart) and ``proof_kind``;
    ``adjusts`` to correct a validated statement."""

    source = serializers.PrimaryKeyRelatedField(queryset=HoursSource.objects.all())
    adjusts = serializers.PrimaryKeyRelatedField(queryset=HoursStatement.objects.all(), required=False, allow_null=True)
    contract = serializers.IntegerField(source="source.contract_id", read_only=True)
    proof = serializers.FileField(write_only=True)
    proof_url = serializers.SerializerMethodField(
        help_text="Adresse du justificatif, pour le facilitateur et l'entreprise déclarante seulement (null sinon)."
    )

    class Meta:
        model = HoursStatement
        fields = [
            "id",
            "source",
            "contract",
            "month",
            "hours",
            "modality",
            "proof",
            "proof_kind",
            "proof_url",
            "adjusts",
            "state",
            "reason",
            "limit_note",
            "warning",
            "by_facilitator",
            "declared_at",
            "decided_at",
        ]
        read_only_fields = [
            "modality",
            "state",
            "reason",
            "limit_note",
            "warning",
            "by_facilitator",
            "declared_at",
            "decided_at",
        ]
        extra_kwargs = {"proof_kind": {"required": True, "allow_blank": False}}
        # The one-validated-per-month rule is the service's (and the database's), not a form-level uniqueness.
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "source" in self.fields:
            # Schema generation builds a bare request, with no organisation.
            company = getattr(request, "organisation", None)
            self.fields["source"].queryset = HoursSource.objects.filter(company=company)
            self.fields["adjusts"].queryset = HoursStatement.objects.filter(source__company=company)

    def get_proof_url(self, statement) -> str | None:
        request = self.context.get("request")
        organisation = getattr(request, "organisation", None)
        if not statement.proof or not perms.reads_proofs_of(organisation, statement.source.company_id):
            return None
        return request.build_absolute_uri(f"/api/v1/hours/{statement.pk}/proof/")

    def create(self, validated_data):
        request = self.context["request"]
        try:
            return services.declare_hours(actor=request.user, organisation=request.organisation, **validated_data)
        except DjangoValidationError as exc:
            raise as_api_error(exc) from exc


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField()


class CorrectionSerializer(serializers.Serializer):
    hours = serializers.DecimalField(
        max_digits=8, decimal_places=2, help_text="Écart, négatif pour retirer des heures."
    )
    reason = serializers.CharField()


class ValidateManySerializer(serializers.Serializer):
    statements = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), allow_empty=False, max_length=500
    )


class RefusedStatementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    errors = serializers.ListField(child=serializers.CharField())


class ValidateManyResultSerializer(serializers.Serializer):
    validated = serializers.ListField(child=serializers.IntegerField())
    refused = RefusedStatementSerializer(many=True)


class SectorDefaultsSerializer(serializers.ModelSerializer):
    """Reference values of one sector, rates in percent like everywhere else."""

    sector_label = serializers.CharField(source="get_sector_display", read_only=True)
    hourly_cost = serializers.DecimalField(max_digits=8, decimal_places=2)
    labour_share_percent = PercentField(source="labour_share", label="La part de main-d'œuvre")
    insertion_rate_percent = PercentField(source="insertion_rate", label="Le taux d'insertion")

    class Meta:
        model = SectorDefaults
        fields = ["sector", "sector_label", "labour_share_percent", "insertion_rate_percent", "hourly_cost"]
        read_only_fields = ["sector"]

    def to_internal_value(self, data):
        refuse_renamed_rates(data)
        return super().to_internal_value(data)

    def validate_hourly_cost(self, value):
        error = rules.check_positive(value, "Le coût horaire chargé")
        if error:
            raise serializers.ValidationError(error)
        return value

    def update(self, instance, validated_data):
        request = self.context["request"]
        for field, value in validated_data.items():
            setattr(instance, field, value)
        try:
            services.save_reference_values(
                sector_defaults=[instance], actor=request.user, organisation=request.organisation
            )
        except DjangoValidationError as exc:
            raise with_api_names(exc) from exc
        return instance


class ClauseSettingsSerializer(serializers.ModelSerializer):
    """Settings shared by every contract: every FTE figure is validated hours ÷ ``fte_divisor`` (1,607 h, the
    legal year; the MEP's reports used 1,741 h)."""

    class Meta:
        model = ClauseSettings
        fields = ["fte_divisor", "siae_hourly_cost", "overtime_tolerance_percent"]

    def update(self, instance, validated_data):
        request = self.context["request"]
        for field, value in validated_data.items():
            setattr(instance, field, value)
        try:
            services.save_reference_values(
                clause_settings=instance, actor=request.user, organisation=request.organisation
            )
        except DjangoValidationError as exc:
            raise as_api_error(exc) from exc
        return instance


class DecpImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Fichier DECP v2 (JSON), imbriqué ou à plat.")
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text="Vérifier seulement, sans rien importer."
    )


class DecpImportedSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="Null quand dry_run est vrai.")
    reference = serializers.CharField()
    title = serializers.CharField()
    clause_hours = serializers.IntegerField()


class DecpRejectedSerializer(serializers.Serializer):
    record = serializers.CharField(help_text="Identifiant DECP de l'enregistrement, ou sa position.")
    reasons = serializers.ListField(child=serializers.CharField())


class DecpImportReportSerializer(serializers.Serializer):
    """The page's report: imported, already imported, without social clause, each bad record with its reasons."""

    summary = serializers.CharField()
    dry_run = serializers.BooleanField()
    imported = DecpImportedSerializer(many=True)
    already_imported = serializers.ListField(child=serializers.CharField())
    without_social_consideration = serializers.IntegerField()
    rejected = DecpRejectedSerializer(many=True)

    @classmethod
    def of(cls, report, *, dry_run):
        return cls(
            {
                "summary": report.summary,
                "dry_run": dry_run,
                "imported": [
                    {"id": c.pk, "reference": c.reference, "title": c.title, "clause_hours": c.clause_hours}
                    for c in report.created
                ],
                "already_imported": report.already_imported,
                "without_social_consideration": report.without_social_consideration,
                "rejected": [{"record": label, "reasons": reasons} for label, reasons in report.rejected],
            }
        ).data
