"""Errors as RFC 9457 problem details (``application/problem+json``).

Every API error goes through ``problem_exception_handler`` so a client always
gets a ``detail`` a person can act on, plus ``field`` when one input is at fault.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import set_rollback

from documents.accounts import rate_limits
from documents.annotations.jsonld import JsonLdError
from documents.annotations.rules import AnnotationError
from documents.importing.annotations import ImportTooLarge

PROBLEM_MEDIA_TYPE = "application/problem+json"


class ProblemRenderer(JSONRenderer):
    media_type = PROBLEM_MEDIA_TYPE
    format = "problem"


class Problem(exceptions.APIException):
    """An API error with a title, a detail and optionally the field at fault."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "The request could not be processed."

    def __init__(self, detail: str, *, field: str = "", status_code: int | None = None, title: str = ""):
        super().__init__(detail)
        self.field = field
        self.title = title
        if status_code is not None:
            self.status_code = status_code


def _flatten(detail, path: str = "") -> tuple[str, str]:
    """The first message in a DRF error structure, with the path of its field."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "" if key in ("non_field_errors", "detail") else str(key)
            return _flatten(value, f"{path}.{name}".strip(".") if name else path)
    if isinstance(detail, list) and detail:
        return _flatten(detail[0], path)
    return str(detail), path


def problem_body(detail: str, *, status_code: int, field: str = "", title: str = "") -> dict:
    """The JSON of a problem; also used by middleware that answers before DRF runs."""
    body = {
        "type": "about:blank",
        "title": title or _TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail,
    }
    if field:
        body["field"] = field
    return body


def problem_response(
    detail: str, *, status_code: int, field: str = "", title: str = "", headers=None
) -> Response:
    body = problem_body(detail, status_code=status_code, field=field, title=title)
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_MEDIA_TYPE)


_TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    412: "Precondition failed",
    413: "Payload too large",
    415: "Unsupported media type",
    428: "Precondition required",
    429: "Too many requests",
}


def as_problem(exc: Exception) -> Exception:
    """The domain's refusals as problems: a broken annotation rule or unusable JSON-LD is the
    client's to fix (400, with the field or JSON path at fault); an oversized import is 413; notes
    past a limit on writes or stored notes are 429, with Retry-After."""
    if isinstance(exc, rate_limits.OverLimit):
        problem = Problem(exc.message, status_code=status.HTTP_429_TOO_MANY_REQUESTS)
        problem.wait = exc.retry_after
        return problem
    if isinstance(exc, ImportTooLarge):
        return Problem(exc.message, field=exc.field, status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, AnnotationError | JsonLdError):
        return Problem(exc.message, field=exc.field)
    return exc


def problem_exception_handler(exc, context):
    """DRF's exception handler: every error an API view lets escape becomes problem+json.

    The views need not catch AnnotationError or JsonLdError themselves.
    """
    exc = as_problem(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("There is nothing here, or you may not see it.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*(exc.args))
    if not isinstance(exc, exceptions.APIException):
        return None

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, Problem):
        detail, field = str(exc.detail), exc.field
    else:
        detail, field = _flatten(exc.detail)
    if isinstance(exc, exceptions.Throttled):
        detail = f"Too many changes in a short time. Try again in {int(exc.wait or 1)} seconds."
    set_rollback()
    response = problem_response(
        detail, status_code=exc.status_code, field=field, title=getattr(exc, "title", ""), headers=headers
    )
    # The negotiated renderer may not be JSON (e.g. the browsable API); problems always are.
    response.accepted_renderer = ProblemRenderer()
    response.accepted_media_type = PROBLEM_MEDIA_TYPE
    return response
