""" "Did you mean": the archive's own words closest to those of a search that found nothing
(docs/search.md, "How search works": "Did you mean").

The vocabulary is the published documents' own words: the index entries (metadata and passages)
of every document an anonymous reader may see (``visible_to``), so a word of a draft, or of anyone's
note, is never suggested. Notes are left out because they change by the minute: a vocabulary that
held them would be read again (seconds, in a large archive) by the first search with no hit after
each public note. It is read once and kept in the cache under a key that moves whenever a published
document does (its text, its status), so it never outlives a document unpublished.

A word of the search that the vocabulary lacks (under either spelling, ``spellings``) is replaced by
the vocabulary's closest word (rapidfuzz's ``ratio``, at least ``CLOSENESS``; the more frequent
word on a tie); the rest of the search is kept as typed.
"""

from __future__ import annotations

import re
from collections import Counter

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Count, Max, Sum
from rapidfuzz import fuzz, process

from documents.archive.models import Document
from documents.freshness import digest
from documents.search import spellings
from documents.search.models import SearchEntry

CLOSENESS = 75
"""The least rapidfuzz ``ratio`` (0-100) of a suggested word to the word typed."""

SHORTEST = 3
"""Shorter words are neither corrected nor suggested: too many are close to each other."""

_WORD = re.compile(r"[^\W\d_]+")
_CACHED_FOR = 24 * 60 * 60


def _public_words() -> Counter:
    """Every word (casefolded, letters only, ``SHORTEST`` or longer) of the published documents, counted."""
    entries = SearchEntry.objects.filter(
        annotation__isnull=True, document__in=Document.objects.visible_to(AnonymousUser()).values("pk")
    )
    words: Counter = Counter()
    for texts in entries.values_list("title", "body", "extra").iterator(chunk_size=2000):
        for text in texts:
            words.update(word for word in _WORD.findall(text.casefold()) if len(word) >= SHORTEST)
    return words


def _key() -> str:
    """What the vocabulary depends on, in one query: the documents anyone may read and their
    modification times."""
    state = Document.objects.visible_to(AnonymousUser()).aggregate(
        count=Count("pk"), keys=Sum("pk"), modified=Max("modified")
    )
    return "search-vocabulary:" + digest(state)


def public_words() -> Counter:
    return cache.get_or_set(_key(), _public_words, _CACHED_FOR)


def did_you_mean(text: str) -> str | None:
    """``text`` with each word the public text lacks replaced by its closest word there; None
    when no word was replaced."""
    words = public_words()
    choices = sorted(words)

    def closest(match: re.Match) -> str:
        word = match.group()
        known = word.casefold()
        if len(known) < SHORTEST or any(spelling in words for spelling in spellings.variants(known)):
            return word
        found = process.extract(known, choices, scorer=fuzz.ratio, score_cutoff=CLOSENESS, limit=5)
        if not found:
            return word
        best, _, _ = max(found, key=lambda choice: (choice[1], words[choice[0]]))
        return best

    corrected = _WORD.sub(closest, text)
    return corrected if corrected != text else None
