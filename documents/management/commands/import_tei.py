"""``manage.py import_tei PATH... [--dry-run]``: see documents.importing.tei."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from documents.importing.document_files import ImportProblem
from documents.importing.tei import import_tei


class Command(BaseCommand):
    help = (
        "Import TEI P5 files (.xml, .tei): the header becomes the document's metadata, the text's p, head, "
        "quote and item its passages. What the archive cannot hold (tables, figures, notes, inline markup…) "
        "is reported by element name. All files are imported in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", type=Path, metavar="PATH", help="A TEI file, or a directory of them."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the files and report what would change; write nothing.",
        )

    def handle(self, *args, paths, dry_run, verbosity, **options):
        try:
            imported = import_tei(paths=paths, dry_run=dry_run)
        except ImportProblem as problem:
            raise CommandError(f"{problem} Nothing was imported.") from problem
        if verbosity >= 1:
            for line in imported.report.lines():
                self.stdout.write(line)
        for path, lines in imported.left_out.items():
            for line in lines:
                self.stdout.write(self.style.WARNING(f"{path}: {line}"))
        self.stdout.write(self.style.SUCCESS(imported.report.summary()))
