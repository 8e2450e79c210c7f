"""Reading a client's JSON: the one error every reader raises, and the limits of ``load_json``.

``JsonLdError`` names the JSON path of the value at fault; ``reported_at`` turns a broken
annotation rule (``documents.annotations.rules``) into one at a path; ``show`` quotes a value for
a message. The target, body and envelope readers (``targets``, ``bodies``, ``parser``) share them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from documents.annotations import rules as annotation_rules


class JsonLdError(ValueError):
    """A client's JSON-LD cannot be used as sent.

    ``field`` is the path of the value at fault, such as
    ``"target.selector[0].start"`` (empty for the document as a whole), and
    ``message`` tells a person what to change.
    """

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


MAX_NUMBER_DIGITS = 100
"""The most digits a number in JSON may have: far more than any offset, date or count an annotation
holds, and far fewer than the 4,300 past which Python's ``int`` refuses to read one."""


class _NotReadable(ValueError):
    """Raised from inside ``json.loads`` for a value ``load_json`` refuses; ``message`` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _counted(convert):
    """``convert`` (``int`` or ``float``) for number literals of at most MAX_NUMBER_DIGITS digits."""

    def read(literal: str):
        digits = sum(character.isdigit() for character in literal)
        if digits > MAX_NUMBER_DIGITS:
            raise _NotReadable(
                f"holds a number of {digits:,} digits; a number may have at most {MAX_NUMBER_DIGITS} digits."
            )
        return convert(literal)

    return read


def _no_constant(name: str):
    raise _NotReadable(f"is not valid JSON: {name} is not a JSON number.")


_read_int, _read_float = _counted(int), _counted(float)


def load_json(text: str, *, what: str = "The body") -> Any:
    """JSON text as Python data, or JsonLdError saying why it cannot be read.

    The one place a client's JSON is read (the API's parsers and the profile's
    import form; ``what`` names the input), so its limits hold for every body and
    file. What would otherwise be a server error is the sender's mistake to
    report, as a 400: arrays nested past Python's recursion limit, and numbers
    longer than MAX_NUMBER_DIGITS (``int`` raises past 4,300 digits). ``NaN`` and
    ``Infinity``, which Python reads but JSON does not have, are refused too.
    """
    try:
        return json.loads(text, parse_int=_read_int, parse_float=_read_float, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise JsonLdError(
            "", f"{what} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})."
        ) from error
    except _NotReadable as error:
        raise JsonLdError("", f"{what} {error.message}") from error
    except RecursionError as error:
        raise JsonLdError("", f"{what}'s JSON is nested too deeply to read.") from error


def show(value: object, limit: int = 80) -> str:
    """A value quoted for an error message, cut short so a huge input cannot flood it."""
    text = f"“{value}”" if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def types_of(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


@contextmanager
def reported_at(path: str) -> Iterator[None]:
    """Report a broken annotation rule at the JSON path of the value that broke it."""
    try:
        yield
    except annotation_rules.AnnotationError as error:
        raise JsonLdError(path, error.message) from error
