"""Values every template needs."""

from django.conf import settings

from documents.accounts.models import unread_notification_count
from documents.archive.models import is_curator


def site(request):
    """The site's name and switches, and about the reader: curator or not, unread notifications.

    ``unread_notifications`` is a callable, so the count's one query runs only
    on pages whose template shows it (the header, for logged-in readers).
    """
    user = getattr(request, "user", None)
    return {
        "archive_name": settings.ARCHIVE_NAME,
        "signup_open": settings.SIGNUP_OPEN,
        "user_is_curator": is_curator(user),
        "unread_notifications": lambda: unread_notification_count(user),
    }
