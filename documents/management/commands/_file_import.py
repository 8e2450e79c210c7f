"""What the file-importing commands share: paths, ``--dry-run``, one report, nothing written on a problem."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from documents.importing.document_files import ImportProblem


class FileImportCommand(BaseCommand):
    """A command that imports files or directories in one transaction; subclasses name ``run``."""

    path_help = "A file, or a directory of files, to import."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help=self.path_help)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the files and report what would change; write nothing.",
        )

    def run(self, *, paths, dry_run):
        """Import and return the report (with ``lines()`` and ``summary()``); raise ImportProblem."""
        raise NotImplementedError

    def handle(self, *args, paths, dry_run, verbosity, **options):
        try:
            report = self.run(paths=paths, dry_run=dry_run)
        except ImportProblem as problem:
            raise CommandError(f"{problem} Nothing was imported.") from problem
        if verbosity >= 1:
            for line in report.lines():
                self.stdout.write(line)
        self.warn_about(report)
        self.stdout.write(self.style.SUCCESS(report.summary()))

    def warn_about(self, report) -> None:
        """Write what the import left out; nothing by default."""
