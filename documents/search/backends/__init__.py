"""The two full-text back ends, SQLite's FTS5 (``sqlite``) and PostgreSQL's text search
(``postgresql``), behind one interface (docs/search.md, "How search works"): how a parsed query
becomes each database's match expression, and the SQL that writes and reads the index. What both
share, the ``Match`` they answer, ``fetch`` and the language configurations, is in ``base``.

``current_backend()`` picks the one the default database needs."""

from __future__ import annotations

from django.db import connection

from documents.search.backends.postgresql import PostgreSQL
from documents.search.backends.sqlite import SQLite


def current_backend() -> SQLite | PostgreSQL:
    return PostgreSQL() if connection.vendor == "postgresql" else SQLite()
