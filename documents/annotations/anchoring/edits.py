"""What a curator's edit left unchanged, and where a range of the old text went in the new one.

Re-anchoring (``anchoring.reanchor``) starts from here: the stored position, moved by the edit,
is where the quote should now be; words the edit did not touch cannot have become the quote.
The common beginning and end are found directly and the middle compared passage by passage,
so the work grows with the number of passages, not of characters.

Everything here is pure: no Django, no I/O.
"""

from __future__ import annotations

import bisect
import difflib
import functools
from dataclasses import dataclass

from documents.annotations.anchoring.search import common_prefix
from documents.annotations.anchoring.selectors import AnchoringError, check_position


def moved_position(
    start: object, end: object, old_text: str | None, new_text: str
) -> tuple[int | None, bool]:
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
    hint, untouched = edit_between(old_text, new_text).moved(start, end)
    if not untouched:
        # In repeated words an edit has several equally short readings: deleting one of two
        # "we be " is a cut at 0, at 6, or, matching the longest common beginning first, one that
        # reaches into what follows. If reading from the end leaves the quote untouched, it was.
        other, untouched = edit_between(old_text, new_text, end_first=True).moved(start, end)
        if untouched:
            return other, True
    return hint, untouched


@dataclass(frozen=True)
class Edit:
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


def known_edit(exact: str, start: object, end: object, old_text: str | None, new_text: str) -> Edit | None:
    """The edit from ``old_text``, when the annotation's quote stood in it where its position says."""
    if old_text is None or not isinstance(start, int) or not isinstance(end, int):
        return None
    if not 0 <= start < end <= len(old_text) or old_text[start:end] != exact:
        return None
    return edit_between(old_text, new_text)


def _passages(text: str) -> list[str]:
    parts = text.split("\n\n")
    return [part + "\n\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


@functools.lru_cache(maxsize=4)
def edit_between(old: str, new: str, *, end_first: bool = False) -> Edit:
    """The unchanged spans between two versions of a text.

    The common beginning and end are found directly (the beginning first, or with
    ``end_first`` the end first: where they overlap, in repeated words, each gives
    one of the edit's equally short readings); in between, passages are compared as
    wholes, which keeps difflib's work to the number of passages.
    """
    if end_first:
        tail = common_prefix(old[::-1], new[::-1])
        head = common_prefix(old[: len(old) - tail], new[: len(new) - tail])
    else:
        head = common_prefix(old, new)
        tail = common_prefix(old[head:][::-1], new[head:][::-1])
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
    return Edit(blocks)


def _offsets(parts: list[str], base: int) -> list[int]:
    offsets = [base]
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    return offsets
