"""``manage.py requeue_mail [--older-than MINUTES] [--failed]``:
see documents.accounts.notifications.requeue_mail."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from documents.accounts.notifications import requeue_mail


class Command(BaseCommand):
    help = (
        "Queue again the notification e-mail still waiting MINUTES after its notification was made "
        "(its delivery was lost), and with --failed the e-mail given up after EMAIL_ATTEMPTS tries. "
        "Each is still sent once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=60,
            metavar="MINUTES",
            help="Only mail queued at least this long ago (default 60, longer than the default retries).",
        )
        parser.add_argument("--failed", action="store_true", help="Also mail that was given up.")

    def handle(self, *args, older_than, failed, **options):
        count = requeue_mail(older_than=timedelta(minutes=older_than), failed=failed)
        self.stdout.write(f"{count} notification e-mail queued again.")
