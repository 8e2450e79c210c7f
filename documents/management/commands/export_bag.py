"""``manage.py export_bag DIR``: see documents.preservation.export."""

import logging
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from documents.preservation.export import export_bag
from documents.preservation.layout import BagProblem


class Command(BaseCommand):
    help = (
        "Write the whole archive (documents with every revision, collections, tags, accounts without "
        "passwords, groups, every annotation as W3C JSON-LD, private ones too) as a BagIt bag in DIR, "
        "a new or empty directory. The bag is as sensitive as the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, metavar="DIR", help="A new or empty directory.")
        parser.add_argument(
            "--base-url",
            default=None,
            help="The address every IRI in the bag begins with (default: SITE_URL).",
        )

    def handle(self, *args, directory, base_url, verbosity, **options):
        # bagit-python logs every file it moves and checks; that is for -v 2.
        logging.getLogger("bagit").setLevel(logging.INFO if verbosity >= 2 else logging.WARNING)
        try:
            exported = export_bag(directory=directory, base_url=base_url)
        except BagProblem as problem:
            raise CommandError(str(problem)) from problem
        self.stdout.write(self.style.SUCCESS(exported.summary()))
