"""What anchoring works with: the selectors a client sends, the match it gets back, the one rule
for a position, and the numbers anchoring is tuned by.

Everything here is pure: no Django, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

CONTEXT_LENGTH = 32
"""Code points of prefix and suffix that ``describe`` records either side of a range."""

CONTEXT_LIMIT = 256
"""Code points of a client's prefix or suffix compared with the text; the rest is too far to matter."""

FUZZY_SIMILARITY = 0.85
"""The least share of a quote that must survive an edit (1 - edits / length) to re-anchor it."""

FUZZY_MAX_QUOTE = 4096
"""Longer quotes are re-anchored only exactly or up to whitespace: approximate search would be too slow."""

CONFIDENT_CONTEXT = 8
"""Code points of agreeing context that make a re-anchored short quote trustworthy."""

CONFIDENT_QUOTE = 32
"""A quote this long is distinctive enough to re-anchor where it still occurs, whatever its context."""

POSITION = "position"
EXACT = "exact"
NORMALISED = "normalised-whitespace"
FUZZY = "fuzzy"


class AnchoringError(ValueError):
    """A selector does not fit the text; ``reason`` says why in words a person can act on.

    ``field`` names the offset at fault (``"start"`` or ``"end"``) when one is,
    so that a caller reading JSON can point at it.
    """

    def __init__(self, reason: str, *, field: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.field = field


@dataclass(frozen=True)
class Selector:
    """What a client says it selected: a quote, a position, or both (code points).

    ``dated``: the client says the selection belongs to an earlier text (a W3C ``state`` on
    its target), as when it sends back the target it read; without it, the selection names
    the text as it reads now.

    A selector with neither quote nor position selects the whole document: a page note
    (docs/reading-and-annotating.md, "How to annotate"), which nothing anchors or re-anchors.
    """

    exact: str | None = None
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    dated: bool = False

    @property
    def whole_document(self) -> bool:
        return self.exact is None and self.start is None and self.end is None


@dataclass(frozen=True)
class Match:
    """A range of the text with complete selectors for it; ``how`` names the step that found it."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    how: str


def check_position(start: object, end: object) -> None:
    """The one rule for a position: two whole numbers of code points from 0, start before end.

    Raises AnchoringError naming the offset at fault. Whether the position fits
    a document's text is ``match``'s question, not this one's.
    """
    for name, value in (("start", start), ("end", end)):
        if value is None:
            raise AnchoringError(
                f"{name} is missing; give both the start and the end of the position, or neither.", field=name
            )
        if not isinstance(value, int) or isinstance(value, bool):
            raise AnchoringError(
                f"The {name} of a position must be a whole number, not {value!r}.", field=name
            )
        if value < 0:
            raise AnchoringError(
                f"Positions count characters from 0; the {name} {value} is negative: it must be 0 or more.",
                field=name,
            )
    if start > end:
        raise AnchoringError(
            f"The position {start}–{end} ends before it starts: end ({end}) comes before start ({start}); "
            "swap them.",
            field="end",
        )
    if start == end:
        raise AnchoringError(
            f"The position {start}–{end} is empty: end must be greater than start; "
            "select at least one character.",
            field="end",
        )
