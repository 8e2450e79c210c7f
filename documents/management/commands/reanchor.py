"""``manage.py reanchor [--document SLUG] [--dry-run]``: find every annotation again; see
documents.annotations.text_changes.reanchor_document and docs/curators.md, "Revisions"."""

from django.core.management.base import BaseCommand, CommandError

from documents.annotations import text_changes
from documents.archive.models import Document


class Command(BaseCommand):
    help = (
        "Re-anchor the annotations of every document (or one) on its current text, and report per "
        "document how many are unchanged, moved, changed and orphaned."
    )

    def add_arguments(self, parser):
        parser.add_argument("--document", metavar="SLUG", help="Only the document with this slug.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")

    def handle(self, *args, document, dry_run, **options):
        documents = Document.objects.order_by("slug")
        if document is not None:
            documents = documents.filter(slug=document)
            if not documents.exists():
                raise CommandError(f"There is no document with the slug “{document}”.")
        total = text_changes.ReanchorReport()
        for each in documents.iterator():
            report = text_changes.reanchor_document(each, everything=True, dry_run=dry_run)
            total += report
            self.stdout.write(f"{each.slug}: {report.summary()}")
        prefix = "Dry run, nothing written. Would leave" if dry_run else "Re-anchored"
        self.stdout.write(self.style.SUCCESS(f"{prefix} {total.summary()}."))
