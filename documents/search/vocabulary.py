""" "Did you mean": the archive's own words closest to those of a search that found nothing
(docs/search.md, "How search works": "Did you mean").

The vocabulary is the public text alone: the words of the index entries of every document and
note an anonymous reader may see (``visible_to``), so a word that only others' private or group
notes hold, or a draft, is never suggested to anyone. It is read once and kept in the cache under a
key that moves whenever anything an anonymous reader sees does (a document's text, status or
public notes: ``public_annotations_version``), so it never outlives a note made private.

A word of the search that the vocabulary lacks (under either spelling, ``spellings``) is replaced by
the vocabulary's closest word (rapidfuzz's ``ratio``, at least ``CLOSENESS``; the more frequent
word on a tie); the rest of the search is kept as typed.
"""

from __future__ import annotations

import re
from collections import Counter

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum
from rapidfuzz import fuzz, process

from documents.annotations.models import Annotation
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
    """Every word (casefolded, letters only, ``SHORTEST`` or longer) of what anyone may read, counted."""
    anyone = AnonymousUser()
    entries = SearchEntry.objects.filter(
        Q(annotation__isnull=True) | Q(annotation__in=Annotation.objects.visible_to(anyone).values("pk")),
        document__in=Document.objects.visible_to(anyone).values("pk"),
    )
    words: Counter = Counter()
    for texts in entries.values_list("title", "body", "extra").iterator(chunk_size=2000):
        for text in texts:
            words.update(word for word in _WORD.findall(text.casefold()) if len(word) >= SHORTEST)
    return words


def _key() -> str:
    """What the public text depends on, in one query: the documents anyone may read, their
    modification times and their public notes' version."""
    state = Document.objects.visible_to(AnonymousUser()).aggregate(
        count=Count("pk"), keys=Sum("pk"), modified=Max("modified"), notes=Sum("public_annotations_version")
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
