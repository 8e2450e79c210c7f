"""Page numbers and page sizes from a query string: the one way they are read.

Only ASCII digits make a number: ``str.isdigit`` also accepts "²" and "١",
which ``int`` then refuses or reads as another number. And ``int`` refuses
strings of more than 4,300 digits (a server error, if nothing catches it),
while a page number of even 16 digits is past the last page of any list here.
So a longer number is never converted: it reads as ``BEYOND``, and each page
treats it as it treats any page past its end (docs/api.md, "Endpoints").
"""

from __future__ import annotations

MAX_DIGITS = 15
"""The longest number read as written; ``BEYOND`` times the largest page size stays within 64 bits."""

BEYOND = 10**MAX_DIGITS
"""What a longer number reads as: more than any page number or size the archive answers."""


def whole_number(raw: str | None) -> int | None:
    """``raw`` as a whole number (0, 1, 2…) if it is written in ASCII digits only, else None."""
    if not raw or not (raw.isascii() and raw.isdigit()):
        return None
    digits = raw.lstrip("0")
    return int(digits or "0") if len(digits) <= MAX_DIGITS else BEYOND
