"""``manage.py import_documents PATH... [--dry-run]``: see documents.importing.documents."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from documents.importing.document_files import ImportProblem
from documents.importing.documents import import_documents


class Command(BaseCommand):
    help = (
        "Import documents from Markdown or plain-text files (.md, .markdown, .txt) that start with a "
        "YAML front-matter block (“key: value” lines) between two “---” lines, and from CSV files (.csv) "
        "with a header row. All files are imported in one transaction: one bad file and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", type=Path, metavar="PATH", help="A file, or a directory of files, to import."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the files and report what would change; write nothing.",
        )

    def handle(self, *args, paths, dry_run, verbosity, **options):
        try:
            report = import_documents(paths=paths, dry_run=dry_run)
        except ImportProblem as problem:
            raise CommandError(f"{problem} Nothing was imported.") from problem
        if verbosity >= 1:
            for line in report.lines():
                self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(report.summary()))
