"""The reporting API: a period's headline figures."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.perms import CanPerform
from common.api_errors import as_api_error
from reporting import reports


class ReportSummaryView(APIView):
    """Headline figures of a period for the facilitator (all contracts) or a buyer (its own)."""

    permission_classes = [CanPerform.to("reports.own")]

    @extend_schema(
        parameters=[OpenApiParameter("from", str, description="AAAA-MM-JJ"), OpenApiParameter("to", str)],
        responses={200: dict},
    )
    def get(self, request):
        try:
            period = reports.Period.from_params(request.query_params)
        except DjangoValidationError as exc:
            raise as_api_error(exc) from exc
        return Response(reports.summary(request.organisation, period))
