"""Values every template needs."""

from django.conf import settings

from documents.models import is_curator


def site(request):
    return {
        "archive_name": settings.ARCHIVE_NAME,
        "signup_open": settings.SIGNUP_OPEN,
        "user_is_curator": is_curator(getattr(request, "user", None)),
    }
