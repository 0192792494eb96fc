from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.models import User
from accounts.serializers import (
    MeSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
)


class ObtainTokenView(APIView):
    """Exchanges a verified email, its password (and the second factor's code when set up) for a new API token."""

    authentication_classes = []
    permission_classes = [AllowAny]
    # Five wrong passwords lock the account from that address (django-axes): DRF's Throttled, with Retry-After.
    error_responses = {"429": "Trop de tentatives de connexion : ce compte est bloqué depuis votre adresse."}

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenResponseSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        instance, token = services.issue_api_token(user=serializer.validated_data["user"])
        return Response({"token": token, "expiry": instance.expiry}, status=status.HTTP_200_OK)


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = User.objects.prefetch_related("memberships__organisation").get(pk=request.user.pk)
        return Response(MeSerializer(user, context={"request": request}).data)
