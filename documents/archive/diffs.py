"""Word-level differences between two versions of a text, for people to read.

Used by the revision pages, the admin's history and the refusal of a stale
edit. Texts are compared passage by passage first (passages are separated by a
blank line), then word by word inside the passages that differ, so the work
grows with what changed rather than with the length of the document.

Everything here is pure: no Django, no I/O.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from documents.archive.text import PASSAGE_SEPARATOR

SAME = "same"
ADDED = "added"
REMOVED = "removed"

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class Chunk:
    """A run of text that both versions share (``same``), or that only the new or old one has."""

    kind: str
    text: str


def word_diff(old: str, new: str) -> list[Chunk]:
    """``old`` turned into ``new`` as runs of same, removed and added text; joined, the same and
    removed runs give ``old``, the same and added runs give ``new``."""
    chunks: list[Chunk] = []
    old_parts, new_parts = _passages(old), _passages(new)
    matcher = difflib.SequenceMatcher(None, old_parts, new_parts, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(old_parts[i1:i2]), "".join(new_parts[j1:j2])
        if tag == "equal":
            _add(chunks, SAME, before)
        else:
            _words(chunks, before, after)
    return chunks


def condensed(chunks: list[Chunk], *, context: int = 80) -> list[Chunk]:
    """The chunks with long unchanged runs cut to about ``context`` characters either side of a change.

    A cut falls between words, never inside one, and the context stops at the end of the passage
    the change is in (the next passage is another paragraph, not context); "…" marks what is left out.
    """
    shown: list[Chunk] = []
    for n, chunk in enumerate(chunks):
        if chunk.kind != SAME or len(chunk.text) <= 2 * context + 1:
            shown.append(chunk)
            continue
        head = _head(chunk.text, context) if n > 0 else ""
        tail = _tail(chunk.text, context) if n < len(chunks) - 1 else ""
        shown.append(Chunk(SAME, f"{head}…{tail}"))
    return shown


def _head(text: str, limit: int) -> str:
    """The start of ``text``, at most ``limit`` characters and its passage's end, cut after a space."""
    end = text.find(PASSAGE_SEPARATOR, 0, limit)
    if end != -1:
        return text[: end + len(PASSAGE_SEPARATOR)]
    cut = next((i for i in range(limit, -1, -1) if text[i].isspace()), -1)
    return text[: cut + 1]


def _tail(text: str, limit: int) -> str:
    """The end of ``text``, at most ``limit`` characters and its passage's start, cut before a space."""
    start = text.rfind(PASSAGE_SEPARATOR, len(text) - limit)
    if start != -1:
        return text[start:]
    first = len(text) - limit - 1
    cut = next((i for i in range(first, len(text)) if text[i].isspace()), len(text))
    return text[cut:]


def has_changes(chunks: list[Chunk]) -> bool:
    return any(chunk.kind != SAME for chunk in chunks)


def _passages(text: str) -> list[str]:
    parts = text.split(PASSAGE_SEPARATOR)
    return [part + PASSAGE_SEPARATOR for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _words(chunks: list[Chunk], old: str, new: str) -> None:
    old_tokens, new_tokens = _TOKENS.findall(old), _TOKENS.findall(new)
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _add(chunks, SAME, "".join(old_tokens[i1:i2]))
            continue
        _add(chunks, REMOVED, "".join(old_tokens[i1:i2]))
        _add(chunks, ADDED, "".join(new_tokens[j1:j2]))


def _add(chunks: list[Chunk], kind: str, text: str) -> None:
    if not text:
        return
    if chunks and chunks[-1].kind == kind:
        chunks[-1] = Chunk(kind, chunks[-1].text + text)
    else:
        chunks.append(Chunk(kind, text))
