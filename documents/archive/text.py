"""Curators' light markup -> passages -> the canonical text, with code-point offsets.

The rules (docs/curators.md, "The text markup"):

- Line endings are normalised to "\\n" and the whole text to Unicode NFC.
- A blank line (only whitespace) separates passages.
- A passage starting with "# " is a heading, "> " a quotation (every line of a
  quotation may carry its own "> "), "- " a list item; anything else is a
  paragraph. A leading backslash escapes a marker: "\\# 1 is" is a paragraph "# 1 is",
  "\\-" a paragraph "-", and "\\\\# 1" a paragraph "\\# 1"; elsewhere a backslash is text.
- Inside a passage, lines are joined by a single space; ASCII spaces and tabs
  around lines are markup, not content, and are dropped. Every other character,
  non-breaking spaces included, is kept exactly.
- The canonical text is the passages' texts joined by "\\n\\n".

Offsets count Unicode code points, which is what Python's ``str`` indexes, so
``canonical[p.start:p.end] == p.text`` for every passage.

Everything here is pure: no Django, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

PASSAGE_SEPARATOR = "\n\n"
MARKUP_WHITESPACE = " \t"

HEADING = "heading"
QUOTATION = "quotation"
ITEM = "item"
PARAGRAPH = "paragraph"
KINDS = (PARAGRAPH, HEADING, QUOTATION, ITEM)

MARKERS = {"# ": HEADING, "> ": QUOTATION, "- ": ITEM}
BARE_MARKERS = {"#", ">", "-"}

# C0 and C1 control characters other than tab and line breaks never belong in a text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class MarkupError(ValueError):
    """The markup cannot be turned into passages; ``line`` is 1-based."""

    def __init__(self, message: str, line: int):
        super().__init__(f"Line {line}: {message}")
        self.message = message
        self.line = line


@dataclass(frozen=True)
class Passage:
    n: int
    kind: str
    text: str
    start: int
    end: int


def normalise(markup: str) -> str:
    """Line endings to "\\n", then Unicode NFC."""
    return unicodedata.normalize("NFC", markup.replace("\r\n", "\n").replace("\r", "\n"))


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Group lines into blocks separated by blank lines; each with its first line number."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first = 0
    for number, line in enumerate(lines, start=1):
        if line.strip() == "":
            if current:
                blocks.append((first, current))
                current = []
            continue
        if not current:
            first = number
        current.append(line)
    if current:
        blocks.append((first, current))
    return blocks


def _looks_like_markup(head: str) -> bool:
    """Whether a passage's first line, after any backslashes, starts with a marker or is a bare one."""
    unescaped = head.lstrip("\\")
    return unescaped[:2] in MARKERS or unescaped.rstrip(MARKUP_WHITESPACE) in BARE_MARKERS


def _passage_kind_and_lines(first_line: int, lines: list[str]) -> tuple[str, list[str]]:
    head = lines[0].lstrip(MARKUP_WHITESPACE)
    if head.startswith("\\") and _looks_like_markup(head):
        return PARAGRAPH, [head[1:], *lines[1:]]
    bare = head.rstrip(MARKUP_WHITESPACE)
    if len(lines) == 1 and bare in BARE_MARKERS:
        raise MarkupError(
            f'"{bare}" starts a passage but has no text after it. Write "\\{bare}" for the character itself.',
            first_line,
        )
    # A marker alone on the first line of a longer passage still counts: editors drop trailing spaces.
    kind = MARKERS.get(head[:2]) or MARKERS.get(bare + " ")
    if kind is None:
        return PARAGRAPH, lines
    if kind == QUOTATION:
        stripped = []
        for line in lines:
            content = line.lstrip(MARKUP_WHITESPACE)
            if content.startswith("> "):
                content = content[2:]
            elif content.rstrip(MARKUP_WHITESPACE) == ">":
                content = ""
            stripped.append(content)
        return kind, stripped
    return kind, [head[2:], *lines[1:]]


def _join(lines: list[str]) -> str:
    words = (line.strip(MARKUP_WHITESPACE) for line in lines)
    return " ".join(word for word in words if word)


def parse(markup: str) -> list[Passage]:
    """Turn curator markup into numbered passages with offsets into the canonical text.

    Raises MarkupError, with the line number, for control characters and for a
    marker with no text after it.
    """
    text = normalise(markup)
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        bad = _CONTROL.search(line)
        if bad:
            code = f"U+{ord(bad.group()):04X}"
            raise MarkupError(f"contains the control character {code}, which cannot be displayed.", number)

    passages: list[Passage] = []
    offset = 0
    for first_line, block in _blocks(lines):
        kind, content_lines = _passage_kind_and_lines(first_line, block)
        content = _join(content_lines)
        if not content:
            raise MarkupError("this passage has a marker but no text.", first_line)
        if passages:
            offset += len(PASSAGE_SEPARATOR)
        passages.append(Passage(len(passages) + 1, kind, content, offset, offset + len(content)))
        offset += len(content)
    return passages


def markup(passages: Iterable[tuple[str, str]]) -> str:
    """Curator markup whose passages are these ``(kind, text)`` pairs: the inverse of ``parse``.

    A paragraph that would read as markup gets the escaping backslash. Each text must be a passage's
    text as ``parse`` makes it: no line breaks, no spaces or tabs at either end, not empty.
    """
    blocks = []
    for kind, content in passages:
        if kind == PARAGRAPH:
            blocks.append("\\" + content if _looks_like_markup(content) else content)
        else:
            marker = next(marker for marker, marked in MARKERS.items() if marked == kind)
            blocks.append(marker + content)
    return PASSAGE_SEPARATOR.join(blocks)


def canonical_text(passages: list[Passage]) -> str:
    """The passages' texts joined by the separator: what every offset refers to."""
    return PASSAGE_SEPARATOR.join(p.text for p in passages)


def passage_at(passages: list[Passage], offset: int) -> Passage | None:
    """The passage containing code-point ``offset`` (a separator belongs to none).

    ``passages`` are in order, as ``parse`` returns them, so a binary search finds it.
    """
    index = bisect_right(passages, offset, key=lambda passage: passage.start) - 1
    if index >= 0 and offset < passages[index].end:
        return passages[index]
    return None
