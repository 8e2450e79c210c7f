"""The search index split by group (README, "Search benchmark").

A search reads documents (their metadata and passages) and notes as two
groups, each up to a bounded number of candidates, so each group gets a
full-text structure of its own: with one for both, a note search stepped
over every matching passage first. SQLite gets two FTS5 tables, each reading
its text from a view of its group's entries (external content) and kept in
step by triggers; PostgreSQL one partial GIN index per group, and an index
on ``config`` that answers "which text search configurations are in use"
in a few probes.
"""

from importlib import import_module

from django.db import migrations

POSTGRESQL = [
    "DROP INDEX IF EXISTS documents_searchentry_vector",
    """CREATE INDEX documents_searchentry_vector_documents ON documents_searchentry
       USING gin (vector) WHERE kind IN ('document', 'passage')""",
    """CREATE INDEX documents_searchentry_vector_annotations ON documents_searchentry
       USING gin (vector) WHERE kind IN ('annotation')""",
    "CREATE INDEX documents_searchentry_config ON documents_searchentry (config)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS documents_searchentry_config",
    "DROP INDEX IF EXISTS documents_searchentry_vector_annotations",
    "DROP INDEX IF EXISTS documents_searchentry_vector_documents",
    "CREATE INDEX documents_searchentry_vector ON documents_searchentry USING gin (vector)",
]


GROUPS = {
    "documents_searchentry_fts": "kind IN ('document', 'passage')",
    "documents_searchentry_notes_fts": "kind = 'annotation'",
}


def _sqlite(table: str, condition: str) -> list[str]:
    view = f"{table}_content"
    return [
        f"""CREATE VIEW {view} AS
            SELECT id, title, body, extra FROM documents_searchentry WHERE {condition}""",
        f"""CREATE VIRTUAL TABLE {table} USING fts5(
            title, body, extra, content='{view}', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2')""",
        f"""CREATE TRIGGER {table}_ai AFTER INSERT ON documents_searchentry
            WHEN new.{condition} BEGIN
            INSERT INTO {table}(rowid, title, body, extra) VALUES (new.id, new.title, new.body, new.extra);
            END""",
        f"""CREATE TRIGGER {table}_ad AFTER DELETE ON documents_searchentry
            WHEN old.{condition} BEGIN
            INSERT INTO {table}({table}, rowid, title, body, extra)
            VALUES ('delete', old.id, old.title, old.body, old.extra);
            END""",
        f"""CREATE TRIGGER {table}_au AFTER UPDATE ON documents_searchentry BEGIN
            INSERT INTO {table}({table}, rowid, title, body, extra)
            SELECT 'delete', old.id, old.title, old.body, old.extra WHERE old.{condition};
            INSERT INTO {table}(rowid, title, body, extra)
            SELECT new.id, new.title, new.body, new.extra WHERE new.{condition};
            END""",
        f"INSERT INTO {table}({table}) VALUES ('rebuild')",
    ]


def _sqlite_drop(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_ai",
        f"DROP TRIGGER IF EXISTS {table}_ad",
        f"DROP TRIGGER IF EXISTS {table}_au",
        f"DROP TABLE IF EXISTS {table}",
        f"DROP VIEW IF EXISTS {table}_content",
    ]


# The triggers of migration 0006 mirrored every entry into one table.
SQLITE_0006 = [
    "DROP TRIGGER IF EXISTS documents_searchentry_ai",
    "DROP TRIGGER IF EXISTS documents_searchentry_ad",
    "DROP TRIGGER IF EXISTS documents_searchentry_au",
    "DROP TABLE IF EXISTS documents_searchentry_fts",
]
SQLITE = SQLITE_0006 + [sql for table, condition in GROUPS.items() for sql in _sqlite(table, condition)]
SQLITE_REVERSE = [sql for table in GROUPS for sql in _sqlite_drop(table)] + [
    *import_module("documents.migrations.0006_search_index").SQLITE,
    "INSERT INTO documents_searchentry_fts(documents_searchentry_fts) VALUES ('rebuild')",
]


def _run(statements):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0009_notifications"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
