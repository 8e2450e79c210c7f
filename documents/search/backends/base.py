"""What both back ends share: the ``Match`` each makes of a query, ``fetch`` for their raw SQL,
and the text search configuration of each language (PostgreSQL stems by it; the index records
it whichever database is in use)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Q


def fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@dataclass(frozen=True)
class Match:
    """A query's match condition: ``sql`` on the alias ``e`` joined to the back end's source,
    ``orm`` the same as a filter on ``SearchEntry`` for ORM queries."""

    sql: str
    params: tuple
    orm: Q
    rank: str
    rank_params: tuple
    source: str
    fence: str


# A language tag's primary subtag -> the PostgreSQL text search configuration that stems it.
LANGUAGE_CONFIGS = {
    "da": "danish",
    "de": "german",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "it": "italian",
    "nl": "dutch",
    "no": "norwegian",
    "nb": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "tr": "turkish",
}

DEFAULT_CONFIG = "simple"

ENTRY = "documents_searchentry"


def config_for(language: str) -> str:
    """The text search configuration for a language tag (``fr-CA`` -> french); ``simple`` if none stems it."""
    primary = (language or "").split("-")[0].strip().lower()
    return LANGUAGE_CONFIGS.get(primary, DEFAULT_CONFIG)
