"""``manage.py seed_demo``: a deterministic demo archive of any size; see documents.importing.demo."""

from django.core.management.base import BaseCommand, CommandError

from documents.importing import demo as demo_data


class Command(BaseCommand):
    help = (
        "Add demo documents, users and annotations with realistic text. The same --seed gives the same "
        "archive. Refuses when demo documents already exist (remove them with --replace)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=int, default=100)
        parser.add_argument("--annotations", type=int, default=1000)
        parser.add_argument("--users", type=int, default=10)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--replace", action="store_true", help="Delete earlier demo data first.")

    def handle(self, *args, documents, annotations, users, seed, replace, **options):
        if min(documents, annotations, users) < 0 or (annotations and not (documents and users)):
            raise CommandError(
                "Give zero or more of each; annotations need at least one document and one user."
            )
        try:
            report = demo_data.seed(
                documents=documents, annotations=annotations, users=users, seed=seed, replace=replace
            )
        except demo_data.DemoDataExists as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(report))
