"""Pagination, the same for every page: ``PAGE_SIZE`` rows, ``?page=``, shown with ``{% dsfr_pagination page_obj %}``
(which keeps the other query parameters). The API pages on its own (``REST_FRAMEWORK["PAGE_SIZE"]``, 50)."""

import functools

from django.core.paginator import Paginator
from django.http import HttpResponsePermanentRedirect

PAGE_SIZE = 20


def paginate(request, queryset, per_page=PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def renamed_params(renamed):
    """Page query strings are in French (``?etat=``, ``?secteur=``); an old link with an English name
    (``@renamed_params({"state": "etat"})``) is sent once, permanently, to the French one."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not any(old in request.GET for old in renamed):
                return view(request, *args, **kwargs)
            params = request.GET.copy()
            for old, new in renamed.items():
                values = params.pop(old, None)
                if values is not None and new not in params:
                    params.setlist(new, values)
            return HttpResponsePermanentRedirect(f"{request.path}?{params.urlencode()}")

        return wrapper

    return decorator
