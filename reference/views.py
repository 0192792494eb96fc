"""htmx partials behind the search-as-you-type fields of ``reference.forms``.

Public (``@login_not_required``): the public job board and the sign-up forms use them, and the data
is open data. Each returns at most ``SEARCH_LIMIT`` options (``<li role="option">``) for the listbox of
the widget; an empty query returns nothing.
"""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reference.models import Commune, JobTitle

SEARCH_LIMIT = 10


def _query(request):
    """``q``, or the ``<field>_search`` text input of a widget, which htmx sends under its own name."""
    if "q" in request.GET:
        return request.GET["q"].strip()
    for name, value in request.GET.items():
        if name.endswith("_search"):
            return value.strip()
    return ""


@login_not_required
@require_GET
def job_title_search(request):
    query = _query(request)
    job_titles = JobTitle.objects.search(query).select_related("occupation")[:SEARCH_LIMIT] if query else []
    return render(request, "reference/includes/job_title_options.html", {"job_titles": job_titles, "query": query})


@login_not_required
@require_GET
def commune_search(request):
    query = _query(request)
    communes = Commune.objects.in_ile_de_france().search(query)[:SEARCH_LIMIT] if query else []
    return render(request, "reference/includes/commune_options.html", {"communes": communes, "query": query})
