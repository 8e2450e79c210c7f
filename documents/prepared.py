"""QuerySets compiled once and run again with new values (docs/performance.md, "Reading at scale").

Django builds and compiles a QuerySet to SQL on every call. For the short
lookups every cached page makes before anything else (the document behind a
reading view, whether a reader may see one annotation), building and compiling
cost more than the database's answer: about half of a cached page's time on
PostgreSQL. A ``Prepared`` asks its function for the QuerySet once per database
and shape, built with stand-in values, keeps the SQL, and afterwards runs that
SQL with the real values in the stand-ins' places, through the same compiler's
converters. The QuerySet stays the only statement of what is asked (such as
``visible_to``), so no rule is written twice as SQL.

Stand-ins are values no query holds as a constant (a random UUID, a random
64-bit integer, a random string); each must appear among the compiled
parameters, or compiling refuses. A value reaches the database as its stand-in
did: as it is, or, for a UUID that the database keeps as text (SQLite), as hex.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Hashable
from typing import Any

import psycopg
from django.conf import settings
from django.db import connections
from django.db.models import QuerySet

UUID = "uuid"
INTEGER = "integer"
TEXT = "text"
KINDS = (UUID, INTEGER, TEXT)


def _stand_in(kind: str):
    if kind == UUID:
        return uuid.uuid4()
    if kind == INTEGER:
        return secrets.randbelow(2**62) + 2**62
    return "stand-in-" + secrets.token_hex(16)


def _passing(parameter, stand_in) -> Callable[[Any], Any] | None:
    """How a real value takes ``stand_in``'s place when ``parameter`` is where it went, or None."""
    if type(parameter) is type(stand_in) and parameter == stand_in:
        return lambda value: value
    if isinstance(stand_in, uuid.UUID) and parameter == stand_in.hex:
        return lambda value: value.hex
    return None


class _ServerPreparedCursor(psycopg.Cursor):
    """psycopg's server-side binding cursor, asking PostgreSQL to prepare every statement it runs."""

    def execute(self, query, params=None, **kwargs):
        return super().execute(query, params, prepare=True, **kwargs)


def _cursor(connection):
    """Django's cursor, on PostgreSQL over one whose statements the server prepares.

    PostgreSQL then plans a prepared query once per connection, not on every
    request: planning was most of the document lookup's time (0.23 ms a run,
    0.04 ms prepared). Django's own cursors bind on the client and prepare
    nothing, which suits connection poolers in transaction mode; those before
    PgBouncer 1.21 lose prepared statements, so ``DATABASE_PREPARED_STATEMENTS``
    switches this off. The wrapper is Django's: its health check, its thread
    check, its error translation and its query log all apply.
    """
    if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    cursor = _ServerPreparedCursor(connection.connection)
    return (
        connection.make_debug_cursor(cursor) if connection.queries_logged else connection.make_cursor(cursor)
    )


class _Compiled:
    """One shape's SQL on one database, its compiler (for the converters), and where each value goes."""

    def __init__(self, queryset: QuerySet, stand_ins: tuple, using: str):
        compiler = queryset.query.get_compiler(using=using)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        # Converters turn what the driver gives into Python values (SQLite's text dates, say). The
        # compiler's connection belongs to the thread that compiled it; each run uses its own.
        self.converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
        self.slots: list[tuple[int, int, Callable]] = []
        for number, stand_in in enumerate(stand_ins):
            found = [
                (position, number, passing)
                for position, parameter in enumerate(self.params)
                if (passing := _passing(parameter, stand_in)) is not None
            ]
            if not found:
                raise ValueError(f"value {number} of the prepared query does not reach its SQL")
            self.slots.extend(found)

    def rows(self, values: tuple, using: str) -> list[tuple]:
        params = list(self.params)
        for position, number, passing in self.slots:
            params[position] = passing(values[number])
        connection = connections[using]
        with _cursor(connection) as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchall()
        return [self.converted(row, connection) for row in fetched] if self.converters else fetched

    def converted(self, row: tuple, connection) -> tuple:
        row = list(row)
        for position, (functions, expression) in self.converters.items():
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        return tuple(row)


class Prepared:
    """``build(shape, *values)`` compiled once per database and ``shape``, then run with new values.

    ``kinds`` names each value's kind (``UUID``, ``INTEGER`` or ``TEXT``). ``shape`` is
    whatever, besides the values, changes the QuerySet's structure (say, whether the
    reader is a curator); ``build`` must give the same SQL for the same shape, and
    must be a ``values_list`` QuerySet (rows of plain values).
    """

    def __init__(self, build: Callable[..., QuerySet], *kinds: str):
        if not set(kinds) <= set(KINDS):
            raise ValueError(f"kinds are {KINDS}, not {kinds}")
        self.build = build
        self.kinds = kinds
        self.compiled: dict[tuple[str, Hashable], _Compiled] = {}

    def rows(self, shape: Hashable, *values, using: str = "default") -> list[tuple]:
        if len(values) != len(self.kinds):
            raise TypeError(f"the prepared query takes {len(self.kinds)} values, not {len(values)}")
        compiled = self.compiled.get((using, shape))
        if compiled is None:
            stand_ins = tuple(_stand_in(kind) for kind in self.kinds)
            compiled = _Compiled(self.build(shape, *stand_ins), stand_ins, using)
            self.compiled[(using, shape)] = compiled
        return compiled.rows(values, using)

    def first(self, shape: Hashable, *values, using: str = "default") -> tuple | None:
        """The first row, or None; ``build`` limits its QuerySet where more could match."""
        found = self.rows(shape, *values, using=using)
        return found[0] if found else None
