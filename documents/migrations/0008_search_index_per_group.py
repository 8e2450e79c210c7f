"""The search index split by group (README, "Search benchmark").

A search reads documents (their metadata and passages) and notes as two
groups, each up to a bounded number of candidates. On PostgreSQL one GIN
index per group lets each read touch only its own entries (with a single
index a note search skipped every matching passage first); an index on
``config`` answers "which text search configurations are in use" in a few
probes. SQLite needs nothing here.
"""

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


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0007_document_annotations_version"),
    ]

    operations = [migrations.RunPython(_run(POSTGRESQL), _run(POSTGRESQL_REVERSE))]
