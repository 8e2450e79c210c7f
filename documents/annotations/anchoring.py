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

Everything here is pure: no Django, no I/O.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterator
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

_WHITESPACE = re.compile(r"\s+")
_LONG_WHITESPACE = re.compile(r"\s{2,}")
_FUZZY_SLACK = 1024


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


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    agreement: int
    errors: int = 0


@dataclass(frozen=True)
class _Quote:
    """A quote split from the whitespace at its ends, which joins the context instead."""

    core: str
    prefix: str
    suffix: str

    @classmethod
    def of(cls, exact: str, prefix: str, suffix: str) -> _Quote:
        core = exact.strip()
        lead = exact[: len(exact) - len(exact.lstrip())]
        trail = exact[len(exact.rstrip()) :]
        return cls(core, (prefix + lead)[-CONTEXT_LIMIT:], (trail + suffix)[:CONTEXT_LIMIT])

    def normalised(self) -> _Quote:
        return _Quote(*(unicodedata.normalize("NFC", part) for part in (self.core, self.prefix, self.suffix)))


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
    quote = _Quote.of(exact, prefix, suffix)
    for how, candidates in _searches(text, quote):
        if not candidates:
            continue
        chosen = _choose(candidates, hint)
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
    hint, reliable = _hint(start, end, old_text, new_text)
    if hint is not None and reliable and new_text[hint : hint + len(exact)] == exact:
        return _describe(new_text, hint, hint + len(exact), POSITION)

    quote = _Quote.of(exact, prefix, suffix)
    context = len(quote.prefix[-CONTEXT_LENGTH:]) + len(quote.suffix[:CONTEXT_LENGTH])

    def trustworthy(candidate: _Candidate) -> bool:
        return (
            (reliable and candidate.start == hint)
            or candidate.agreement >= min(CONFIDENT_CONTEXT, context)
            or len(quote.core) >= CONFIDENT_QUOTE
        )

    edit = _known_edit(exact, start, end, old_text, new_text)

    def searches() -> Iterator[tuple[str, list[_Candidate]]]:
        yield from _searches(new_text, quote)
        fuzzy = _fuzzy_candidates(new_text, quote, hint)
        if edit is not None:
            # Words the edit left as they were, yet unlike the quote, were never the quote: other words.
            fuzzy = [c for c in fuzzy if not edit.unchanged(c.start, c.end)]
        yield FUZZY, fuzzy

    for how, candidates in searches():
        chosen = _choose(candidates, None if how == FUZZY else hint)
        if chosen is not None and trustworthy(chosen):
            try:
                return _describe(new_text, chosen.start, chosen.end, how)
            except AnchoringError:
                return None
    return None


# Ranges and selectors


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


# Searching


def _searches(text: str, quote: _Quote) -> Iterator[tuple[str, list[_Candidate]]]:
    """Candidates exactly (as given, then in NFC), then ignoring whitespace, lazily."""
    normalised = quote.normalised()
    yield EXACT, _exact_candidates(text, quote)
    if normalised != quote:
        yield EXACT, _exact_candidates(text, normalised)
    yield NORMALISED, _squeezed_candidates(text, normalised)


def _occurrences(haystack: str, needle: str) -> Iterator[int]:
    """Every start of ``needle`` in ``haystack``, overlapping ones included."""
    index = haystack.find(needle)
    while index != -1:
        yield index
        index = haystack.find(needle, index + 1)


def _common_prefix(a: str, b: str) -> int:
    """Length of the common prefix by bisection: a few slice comparisons, fast on long texts."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


def _agreement(text: str, start: int, end: int, prefix: str, suffix: str) -> int:
    """How many code points of the prefix and suffix agree with the text around ``start:end``."""
    before = text[max(0, start - len(prefix)) : start]
    return _common_suffix(prefix, before) + _common_prefix(suffix, text[end : end + len(suffix)])


def _exact_candidates(text: str, quote: _Quote) -> list[_Candidate]:
    size = len(quote.core)
    return [
        _Candidate(i, i + size, _agreement(text, i, i + size, quote.prefix, quote.suffix))
        for i in _occurrences(text, quote.core)
    ]


@dataclass(frozen=True)
class _Squeezed:
    """A text with every run of whitespace made one space, and the way back to the original offsets.

    Only runs of two or more characters shift offsets, so only those are
    recorded: ``runs[i]`` is where such a run's space sits in ``text`` and
    ``ends[i]`` where the run ends in the original.
    """

    text: str
    runs: list[int]
    ends: list[int]

    def original(self, position: int) -> int:
        """The original offset of the non-whitespace character at ``position``."""
        i = bisect.bisect_left(self.runs, position) - 1
        if i < 0:
            return position
        return self.ends[i] + position - self.runs[i] - 1


def _squeeze(value: str) -> str:
    return _WHITESPACE.sub(" ", value)


@functools.lru_cache(maxsize=8)
def _squeezed(text: str) -> _Squeezed:
    runs, ends = [], []
    removed = 0
    for run in _LONG_WHITESPACE.finditer(text):
        runs.append(run.start() - removed)
        ends.append(run.end())
        removed += run.end() - run.start() - 1
    return _Squeezed(_squeeze(text), runs, ends)


def _squeezed_candidates(text: str, quote: _Quote) -> list[_Candidate]:
    """Occurrences of the quote when all whitespace counts alike, in original offsets."""
    squeezed = _squeezed(text)
    needle = _squeeze(quote.core)
    prefix = _squeeze(quote.prefix).rstrip(" ")
    suffix = _squeeze(quote.suffix).lstrip(" ")
    found = []
    for i in _occurrences(squeezed.text, needle):
        j = i + len(needle)
        before = squeezed.text[max(0, i - len(prefix) - 1) : i].rstrip(" ")
        after = squeezed.text[j : j + len(suffix) + 1].lstrip(" ")
        agreement = _common_suffix(prefix, before) + _common_prefix(suffix, after)
        found.append(_Candidate(squeezed.original(i), squeezed.original(j - 1) + 1, agreement))
    return found


def _choose(candidates: list[_Candidate], hint: int | None) -> _Candidate | None:
    """The one candidate with most agreeing context, then nearest the hint.

    None when there is no candidate, or when two or more remain equal on both.
    """
    pool = candidates
    for key in (lambda c: -c.agreement, lambda c: 0 if hint is None else abs(c.start - hint)):
        if len(pool) <= 1:
            break
        best = min(map(key, pool))
        pool = [c for c in pool if key(c) == best]
    return pool[0] if len(pool) == 1 else None


# Re-anchoring after an edit


def _hint(start: object, end: object, old_text: str | None, new_text: str) -> tuple[int | None, bool]:
    """Where the annotation's start should now be, and whether the edit left its quote untouched.

    Without ``old_text`` the stored position is all there is, and it is trusted
    wherever the quote still stands at it.
    """
    try:
        check_position(start, end)
    except AnchoringError:
        return None, False
    if old_text is None:
        return start, True
    if end > len(old_text):
        return min(start, len(new_text)), False
    return _edit(old_text, new_text).moved(start, end)


@dataclass(frozen=True)
class _Edit:
    """The spans an edit left unchanged: ``(old_start, new_start, size)``, in order."""

    blocks: list[tuple[int, int, int]]

    def unchanged(self, start: int, end: int) -> bool:
        """Whether ``new[start:end]`` lies wholly in one span the edit left as it was."""
        i = bisect.bisect_right([block[1] for block in self.blocks], start) - 1
        return i >= 0 and end <= self.blocks[i][1] + self.blocks[i][2]

    def moved(self, start: int, end: int) -> tuple[int, bool]:
        """Where ``old[start:end]`` went, and whether it went unchanged.

        A range inside a changed span is placed in proportion within it.
        """
        starts = [block[0] for block in self.blocks]
        i = bisect.bisect_right(starts, start) - 1
        if i >= 0:
            old, new, size = self.blocks[i]
            if start < old + size:
                return new + start - old, end <= old + size
            old_from, new_from = old + size, new + size
        else:
            old_from = new_from = 0
        old_to, new_to = self.blocks[i + 1][:2] if i + 1 < len(self.blocks) else (old_from, new_from)
        if old_to <= old_from:
            return new_from, False
        share = (start - old_from) / (old_to - old_from)
        return new_from + round(share * (new_to - new_from)), False


def _known_edit(exact: str, start: object, end: object, old_text: str | None, new_text: str) -> _Edit | None:
    """The edit from ``old_text``, when the annotation's quote stood in it where its position says."""
    if old_text is None or not isinstance(start, int) or not isinstance(end, int):
        return None
    if not 0 <= start < end <= len(old_text) or old_text[start:end] != exact:
        return None
    return _edit(old_text, new_text)


def _passages(text: str) -> list[str]:
    parts = text.split("\n\n")
    return [part + "\n\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


@functools.lru_cache(maxsize=4)
def _edit(old: str, new: str) -> _Edit:
    """The unchanged spans between two versions of a text.

    The common beginning and end are found directly; in between, passages are
    compared as wholes, which keeps difflib's work to the number of passages.
    """
    head = _common_prefix(old, new)
    tail = _common_prefix(old[head:][::-1], new[head:][::-1])
    blocks = [(0, 0, head)] if head else []
    old_middle, new_middle = _passages(old[head : len(old) - tail]), _passages(new[head : len(new) - tail])
    old_offsets = _offsets(old_middle, head)
    new_offsets = _offsets(new_middle, head)
    matcher = difflib.SequenceMatcher(None, old_middle, new_middle)
    for a, b, size in matcher.get_matching_blocks():
        if size:
            length = old_offsets[a + size] - old_offsets[a]
            blocks.append((old_offsets[a], new_offsets[b], length))
    if tail:
        blocks.append((len(old) - tail, len(new) - tail, tail))
    return _Edit(blocks)


def _offsets(parts: list[str], base: int) -> list[int]:
    offsets = [base]
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    return offsets


# Approximate search


def _fuzzy_candidates(text: str, quote: _Quote, hint: int | None) -> list[_Candidate]:
    """Near-matches of the quote close to the hint or right after/before its old context.

    Looks only at bounded windows, so its cost does not grow with the document.
    """
    pattern = quote.core
    size = len(pattern)
    max_errors = int(size * (1 - FUZZY_SIMILARITY) + 1e-9)
    if max_errors == 0 or size > FUZZY_MAX_QUOTE:
        return []
    windows = []
    if hint is not None:
        slack = max(_FUZZY_SLACK, 2 * size)
        windows.append((hint - slack, hint + size + slack))
    slack = max_errors + CONTEXT_LENGTH
    for context, after in ((quote.prefix[-16:], True), (quote.suffix[:16], False)):
        if len(context.strip()) < CONFIDENT_CONTEXT:
            continue
        found = list(itertools.islice(_occurrences(text, context), 4))
        if len(found) > 3:
            continue
        for i in found:
            anchor = i + len(context) if after else i - size
            windows.append((anchor - slack, anchor + size + slack))

    candidates: dict[tuple[int, int], _Candidate] = {}
    for low, high in _merged(windows, len(text)):
        for start, end, errors in _approximate(pattern, text, low, high, max_errors):
            found = text[start:end]
            core = found.strip()
            if core != found:
                # The whitespace trimmed off may have stood for characters of the quote.
                start += len(found) - len(found.lstrip())
                end = start + len(core)
                errors = _edit_distances(pattern, core, anchored=True)[-1] if core else size
                if errors > max_errors:
                    continue
            agreement = _agreement(text, start, end, quote.prefix, quote.suffix)
            candidates[(start, end)] = _Candidate(start, end, agreement, errors)
    return _distinct(list(candidates.values()), size)


def _merged(windows: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for low, high in sorted((max(0, low), min(length, high)) for low, high in windows):
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        elif low < high:
            merged.append((low, high))
    return merged


def _distinct(candidates: list[_Candidate], size: int) -> list[_Candidate]:
    """One candidate per overlapping cluster: the fewest errors, then the length nearest the quote's."""

    def rank(candidate: _Candidate) -> tuple[int, int]:
        return candidate.errors, abs(candidate.end - candidate.start - size)

    kept: list[_Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (c.start, c.end)):
        if kept and candidate.start < kept[-1].end:
            if rank(candidate) < rank(kept[-1]):
                kept[-1] = candidate
        else:
            kept.append(candidate)
    return kept


def _approximate(
    pattern: str, text: str, low: int, high: int, max_errors: int
) -> Iterator[tuple[int, int, int]]:
    """``(start, end, errors)`` for substrings of ``text[low:high]`` near ``pattern``: ``max_errors`` edits.

    One per local minimum of the edit distance along the text, found with Myers'
    bit-parallel algorithm; the start is then found by running it backwards.
    """
    scores = _edit_distances(pattern, text[low:high], anchored=False)
    count = len(scores)
    for j, score in enumerate(scores):
        if score > max_errors:
            continue
        if j + 1 < count and scores[j + 1] <= score:
            continue
        if j > 0 and scores[j - 1] < score:
            continue
        end = low + j + 1
        reach = max(low, end - len(pattern) - max_errors)
        backwards = _edit_distances(pattern[::-1], text[reach:end][::-1], anchored=True)
        lengths = [n + 1 for n, value in enumerate(backwards) if value == score]
        if not lengths:
            continue
        length = min(lengths, key=lambda n: (abs(n - len(pattern)), n))
        yield end - length, end, score


def _edit_distances(pattern: str, text: str, *, anchored: bool) -> list[int]:
    """For each ``j``, the fewest edits turning ``pattern`` into a substring of ``text`` ending at ``j + 1``.

    With ``anchored`` the substring must start at 0, so the value is the edit
    distance between ``pattern`` and ``text[: j + 1]``. Myers (1999), as
    formulated by Hyyrö: the column of the dynamic-programming table is kept as
    bit vectors, one bit per pattern character, so each text character costs a
    few integer operations.
    """
    size = len(pattern)
    mask = (1 << size) - 1
    top = 1 << (size - 1)
    equal: dict[str, int] = {}
    for i, char in enumerate(pattern):
        equal[char] = equal.get(char, 0) | (1 << i)
    positive, negative, score = mask, 0, size
    carry = 1 if anchored else 0
    scores = []
    for char in text:
        eq = equal.get(char, 0)
        vertical = eq | negative
        horizontal = (((eq & positive) + positive) ^ positive) | eq
        up = negative | (~(horizontal | positive) & mask)
        down = positive & horizontal
        if up & top:
            score += 1
        elif down & top:
            score -= 1
        up = ((up << 1) | carry) & mask
        down = (down << 1) & mask
        positive = down | (~(vertical | up) & mask)
        negative = up & vertical
        scores.append(score)
    return scores
