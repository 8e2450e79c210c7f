"""Query parameters of the API, each read by one rule.

Numbers are ASCII digits only: ``str.isdigit`` also accepts "²" and "١",
which ``int`` then refuses or reads as another number. Dates must exist
(no 30 February, no year 0) and stay convertible to UTC. Every mistake is a
``Problem`` (400) naming the parameter, never a 500.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import is_naive, make_aware

from documents import paging
from documents.api.problems import Problem

PAGE_SIZE = "page_size"

# Page lengths: a default and the most one page may hold (a larger ``?page_size=`` is lowered).
# Annotation containers also read ``?limit=``.
ANNOTATION_PAGE_SIZE = 50
MAX_ANNOTATION_PAGE_SIZE = 200
DOCUMENT_PAGE_SIZE = 20
MAX_DOCUMENT_PAGE_SIZE = 100


def whole_number(raw: str, *, field: str, minimum: int = 0) -> int:
    """A whole number from ``minimum``, read by ``paging.whole_number`` (past 15 digits, ``BEYOND``)."""
    number = paging.whole_number(raw)
    if number is None or number < minimum:
        shown = raw if len(raw) <= 40 else raw[:40] + "…"
        raise Problem(f"{field} must be a whole number from {minimum}, not “{shown}”.", field=field)
    return number


def page_size(raw: str | None, *, default: int, maximum: int) -> int:
    """The page length asked for: a whole number from 1; larger ones are lowered to ``maximum``."""
    if raw is None or raw == "":
        return default
    return min(whole_number(raw, field=PAGE_SIZE, minimum=1), maximum)


def annotation_page_size(query_params) -> int:
    """A container's page length, from ``page_size`` or its alias ``limit``."""
    raw = query_params.get(PAGE_SIZE) or query_params.get("limit")
    return page_size(raw, default=ANNOTATION_PAGE_SIZE, maximum=MAX_ANNOTATION_PAGE_SIZE)


def moment(raw: str, *, field: str) -> datetime:
    """An ISO 8601 date or date-time; naive ones are in the site's time zone."""
    try:
        value = parse_datetime(raw)
        if value is None and (day := parse_date(raw)) is not None:
            value = datetime(day.year, day.month, day.day)
        if value is not None:
            value = make_aware(value) if is_naive(value) else value
            value.astimezone(UTC)
    except (ValueError, OverflowError):
        value = None
    if value is None:
        raise Problem(
            f"“{raw}” is not a date; use ISO 8601, e.g. 2026-01-31 or 2026-01-31T12:00:00Z.",
            field=field,
        )
    return value
