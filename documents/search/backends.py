"""The two full-text back ends, SQLite's FTS5 and PostgreSQL's text search, behind one interface
(docs/search.md, "How search works"): the language configurations, how a parsed query becomes each
database's match expression, and the SQL that writes and reads the index.

``current_backend()`` picks the one the default database needs."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL

from documents.annotations.models import Annotation, TaggedAnnotation
from documents.archive.models import Document, TaggedDocument
from documents.search.models import SearchEntry
from documents.search.syntax import HIGHLIGHT_END, HIGHLIGHT_START, Query


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


class _SQLite:
    """FTS5, one table per group (migration 0008); ``bm25`` is lower for better hits."""

    WEIGHTS = "10.0, 1.0, 3.0"
    TABLES = {False: "documents_searchentry_fts", True: "documents_searchentry_notes_fts"}

    def vectorise(self, entries: QuerySet[SearchEntry]) -> None:
        """Nothing to do: the triggers of migration 0008 mirror each row into FTS5 as it is written."""

    def reset(self) -> None:
        with connection.cursor() as cursor:
            for table in self.TABLES.values():
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")

    def settle(self) -> None:
        """Each FTS5 table merged into one segment after a bulk load. The triggers leave a score
        of segments behind, and a match looks its words up in each: for a phrase of common words,
        or the snippets' lookups by entry, that is most of a search (docs/performance.md, "Search benchmark").
        Later writes add small segments, which FTS5 merges as they pile up."""
        with connection.cursor() as cursor:
            for table in self.TABLES.values():
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")

    def match(self, query: Query, *, notes: bool) -> Match:
        expression = query.fts5()
        table = self.TABLES[notes]
        return Match(
            sql=f"{table} MATCH %s",
            params=(expression,),
            orm=Q(id__in=RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", (expression,))),
            rank=f"bm25({table}, {self.WEIGHTS})",
            rank_params=(),
            source=f"FROM {table} JOIN {ENTRY} e ON e.id = {table}.rowid",
            fence="",
        )

    def rows_of(self, table: str, column: str, keys: list, db_type: str) -> tuple[str, list]:
        """A FROM item ``r``: the rows of ``table`` whose ``column`` is one of ``keys`` (one
        parameter, a JSON array), found by the index on ``column``."""
        sql = f"(SELECT * FROM {table} WHERE {column} IN (SELECT value FROM json_each(%s))) AS r"
        return sql, [json.dumps(keys)]

    def snippets(self, query: Query, documents: list[int], notes: list[int]) -> dict[int, str]:
        """Snippets of the given entries keyed by entry id, both groups' in one query: a
        document entry's best column, a note's comment."""
        selects, params = [], []
        for table, entries, column, tokens in (
            (self.TABLES[False], documents, -1, 24),
            (self.TABLES[True], notes, 1, 32),
        ):
            if entries:
                selects.append(
                    f"""SELECT rowid, snippet({table}, %s, %s, %s, '…', %s) FROM {table}
                        WHERE {table} MATCH %s AND rowid IN ({", ".join(["%s"] * len(entries))})"""
                )
                params += [column, HIGHLIGHT_START, HIGHLIGHT_END, tokens, query.fts5(), *entries]
        return dict(fetch(" UNION ALL ".join(selects), params)) if selects else {}


class _PostgreSQL:
    """Full-text search on the stored ``vector``; ``-ts_rank`` so that lower is better, as on SQLite."""

    HEADLINE = (
        f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, MaxWords=30, MinWords=12, "
        'ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "'
    )

    ALL_TEXT = "concat_ws(' · ', NULLIF(e.title, ''), NULLIF(e.body, ''), NULLIF(e.extra, ''))"

    def vectorise(self, entries: QuerySet[SearchEntry]) -> None:
        config = F("config")
        entries.update(
            vector=SearchVector("title", weight="A", config=config)
            + SearchVector("body", weight="B", config=config)
            + SearchVector("extra", weight="C", config=config)
        )

    def reset(self) -> None:
        """Nothing to do: the GIN index follows the table."""

    def settle(self) -> None:
        """Fresh statistics after a bulk load: with stale ones the planner may probe the GIN
        index once per visible row instead of once per query (minutes, not milliseconds)."""
        with connection.cursor() as cursor:
            for model in (SearchEntry, Document, Annotation, TaggedDocument, TaggedAnnotation):
                cursor.execute(f"ANALYZE {model._meta.db_table}")

    # The configurations in use as this process last read them, and when (``time.monotonic``).
    _in_use: tuple[list[str], float] | None = None
    CONFIGS_AGE = 60.0

    def _configs(self) -> list[str]:
        """The configurations the index uses, as read at most ``CONFIGS_AGE`` seconds ago.

        A hint for speed, never for correctness: ``match`` finds entries of any
        other configuration too, only without their own branch of the GIN
        index, so a language first indexed since by another process is found at
        once and fast again after the next reading.
        """
        now = time.monotonic()
        if _PostgreSQL._in_use is None or now - _PostgreSQL._in_use[1] > self.CONFIGS_AGE:
            _PostgreSQL._in_use = (self._read_configs(), now)
        return _PostgreSQL._in_use[0]

    def _read_configs(self) -> list[str]:
        """One probe of the ``config`` index (migration 0008) per configuration there is."""
        known = sorted({*LANGUAGE_CONFIGS.values(), DEFAULT_CONFIG})
        values = ", ".join(["(%s)"] * len(known))
        rows = fetch(
            f"""SELECT v.config FROM (VALUES {values}) AS v(config)
                WHERE EXISTS (SELECT 1 FROM {ENTRY} e WHERE e.config = v.config)""",
            known,
        )
        return sorted(row[0] for row in rows) or [DEFAULT_CONFIG]

    def match(self, query: Query, *, notes: bool) -> Match:
        """The same condition for both groups: ``kind`` in each query picks the group's GIN index.

        One branch per configuration in use (``_configs``) matches its entries
        by the GIN index; a last one matches entries of any other configuration
        (ranges of the ``config`` index, empty unless a language came since),
        parsing the query with each entry's own configuration.
        """
        text = query.websearch()
        configs = self._configs()
        bounds = [*zip([None, *configs], [*configs, None], strict=True)]
        others = " OR ".join(
            " AND ".join([*(["e.config > %s"] if low else []), *(["e.config < %s"] if high else [])])
            for low, high in bounds
        )
        own = "websearch_to_tsquery(e.config::regconfig, %s)"
        sql = " OR ".join(
            [
                *("(e.config = %s AND e.vector @@ websearch_to_tsquery(%s::regconfig, %s))" for _ in configs),
                f"(({others}) AND e.vector @@ {own})",
            ]
        )
        per_config = tuple(value for config in configs for value in (config, config, text))
        orm = Q()
        for config in configs:
            orm |= Q(config=config, vector=SearchQuery(text, config=config, search_type="websearch"))
        other = Q()
        for low, high in bounds:
            other |= Q(**({"config__gt": low} if low else {}), **({"config__lt": high} if high else {}))
        orm |= other & Q(vector=SearchQuery(text, config=F("config"), search_type="websearch"))
        # The query is parsed once per configuration in use, not once per row: constants the
        # planner folds.
        cases = " ".join("WHEN %s THEN websearch_to_tsquery(%s::regconfig, %s)" for _ in configs)
        return Match(
            sql=f"({sql})",
            params=(*per_config, *(bound for pair in bounds for bound in pair if bound), text),
            orm=orm,
            rank=f"-ts_rank(e.vector, CASE e.config {cases} ELSE {own} END)",
            rank_params=(*per_config, text),
            source=f"FROM {ENTRY} e",
            # OFFSET 0 keeps a subquery as written. Around the match, PostgreSQL finds it by the
            # GIN index instead of walking every visible note in key order testing its words
            # (which a LIMIT makes look cheap); in the permission check, it probes by key per
            # candidate instead of hashing every visible note when it expects few matches.
            fence="OFFSET 0",
        )

    def rows_of(self, table: str, column: str, keys: list, db_type: str) -> tuple[str, list]:
        """A FROM item ``r``: the rows of ``table`` whose ``column`` is one of ``keys`` (one
        parameter, an array literal, which primary keys, integers or UUIDs, make safely; psycopg
        adapting a list of hundreds of keys one by one costs more than the query), probed key by
        key in the index on ``column``: with a thousand keys the planner would rather read the
        whole table."""
        sql = (
            f"unnest(%s::{db_type}[]) AS wanted(key) CROSS JOIN LATERAL "
            f"(SELECT * FROM {table} WHERE {column} = wanted.key OFFSET 0) AS r"
        )
        return sql, ["{" + ",".join(str(key) for key in keys) + "}"]

    def snippets(self, query: Query, documents: list[int], notes: list[int]) -> dict[int, str]:
        """Headlines of the given entries keyed by entry id, both groups' in one query: all of a
        document entry's text, a note's comment."""
        entries = [*documents, *notes]
        if not entries:
            return {}
        rows = fetch(
            f"""SELECT e.id, ts_headline(e.config::regconfig,
                                         CASE WHEN e.kind = 'annotation' THEN e.body ELSE {self.ALL_TEXT} END,
                                         websearch_to_tsquery(e.config::regconfig, %s), %s)
                FROM {ENTRY} e WHERE e.id IN ({", ".join(["%s"] * len(entries))})""",
            [query.websearch(), self.HEADLINE, *entries],
        )
        return dict(rows)


def current_backend():
    return _PostgreSQL() if connection.vendor == "postgresql" else _SQLite()


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
