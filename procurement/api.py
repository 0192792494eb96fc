"""The procurement API: thin viewsets over ``procurement.services``; objects come from ``visible_to``."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, AllowAny
from rest_framework.response import Response

from accounts.perms import CanPerform, HasOrganisation
from common.api_errors import ServiceActions, as_api_error
from procurement import decp, progress, proofs, services
from procurement.enums import ContractState, Sector, StatementState
from procurement.forms import SiaeFilter
from procurement.models import Award, ClauseSettings, Contract, HoursStatement, SectorDefaults, SiaeOrder, SiaeProfile
from procurement.serializers import (
    AwardRequestSerializer,
    ClauseSettingsSerializer,
    ContractSerializer,
    ContractTransitionRequestSerializer,
    CorrectionSerializer,
    DecpImportReportSerializer,
    DecpImportRequestSerializer,
    HoursStatementSerializer,
    RejectSerializer,
    SectorDefaultsSerializer,
    SiaeOrderSerializer,
    SiaeProfileSerializer,
    ValidateManyResultSerializer,
    ValidateManySerializer,
)


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """An object's id: a whole number the database can hold (``?buyer=1e300`` is a 400, not a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=2**63 - 1, **kwargs)


class ContractFilter(django_filters.FilterSet):
    buyer = IdFilter(field_name="buyer_id")
    company = IdFilter(method="filter_company")
    state = django_filters.ChoiceFilter(choices=ContractState.choices)
    sector = django_filters.ChoiceFilter(choices=Sector.choices)

    class Meta:
        model = Contract
        fields = ["buyer", "company", "state", "sector"]

    def filter_company(self, queryset, name, value):
        return queryset.filter(awards__company_id=value)


class ContractViewSet(
    ServiceActions,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ContractSerializer
    service_object = "contract"
    filterset_class = ContractFilter
    permission_classes = [HasOrganisation]

    def get_queryset(self):
        return (
            Contract.objects.visible_to(self.request.organisation)
            .select_related("buyer")
            .prefetch_related(Prefetch("awards", Award.objects.select_related("company")))
            .order_by("-created_at", "-pk")
        )

    def get_permissions(self):
        if self.action == "create":
            return [HasOrganisation(), CanPerform.to("contract.create")()]
        if self.action == "import_decp":
            return [HasOrganisation(), CanPerform.to("contract.import_decp")()]
        return super().get_permissions()

    @extend_schema(request=DecpImportRequestSerializer, responses=DecpImportReportSerializer)
    @action(detail=False, methods=["post"], url_path="import-decp", parser_classes=[MultiPartParser])
    def import_decp(self, request):
        """Imports a DECP file (multipart): the records with a social consideration become draft contracts.
        Answers the page's report; nothing is written with ``dry_run``."""
        payload = DecpImportRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            report = decp.import_decp(
                raw=decp.read_upload(payload.validated_data["file"]),
                actor=request.user,
                organisation=request.organisation,
                dry_run=payload.validated_data["dry_run"],
            )
        except DjangoValidationError as exc:
            raise as_api_error(DjangoValidationError({"file": exc.messages})) from exc
        return Response(DecpImportReportSerializer.of(report, dry_run=payload.validated_data["dry_run"]))

    @extend_schema(request=ContractTransitionRequestSerializer, responses=ContractSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        return self.run_service(services.transition_contract, ContractTransitionRequestSerializer)

    @extend_schema(request=AwardRequestSerializer, responses=ContractSerializer)
    @action(detail=True, methods=["post"])
    def award(self, request, pk=None):
        return self.run_service(services.award_contract, AwardRequestSerializer)

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None):
        state = progress.contract_progress(self.get_object())
        return Response(
            {
                "contract": state.contract.pk,
                "hours_due": state.due,
                "hours_declared": state.declared,
                "hours_validated": state.validated,
                "hours_pending": state.pending,
                "rate": state.rate,
                "rate_label": state.rate_label,
                "by_modality": dict(sorted(state.by_modality.items())),
                "by_month": [
                    {"month": m, "declared": d, "validated": v, "cumulative_validated": c}
                    for m, d, v, c in state.month_rows()
                ],
                "siae_hours": state.siae_hours,
                "siae_share": state.siae_share,
                "siae_turnover": state.siae_turnover,
                "projected_hours": state.projected,
                "status": state.status,
                # In progress: what the projection misses; at closing: what is missing, and the penalty.
                "hours_at_risk": state.hours_at_risk,
                "penalty_at_stake": state.penalty_at_stake,
                "hours_missing": state.remaining,
                "penalty_per_missing_hour": state.contract.penalty_per_missing_hour,
                "penalty": state.penalty if state.is_closed else None,
                "fte": state.fte,
                "fte_divisor": state.fte_divisor,
            }
        )


class SiaeViewSet(viewsets.ReadOnlyModelViewSet):
    """The SIAE directory (any logged-in organisation)."""

    serializer_class = SiaeProfileSerializer
    filterset_class = SiaeFilter
    permission_classes = [CanPerform.to("siae_directory.read")]
    queryset = SiaeProfile.objects.for_directory().order_by("organisation__name", "pk")


class SiaeOrderViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = SiaeOrderSerializer
    permission_classes = [HasOrganisation]
    filterset_fields = ["contract", "siae", "kind"]

    def get_queryset(self):
        return SiaeOrder.objects.visible_to(self.request.organisation).select_related("source").order_by("-pk")

    def get_permissions(self):
        if self.action == "create":
            return [HasOrganisation(), CanPerform.to("siae_order.manage")()]
        return super().get_permissions()


class HoursFilter(django_filters.FilterSet):
    contract = IdFilter(field_name="source__contract_id")
    state = django_filters.ChoiceFilter(choices=StatementState.choices)
    month_from = django_filters.DateFilter(field_name="month", lookup_expr="gte")
    month_to = django_filters.DateFilter(field_name="month", lookup_expr="lte")

    class Meta:
        model = HoursStatement
        fields = ["source", "contract", "state", "month_from", "month_to"]


class HoursViewSet(
    ServiceActions, mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Hours statements: a company declares (multipart, with the proof), the facilitator validates or rejects."""

    serializer_class = HoursStatementSerializer
    service_object = "statement"
    filterset_class = HoursFilter
    permission_classes = [HasOrganisation]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        return (
            HoursStatement.objects.visible_to(self.request.organisation)
            .select_related("source")
            .order_by("-month", "-pk")
        )

    def get_permissions(self):
        needed = {
            "create": "hours.declare",
            "validate": "hours.validate",
            "validate_many": "hours.validate",
            "reject": "hours.validate",
            "correct": "hours.validate",
        }.get(self.action)
        if needed:
            return [HasOrganisation(), CanPerform.to(needed)()]
        if self.action == "proof":
            return [AllowAny()]  # anonymous callers get the same 404 as outsiders
        return super().get_permissions()

    @extend_schema(request=None, responses=HoursStatementSerializer)
    @action(detail=True, methods=["post"])
    def validate(self, request, pk=None):
        return self.run_service(services.validate_statement)

    # JSON only: a form would send each id as a field, and Django caps the number of fields of a request. Its own
    # operation id: the generated one collides with the single statement's « validate ».
    @extend_schema(
        operation_id="v1_hours_validate_many", request=ValidateManySerializer, responses=ValidateManyResultSerializer
    )
    @action(detail=False, methods=["post"], url_path="validate", url_name="validate-many", parser_classes=[JSONParser])
    def validate_many(self, request):
        """Validates several statements, each checked and audited on its own: one refusal leaves the others."""
        payload = ValidateManySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        statements = self.get_queryset().filter(pk__in=payload.validated_data["statements"]).order_by("month", "pk")
        validated, refused = services.validate_statements(
            statements=list(statements), actor=request.user, organisation=request.organisation
        )
        return Response(
            ValidateManyResultSerializer(
                {
                    "validated": [statement.pk for statement in validated],
                    "refused": [{"id": statement.pk, "errors": errors} for statement, errors in refused],
                }
            ).data
        )

    @extend_schema(request=CorrectionSerializer, responses=HoursStatementSerializer)
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        """The facilitator's correction of a closed contract's validated statement (answers the correction)."""
        return self.run_service(services.correct_closed_statement, CorrectionSerializer)

    @extend_schema(
        request=None,
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
            (200, "image/jpeg"): OpenApiTypes.BINARY,
        },
    )
    @action(detail=True, methods=["get"])
    def proof(self, request, pk=None):
        """The proof, as an attachment, to the facilitator and the declaring company only (404 for anyone else)."""
        organisation = getattr(request, "organisation", None) if request.user.is_authenticated else None
        if not str(pk).isdecimal() or int(pk) > 2**63 - 1:
            raise Http404
        statement = HoursStatement.objects.proofs_readable_by(organisation).exclude(proof="").filter(pk=pk).first()
        if statement is None:
            raise Http404
        return proofs.proof_response(statement)

    @extend_schema(request=RejectSerializer, responses=HoursStatementSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self.run_service(services.reject_statement, RejectSerializer)


class SectorDefaultsViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Reference values per sector: read by every organisation, changed by the facilitator."""

    serializer_class = SectorDefaultsSerializer
    queryset = SectorDefaults.objects.order_by("sector")
    lookup_field = "sector"
    pagination_class = None

    def get_permissions(self):
        if self.request.method in SAFE_METHODS:
            return [HasOrganisation()]
        return [HasOrganisation(), CanPerform.to("clause_settings.edit")()]


class ClauseSettingsView(generics.RetrieveUpdateAPIView):
    """Settings shared by every contract (FTE divisor, SIAE hourly cost, overtime tolerance): read by every
    organisation, changed by the facilitator; every FTE figure follows the divisor."""

    serializer_class = ClauseSettingsSerializer

    def get_permissions(self):
        if self.request.method in SAFE_METHODS:
            return [HasOrganisation()]
        return [HasOrganisation(), CanPerform.to("clause_settings.edit")()]

    def get_object(self):
        return ClauseSettings.current()
