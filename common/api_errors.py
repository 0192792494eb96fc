from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.views import defaults
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from common import pages


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


# For a viewset whose actions run a workflow on the object of the URL (validate, refuse, award...). A comment,
# not a docstring: drf-spectacular would show a docstring as the description of every viewset's operations.
class ServiceActions:
    # The keyword the services name that object by ("placement", "contract"...).
    service_object = None

    def run_service(self, service, payload_class=None):
        """Checks the body with ``payload_class``, runs ``service`` on the object with the body's fields, the
        actor and the organisation, and answers the object as this viewset shows it."""
        fields = {}
        if payload_class is not None:
            payload = payload_class(data=self.request.data)
            payload.is_valid(raise_exception=True)
            fields = payload.validated_data
        changed = call_service(
            service,
            **{self.service_object: self.get_object()},
            actor=self.request.user,
            organisation=self.request.organisation,
            **fields,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=changed.pk)).data)


def not_found(request, exception):
    """``handler404``: an address no route matches under /api/ (``/api/v1/contracts/abc/``) answers in JSON,
    as the API's own 404s do; pages keep the site's 404 page."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": "Aucune ressource de l'API à cette adresse."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """``handler500``: a failure under /api/ answers in JSON, the shape of the API's other errors, so that a client
    reading JSON reads it too; pages keep the site's 500 page."""
    if request.path_info.startswith("/api/"):
        return JsonResponse(
            {"detail": "Erreur du serveur : l'équipe Passerelle est prévenue. Réessayez plus tard."}, status=500
        )
    return pages.server_error(request)


# The two shapes of DRF's error bodies, messages in French.
ERROR_SCHEMAS = {
    "Error": {
        "type": "object",
        "description": "Refus expliqué en français dans « detail ».",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "ValidationError": {
        "type": "object",
        "description": (
            "Données refusées : pour chaque champ en cause, la liste de ses erreurs en français (un objet pour un "
            "champ composé) ; « non_field_errors » pour ce qui touche l'ensemble."
        ),
        "additionalProperties": {"oneOf": [{"type": "array", "items": {}}, {"type": "object"}]},
    },
}


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


class ErrorResponsesSchema(AutoSchema):
    """Declares, on every operation, the errors it can really answer, so that clients (and schemathesis) know
    them: 400 when it changes something or reads query parameters, 401/403 when it checks who calls, 404 when
    it loads an object or pages a list, 415 when it reads a body, and those a view names in ``error_responses``."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        for name, schema in ERROR_SCHEMAS.items():
            self.registry.register_on_missing(
                ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
            )
        parameters = operation.get("parameters", [])
        errors = {}
        if self.method != "GET" or any(p["in"] == "query" for p in parameters):
            errors["400"] = ("Requête invalide.", {"oneOf": [_ref("ValidationError"), _ref("Error")]})
        if self.view.get_authenticators():
            errors["401"] = ("Authentification absente ou invalide.", _ref("Error"))
        if not all(isinstance(permission, AllowAny) for permission in self.view.get_permissions()):
            errors["403"] = ("Action non permise à votre organisation.", _ref("Error"))
        if any(p["in"] == "path" for p in parameters) or (self._is_list_view() and self._get_paginator()):
            errors["404"] = ("Objet introuvable pour votre organisation, ou page inexistante.", _ref("Error"))
        if "requestBody" in operation:
            errors["415"] = ("Type de contenu non pris en charge (voir les types du corps de requête).", _ref("Error"))
        # Errors only some views answer, which they name: {"429": "description"}.
        for code, description in getattr(self.view, "error_responses", {}).items():
            errors[code] = (description, _ref("Error"))
        for code, (description, schema) in errors.items():
            operation["responses"].setdefault(
                code, {"description": description, "content": {"application/json": {"schema": schema}}}
            )
        return operation
