"""The PostgreSQL back end: a stored ``tsvector`` per entry built with the text search configuration
of its document's language, one partial GIN index per group, matched with
``to_tsquery``, ranked by ``ts_rank``, snippets by ``ts_headline``."""

from __future__ import annotations

import time

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet

from documents.annotations.models import Annotation, TaggedAnnotation
from documents.archive.models import Document, TaggedDocument
from documents.search.backends.base import DEFAULT_CONFIG, ENTRY, LANGUAGE_CONFIGS, Match, fetch
from documents.search.models import SearchEntry
from documents.search.syntax import HIGHLIGHT_END, HIGHLIGHT_START, Query


class PostgreSQL:
    """Full-text search on the stored ``vector``; ``-ts_rank`` so that lower is better, as on SQLite."""

    HEADLINE = (
        f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, MaxWords=30, MinWords=12, "
        'ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "'
    )

    WHOLE = f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, HighlightAll=true"

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
        if PostgreSQL._in_use is None or now - PostgreSQL._in_use[1] > self.CONFIGS_AGE:
            PostgreSQL._in_use = (self._read_configs(), now)
        return PostgreSQL._in_use[0]

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
        text = query.tsquery()
        configs = self._configs()
        bounds = [*zip([None, *configs], [*configs, None], strict=True)]
        others = " OR ".join(
            " AND ".join([*(["e.config > %s"] if low else []), *(["e.config < %s"] if high else [])])
            for low, high in bounds
        )
        own = "to_tsquery(e.config::regconfig, %s)"
        sql = " OR ".join(
            [
                *("(e.config = %s AND e.vector @@ to_tsquery(%s::regconfig, %s))" for _ in configs),
                f"(({others}) AND e.vector @@ {own})",
            ]
        )
        per_config = tuple(value for config in configs for value in (config, config, text))
        orm = Q()
        for config in configs:
            orm |= Q(config=config, vector=SearchQuery(text, config=config, search_type="raw"))
        other = Q()
        for low, high in bounds:
            other |= Q(**({"config__gt": low} if low else {}), **({"config__lt": high} if high else {}))
        orm |= other & Q(vector=SearchQuery(text, config=F("config"), search_type="raw"))
        # The query is parsed once per configuration in use, not once per row: constants the
        # planner folds.
        cases = " ".join("WHEN %s THEN to_tsquery(%s::regconfig, %s)" for _ in configs)
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

    def snippets(self, query: Query, documents: list[int], notes: list[int]) -> dict[int, tuple[str, str]]:
        """Headlines of the given entries keyed by entry id, both groups' in one query: all of a
        document entry's text, a note's comment; and a note's ``extra`` whole, marked (its quote
        first: ``syntax.quote_parts``)."""
        entries = [*documents, *notes]
        if not entries:
            return {}
        rows = fetch(
            f"""SELECT e.id, ts_headline(e.config::regconfig,
                                         CASE WHEN e.kind = 'annotation' THEN e.body ELSE {self.ALL_TEXT} END,
                                         to_tsquery(e.config::regconfig, %s), %s),
                       CASE WHEN e.kind = 'annotation'
                            THEN ts_headline(e.config::regconfig, e.extra,
                                             to_tsquery(e.config::regconfig, %s), %s)
                            ELSE '' END
                FROM {ENTRY} e WHERE e.id IN ({", ".join(["%s"] * len(entries))})""",
            [query.tsquery(), self.HEADLINE, query.tsquery(), self.WHOLE, *entries],
        )
        return {entry: (snippet, marked) for entry, snippet, marked in rows}
