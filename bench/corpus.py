"""An edit corpus: real-looking texts, the edits curators make, and where each annotation belongs after.

Texts are the seed documents' and generated ones up to 500 KB (pseudo-English
paragraphs from a fixed random seed, so every run is the same). Each case is a
text, one edit of it, and annotations on quotes of the old text with the
outcome they should have: a range of the new text, or None (orphaned) when the
edit deleted or reworded the quoted words. The expected ranges are computed
from the edit itself, never from an anchoring method.

Pure: no Django, no I/O beyond reading the seed fixture.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from documents.annotations import anchoring
from documents.archive import text as text_module

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "seed.json"

SIZES = (20_000, 100_000, 500_000)


@dataclass(frozen=True)
class Note:
    """An annotation made on the old text, and the range it should have in the new one (None: orphaned)."""

    selector: anchoring.Match
    expected: tuple[int, int] | None
    words_changed: bool = False


@dataclass(frozen=True)
class Case:
    name: str
    kind: str
    old_text: str
    new_text: str
    notes: tuple[Note, ...]


def seed_texts() -> list[tuple[str, str]]:
    items = json.loads(SEED.read_text(encoding="utf-8"))
    found = []
    for item in items:
        fields = item.get("fields", {})
        if item.get("model") == "documents.document" and fields.get("text"):
            found.append((fields["slug"], text_module.canonical_text(text_module.parse(fields["text"]))))
    return found


_SYLLABLES = (
    "ka",
    "lo",
    "mi",
    "ne",
    "su",
    "ta",
    "ri",
    "po",
    "ve",
    "da",
    "an",
    "el",
    "in",
    "or",
    "us",
    "th",
    "st",
    "re",
    "com",
    "pro",
    "ter",
    "men",
    "tion",
    "al",
    "ly",
)


def generated_text(size: int, *, seed: int = 1) -> str:
    """Paragraphs of pseudo-English sentences, about ``size`` code points long."""
    rng = random.Random(seed)
    words = sorted({"".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(4000)})
    paragraphs, length = [], 0
    while length < size:
        sentences = []
        for _ in range(rng.randint(2, 6)):
            sentence = " ".join(rng.choice(words) for _ in range(rng.randint(6, 18)))
            sentences.append(sentence[0].upper() + sentence[1:] + rng.choice(".....;?!"))
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join(paragraphs)


# Edits. Each takes the text, the quote's range and a random source, and answers the new text and
# the quote's expected range in it (None when the words are gone), and whether its words changed.

Edit = Callable[[str, int, int, random.Random], tuple[str, tuple[int, int] | None, bool]]


def _paragraph_of(text: str, position: int) -> tuple[int, int]:
    start = text.rfind("\n\n", 0, position)
    start = 0 if start < 0 else start + 2
    end = text.find("\n\n", position)
    return start, len(text) if end < 0 else end


def _insert(text: str, at: int, piece: str, start: int, end: int):
    shift = len(piece) if at <= start else 0
    return text[:at] + piece + text[at:], (start + shift, end + shift), False


def typo_inside(text, start, end, rng):
    """One letter of the quote corrected (a transcription error fixed)."""
    letters = [i for i in range(start + 1, end - 1) if text[i].isalpha()]
    i = rng.choice(letters)
    new = "e" if text[i] != "e" else "a"
    return text[:i] + new + text[i + 1 :], (start, end), True


def typo_next_to(text, start, end, rng):
    """A letter just before the quote corrected: its context changes, not its words."""
    i = max(0, start - 2)
    if not text[i].isalpha():
        return _insert(text, start, "", start, end)
    return text[:i] + ("x" if text[i] != "x" else "y") + text[i + 1 :], (start, end), False


def paragraph_inserted_before(text, start, end, rng):
    at = _paragraph_of(text, start)[0]
    return _insert(text, at, "A paragraph added by a curator, with a source note of its own.\n\n", start, end)


def paragraph_inserted_after(text, start, end, rng):
    at = _paragraph_of(text, end)[1]
    return _insert(text, at, "\n\nA paragraph added after it, quoting nothing.", start, end)


def paragraph_deleted_before(text, start, end, rng):
    para_start = _paragraph_of(text, start)[0]
    if para_start == 0:
        return _insert(text, 0, "", start, end)
    prev_start, _ = _paragraph_of(text, para_start - 3)
    removed = para_start - prev_start
    return text[:prev_start] + text[para_start:], (start - removed, end - removed), False


def paragraph_moved(text, start, end, rng):
    """The quote's paragraph moved to the end of the text."""
    p_start, p_end = _paragraph_of(text, start)
    paragraph = text[p_start:p_end]
    rest = (text[:p_start] + text[p_end:]).replace("\n\n\n\n", "\n\n").strip("\n")
    new_text = rest + "\n\n" + paragraph
    base = len(rest) + 2
    return new_text, (base + start - p_start, base + end - p_start), False


def inserted_right_before(text, start, end, rng):
    return _insert(text, start, "Indeed, ", start, end)


def inserted_right_after(text, start, end, rng):
    return text[:end] + ", it is said," + text[end:], (start, end), False


def whitespace_normalised(text, start, end, rng):
    """Runs of spaces made one, and a double space added in the quote first (so the edit touches it)."""
    doubled = text[:start] + text[start:end].replace(" ", "  ", 1) + text[end:]
    normalised = re.sub(r" {2,}", " ", doubled)
    return normalised, (start, end), False


def punctuation_normalised(text, start, end, rng):
    """Straight apostrophes and quotes made typographic, and a full stop added inside the quote."""
    i = text.find(" ", start + 1, end - 1)
    if i < 0:
        return _insert(text, 0, "", start, end)
    new_text = text[:i] + "," + text[i:]
    new_text = new_text.replace("'", "\u2019").replace('"', "\u201d")
    return new_text, (start, end + 1), True


def look_alike_added(text, start, end, rng):
    """A near-copy of the quote's paragraph added before it (a second version of a clause)."""
    p_start, p_end = _paragraph_of(text, start)
    copy = text[p_start:p_end]
    offset = start - p_start
    copy = copy[:offset] + copy[offset:].replace(" ", " also ", 1)
    piece = copy + "\n\n"
    return text[:p_start] + piece + text[p_start:], (start + len(piece), end + len(piece)), False


def quote_deleted(text, start, end, rng):
    """The quoted sentence's words removed."""
    return text[:start] + text[end:], None, True


def quote_reworded(text, start, end, rng):
    """The quoted words replaced by others of the same length."""
    words = text[start:end].split(" ")
    reworded = " ".join("z" * len(word) for word in words)
    return text[:start] + reworded + text[end:], None, True


EDITS: dict[str, Edit] = {
    "typo fixed inside the quote": typo_inside,
    "typo fixed next to the quote": typo_next_to,
    "paragraph inserted before": paragraph_inserted_before,
    "paragraph inserted after": paragraph_inserted_after,
    "paragraph deleted before": paragraph_deleted_before,
    "quote's paragraph moved": paragraph_moved,
    "insertion right before the quote": inserted_right_before,
    "insertion right after the quote": inserted_right_after,
    "whitespace normalised": whitespace_normalised,
    "punctuation normalised": punctuation_normalised,
    "look-alike paragraph added": look_alike_added,
    "quoted passage deleted": quote_deleted,
    "quote reworded": quote_reworded,
}


def _quotes(text: str, rng: random.Random, count: int) -> Iterator[tuple[int, int]]:
    """Ranges of 3 to 9 whole words that occur once in the text, away from its very ends."""
    tried = 0
    found = 0
    spans = [m.span() for m in re.finditer(r"\S+", text)]
    while found < count and tried < count * 20:
        tried += 1
        first = rng.randrange(3, max(4, len(spans) - 12))
        last = min(len(spans) - 1, first + rng.randint(2, 8))
        start, end = spans[first][0], spans[last][1]
        quote = text[start:end]
        if "\n" in quote or text.count(quote) != 1 or len(quote) < 12:
            continue
        found += 1
        yield start, end


def cases(*, sizes=SIZES, per_text: int = 6, seed: int = 7) -> list[Case]:
    """Every edit kind on every text, each with ``per_text`` annotations (one edited quote per case)."""
    rng = random.Random(seed)
    texts = seed_texts() + [(f"generated-{size // 1000}kb", generated_text(size)) for size in sizes]
    built = []
    for name, text in texts:
        for kind, edit in EDITS.items():
            quotes = list(_quotes(text, rng, per_text))
            if not quotes:
                continue
            target_start, target_end = quotes[0]
            new_text, expected, words_changed = edit(text, target_start, target_end, rng)
            notes = [Note(anchoring.describe(text, target_start, target_end), expected, words_changed)]
            for start, end in quotes[1:]:
                if start < target_end + 200 and end > target_start - 200:
                    continue  # near the edit: its expected place would depend on the edit's details
                moved = _untouched(text, new_text, start, end)
                if moved is not None:
                    notes.append(Note(anchoring.describe(text, start, end), moved))
            built.append(Case(f"{name}: {kind}", kind, text, new_text, tuple(notes)))
    return built


def _untouched(old: str, new: str, start: int, end: int) -> tuple[int, int] | None:
    """Where an annotation far from the edit lands: its words and their context, found once."""
    quote = old[start:end]
    context = old[max(0, start - 40) : end + 40]
    at = new.find(context)
    if at < 0 or new.count(context) != 1:
        return None
    begin = at + (start - max(0, start - 40))
    return begin, begin + len(quote)
