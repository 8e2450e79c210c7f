"""``manage.py import_tei PATH... [--dry-run]``: see documents.importing.tei."""

from documents.importing.tei import import_tei
from documents.management.commands._file_import import FileImportCommand


class Command(FileImportCommand):
    help = (
        "Import TEI P5 files (.xml, .tei): the header becomes the document's metadata, the text's p, head, "
        "quote and item its passages. What the archive cannot hold (tables, figures, notes, inline markup…) "
        "is reported by element name. All files are imported in one transaction."
    )
    path_help = "A TEI file, or a directory of them."

    def run(self, *, paths, dry_run):
        self.left_out = {}
        imported = import_tei(paths=paths, dry_run=dry_run)
        self.left_out = imported.left_out
        return imported.report

    def warn_about(self, report) -> None:
        for path, lines in self.left_out.items():
            for line in lines:
                self.stdout.write(self.style.WARNING(f"{path}: {line}"))
