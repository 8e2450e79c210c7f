"""My notifications: the list, marking them read, and the choice of e-mail (docs/reading-and-annotating.md,
"Notifications").

Every view reads through ``Notification.objects.for_reader``, so a notification
about a note the reader may no longer see is gone from the list, the count and
the link alike (404), as the note itself is.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from documents import paging
from documents.accounts.forms import NotificationSettingsForm
from documents.accounts.models import Notification, NotificationSettings
from documents.accounts.notifications import CURATORS_DOING, describe

PAGE_SIZE = 20


def _settings_of(user) -> NotificationSettings:
    """The reader's settings, unsaved defaults (no e-mail) when they never chose."""
    return NotificationSettings.objects.filter(user=user).first() or NotificationSettings(user=user)


@login_required
@require_safe
def notification_list(request):
    """The reader's notifications, newest first, unread ones marked; a fixed number of queries a page."""
    notifications = (
        Notification.objects.for_reader(request.user)
        .select_related("actor", "annotation__document")
        .defer("annotation__document__text")
        .order_by("-created", "-pk")
    )
    page = Paginator(notifications, PAGE_SIZE).get_page(paging.whole_number(request.GET.get("page")))
    for notification in page:
        actor = notification.actor
        notification.headline = describe(notification, actor_name=actor.get_username() if actor else "")
        notification.about_own_note = notification.kind in CURATORS_DOING
    return render(
        request,
        "documents/notifications.html",
        {"page": page, "settings_form": NotificationSettingsForm(instance=_settings_of(request.user))},
    )


@login_required
@require_safe
def notification_open(request, pk):
    """Follow a notification: it is marked read and the reader goes to the note."""
    notification = get_object_or_404(Notification.objects.for_reader(request.user), pk=pk)
    Notification.objects.filter(pk=notification.pk).mark_read()
    return redirect("annotation-detail", pk=notification.annotation_id)


@login_required
@require_POST
def notifications_read(request):
    """Mark all my notifications read: those I am shown; one about a note I may not see now stays unread."""
    count = Notification.objects.for_reader(request.user).mark_read()
    if count:
        messages.success(request, "All your notifications are marked as read.")
    return redirect("notification-list")


@login_required
@require_POST
def notification_settings(request):
    """Save the reader's choice of e-mail."""
    form = NotificationSettingsForm(request.POST, instance=_settings_of(request.user))
    if form.is_valid():
        form.save()
        if form.cleaned_data["email"]:
            where = request.user.email
            messages.success(
                request,
                f"Your notifications will also be e-mailed to {where}."
                if where
                else "Your account has no e-mail address, so nothing can be e-mailed yet.",
            )
        else:
            messages.success(request, "Your notifications will no longer be e-mailed.")
    return redirect("notification-list")
