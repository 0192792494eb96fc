from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from accounts.enums import OrganisationKind
from accounts.models import Organisation
from common.api_errors import as_api_error
from procurement import services
from procurement.enums import AwardRole, ContractState, Modality
from procurement.models import Award, Contract, HoursSource, HoursStatement, SiaeOrder, SiaeProfile


class AwardSerializer(serializers.ModelSerializer):
    siret = serializers.CharField(source="company.siret")
    company_name = serializers.CharField(source="company.name")

    class Meta:
        model = Award
        fields = ["siret", "company_name", "role", "hours_share"]


class ContractSerializer(serializers.ModelSerializer):
    """Rates are fractions (0.5 for 50 %); left out, they come from the sector's reference values.
    ``hours_entered`` replaces the computation; ``clause_hours`` is the result."""

    buyer = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.of_kind(OrganisationKind.BUYER),
        required=False,
        help_text="Donneur d'ordre (le facilitateur seulement ; un acheteur enregistre pour lui-même).",
    )
    buyer_name = serializers.CharField(source="buyer.name", read_only=True)
    allowed_modalities = serializers.MultipleChoiceField(choices=Modality.choices, required=False)
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
            "place_of_execution",
            "labour_share",
            "insertion_rate",
            "hourly_cost",
            "hours_entered",
            "clause_hours",
            "allowed_modalities",
            "penalty_per_missing_hour",
            "state",
            "decp_id",
            "awards",
        ]
        read_only_fields = ["clause_hours", "state", "decp_id"]

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
            raise as_api_error(exc) from exc
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
            "adjusts",
            "state",
            "reason",
            "declared_at",
            "decided_at",
        ]
        read_only_fields = ["modality", "state", "reason", "declared_at", "decided_at"]
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

    def create(self, validated_data):
        request = self.context["request"]
        try:
            return services.declare_hours(actor=request.user, organisation=request.organisation, **validated_data)
        except DjangoValidationError as exc:
            raise as_api_error(exc) from exc


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField()
