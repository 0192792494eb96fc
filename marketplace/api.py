"""REST API of the marketplace. Every object is loaded through its ``visible_to`` queryset (outsiders
get 404); role rules come from ``accounts.perms`` (403); services do the work (their refusals are 400)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS, AllowAny
from rest_framework.response import Response

from accounts import perms
from accounts.perms import CanPerform, HasOrganisation
from accounts.serializers import TransitionLogSerializer
from common.api_errors import ServiceActions, call_service
from common.refusals import as_api_error
from marketplace import imports, services, sessions, tasks
from marketplace.enums import InvitationState
from marketplace.models import (
    Candidate,
    CandidateImport,
    EligibilityCheck,
    InformationSession,
    Placement,
    Position,
    SessionInvitation,
    Submission,
)
from marketplace.serializers import (
    AttendanceRequestSerializer,
    CandidateImportSerializer,
    CandidateSerializer,
    DecisionSerializer,
    EligibilityCheckSerializer,
    InformationSessionSerializer,
    InvitationStepSerializer,
    InvitationTransitionRequestSerializer,
    OutcomeSerializer,
    PlacementSerializer,
    PlacementTransitionRequestSerializer,
    PositionSerializer,
    PositionTransitionRequestSerializer,
    RedirectionOutcomeRequestSerializer,
    SessionInvitationSerializer,
    SessionTransitionRequestSerializer,
    SubmissionSerializer,
    SubmissionTransitionRequestSerializer,
)


class PositionViewSet(ServiceActions, viewsets.ModelViewSet):
    """Open positions are public; a company creates and edits its own."""

    serializer_class = PositionSerializer
    service_object = "position"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        if self.request.method in SAFE_METHODS:
            return [AllowAny()]
        if self.action == "transition":
            return [HasOrganisation()]
        return [CanPerform.to("position.manage")()]

    def get_queryset(self):
        organisation = getattr(self.request, "organisation", None)
        if self.request.method in SAFE_METHODS or self.action == "transition":
            return Position.objects.visible_to(organisation).for_display()
        return Position.objects.managed_by(organisation).for_display()

    @extend_schema(request=PositionTransitionRequestSerializer, responses=PositionSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Publishes, closes or reopens the position (``marketplace.workflows.POSITION``)."""
        return self.run_service(services.transition_position, PositionTransitionRequestSerializer)

    def _save(self, serializer):
        data = dict(serializer.validated_data)
        state = data.pop("state", None)
        position = serializer.instance or Position()
        for field, value in data.items():
            setattr(position, field, value)
        try:
            position.full_clean(exclude=["company", "created_by", "contract"])
        except DjangoValidationError as exc:
            raise as_api_error(exc) from exc
        position = call_service(
            services.save_position, position=position, actor=self.request.user, organisation=self.request.organisation
        )
        if state and state != position.state:
            position = call_service(
                services.transition_position,
                api_fields={"target": "state"},
                position=position,
                target=state,
                actor=self.request.user,
                organisation=self.request.organisation,
            )
        serializer.instance = position

    perform_create = perform_update = _save


class CandidateViewSet(viewsets.ModelViewSet):
    """A prescriber's own pool; the facilitator reads every pool."""

    serializer_class = CandidateSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        if self.request.method in SAFE_METHODS:
            return [HasOrganisation()]
        return [CanPerform.to("candidate.manage")()]

    def get_queryset(self):
        return (
            Candidate.objects.visible_to(self.request.organisation)
            .prefetch_related("job_titles", "skills")
            .order_by("pk")
        )

    def _save(self, serializer):
        data = dict(serializer.validated_data)
        job_titles, skills = data.pop("job_titles", None), data.pop("skills", None)
        candidate = serializer.instance or Candidate()
        for field, value in data.items():
            setattr(candidate, field, value)
        serializer.instance = call_service(
            services.save_candidate,
            candidate=candidate,
            job_titles=job_titles,
            skills=skills,
            actor=self.request.user,
            organisation=self.request.organisation,
        )

    perform_create = perform_update = _save

    @extend_schema(
        request={
            "multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
        },
        responses={
            201: inline_serializer("CandidateImportResult", {"created": serializers.IntegerField()}),
            202: CandidateImportSerializer,
        },
    )
    @action(detail=False, methods=["post"], parser_classes=[parsers.MultiPartParser], url_path="import")
    def import_(self, request):
        """CSV or XLSX; 400 with every bad row (line number and reason) and nothing imported, or 201. A file over
        ``IMPORT_BACKGROUND_BYTES`` is imported by the task queue: 202 with the job, whose ``url`` gives its
        state and, once ``done`` or ``refused``, its result."""
        uploaded = request.FILES.get("file")
        if uploaded is None:
            raise ValidationError({"file": ["Joignez un fichier CSV ou XLSX."]})
        try:
            if imports.runs_in_background(uploaded):
                job = tasks.queue_import(uploaded=uploaded, organisation=request.organisation, actor=request.user)
                data = CandidateImportSerializer(job, context={"request": request}).data
                return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})
            created = imports.import_candidates(
                uploaded=uploaded, organisation=request.organisation, actor=request.user
            )
        except imports.CandidateImportError as exc:
            raise ValidationError({"rows": exc.messages}) from exc
        return Response({"created": len(created)}, status=status.HTTP_201_CREATED)


class CandidateImportViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A large import queued by ``POST /candidates/import/``: its state, then its result."""

    serializer_class = CandidateImportSerializer
    permission_classes = [CanPerform.to("candidate.manage")]

    def get_queryset(self):
        return CandidateImport.objects.visible_to(self.request.organisation)


class EligibilityCheckViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = EligibilityCheckSerializer

    def get_permissions(self):
        if self.request.method in SAFE_METHODS:
            return [HasOrganisation()]
        return [CanPerform.to("eligibility.check")()]

    def get_queryset(self):
        return EligibilityCheck.objects.visible_to(self.request.organisation).order_by("-checked_at", "-pk")

    def perform_create(self, serializer):
        candidate = serializer.validated_data["candidate"]
        if not Candidate.objects.visible_to(self.request.organisation).filter(pk=candidate.pk).exists():
            raise ValidationError({"candidate": ["Candidat inconnu."]})
        serializer.instance = call_service(
            services.record_eligibility_check,
            candidate=candidate,
            criteria=serializer.validated_data["criteria"],
            note=serializer.validated_data.get("note", ""),
            actor=self.request.user,
            organisation=self.request.organisation,
        )


class SubmissionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """What each role sees is ``Submission.objects.visible_to``; moves go through ``transition``."""

    serializer_class = SubmissionSerializer
    permission_classes = [HasOrganisation]

    def get_permissions(self):
        if self.action == "create":
            return [CanPerform.to("submission.create")()]
        return super().get_permissions()

    def get_queryset(self):
        return (
            Submission.objects.visible_to(self.request.organisation)
            .for_display()
            .prefetch_related("candidate__job_titles", "candidate__skills")
            .order_by("-created_at", "-pk")
        )

    def perform_create(self, serializer):
        candidate = serializer.validated_data["candidate"]
        if not Candidate.objects.visible_to(self.request.organisation).filter(pk=candidate.pk).exists():
            raise ValidationError({"candidate": ["Candidat inconnu."]})
        serializer.instance = call_service(
            services.submit_candidate,
            candidate=candidate,
            position=serializer.validated_data["position"],
            note=serializer.validated_data.get("note", ""),
            actor=self.request.user,
            organisation=self.request.organisation,
        )

    @extend_schema(request=SubmissionTransitionRequestSerializer, responses=SubmissionSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Moves the submission (``marketplace.workflows.SUBMISSION``); a refusal needs ``refusal_reason``, a
        hire may give the contract's terms."""
        submission = self.get_object()
        payload = SubmissionTransitionRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        call_service(
            services.transition_submission,
            submission=submission,
            target=data.pop("target"),
            refusal_reason=data.pop("refusal_reason"),
            reason=data.pop("reason"),
            hire=data,
            actor=request.user,
            organisation=request.organisation,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=submission.pk)).data)

    @extend_schema(responses=TransitionLogSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        """The submission's steps this organisation may read (``Submission.history_for``)."""
        steps = self.get_object().history_for(request.organisation)
        return Response(TransitionLogSerializer(steps, many=True).data)


class PlacementViewSet(ServiceActions, viewsets.ReadOnlyModelViewSet):
    serializer_class = PlacementSerializer
    service_object = "placement"
    permission_classes = [HasOrganisation]

    def get_queryset(self):
        return Placement.objects.visible_to(self.request.organisation).for_display().order_by("-hired_on", "-pk")

    @extend_schema(request=PlacementTransitionRequestSerializer, responses=PlacementSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Validates or refuses (saying why in ``reason``) a pending placement (``marketplace.workflows.PLACEMENT``);
        ``validate`` and ``refuse`` do the same."""
        return self.run_service(services.transition_placement, PlacementTransitionRequestSerializer)

    @extend_schema(request=DecisionSerializer, responses=PlacementSerializer)
    @action(detail=True, methods=["post"], permission_classes=[CanPerform.to("placement.validate")])
    def validate(self, request, pk=None):
        return self.run_service(services.validate_placement, DecisionSerializer)

    @extend_schema(request=DecisionSerializer, responses=PlacementSerializer)
    @action(detail=True, methods=["post"], permission_classes=[CanPerform.to("placement.validate")])
    def refuse(self, request, pk=None):
        """Refuses a hire, saying why in ``note``; the opening is free again."""
        return self.run_service(services.refuse_placement, DecisionSerializer)

    @extend_schema(request=OutcomeSerializer, responses=PlacementSerializer)
    @action(detail=True, methods=["post"], permission_classes=[CanPerform.to("placement.validate")])
    def outcome(self, request, pk=None):
        """Records where the person stands at the end of a validated placement."""
        return self.run_service(services.record_outcome, OutcomeSerializer)


# --- Information sessions ----------------------------------------------------------------------------------


class InformationSessionViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Information sessions (*informations collectives*) as ``InformationSession.objects.visible_to`` shows them:
    every one to the facilitator, who plans them; those its people are invited to, and those still planned, to a
    prescriber; those for its positions to a company, and on its contracts to a buyer (counts only)."""

    serializer_class = InformationSessionSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        if self.action in ("create", "partial_update", "transition"):
            return [CanPerform.to("session.plan")()]
        if self.action == "attendance":
            return [CanPerform.to("session.attendance")()]
        return [HasOrganisation()]

    def get_queryset(self):
        return (
            InformationSession.objects.visible_to(self.request.organisation)
            .with_funnel()
            .for_display()
            .order_by("-starts_at", "-pk")
        )

    def _save(self, serializer):
        data = dict(serializer.validated_data)
        positions = data.pop("positions", None)
        session = serializer.instance or InformationSession()
        if positions is None:
            positions = list(session.positions.all())
        for name, value in data.items():
            setattr(session, name, value)
        session = call_service(
            sessions.save_session,
            session=session,
            positions=positions,
            actor=self.request.user,
            organisation=self.request.organisation,
        )
        serializer.instance = self.get_queryset().get(pk=session.pk)

    perform_create = perform_update = _save

    @extend_schema(request=SessionTransitionRequestSerializer, responses=InformationSessionSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Cancels a planned session: the invitations still waiting or confirmed are withdrawn."""
        payload = SessionTransitionRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        session = call_service(
            sessions.move_session,
            session=self.get_object(),
            target=payload.validated_data["target"],
            reason=payload.validated_data["reason"],
            actor=request.user,
            organisation=request.organisation,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=session.pk)).data)

    @extend_schema(request=AttendanceRequestSerializer, responses=SessionInvitationSerializer(many=True))
    @action(detail=True, methods=["post"], pagination_class=None)
    def attendance(self, request, pk=None):
        """The attendance sheet, from the session's day on: who came (``present``) and who did not (``absent``),
        ids of the session's invitations, recorded all together or not at all."""
        session = self.get_object()
        payload = AttendanceRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        call_service(
            sessions.record_attendance,
            session=session,
            present=payload.validated_data["present"],
            absent=payload.validated_data["absent"],
            actor=request.user,
            organisation=request.organisation,
        )
        sheet = (
            SessionInvitation.objects.visible_to(request.organisation)
            .filter(session=session)
            .for_display()
            .prefetch_related("candidate__job_titles", "candidate__skills")
            .order_by("pk")
        )
        return Response(SessionInvitationSerializer(sheet, many=True, context={"request": request}).data)


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("session", int, description="Les invitations de cette information collective.")]
    )
)
class SessionInvitationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Invitations to information sessions, as ``SessionInvitation.objects.visible_to`` shows them: the facilitator
    every one, a prescriber its own people's, a company the people sent to it. Created by the facilitator (the
    person's prescriber then answers) or by a prescriber for one of its people (confirmed at once)."""

    serializer_class = SessionInvitationSerializer
    permission_classes = [HasOrganisation]

    def get_queryset(self):
        invitations = (
            SessionInvitation.objects.visible_to(self.request.organisation)
            .for_display()
            .prefetch_related("candidate__job_titles", "candidate__skills")
            .order_by("pk")
        )
        session = self.request.query_params.get("session")
        if session is not None and self.action == "list":
            if not session.isdigit():
                raise ValidationError({"session": ["Indiquez le numéro d'une information collective."]})
            invitations = invitations.filter(session_id=int(session))
        return invitations

    def perform_create(self, serializer):
        data = serializer.validated_data
        organisation = self.request.organisation
        if not InformationSession.objects.visible_to(organisation).filter(pk=data["session"].pk).exists():
            raise ValidationError({"session": ["Information collective inconnue."]})
        if not Candidate.objects.visible_to(organisation).filter(pk=data["candidate"].pk).exists():
            raise ValidationError(
                {"candidate": ["Ce candidat n'est pas suivi par votre organisation : seul son prescripteur l'inscrit."]}
            )
        invitation = call_service(
            sessions.invite,
            session=data["session"],
            candidate=data["candidate"],
            position=data["position"],
            actor=self.request.user,
            organisation=organisation,
        )
        serializer.instance = self.get_queryset().get(pk=invitation.pk)

    @extend_schema(request=InvitationTransitionRequestSerializer, responses=SessionInvitationSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Moves an invitation (``target``): the prescriber confirms or declines for the person; the facilitator
        withdraws it, records presence (``present``, ``absent``), then the outcome (``preselected``, ``sent``,
        ``not_retained`` with ``not_retained_reason``, ``redirected`` with ``redirection``), which moves the
        person's submission along. ``reason``: a comment."""
        invitation = self.get_object()  # outsiders learn nothing, not even what the body lacks (404)
        payload = InvitationTransitionRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        invitation = call_service(
            sessions.move_invitation,
            invitation=invitation,
            target=data["target"],
            reason=data["reason"],
            not_retained_reason=data["not_retained_reason"],
            redirection=data["redirection"],
            actor=request.user,
            organisation=request.organisation,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=invitation.pk)).data)

    @extend_schema(request=RedirectionOutcomeRequestSerializer, responses=SessionInvitationSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="redirection-outcome",
        permission_classes=[CanPerform.to("session.attendance")],
    )
    def redirection_outcome(self, request, pk=None):
        """What came of a redirection (a job, a training, a VAE...), recorded by the facilitator."""
        payload = RedirectionOutcomeRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        invitation = call_service(
            sessions.record_redirection_outcome,
            invitation=self.get_object(),
            outcome=payload.validated_data["outcome"],
            actor=request.user,
            organisation=request.organisation,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=invitation.pk)).data)

    @extend_schema(responses=InvitationStepSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        """The invitation's steps; a company's view starts when the person was sent to it (the comments before may
        speak of the person's situation)."""
        invitation = self.get_object()
        steps = invitation.transitions.select_related("actor", "organisation")
        if not perms.can_see_eligibility(request.organisation, invitation.candidate.prescriber_id):
            steps = steps.filter(to_state=InvitationState.SENT)
        return Response(InvitationStepSerializer(steps, many=True).data)
