"""``manage.py rebuild_search_index``: rebuild the full-text index (docs/search.md, "How search works")."""

from django.core.management.base import BaseCommand

from documents.search import index as search_index


class Command(BaseCommand):
    help = (
        "Rebuild the search index from every document and annotation, on SQLite or PostgreSQL. "
        "Searches see the old index until the rebuild commits."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only when the index is empty but documents exist (the first run after upgrading).",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and not search_index.is_empty():
            return
        documents, annotations = search_index.rebuild()
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {documents:,} documents and {annotations:,} annotations.")
        )
