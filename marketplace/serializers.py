"""API representations. Which candidate fields a caller gets depends on who it is
(``accounts.perms.can_see_eligibility``): fields it may not see are absent, not blanked."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts import perms
from accounts.serializers import TransitionRequestSerializer
from marketplace.enums import (
    ContractType,
    InvitationState,
    Level1Criterion,
    Level2Criterion,
    PlacementOutcome,
    PlacementState,
    PositionState,
    ProofKind,
    Redirection,
    RedirectionOutcome,
    RefusalReason,
    SessionState,
    SubmissionState,
)
from marketplace.models import (
    Candidate,
    CandidateImport,
    EligibilityCheck,
    InformationSession,
    Placement,
    Position,
    SessionInvitation,
    SessionInvitationTransition,
    Submission,
)
from reference.serializers import ReferenceRelatedField

# What a company learns about a candidate sent to it: never eligibility, situation, age or sex.
COMPANY_CANDIDATE_FIELDS = ["id", "first_name", "last_name", "email", "phone", "job_titles", "skills", "available_from"]


class PositionSerializer(serializers.ModelSerializer):
    serializer_related_field = ReferenceRelatedField

    company_name = serializers.CharField(source="company.name", read_only=True)
    buyer_name = serializers.CharField(source="contract.buyer.name", read_only=True)
    sector = serializers.CharField(source="contract.sector", read_only=True)
    job_title_label = serializers.CharField(source="job_title.label", read_only=True)
    code_rome = serializers.CharField(source="job_title.occupation_id", read_only=True)
    commune_name = serializers.CharField(source="commune.name", read_only=True)
    state = serializers.ChoiceField(choices=PositionState.choices, required=False)

    class Meta:
        model = Position
        fields = [
            "id",
            "contract",
            "company_name",
            "buyer_name",
            "sector",
            "job_title",
            "job_title_label",
            "code_rome",
            "commune",
            "commune_name",
            "contract_type",
            "weekly_hours",
            "start_date",
            "openings",
            "qualification_level",
            "french_level",
            "driving_licence",
            "description",
            "state",
            "created_at",
        ]
        read_only_fields = ["created_at"]


class ConsentDateField(serializers.DateTimeField):
    """Required on the way in (no consent, no record), but empty on the way out once the person is anonymised:
    erasure ends the consent, which also keeps them out of the matcher."""


class ConsentDateFieldSchema(OpenApiSerializerFieldExtension):
    """Says so in the schema: a date in requests, a date or null in responses."""

    target_class = ConsentDateField

    def map_serializer_field(self, auto_schema, direction):
        schema = build_basic_type(OpenApiTypes.DATETIME)
        if direction == "response":
            schema["nullable"] = True
        return schema


class CandidateSerializer(serializers.ModelSerializer):
    """The full record, for the candidate's prescriber and the facilitator."""

    serializer_related_field = ReferenceRelatedField
    level1_criteria = serializers.ListField(child=serializers.ChoiceField(Level1Criterion.choices), required=False)
    wanted_contract_types = serializers.ListField(child=serializers.ChoiceField(ContractType.choices), required=False)
    level2_criteria = serializers.ListField(child=serializers.ChoiceField(Level2Criterion.choices), required=False)
    consent_at = ConsentDateField(
        help_text="Date du consentement de la personne : sans consentement, pas de traitement. "
        "Vide (null) une fois la personne anonymisée."
    )

    class Meta:
        model = Candidate
        fields = [
            "id",
            "prescriber",
            "first_name",
            "last_name",
            "birth_date",
            "sex",
            "commune",
            "email",
            "phone",
            "consent_at",
            "consent_text_version",
            "situation",
            "level1_criteria",
            "level2_criteria",
            "job_titles",
            "skills",
            "qualification_level",
            "french_level",
            "driving_licence",
            "max_commute_km",
            "available_from",
            "wanted_contract_types",
            "wanted_weekly_hours",
            "created_at",
        ]
        read_only_fields = ["prescriber", "consent_text_version", "created_at"]
        extra_kwargs = {"skills": {"required": False}}

    def validate(self, attrs):
        if "consent_at" in attrs and not self.instance:
            attrs["consent_text_version"] = settings.CANDIDATE_CONSENT_TEXT_VERSION
        return attrs


class CandidateForCompanySerializer(serializers.ModelSerializer):
    class Meta:
        model = Candidate
        fields = COMPANY_CANDIDATE_FIELDS
        read_only_fields = COMPANY_CANDIDATE_FIELDS


def candidate_representation(candidate, organisation):
    serializer = (
        CandidateSerializer
        if perms.can_see_eligibility(organisation, candidate.prescriber_id)
        else CandidateForCompanySerializer
    )
    return serializer(candidate).data


class CriterionProofSerializer(serializers.Serializer):
    criterion = serializers.ChoiceField(Level1Criterion.choices + Level2Criterion.choices)
    proof = serializers.ChoiceField(ProofKind.choices)


class EligibilityCheckSerializer(serializers.ModelSerializer):
    criteria = CriterionProofSerializer(many=True)

    class Meta:
        model = EligibilityCheck
        fields = [
            "id",
            "candidate",
            "criteria",
            "note",
            "is_eligible",
            "checked_by",
            "checked_by_organisation",
            "checked_at",
            "valid_until",
        ]
        read_only_fields = ["is_eligible", "checked_by", "checked_by_organisation", "checked_at", "valid_until"]

    def validate_criteria(self, value):
        codes = [item["criterion"] for item in value]
        if not codes:
            raise serializers.ValidationError("Indiquez au moins un critère vérifié, avec son justificatif.")
        if len(set(codes)) != len(codes):
            raise serializers.ValidationError("Chaque critère ne figure qu'une fois.")
        return value


class SubmissionSerializer(serializers.ModelSerializer):
    candidate_details = serializers.SerializerMethodField()
    job_title_label = serializers.CharField(source="position.job_title.label", read_only=True)
    company_name = serializers.CharField(source="position.company.name", read_only=True)
    # Declared so that the schema admits "" (no refusal): DRF drops ``allow_blank`` from read-only model fields.
    refusal_reason = serializers.ChoiceField(RefusalReason.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "candidate",
            "candidate_details",
            "position",
            "job_title_label",
            "company_name",
            "note",
            "state",
            "state_changed_at",
            "refusal_reason",
            "created_at",
        ]
        read_only_fields = ["state", "state_changed_at", "refusal_reason", "created_at"]

    def get_candidate_details(self, submission) -> dict:
        return candidate_representation(submission.candidate, self.context["request"].organisation)

    def to_representation(self, submission):
        data = super().to_representation(submission)
        if submission.note_for(self.context["request"].organisation) is None:
            del data["note"]  # absent, not blanked: see Submission.note_for
        return data


class PositionTransitionRequestSerializer(TransitionRequestSerializer):
    states = PositionState


class PlacementTransitionRequestSerializer(TransitionRequestSerializer):
    states = PlacementState


class SubmissionTransitionRequestSerializer(TransitionRequestSerializer):
    states = SubmissionState

    refusal_reason = serializers.ChoiceField(RefusalReason.choices, required=False, allow_blank=True, default="")
    # Only for "hired"; the position's values by default.
    contract_type = serializers.ChoiceField(ContractType.choices, required=False)
    start_date = serializers.DateField(required=False)
    planned_end_date = serializers.DateField(required=False)
    weekly_hours = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=1, max_value=48, required=False)


class PlacementSerializer(serializers.ModelSerializer):
    candidate = serializers.SerializerMethodField()
    is_durable_exit = serializers.BooleanField(read_only=True)
    # Declared so that the schema admits "" (no outcome yet): DRF drops ``allow_blank`` from read-only model fields.
    outcome = serializers.ChoiceField(PlacementOutcome.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Placement
        fields = [
            "id",
            "submission",
            "candidate",
            "position",
            "contract_type",
            "hired_on",
            "start_date",
            "planned_end_date",
            "weekly_hours",
            "state",
            "decided_at",
            "decision_note",
            "hours_source",
            "outcome",
            "is_durable_exit",
        ]
        read_only_fields = fields

    def get_candidate(self, placement) -> dict:
        candidate = placement.submission.candidate
        return {"id": candidate.pk, "first_name": candidate.first_name, "last_name": candidate.last_name}


class DecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Pourquoi ; obligatoire pour un refus."
    )


class OutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=PlacementOutcome.choices)


# --- Information sessions ----------------------------------------------------------------------------------


class SessionFunnelSerializer(serializers.Serializer):
    """How many people reached each stage (invited → confirmed → present → preselected → sent → hired), and where
    the others stopped."""

    invited = serializers.IntegerField()
    confirmed = serializers.IntegerField()
    present = serializers.IntegerField()
    preselected = serializers.IntegerField()
    sent = serializers.IntegerField()
    hired = serializers.IntegerField()
    declined = serializers.IntegerField()
    absent = serializers.IntegerField()
    not_retained = serializers.IntegerField()
    redirected = serializers.IntegerField()


class InformationSessionSerializer(serializers.ModelSerializer):
    serializer_related_field = ReferenceRelatedField

    positions = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Position.objects.all(), help_text="Offres ouvertes présentées (une ou plusieurs)."
    )
    companies = serializers.SerializerMethodField(help_text="Entreprises participantes : celles des offres.")
    commune_name = serializers.CharField(source="commune.name", read_only=True, default=None)
    place = serializers.CharField(read_only=True)
    seats_taken = serializers.IntegerField(source="funnel_seats_taken", read_only=True)
    state = serializers.ChoiceField(SessionState.choices, read_only=True)
    funnel = serializers.SerializerMethodField()

    class Meta:
        model = InformationSession
        fields = [
            "id",
            "title",
            "positions",
            "companies",
            "starts_at",
            "ends_at",
            "is_online",
            "address",
            "commune",
            "commune_name",
            "online_link",
            "place",
            "capacity",
            "seats_taken",
            "state",
            "funnel",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def get_companies(self, session) -> list[str]:
        return sorted({position.company.name for position in session.positions.all()})

    @extend_schema_field(SessionFunnelSerializer)
    def get_funnel(self, session):
        return {name: getattr(session, f"funnel_{name}") for name in SessionFunnelSerializer._declared_fields}


class SessionTransitionRequestSerializer(serializers.Serializer):
    target = serializers.ChoiceField(
        [(SessionState.CANCELLED.value, SessionState.CANCELLED.label)],
        help_text="« cancelled » : annule la session (elle est tenue dès qu'une présence est notée).",
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class AttendanceRequestSerializer(serializers.Serializer):
    present = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list)
    absent = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list)


class SessionInvitationSerializer(serializers.ModelSerializer):
    session = serializers.PrimaryKeyRelatedField(queryset=InformationSession.objects.all())
    candidate = serializers.PrimaryKeyRelatedField(queryset=Candidate.objects.all())
    position = serializers.PrimaryKeyRelatedField(queryset=Position.objects.all())
    candidate_details = serializers.SerializerMethodField()
    job_title_label = serializers.CharField(source="position.job_title.label", read_only=True)
    company_name = serializers.CharField(source="position.company.name", read_only=True)
    state = serializers.ChoiceField(InvitationState.choices, read_only=True)
    # Declared so that the schema admits "" (none): DRF drops ``allow_blank`` from read-only model fields.
    not_retained_reason = serializers.ChoiceField(RefusalReason.choices, allow_blank=True, read_only=True)
    redirection = serializers.ChoiceField(Redirection.choices, allow_blank=True, read_only=True)
    redirection_outcome = serializers.ChoiceField(RedirectionOutcome.choices, allow_blank=True, read_only=True)

    class Meta:
        model = SessionInvitation
        fields = [
            "id",
            "session",
            "candidate",
            "candidate_details",
            "position",
            "job_title_label",
            "company_name",
            "submission",
            "state",
            "state_changed_at",
            "not_retained_reason",
            "redirection",
            "redirection_outcome",
            "created_at",
        ]
        read_only_fields = ["submission", "state_changed_at", "created_at"]

    def get_candidate_details(self, invitation) -> dict:
        return candidate_representation(invitation.candidate, self.context["request"].organisation)


class InvitationTransitionRequestSerializer(serializers.Serializer):
    target = serializers.ChoiceField(InvitationState.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    not_retained_reason = serializers.ChoiceField(
        [(c, label) for c, label in RefusalReason.choices if c != RefusalReason.REDIRECTED],
        required=False,
        allow_blank=True,
        default="",
        help_text="Pour « not_retained » : pourquoi la personne n'est pas retenue.",
    )
    redirection = serializers.ChoiceField(
        Redirection.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Pour « redirected » : vers quoi la personne est réorientée.",
    )


class RedirectionOutcomeRequestSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(RedirectionOutcome.choices)


class InvitationStepSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_full_name", read_only=True)
    organisation = serializers.CharField(source="organisation.name", read_only=True)
    from_state = serializers.ChoiceField(InvitationState.choices, allow_blank=True, read_only=True)
    to_state = serializers.ChoiceField(InvitationState.choices, read_only=True)

    class Meta:
        model = SessionInvitationTransition
        fields = ["from_state", "to_state", "actor", "organisation", "at", "reason"]


class CandidateImportSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-candidate-import-detail")
    created = serializers.IntegerField(
        source="created_count", allow_null=True, read_only=True, help_text="Candidats créés, une fois « done »."
    )
    errors = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Une fois « refused » : chaque ligne fautive, avec son numéro et ses motifs ; rien n'est importé.",
    )

    class Meta:
        model = CandidateImport
        fields = ["id", "url", "file_name", "state", "created", "errors", "created_at", "finished_at"]
        read_only_fields = fields
