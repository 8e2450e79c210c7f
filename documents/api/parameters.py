"""Query parameters of the API, each read by one rule: the list filters' (``documents.filters``).

Numbers are ASCII digits only and dates must exist and stay convertible to
UTC, as ``documents.filters`` reads them. Every mistake is a ``Problem`` (400)
naming the parameter, never a 500.
"""

from __future__ import annotations

from documents import filters
from documents.api.problems import Problem

PAGE_SIZE = "page_size"

# Page lengths: a default and the most one page may hold (a larger ``?page_size=`` is lowered).
# Annotation containers also read ``?limit=``.
ANNOTATION_PAGE_SIZE = 50
MAX_ANNOTATION_PAGE_SIZE = 200
DOCUMENT_PAGE_SIZE = 20
MAX_DOCUMENT_PAGE_SIZE = 100


def whole_number(raw: str, *, field: str, minimum: int = 0) -> int:
    """A whole number from ``minimum`` (``filters.WholeNumber``); past 15 digits, ``paging.BEYOND``."""
    return _one(raw, filters.WholeNumber(field, minimum=minimum), field=field)


def page_size(raw: str | None, *, default: int, maximum: int) -> int:
    """The page length asked for: a whole number from 1; larger ones are lowered to ``maximum``."""
    if raw is None or raw == "":
        return default
    return min(whole_number(raw, field=PAGE_SIZE, minimum=1), maximum)


def annotation_page_size(query_params) -> int:
    """A container's page length, from ``page_size`` or its alias ``limit``."""
    raw = query_params.get(PAGE_SIZE) or query_params.get("limit")
    return page_size(raw, default=ANNOTATION_PAGE_SIZE, maximum=MAX_ANNOTATION_PAGE_SIZE)


def _one(raw: str, kind: filters.Kind, *, field: str):
    try:
        return kind.read(raw)
    except filters.Invalid as error:
        raise Problem(error.message, field=field) from None


def refuse(found: filters.Read) -> None:
    """Raise the first unusable filter ``filters.read`` found as a 400 naming its parameter."""
    if (first := found.first_error) is not None:
        name, message = first
        raise Problem(message, field=name)
