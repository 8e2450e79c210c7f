"""A list's filters, read from its query string: the one reader of them.

Four lists take filters from their address: the document list (/documents/
and /api/documents/), search (/search/ and /api/search/), the reading view's
Annotations panel, and the API's annotation containers. Each declares its
parameters as a mapping of name to kind (``Text``, ``Choice``, ``Checked``,
``Year``, ``Flag``, ``Moment``); ``read`` gives every value, and one message
for each value it cannot use. What a message becomes is the caller's: on a
page, an error beside the field while that filter is ignored; in the API, a
400 problem+json naming the parameter; in search, nothing (a filter that
cannot match is dropped). Two parameters may bound one range (``Range``): a
range that ends before it begins is one message, on its end.

Pure: no ORM and no request. Choices that live in the database (collections,
tags, the years that have documents) are given by the caller. A parameter
given twice counts once, by its last value, as Django's forms read it.
Numbers are ASCII digits only: ``str.isdigit`` also accepts "²" and "١",
which ``int`` then refuses or reads as another number (``documents.paging``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import is_naive, make_aware

from documents import paging


class Invalid(ValueError):
    """A value a filter cannot use; ``message`` says why, for a person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Text:
    """Any text: surrounding spaces trimmed unless ``strip`` is False, cut to ``max_length``."""

    strip: bool = True
    max_length: int | None = None
    empty = ""

    def read(self, raw: str) -> str:
        value = raw.strip() if self.strip else raw
        return value if self.max_length is None else value[: self.max_length]


@dataclass(frozen=True)
class Choice:
    """One of ``choices``, read as ``Text`` reads it; ``message`` (with ``{value}``) for anything else."""

    choices: Collection[str]
    message: str
    strip: bool = False
    max_length: int | None = None
    empty = ""

    def read(self, raw: str) -> str:
        value = Text(strip=self.strip, max_length=self.max_length).read(raw)
        if value and value not in self.choices:
            raise Invalid(self.message.format(value=value))
        return value


@dataclass(frozen=True)
class Checked:
    """A value ``check`` accepts (it returns the value); the message of the ``ValueError`` it raises
    otherwise, so a rule the writes enforce (a motivation, a visibility) reads filters the same way."""

    check: Callable[[str], Any]
    empty = ""

    def read(self, raw: str) -> Any:
        try:
            return self.check(raw)
        except ValueError as error:
            raise Invalid(getattr(error, "message", str(error))) from None


@dataclass(frozen=True)
class Year:
    """A year as written, in ASCII digits: at most ``max_digits`` of them, from ``minimum`` (1 where
    the year becomes a date: there is no year 0), and one of ``choices`` when they are given (the
    years that have documents), with a message for each mistake."""

    not_a_year: str
    choices: Collection[str] | None = None
    not_a_choice: str = ""
    max_digits: int | None = None
    minimum: int = 0
    strip: bool = False
    empty = ""

    def read(self, raw: str) -> str:
        value = raw.strip() if self.strip else raw
        too_long = self.max_digits is not None and len(value) > self.max_digits
        if not (value.isascii() and value.isdigit()) or too_long or int(value) < self.minimum:
            raise Invalid(self.not_a_year.format(value=value))
        if self.choices is not None and value not in self.choices:
            raise Invalid(self.not_a_choice.format(value=value))
        return value


@dataclass(frozen=True)
class Flag:
    """On when the value is exactly "1" (``?mine=1``); any other value leaves it off."""

    empty = False

    def read(self, raw: str) -> bool:
        return raw == "1"


@dataclass(frozen=True)
class Moment:
    """An ISO 8601 date or date-time; naive ones are in the site's time zone. It must exist (no
    30 February, no year 0) and stay convertible to UTC."""

    empty = None

    def read(self, raw: str) -> datetime:
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
            raise Invalid(f"“{raw}” is not a date; use ISO 8601, e.g. 2026-01-31 or 2026-01-31T12:00:00Z.")
        return value


@dataclass(frozen=True)
class WholeNumber:
    """A whole number from ``minimum``, in ASCII digits (``paging.whole_number``; past 15 digits,
    ``paging.BEYOND``); the message names the parameter, as ``name``."""

    name: str
    minimum: int = 0
    empty = None

    def read(self, raw: str) -> int:
        number = paging.whole_number(raw)
        if number is None or number < self.minimum:
            shown = raw if len(raw) <= 40 else raw[:40] + "…"
            raise Invalid(f"{self.name} must be a whole number from {self.minimum}, not “{shown}”.")
        return number


Kind = Text | Choice | Checked | Year | Flag | Moment | WholeNumber


@dataclass(frozen=True)
class Range:
    """Parameters ``low`` and ``high`` bound one range, compared by ``key`` (``int`` for years).
    When both are usable and ``high`` comes before ``low``, neither applies and ``message`` (with
    ``{low}`` and ``{high}``, as written) is ``high``'s error."""

    low: str
    high: str
    key: Callable[[Any], Any]
    message: str


@dataclass(frozen=True)
class Read:
    """What ``read`` found: every declared name's value (its kind's empty value when the parameter
    is missing, empty or unusable), and one message per unusable value, in declaration order."""

    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def first_error(self) -> tuple[str, str] | None:
        """The first unusable parameter and its message: what the API reports."""
        return next(iter(self.errors.items()), None)


def read(query: Mapping[str, str], kinds: Mapping[str, Kind], *, ranges: Collection[Range] = ()) -> Read:
    """The ``kinds`` declared, read from ``query`` (a QueryDict, DRF's ``query_params`` or a dict),
    with each of ``ranges`` checked once both its ends are read."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, kind in kinds.items():
        raw = query.get(name) or ""
        values[name] = kind.empty
        if raw == "":
            continue
        try:
            values[name] = kind.read(raw)
        except Invalid as error:
            errors[name] = error.message
    for bounds in ranges:
        low, high = values[bounds.low], values[bounds.high]
        if low not in ("", None) and high not in ("", None) and bounds.key(high) < bounds.key(low):
            values[bounds.low], values[bounds.high] = kinds[bounds.low].empty, kinds[bounds.high].empty
            errors[bounds.high] = bounds.message.format(low=low, high=high)
    return Read(values=values, errors=errors)
