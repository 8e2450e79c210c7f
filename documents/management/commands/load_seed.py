"""``manage.py load_seed``: create the fixtures' objects that are missing; see documents.importing.seed."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from documents.importing.seed import SeedProblem, load_seed


class Command(BaseCommand):
    help = (
        "Load every *.json fixture in FIXTURE_DIRS without overwriting: objects that already exist "
        "(matched by slug or tag name) are left as curators made them. Safe to run again."
    )

    def handle(self, *args, **options):
        try:
            report = load_seed(directories=settings.FIXTURE_DIRS)
        except SeedProblem as problem:
            raise CommandError(f"{problem} Nothing was loaded.") from problem
        self.stdout.write(self.style.SUCCESS(report.summary()))
