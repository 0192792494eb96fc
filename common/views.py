"""Helpers shared by the pages of every app: pagination and a service's refusal put on a form."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator

PAGE_SIZE = 20


def paginate(request, queryset, per_page=PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def add_errors(form, exc: ValidationError):
    """Puts a service's refusal on the form: on its field when it names one, else on the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
