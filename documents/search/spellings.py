"""British and American spellings of one word (docs/search.md, "How search works": "Spellings"):
``politicised`` and ``politicized``, ``colour`` and ``color``, ``defence`` and ``defense``,
``travelled`` and ``traveled``.

The list is breame's (pinned in requirements.txt): about 1,700 pairs, inflected forms included
(``harbours``/``harbors``), covering -ise/-ize, -isation/-ization, -our/-or, -re/-er, -ence/-ense,
-ogue/-og and ll/l. A list rather than rules, because rules over-reach ("prize" is no "prise",
"louver" no "louvre" of the museum's sense, "dial" no "diall").

A search looks for each word under every spelling it has (``syntax.Query``), so either finds the
other on both databases; the index keeps the words as written, so snippets and quotes show them so.

Pure: no Django, no database.
"""

from __future__ import annotations

from breame.data.spelling_constants import AMERICAN_ENGLISH_SPELLINGS, BRITISH_ENGLISH_SPELLINGS


def variants(word: str) -> tuple[str, ...]:
    """``word`` casefolded, then its other spelling if it has one."""
    word = word.casefold()
    other = BRITISH_ENGLISH_SPELLINGS.get(word) or AMERICAN_ENGLISH_SPELLINGS.get(word)
    return (word, other) if other and other != word else (word,)
