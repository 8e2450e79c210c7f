"""Re-anchoring on the edit corpus (bench/corpus.py): three methods side by side. Part of `make bench`.

- ours: documents.annotations.anchoring.reanchor, as the services call it after an edit.
- exact only: the quote where it occurs exactly (nearest the old position), else orphaned.
- Hypothesis-style: the position if the quote is still there; else every exact occurrence, or
  failing that every approximate one (up to half the quote's length in errors), scored by
  quote 50, prefix 20, suffix 20 and position 2, the best taken with no threshold, as the
  Hypothesis client's match-quote does.

Prints correct / wrongly placed / wrongly orphaned, time and peak memory (tracemalloc) per
method, then the time and peak memory of ours for 5,000 annotations on a 500 KB text.
"""

from __future__ import annotations

import random
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import corpus  # noqa: E402
from documents.annotations import anchoring  # noqa: E402
from documents.annotations.anchoring import edits  # noqa: E402
from documents.annotations.anchoring.approximate import edit_distances, near_matches  # noqa: E402  (the bench reuses Myers

TOLERANCE = 3
"""Code points either end may differ by when the edit changed the quote's own words."""


def ours(note: corpus.Note, old_text: str, new_text: str):
    s = note.selector
    found = anchoring.reanchor(
        exact=s.exact,
        prefix=s.prefix,
        suffix=s.suffix,
        start=s.start,
        end=s.end,
        old_text=old_text,
        new_text=new_text,
    )
    return None if found is None else (found.start, found.end)


def exact_only(note: corpus.Note, old_text: str, new_text: str):
    s = note.selector
    found, at = [], new_text.find(s.exact)
    while at != -1:
        found.append(at)
        at = new_text.find(s.exact, at + 1)
    if not found:
        return None
    best = min(found, key=lambda i: abs(i - s.start))
    return best, best + len(s.exact)


def _text_match_score(text: str, target: str) -> float:
    if not text or not target:
        return 0.0
    return 1 - min(edit_distances(target, text, anchored=False)) / len(target)


def hypothesis_style(note: corpus.Note, old_text: str, new_text: str):
    s = note.selector
    quote = s.exact
    if new_text[s.start : s.start + len(quote)] == quote:
        return s.start, s.start + len(quote)
    matches, at = [], new_text.find(quote)
    while at != -1:
        matches.append((at, at + len(quote), 0))
        at = new_text.find(quote, at + 1)
    if not matches:
        matches = list(near_matches(quote, new_text, 0, len(new_text), min(256, len(quote) // 2)))
    if not matches:
        return None

    def score(match):
        start, end, errors = match
        quote_score = 1 - errors / len(quote)
        before = new_text[max(0, start - len(s.prefix)) : start]
        after = new_text[end : end + len(s.suffix)]
        prefix_score = _text_match_score(before, s.prefix) if s.prefix else 1.0
        suffix_score = _text_match_score(after, s.suffix) if s.suffix else 1.0
        position_score = 1 - abs(start - s.start) / len(new_text)
        return (50 * quote_score + 20 * prefix_score + 20 * suffix_score + 2 * position_score) / 92

    best = max(matches, key=score)
    return best[0], best[1]


METHODS = {"ours": ours, "exact only": exact_only, "Hypothesis-style": hypothesis_style}


@dataclass
class Tally:
    correct: int = 0
    wrongly_placed: int = 0
    wrongly_orphaned: int = 0
    seconds: float = 0.0
    peak_mb: float = 0.0


def judge(note: corpus.Note, found) -> str:
    if note.expected is None:
        return "correct" if found is None else "wrongly_placed"
    if found is None:
        return "wrongly_orphaned"
    if found == note.expected:
        return "correct"
    slack = TOLERANCE if note.words_changed else 0
    close = abs(found[0] - note.expected[0]) <= slack and abs(found[1] - note.expected[1]) <= slack
    return "correct" if close else "wrongly_placed"


def run_method(method, cases) -> tuple[Tally, list[tuple[str, str]]]:
    tally, failures = Tally(), []
    started = time.perf_counter()
    results = [[method(note, case.old_text, case.new_text) for note in case.notes] for case in cases]
    tally.seconds = time.perf_counter() - started
    tracemalloc.start()
    for case in cases:
        for note in case.notes:
            method(note, case.old_text, case.new_text)
    tally.peak_mb = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    for case, found in zip(cases, results, strict=True):
        for note, place in zip(case.notes, found, strict=True):
            verdict = judge(note, place)
            setattr(tally, verdict, getattr(tally, verdict) + 1)
            if verdict != "correct":
                failures.append((case.name, verdict))
    return tally, failures


def large_edit(count: int = 5000, size: int = 500_000):
    """``count`` annotations on a ``size`` text, after a typical edit: a paragraph inserted near the
    start and a typo fixed in the middle. Answers (seconds, peak MB, orphaned)."""
    text = corpus.generated_text(size, seed=3)
    rng = random.Random(5)
    notes = []
    for _ in range(count):
        start = rng.randrange(0, len(text) - 60)
        while not text[start].isalpha():
            start += 1
        end = start + rng.randint(15, 50)
        while not text[end - 1].isalpha():
            end -= 1
        notes.append(corpus.Note(anchoring.describe(text, start, end), None))
    middle = len(text) // 2
    new_text = (
        text[:1000] + "\n\nA paragraph a curator added.\n\n" + text[1000:middle] + "x" + text[middle + 1 :]
    )
    edits.edit_between.cache_clear()
    started = time.perf_counter()
    found = [ours(note, text, new_text) for note in notes]
    seconds = time.perf_counter() - started
    edits.edit_between.cache_clear()
    tracemalloc.start()
    for note in notes:
        ours(note, text, new_text)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return seconds, peak, sum(1 for place in found if place is None)


def main() -> None:
    cases = corpus.cases()
    notes = sum(len(case.notes) for case in cases)
    print(f"Re-anchoring: {len(cases)} edits ({len(corpus.EDITS)} kinds) on {notes} annotations")
    columns = ("correct", 8), ("wrongly placed", 15), ("wrongly orphaned", 17), ("time", 9), ("peak", 9)
    header = f"{'method':<18} " + " ".join(f"{name:>{width}}" for name, width in columns)
    print(header)
    print("-" * len(header))
    for name, method in METHODS.items():
        tally, failures = run_method(method, cases)
        print(
            f"{name:<18} {tally.correct:>8} {tally.wrongly_placed:>15} {tally.wrongly_orphaned:>17} "
            f"{tally.seconds:>7.2f} s {tally.peak_mb:>6.1f} MB"
        )
        if name == "ours":
            for case_name, verdict in failures:
                print(f"    ours: {verdict.replace('_', ' ')}: {case_name}")
    seconds, peak, orphaned = large_edit()
    print(
        f"ours, 5,000 annotations on a 500 KB text after a typical edit: {seconds:.2f} s, "
        f"peak {peak:.1f} MB, {orphaned} orphaned"
    )


if __name__ == "__main__":
    main()
