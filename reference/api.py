"""Read-only search over the reference data, for any authenticated caller (token or session).

The public pages (job board, sign-up) search through the htmx partials of ``reference.views``, which
are public; the API keeps the rule of the rest of ``/api/v1/``: a token or a session is required.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination

from reference.models import Commune, JobTitle
from reference.serializers import CommuneSerializer, JobTitleSerializer


class ReferenceSearchPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


def _search_parameter(what):
    return OpenApiParameter(
        "q",
        OpenApiTypes.STR,
        description=(
            f"Recherche {what}, sans tenir compte des accents ni de la casse ; chaque mot saisi doit commencer "
            "un mot du libellé. Les résultats commençant par la saisie viennent en premier. "
            "Sans `q`, toute la liste, paginée."
        ),
    )


class JobTitleSearchView(ListAPIView):
    """Search ROME job titles (*appellations*), e.g. `?q=macon` finds « Maçon / Maçonne » first, and so does
    `?q=mcaon` (typos are tolerated, see ``reference.typos``).

    Paginated: 20 results a page by default, `page_size` up to 100."""

    serializer_class = JobTitleSerializer
    pagination_class = ReferenceSearchPagination
    filter_backends = []

    def get_queryset(self):
        job_titles = JobTitle.objects.select_related("occupation")
        query = self.request.query_params.get("q", "").strip()
        if query:
            return job_titles.search(query)
        return job_titles.order_by("label", "code_ogr")

    @extend_schema(
        parameters=[_search_parameter("par libellé d'appellation, code OGR ou code ROME (« F1703 »)")],
        summary="Rechercher un métier (appellation ROME)",
        description=(
            "Appellations du ROME 4.0 (France Travail, v460) : « ?q=macon » donne « Maçon / Maçonne » en premier. "
            "Les fautes de frappe sont tolérées : un mot qui ne commence aucun mot des libellés est remplacé par "
            "les débuts de mots les plus proches (« plonbier » trouve « Plombier / Plombière »). "
            "Paginé : 20 résultats par page, `page_size` jusqu'à 100."
        ),
        tags=["référentiels"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CommuneSearchView(ListAPIView):
    """Search the communes of Île-de-France by name, postcode or code INSEE, e.g. `?q=paris 11` or `?q=75011`.

    Paginated: 20 results a page by default, `page_size` up to 100."""

    serializer_class = CommuneSerializer
    pagination_class = ReferenceSearchPagination
    filter_backends = []

    def get_queryset(self):
        communes = Commune.objects.in_ile_de_france()
        query = self.request.query_params.get("q", "").strip()
        if query:
            return communes.search(query)
        return communes.order_by("code_insee")

    @extend_schema(
        parameters=[_search_parameter("par nom, code postal ou code INSEE")],
        summary="Rechercher une commune d'Île-de-France",
        description=(
            "Communes d'Île-de-France et arrondissements de Paris (INSEE / IGN via API Géo) : « ?q=paris 11 » "
            "ou « ?q=75011 » donnent Paris 11e. Paginé : 20 résultats par page, `page_size` jusqu'à 100."
        ),
        tags=["référentiels"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
