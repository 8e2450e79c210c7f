"""Finding a quote in a text: exactly, in NFC, then up to whitespace; and choosing between occurrences.

A quote's whitespace at either end joins its context (``Quote``); occurrences are told apart by
how much of that context agrees with the text around them, then by nearness to a hint
(``choose``). Exact and whitespace-insensitive searches are linear in the text (``str.find``).

Everything here is pure: no Django, no I/O.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from documents.annotations.anchoring.selectors import CONTEXT_LIMIT, EXACT, NORMALISED

_WHITESPACE = re.compile(r"\s+")
_LONG_WHITESPACE = re.compile(r"\s{2,}")


@dataclass(frozen=True)
class Candidate:
    """An occurrence of a quote: its range, how much context agrees, and its edits if approximate."""

    start: int
    end: int
    agreement: int
    errors: int = 0


@dataclass(frozen=True)
class Quote:
    """A quote split from the whitespace at its ends, which joins the context instead."""

    core: str
    prefix: str
    suffix: str

    @classmethod
    def of(cls, exact: str, prefix: str, suffix: str) -> Quote:
        core = exact.strip()
        lead = exact[: len(exact) - len(exact.lstrip())]
        trail = exact[len(exact.rstrip()) :]
        return cls(core, (prefix + lead)[-CONTEXT_LIMIT:], (trail + suffix)[:CONTEXT_LIMIT])

    def normalised(self) -> Quote:
        return Quote(*(unicodedata.normalize("NFC", part) for part in (self.core, self.prefix, self.suffix)))


def searches(text: str, quote: Quote) -> Iterator[tuple[str, list[Candidate]]]:
    """Candidates exactly (as given, then in NFC), then ignoring whitespace, lazily."""
    normalised = quote.normalised()
    yield EXACT, _exact_candidates(text, quote)
    if normalised != quote:
        yield EXACT, _exact_candidates(text, normalised)
    yield NORMALISED, _squeezed_candidates(text, normalised)


def occurrences(haystack: str, needle: str) -> Iterator[int]:
    """Every start of ``needle`` in ``haystack``, overlapping ones included."""
    index = haystack.find(needle)
    while index != -1:
        yield index
        index = haystack.find(needle, index + 1)


def common_prefix(a: str, b: str) -> int:
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
    return common_prefix(a[::-1], b[::-1])


def agreement(text: str, start: int, end: int, prefix: str, suffix: str) -> int:
    """How many code points of the prefix and suffix agree with the text around ``start:end``."""
    before = text[max(0, start - len(prefix)) : start]
    return _common_suffix(prefix, before) + common_prefix(suffix, text[end : end + len(suffix)])


def _exact_candidates(text: str, quote: Quote) -> list[Candidate]:
    size = len(quote.core)
    return [
        Candidate(i, i + size, agreement(text, i, i + size, quote.prefix, quote.suffix))
        for i in occurrences(text, quote.core)
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


def _squeezed_candidates(text: str, quote: Quote) -> list[Candidate]:
    """Occurrences of the quote when all whitespace counts alike, in original offsets."""
    squeezed = _squeezed(text)
    needle = _squeeze(quote.core)
    prefix = _squeeze(quote.prefix).rstrip(" ")
    suffix = _squeeze(quote.suffix).lstrip(" ")
    found = []
    for i in occurrences(squeezed.text, needle):
        j = i + len(needle)
        before = squeezed.text[max(0, i - len(prefix) - 1) : i].rstrip(" ")
        after = squeezed.text[j : j + len(suffix) + 1].lstrip(" ")
        agreement = _common_suffix(prefix, before) + common_prefix(suffix, after)
        found.append(Candidate(squeezed.original(i), squeezed.original(j - 1) + 1, agreement))
    return found


def choose(candidates: list[Candidate], hint: int | None) -> Candidate | None:
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
