"""The SQLite back end: two FTS5 tables, documents with their passages and notes (``porter``
stemming, accents folded), mirrored from ``SearchEntry`` by triggers, ranked by ``bm25``, snippets
by ``snippet()``."""

from __future__ import annotations

import json

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from documents.search.backends.base import ENTRY, Match, fetch
from documents.search.models import SearchEntry
from documents.search.syntax import HIGHLIGHT_END, HIGHLIGHT_START, Query


class SQLite:
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

    def snippets(self, query: Query, documents: list[int], notes: list[int]) -> dict[int, tuple[str, str]]:
        """Snippets of the given entries keyed by entry id, both groups' in one query: a
        document entry's best column, a note's comment; and a note's ``extra`` whole, marked
        (its quote first: ``syntax.quote_parts``)."""
        selects, params = [], []
        for table, entries, column, tokens, marked in (
            (self.TABLES[False], documents, -1, 24, "''"),
            (self.TABLES[True], notes, 1, 32, f"highlight({self.TABLES[True]}, 2, %s, %s)"),
        ):
            if entries:
                selects.append(
                    f"""SELECT rowid, snippet({table}, %s, %s, %s, '…', %s), {marked} FROM {table}
                        WHERE {table} MATCH %s AND rowid IN ({", ".join(["%s"] * len(entries))})"""
                )
                params += [column, HIGHLIGHT_START, HIGHLIGHT_END, tokens]
                params += [HIGHLIGHT_START, HIGHLIGHT_END] if table == self.TABLES[True] else []
                params += [query.fts5(), *entries]
        rows = fetch(" UNION ALL ".join(selects), params) if selects else []
        return {entry: (snippet, marked) for entry, snippet, marked in rows}
