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
        min_value=1, max_value=MAX_LIMIT, default=20, error_messages={"invalid": "Un nombre entier est attendu."}
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
    {
        "code_rome": serializers.CharField(),
        "label": serializers.CharField(),
        "origin": serializers.ChoiceField(
            choices=list(engine.Origin.LABELS),
            help_text="« france_travail » : métier proche selon les experts de France Travail (mobilités du ROME) ; "
            "« competences » : proche par les compétences, les textes et la structure du ROME.",
        ),
        "origin_label": serializers.CharField(
            help_text="« métier proche selon France Travail » ou « compétences proches »."
        ),
        "rank": serializers.IntegerField(
            allow_null=True, help_text="Ordre dans la liste de France Travail (1 = premier) ; null pour les autres."
        ),
        "score": serializers.FloatField(
            help_text="Proximité utilisée par le rapprochement : de 0,75 à 0,95 pour les métiers proches selon "
            "France Travail (selon leur ordre), moins de 0,6 pour les autres."
        ),
    },
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
    description="Les k métiers les plus proches, le métier lui-même exclu : d'abord les métiers proches selon les "
    "experts de France Travail (mobilités du ROME 4.0), dans l'ordre de France Travail, puis les métiers proches "
    "par les compétences, les textes et la structure du ROME. `origin` dit d'où vient chacun.",
    parameters=[
        OpenApiParameter("k", OpenApiTypes.INT, description=f"Nombre de métiers (1 à {MAX_LIMIT}, 20 par défaut).")
    ],
    responses=SimilarOccupationSerializer,
    tags=["rapprochement"],
)
@api_view(["GET"])
def similar_occupations(request, code_rome):
    k = _query(SimilarQuerySerializer, request)["k"]
    if not engine.is_known_occupation(code_rome.upper()):
        raise NotFound(f"Aucun métier ROME de code « {code_rome} ».")
    return Response(
        [
            {
                "code_rome": close.code_rome,
                "label": close.label,
                "origin": close.origin,
                "origin_label": close.origin_label,
                "rank": close.rank,
                "score": round(close.score, 4),
            }
            for close in engine.close_occupations([code_rome.upper()], k=k)
        ]
    )
