"""What a reader types into a search box, read into a query both search back ends understand.

The syntax is the one web search taught everyone (docs/search.md, "How search works"): words,
``"quoted phrases"``, ``-excluded`` words or phrases, and ``OR`` (in capitals)
between two alternatives. Everything else is text, never syntax: the FTS5 and
PostgreSQL operators (``NEAR(``, ``*``, ``AND``, ``^``), SQL fragments, ``%``
and backslashes are split into words the way the indexes split text, so no
query can be an error in a back end. Rules:

- A word is a run of letters and digits in any script (``[^\\W_]+``), as
  SQLite's ``unicode61`` tokenizer and PostgreSQL's parser see them; a token
  holding several (``don't``, ``U.S.``) is searched as the phrase of its words.
- An unclosed quote runs to the end of the query.
- A query needs at least one word to look for; exclusions alone find nothing
  and are refused with a message, as are queries over ``MAX_LENGTH`` characters
  or with more than ``MAX_TERMS`` terms.

Each word is looked for under its British and American spellings too (``spellings``).

Pure: no Django, no database.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import islice, product

from documents.search import spellings

MAX_LENGTH = 200
MAX_TERMS = 12

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"[^\W_]+")


class QueryError(ValueError):
    """A query that cannot be searched; the message says what to change."""


@dataclass(frozen=True)
class Term:
    """One phrase of one or more words; a single word is a phrase of one."""

    words: tuple[str, ...]
    excluded: bool = False


@dataclass(frozen=True)
class Query:
    """Every group must match (AND); within a group any term may (OR); no excluded term may."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...]

    @property
    def words(self) -> list[str]:
        """The words looked for, in order, without repeats: what a page highlights."""
        seen: dict[str, None] = {}
        for group in self.groups:
            for term in group:
                for word in term.words:
                    seen.setdefault(word.casefold(), None)
        return list(seen)

    def fts5(self) -> str:
        """The query as an SQLite FTS5 expression: every word quoted, so none is an operator."""

        def phrase(term: Term) -> str:
            return _either(['"' + " ".join(words) + '"' for words in _spelled(term)], " OR ")

        return self._expression(phrase, " OR ", " AND ", "({0}) NOT ({1})")

    def tsquery(self) -> str:
        """The query for PostgreSQL's ``to_tsquery``: words (letters and digits only, so never an
        operator) joined by ``<->`` in a phrase, ``|``, ``&`` and ``& !``, in parentheses, which
        ``websearch_to_tsquery`` cannot express (a word and its other spelling AND another)."""

        def phrase(term: Term) -> str:
            return _either([" <-> ".join(words) for words in _spelled(term)], " | ")

        return self._expression(phrase, " | ", " & ", "({0}) & !({1})")

    def _expression(self, phrase, either: str, both: str, but_not: str) -> str:
        expression = both.join(_either([phrase(term) for term in group], either) for group in self.groups)
        if self.excluded:
            expression = but_not.format(expression, either.join(phrase(t) for t in self.excluded))
        return expression


MAX_SPELLINGS = 4
"""The most spellings of one phrase a search looks for: its words as written first."""


def _spelled(term: Term) -> list[tuple[str, ...]]:
    """The phrase's words under each British and American spelling they have (``spellings``)."""
    return list(islice(product(*(spellings.variants(word) for word in term.words)), MAX_SPELLINGS))


def _either(alternatives: list[str], operator: str) -> str:
    return alternatives[0] if len(alternatives) == 1 else "(" + operator.join(alternatives) + ")"


def parse(text: str) -> Query:
    """Read a query; raises QueryError with a message a reader can act on."""
    text = unicodedata.normalize("NFC", text or "").strip()
    if not text:
        raise QueryError("Type a word or a phrase to search for.")
    if len(text) > MAX_LENGTH:
        raise QueryError(
            f"That search is {len(text):,} characters long; shorten it to {MAX_LENGTH} or fewer."
        )
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    pending_or = False
    for match in _TOKEN.finditer(text):
        minus, quoted, bare = match.groups()
        if bare == "OR":
            pending_or = bool(groups)
            continue
        if quoted is not None:
            words, negate = _WORD.findall(quoted), bool(minus)
        else:
            negate = bare.startswith("-") and len(bare) > 1
            words = _WORD.findall(bare[1:] if negate else bare)
        if not words:
            continue
        term = Term(tuple(words), excluded=negate)
        if negate:
            excluded.append(term)
        elif pending_or:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = False
    if not groups:
        if excluded:
            raise QueryError("Add a word to look for: a minus sign only leaves words out.")
        raise QueryError("Type a word or a phrase to search for; punctuation alone finds nothing.")
    if sum(len(group) for group in groups) + len(excluded) > MAX_TERMS:
        raise QueryError(f"Use at most {MAX_TERMS} words or phrases in one search.")
    return Query(tuple(tuple(group) for group in groups), tuple(excluded))


HIGHLIGHT_START = "\ue000"
HIGHLIGHT_END = "\ue001"


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """Split a back end's snippet into (text, highlighted) runs, so templates escape every run.

    The back ends mark matches with two private-use characters (never in
    indexed text: ``index_text`` removes them) instead of HTML, so a note's
    words can never become markup.
    """
    parts: list[tuple[str, bool]] = []
    for index, piece in enumerate(re.split(f"[{HIGHLIGHT_START}{HIGHLIGHT_END}]", snippet)):
        if piece:
            parts.append((piece, index % 2 == 1))
    return parts


def quote_parts(marked: str, quote: str, *, limit: int) -> list[tuple[str, bool]]:
    """A note's quote as (text, highlighted) runs, cut to ``limit`` characters with "…".

    ``marked`` is the note's index ``extra`` as a back end marked it whole, the quote first
    (``index._annotation_row``): the runs are its first ``len(quote)`` characters of text, so only
    the quote's own matched words are marked, never those of the tags after it.
    """
    if not quote:
        return []
    wanted, taken, cut = len(index_text(quote)), 0, len(marked)
    for position, character in enumerate(marked):
        if taken == wanted:
            cut = position
            break
        if character not in (HIGHLIGHT_START, HIGHLIGHT_END):
            taken += 1
    parts = snippet_parts(marked[:cut] + HIGHLIGHT_END) if marked else [(quote, False)]
    if sum(len(text) for text, _ in parts) <= limit:
        return parts
    shown, room = [], limit - 1
    for text, highlighted in parts:
        if room <= 0:
            break
        shown.append((text[:room], highlighted))
        room -= len(text[:room])
    return [*shown, ("…", False)]


def index_text(text: str) -> str:
    """Text as stored in the index: without the highlight markers."""
    return text.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "")
