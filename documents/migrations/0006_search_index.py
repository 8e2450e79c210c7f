"""The search index (README, "Search"): its table, and each database's full-text structure.

SQLite gets an FTS5 table reading its text from ``documents_searchentry``
(external content), kept in step by triggers inside every write's transaction.
PostgreSQL gets a GIN index on ``vector``. After migrating an archive that
already has documents, ``manage.py rebuild_search_index`` fills the index.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

SQLITE = [
    """CREATE VIRTUAL TABLE documents_searchentry_fts USING fts5(
        title, body, extra, content='documents_searchentry', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER documents_searchentry_ai AFTER INSERT ON documents_searchentry BEGIN
        INSERT INTO documents_searchentry_fts(rowid, title, body, extra)
        VALUES (new.id, new.title, new.body, new.extra); END""",
    """CREATE TRIGGER documents_searchentry_ad AFTER DELETE ON documents_searchentry BEGIN
        INSERT INTO documents_searchentry_fts(documents_searchentry_fts, rowid, title, body, extra)
        VALUES ('delete', old.id, old.title, old.body, old.extra); END""",
    """CREATE TRIGGER documents_searchentry_au AFTER UPDATE ON documents_searchentry BEGIN
        INSERT INTO documents_searchentry_fts(documents_searchentry_fts, rowid, title, body, extra)
        VALUES ('delete', old.id, old.title, old.body, old.extra);
        INSERT INTO documents_searchentry_fts(rowid, title, body, extra)
        VALUES (new.id, new.title, new.body, new.extra); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS documents_searchentry_ai",
    "DROP TRIGGER IF EXISTS documents_searchentry_ad",
    "DROP TRIGGER IF EXISTS documents_searchentry_au",
    "DROP TABLE IF EXISTS documents_searchentry_fts",
]
POSTGRESQL = ["CREATE INDEX documents_searchentry_vector ON documents_searchentry USING gin (vector)"]
POSTGRESQL_REVERSE = ["DROP INDEX IF EXISTS documents_searchentry_vector"]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for statement in statements.get(vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0005_flags"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("document", "Document"),
                            ("passage", "Passage"),
                            ("annotation", "Annotation"),
                        ],
                        max_length=10,
                    ),
                ),
                ("passage", models.PositiveIntegerField(null=True)),
                ("config", models.CharField(default="simple", max_length=20)),
                ("title", models.TextField(blank=True)),
                ("body", models.TextField(blank=True)),
                ("extra", models.TextField(blank=True)),
                ("vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                (
                    "annotation",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="documents.annotation",
                    ),
                ),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="documents.document"
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["document", "kind"], name="documents_s_documen_c53ba5_idx")],
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
