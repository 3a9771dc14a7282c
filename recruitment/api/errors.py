"""One error shape everywhere: RFC 9457 problem details, with per-field errors for validation failures.

DRF views answer through `problem_exception_handler`; what fails outside them (a request too large or with too many
fields, found while Django reads it, a route that does not exist, an unexpected error) reaches the project's error
handlers (`recruitment.web.errors`), which answer `/api/` paths with `django_problem`, so the API's errors always
have this shape.
"""

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler

from recruitment.errors import AlreadyExists, DomainError, InvalidTransition

PROBLEM_CONTENT_TYPE = "application/problem+json"

_TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Internal server error",
}

API_PATH_PREFIX = "/api/"


def is_api_request(request) -> bool:
    """Whether the request is for the partner API, whose every answer (errors included) is JSON."""
    return request.path.startswith(API_PATH_PREFIX)


def problem_body(status_code: int, detail: str, errors: list[dict[str, str]] | None = None) -> dict:
    """An RFC 9457 problem: type, title, status and detail, and `errors` ([{"field", "message"}]) when given."""
    body = {"type": "about:blank", "title": _TITLES.get(status_code, "Error"), "status": status_code, "detail": detail}
    if errors:
        body["errors"] = errors
    return body


def django_problem(status_code: int, detail: str, *, errors: list[dict[str, str]] | None = None) -> JsonResponse:
    """A problem-details response outside DRF (error handlers, the catch-all route)."""
    return JsonResponse(
        problem_body(status_code, detail, errors), status=status_code, content_type=PROBLEM_CONTENT_TYPE
    )


def suspicious_request_problem(exception: Exception | None) -> tuple[int, str]:
    """The status and a detail for a request Django refused while reading it (its size, its number of fields)."""
    if isinstance(exception, RequestDataTooBig):
        megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        return 413, f"The request body is larger than the {megabytes} MB allowed."
    if isinstance(exception, TooManyFieldsSent):
        return 400, (
            f"The request has more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} fields or query parameters, "
            "the most allowed."
        )
    if isinstance(exception, TooManyFilesSent):
        return 400, f"The request has more than {settings.DATA_UPLOAD_MAX_NUMBER_FILES} files, the most allowed."
    return 400, "The request is not valid."


def _field_errors(detail, prefix: str = "") -> list[dict[str, str]]:
    """Flatten DRF's nested error detail into [{"field": "a.b", "message": "..."}]."""
    if isinstance(detail, dict):
        errors = []
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            errors.extend(_field_errors(value, "" if name == "non_field_errors" else name))
        return errors
    if isinstance(detail, list):
        errors = []
        for index, item in enumerate(detail):
            if isinstance(item, dict | list) and prefix:
                errors.extend(_field_errors(item, f"{prefix}.{index}"))
            else:
                errors.extend(_field_errors(item, prefix))
        return errors
    return [{"field": prefix, "message": str(detail)}]


def problem(status_code: int, detail: str, *, errors: list[dict[str, str]] | None = None, headers=None) -> Response:
    """A problem-details response from a DRF view."""
    response = Response(problem_body(status_code, detail, errors), status=status_code, headers=headers)
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def problem_exception_handler(exc, context):
    """DRF exception handler: a refused stage move or a duplicate is 409, another domain rule 422, a request Django
    refused to read 400 or 413; everything else keeps its status. A service names fields in the models' words; a
    view's `request_field_names` ({service field: request field}) puts them in the request's (`vacancy` is `job`)."""
    if isinstance(exc, DomainError) and exc.field:
        exc.field = getattr(context.get("view"), "request_field_names", {}).get(exc.field, exc.field)
    if isinstance(exc, InvalidTransition):
        return problem(409, exc.message, errors=[{"field": exc.field or "stage", "message": exc.message}])
    if isinstance(exc, AlreadyExists):
        return problem(409, exc.message, errors=[{"field": exc.field or "", "message": exc.message}])
    if isinstance(exc, SuspiciousOperation):
        return problem(*suspicious_request_problem(exc))
    if isinstance(exc, DomainError):
        return problem(422, exc.message, errors=[{"field": exc.field or "", "message": exc.message}])
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return problem(400, "The request is not valid.", errors=_field_errors(detail))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    headers = {
        key: value for key, value in response.headers.items() if key in ("Retry-After", "WWW-Authenticate", "Allow")
    }
    if isinstance(exc, exceptions.ValidationError):
        return problem(
            response.status_code, "The request is not valid.", errors=_field_errors(exc.detail), headers=headers
        )
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    return problem(response.status_code, detail, headers=headers)


class FieldErrorSerializer(serializers.Serializer):
    """One field's error."""

    field = serializers.CharField()
    message = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details (documentation only)."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = FieldErrorSerializer(many=True, required=False)


# The error statuses documented on every operation, and the extra ones a write can give.
READ_ERROR_STATUSES = (400, 401, 403, 404, 405, 406, 429, 500)
WRITE_ERROR_STATUSES = (409, 413, 415, 422)


class ProblemAutoSchema(AutoSchema):
    """drf-spectacular's schema with the problem-details error responses every operation can give."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        codes = READ_ERROR_STATUSES + (WRITE_ERROR_STATUSES if self.method in ("POST", "PUT", "PATCH") else ())
        for code in codes:
            responses.setdefault(
                str(code),
                self._get_response_for_code(
                    OpenApiResponse(ProblemSerializer, description=_TITLES.get(code, "Error")),
                    str(code),
                    media_types=[PROBLEM_CONTENT_TYPE],
                    direction=direction,
                ),
            )
        return responses


@csrf_exempt
def api_not_found(request, path: str = ""):
    """Any unknown path under /api/v1/ answers a problem-details 404, like every other API error.

    CSRF-exempt because it changes nothing and the API authenticates with bearer tokens, not cookies.
    """
    return django_problem(404, "No API route matches this path.")
