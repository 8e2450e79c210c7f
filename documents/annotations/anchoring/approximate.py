"""Approximate search for a quote an edit changed: near-matches in bounded windows of the text.

The windows are around where the quote should now be and right after (before) its old prefix
(suffix), so the cost does not grow with the document. Inside them, Myers' bit-parallel edit
distance finds every substring within ``FUZZY_SIMILARITY`` of the quote.

Everything here is pure: no Django, no I/O.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from documents.annotations.anchoring.search import Candidate, Quote, agreement, occurrences
from documents.annotations.anchoring.selectors import (
    CONFIDENT_CONTEXT,
    CONTEXT_LENGTH,
    FUZZY_MAX_QUOTE,
    FUZZY_SIMILARITY,
)

_FUZZY_SLACK = 1024


def fuzzy_candidates(text: str, quote: Quote, hint: int | None) -> list[Candidate]:
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
        found = list(itertools.islice(occurrences(text, context), 4))
        if len(found) > 3:
            continue
        for i in found:
            anchor = i + len(context) if after else i - size
            windows.append((anchor - slack, anchor + size + slack))

    candidates: dict[tuple[int, int], Candidate] = {}
    for low, high in _merged(windows, len(text)):
        for start, end, errors in near_matches(pattern, text, low, high, max_errors):
            found = text[start:end]
            core = found.strip()
            if core != found:
                # The whitespace trimmed off may have stood for characters of the quote.
                start += len(found) - len(found.lstrip())
                end = start + len(core)
                errors = edit_distances(pattern, core, anchored=True)[-1] if core else size
                if errors > max_errors:
                    continue
            agreeing = agreement(text, start, end, quote.prefix, quote.suffix)
            candidates[(start, end)] = Candidate(start, end, agreeing, errors)
    return _distinct(list(candidates.values()), size)


def _merged(windows: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for low, high in sorted((max(0, low), min(length, high)) for low, high in windows):
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        elif low < high:
            merged.append((low, high))
    return merged


def _distinct(candidates: list[Candidate], size: int) -> list[Candidate]:
    """One candidate per overlapping cluster: the fewest errors, then the length nearest the quote's."""

    def rank(candidate: Candidate) -> tuple[int, int]:
        return candidate.errors, abs(candidate.end - candidate.start - size)

    kept: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (c.start, c.end)):
        if kept and candidate.start < kept[-1].end:
            if rank(candidate) < rank(kept[-1]):
                kept[-1] = candidate
        else:
            kept.append(candidate)
    return kept


def near_matches(
    pattern: str, text: str, low: int, high: int, max_errors: int
) -> Iterator[tuple[int, int, int]]:
    """``(start, end, errors)`` for substrings of ``text[low:high]`` near ``pattern``: ``max_errors`` edits.

    One per local minimum of the edit distance along the text, found with Myers'
    bit-parallel algorithm; the start is then found by running it backwards.
    """
    scores = edit_distances(pattern, text[low:high], anchored=False)
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
        backwards = edit_distances(pattern[::-1], text[reach:end][::-1], anchored=True)
        lengths = [n + 1 for n, value in enumerate(backwards) if value == score]
        if not lengths:
            continue
        length = min(lengths, key=lambda n: (abs(n - len(pattern)), n))
        yield end - length, end, score


def edit_distances(pattern: str, text: str, *, anchored: bool) -> list[int]:
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
