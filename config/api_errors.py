from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError


def as_api_error(exc):
    """A service's French refusal as DRF's 400 (field by field when it names fields) or 403, never a 500."""
    if isinstance(exc, PermissionDenied):
        return ApiPermissionDenied(str(exc))
    if hasattr(exc, "error_dict"):
        return ValidationError(
            {field: [m for e in errors for m in e.messages] for field, errors in exc.error_dict.items()}
        )
    return ValidationError({"non_field_errors": exc.messages})


def call_service(service, **kwargs):
    """Runs a service for an API view, its refusals becoming API errors."""
    try:
        return service(**kwargs)
    except (DjangoValidationError, PermissionDenied) as exc:
        raise as_api_error(exc) from exc
