"""The one converter from a service's refusal to what the person sees.

Services refuse with a French ``ValidationError`` (naming the field when there is one) or ``PermissionDenied``, and
write nothing. A page puts the messages on its form (``add_errors``) or, for a button without a form, in the page's
messages (``flash``); the API answers 400 field by field or 403 (``as_api_error``). All three read the refusal
through ``messages_by_field``, so a message reads the same whichever way in.
"""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.forms import BaseForm
from rest_framework import exceptions as api

NON_FIELD = None


def messages_by_field(exc, fields=None):
    """{field name, or ``NON_FIELD``: [French messages]}. ``fields`` renames the service's field names to the
    caller's (an API body field whose ``source`` is the service's keyword)."""
    fields = fields or {}
    if isinstance(exc, PermissionDenied):
        return {NON_FIELD: [str(exc) or "Votre organisation n'a pas accès à cette action."]}
    if not hasattr(exc, "error_dict"):
        return {NON_FIELD: list(exc.messages)}
    result = {}
    for field, errors in exc.error_dict.items():
        name = NON_FIELD if field == NON_FIELD_ERRORS else fields.get(field, field)
        result.setdefault(name, []).extend(message for error in errors for message in error.messages)
    return result


def add_errors(form, exc, fields=None):
    """On a form: each message on its field when the form has it, else on the whole form. On a formset: the
    messages above its forms."""
    if not isinstance(form, BaseForm):
        form._non_form_errors = form.error_class(
            [message for found in messages_by_field(exc, fields).values() for message in found]
        )
        return
    for field, found in messages_by_field(exc, fields).items():
        form.add_error(field if field in form.fields else None, found)


def flash(request, exc):
    """For an action without a form (a button): the refusal in the page's messages, one line."""
    messages.error(request, " ".join(message for found in messages_by_field(exc).values() for message in found))


def as_api_error(exc, fields=None):
    """DRF's 400 (a list of messages per field, ``non_field_errors`` for the whole) or 403, never a 500."""
    if isinstance(exc, PermissionDenied):
        return api.PermissionDenied(messages_by_field(exc)[NON_FIELD][0])
    return api.ValidationError(
        {field or "non_field_errors": found for field, found in messages_by_field(exc, fields).items()}
    )


def call(service, *, form=None, request=None, **kwargs):
    """Runs ``service`` for a page: its result (services return what they acted on), or None after putting its
    ``ValidationError`` on ``form`` (or in ``request``'s messages). ``PermissionDenied`` goes on up: the page
    answers 403."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        if form is not None:
            add_errors(form, exc)
        else:
            flash(request, exc)
        return None
