"""API of the matcher: ranked candidates for a position, ranked positions for a candidate, similar
occupations. Objects load through their ``visible_to`` querysets (outsider: 404); the role rule is
``matching.read`` (others: 403); a prescriber only ever gets candidates of its own pool."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts import perms
from accounts.perms import CanPerform
from marketplace.models import Candidate, Position
from matching import engine

MAX_LIMIT = 100


class LimitSerializer(serializers.Serializer):
    limit = serializers.IntegerField(
        min_value=1, max_value=MAX_LIMIT, default=20, error_messages={"invalid": "Un nombre entier est attendu."}
    )


class SimilarQuerySerializer(serializers.Serializer):
    k = serializers.IntegerField(
        min_value=1, max_value=MAX_LIMIT, default=10, error_messages={"invalid": "Un nombre entier est attendu."}
    )


def _query(serializer_class, request):
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


_reasons = serializers.ListField(
    child=serializers.CharField(), help_text="Raisons en français, les plus fortes d'abord."
)
_eligibility = serializers.ChoiceField(
    choices=list(engine.Eligibility.LABELS), help_text="Indiquée, jamais utilisée pour classer."
)
CandidateMatchSerializer = inline_serializer(
    "CandidateMatch",
    {
        "candidate": serializers.IntegerField(),
        "score": serializers.FloatField(),
        "reasons": _reasons,
        "eligibility": _eligibility,
    },
    many=True,
)
PositionMatchSerializer = inline_serializer(
    "PositionMatch",
    {"position": serializers.IntegerField(), "score": serializers.FloatField(), "reasons": _reasons},
    many=True,
)
SimilarOccupationSerializer = inline_serializer(
    "SimilarOccupation",
    {"code_rome": serializers.CharField(), "label": serializers.CharField(), "score": serializers.FloatField()},
    many=True,
)
LIMIT = OpenApiParameter(
    "limit", OpenApiTypes.INT, description=f"Nombre de résultats (1 à {MAX_LIMIT}, 20 par défaut)."
)


@extend_schema(
    summary="Candidats proposés pour une offre",
    description="Classés du meilleur au moins bon, après les filtres (consentement, disponibilité, mobilité, "
    "permis, pas déjà positionné). Le facilitateur reçoit tous les viviers, un prescripteur le sien.",
    parameters=[LIMIT],
    responses=CandidateMatchSerializer,
    tags=["rapprochement"],
)
@api_view(["GET"])
@permission_classes([CanPerform.to("matching.read")])
def position_matches(request, pk):
    organisation = request.organisation
    position = get_object_or_404(Position.objects.visible_to(organisation), pk=pk)
    limit = _query(LimitSerializer, request)["limit"]
    pool = None if perms.sees_everything(organisation) else organisation.pk
    proposals = engine.rank_candidates(position.pk, prescriber_id=pool, limit=limit)
    flags = engine.eligibility_flags([p.object_id for p in proposals])
    return Response(
        [
            {
                "candidate": p.object_id,
                "score": round(p.score, 4),
                "reasons": p.reasons,
                "eligibility": flags[p.object_id],
            }
            for p in proposals
        ]
    )


@extend_schema(
    summary="Offres proposées à un candidat",
    description="Offres ouvertes classées pour un candidat du vivier de l'appelant (le facilitateur : tout candidat).",
    parameters=[LIMIT],
    responses=PositionMatchSerializer,
    tags=["rapprochement"],
)
@api_view(["GET"])
@permission_classes([CanPerform.to("matching.read")])
def candidate_matches(request, pk):
    candidate = get_object_or_404(Candidate.objects.visible_to(request.organisation), pk=pk)
    limit = _query(LimitSerializer, request)["limit"]
    proposals = engine.rank_positions(candidate.pk, limit=limit)
    return Response([{"position": p.object_id, "score": round(p.score, 4), "reasons": p.reasons} for p in proposals])


@extend_schema(
    summary="Métiers proches d'un métier ROME",
    description="Les k métiers les plus proches (compétences, textes et structure du ROME), le métier lui-même exclu.",
    parameters=[
        OpenApiParameter("k", OpenApiTypes.INT, description=f"Nombre de métiers (1 à {MAX_LIMIT}, 10 par défaut).")
    ],
    responses=SimilarOccupationSerializer,
    tags=["rapprochement"],
)
@api_view(["GET"])
def similar_occupations(request, code_rome):
    k = _query(SimilarQuerySerializer, request)["k"]
    similar = engine.similar_occupations(code_rome.upper(), k=k)
    if not similar and not engine.is_known_occupation(code_rome.upper()):
        raise NotFound(f"Aucun métier ROME de code « {code_rome} ».")
    return Response([{"code_rome": code, "label": label, "score": round(score, 4)} for code, label, score in similar])
