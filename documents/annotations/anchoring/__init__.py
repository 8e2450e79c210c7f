"""Selectors to ranges of a document's canonical text and back: describe, match, re-anchor.

An annotation points into the canonical text (see documents.archive.text) with the two
W3C Web Annotation selectors: a TextQuoteSelector (``exact`` with ``prefix`` and
``suffix`` context) and a TextPositionSelector (``start``, ``end``). Offsets count
Unicode code points, which is what Python's ``str`` indexes.

- ``describe`` turns a range into both selectors.
- ``match`` resolves what a client sent when an annotation is created or edited.
  It is strict: the quote must occur, allowing only for the whitespace a browser's
  selection changes, and an ambiguous quote is refused with a reason a person can
  act on (AnchoringError).
- ``reanchor`` finds an annotation again after a curator edited the text. It also
  accepts a slightly changed quote, but answers None (orphaned) rather than guess.
- ``check_position`` is the one rule for a TextPositionSelector's offsets, which
  the JSON-LD parser applies too, naming the offset at fault.

Whitespace at either end of a range is not part of what anyone means to annotate,
so every Match is trimmed of it, and a range of nothing but whitespace is refused.

The approach follows the Hypothesis client's anchoring: try the position, then
the exact quote, choosing between occurrences by how much of the prefix and
suffix agree and then by nearness to the position, then an approximate search.
Exact and whitespace-insensitive searches are linear in the text (``str.find``);
the approximate one only looks at bounded windows.

The package's modules, each pure (no Django, no I/O), from the bottom up: ``selectors`` (the
selectors, ``Match``, ``check_position`` and the tuning numbers), ``search`` (a quote found
exactly or up to whitespace, and the choice between occurrences), ``edits`` (what an edit left
unchanged and where a position went) and ``approximate`` (near-matches of a changed quote).
This module composes them into ``describe``, ``match`` and ``reanchor``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from documents.annotations.anchoring.approximate import fuzzy_candidates
from documents.annotations.anchoring.edits import known_edit, moved_position
from documents.annotations.anchoring.search import Candidate, Quote, choose, searches
from documents.annotations.anchoring.selectors import (
    CONFIDENT_CONTEXT,
    CONFIDENT_QUOTE,
    CONTEXT_LENGTH,
    FUZZY,
    POSITION,
    AnchoringError,
    Match,
    Selector,
    check_position,
)

_WHITESPACE = re.compile(r"\s+")


def describe(text: str, start: int, end: int) -> Match:
    """Both selectors for ``text[start:end]``, trimmed of whitespace at its ends.

    Raises AnchoringError unless 0 <= start < end <= len(text) and the range holds
    something other than whitespace.
    """
    check_position(start, end)
    _check_inside(text, start, end)
    return _describe(text, start, end, POSITION)


def match(selector: Selector, text: str) -> Match:
    """The range of ``text`` that ``selector`` designates, or AnchoringError saying why there is none.

    A position alone is taken as given. A quote is taken at the position when it
    is there; otherwise it is looked for exactly, then in NFC, then up to
    differences of whitespace; occurrences are told apart by how much of their
    prefix and suffix agree, then by nearness to the position, if one was given.
    """
    start, end = selector.start, selector.end
    has_position = start is not None or end is not None
    if has_position:
        check_position(start, end)
    if selector.exact is None:
        if not has_position:
            raise AnchoringError("Give the quoted text, its position (start and end), or both.")
        _check_inside(text, start, end)
        return _describe(text, start, end, POSITION)

    exact, prefix, suffix = _strings(selector)
    if not exact.strip():
        raise AnchoringError("The quoted text is empty or only whitespace; select some text.")
    if has_position and end <= len(text) and text[start:end] in (exact, _nfc(exact)):
        return _describe(text, start, end, POSITION)

    hint = start if has_position else None
    quote = Quote.of(exact, prefix, suffix)
    for how, candidates in searches(text, quote):
        if not candidates:
            continue
        chosen = choose(candidates, hint)
        if chosen is None:
            raise AnchoringError(
                f"The quote {_show(exact)} occurs {len(candidates)} times in this document; "
                "add a prefix or suffix, or its position, to say which."
            )
        return _describe(text, chosen.start, chosen.end, how)

    reason = f"The quoted text {_show(exact)} does not occur in this document"
    if has_position and end <= len(text):
        reason += f"; at {start}–{end} it reads {_show(text[start:end])}"
    elif has_position:
        reason += f", and the position {start}–{end} is outside it ({len(text)} characters)"
    raise AnchoringError(reason + ".")


def reanchor(
    *,
    exact: str,
    prefix: str,
    suffix: str,
    start: int | None,
    end: int | None,
    old_text: str | None,
    new_text: str,
) -> Match | None:
    """Where an annotation made on ``old_text`` belongs in ``new_text``, or None when it is orphaned.

    The stored position (moved by the edit when ``old_text`` is known) is kept if
    the quote is still there. Otherwise the quote is searched for exactly, then up
    to whitespace, then approximately near where it was (at least FUZZY_SIMILARITY
    alike). A candidate is accepted only when it is the one best fit and it is
    trustworthy: at the moved position, or with agreeing context, or long enough
    to be distinctive. Anything less answers None, because a misplaced annotation
    is worse than an orphaned one, which curators see and can fix.
    """
    if not exact or not exact.strip():
        return None
    prefix, suffix = prefix or "", suffix or ""
    hint, reliable = moved_position(start, end, old_text, new_text)
    if hint is not None and reliable and new_text[hint : hint + len(exact)] == exact:
        return _describe(new_text, hint, hint + len(exact), POSITION)

    quote = Quote.of(exact, prefix, suffix)
    context = len(quote.prefix[-CONTEXT_LENGTH:]) + len(quote.suffix[:CONTEXT_LENGTH])

    def trustworthy(candidate: Candidate) -> bool:
        return (
            (reliable and candidate.start == hint)
            or candidate.agreement >= min(CONFIDENT_CONTEXT, context)
            or len(quote.core) >= CONFIDENT_QUOTE
        )

    edit = known_edit(exact, start, end, old_text, new_text)

    def steps() -> Iterator[tuple[str, list[Candidate]]]:
        yield from searches(new_text, quote)
        fuzzy = fuzzy_candidates(new_text, quote, hint)
        if edit is not None:
            # Words the edit left as they were, yet unlike the quote, were never the quote: other words.
            fuzzy = [c for c in fuzzy if not edit.unchanged(c.start, c.end)]
        yield FUZZY, fuzzy

    for how, candidates in steps():
        chosen = choose(candidates, None if how == FUZZY else hint)
        if chosen is not None and trustworthy(chosen):
            try:
                return _describe(new_text, chosen.start, chosen.end, how)
            except AnchoringError:
                return None
    return None


def _check_inside(text: str, start: int, end: int) -> None:
    if end > len(text):
        raise AnchoringError(
            f"The position {start}–{end} is outside the document, which has {len(text)} characters."
        )


def _describe(text: str, start: int, end: int, how: str) -> Match:
    exact = text[start:end]
    core = exact.strip()
    if not core:
        raise AnchoringError(f"The position {start}–{end} holds only whitespace; select some text.")
    start += len(exact) - len(exact.lstrip())
    end = start + len(core)
    return Match(
        start=start,
        end=end,
        exact=core,
        prefix=text[max(0, start - CONTEXT_LENGTH) : start],
        suffix=text[end : end + CONTEXT_LENGTH],
        how=how,
    )


def _strings(selector: Selector) -> tuple[str, str, str]:
    values = (selector.exact, selector.prefix or "", selector.suffix or "")
    for name, value in zip(("exact", "prefix", "suffix"), values, strict=True):
        if not isinstance(value, str):
            raise AnchoringError(f"The {name} of a quote must be text, not {type(value).__name__}.")
    return values


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def _show(quote: str, limit: int = 60) -> str:
    """A quote as it reads in a message: whitespace collapsed, long ones shortened."""
    shown = _WHITESPACE.sub(" ", quote).strip()
    if len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return f"“{shown}”"
