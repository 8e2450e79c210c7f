"""``manage.py import_documents PATH... [--dry-run]``: see documents.importing.documents."""

from documents.importing.documents import import_documents
from documents.management.commands._file_import import FileImportCommand


class Command(FileImportCommand):
    help = (
        "Import documents from Markdown or plain-text files (.md, .markdown, .txt) that start with a "
        "YAML front-matter block (“key: value” lines) between two “---” lines, and from CSV files (.csv) "
        "with a header row. All files are imported in one transaction: one bad file and nothing is written."
    )

    def run(self, *, paths, dry_run):
        return import_documents(paths=paths, dry_run=dry_run)
