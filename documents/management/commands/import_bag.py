"""``manage.py import_bag DIR``: see documents.preservation.restore."""

import logging
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from documents.preservation.layout import BagProblem
from documents.preservation.restore import import_bag


class Command(BaseCommand):
    help = (
        "Validate the BagIt bag in DIR (written by export_bag) and restore it into this empty database, "
        "in one transaction: a damaged file or a bad record and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, metavar="DIR", help="The bag's directory.")

    def handle(self, *args, directory, verbosity, **options):
        # bagit-python logs every file it moves and checks; that is for -v 2.
        logging.getLogger("bagit").setLevel(logging.INFO if verbosity >= 2 else logging.WARNING)
        try:
            restored = import_bag(directory=directory)
        except BagProblem as problem:
            raise CommandError(f"{problem} Nothing was imported.") from problem
        self.stdout.write(self.style.SUCCESS(restored.summary()))
