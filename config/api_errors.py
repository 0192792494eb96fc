from django.core.exceptions import PermissionDenied
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
