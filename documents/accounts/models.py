"""API tokens, notifications and each reader's notification settings."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from documents.annotations.models import Annotation
from documents.archive.per_request import remembered


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 digest of the key is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="The key's first characters, to tell tokens apart.")
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class NotificationQuerySet(models.QuerySet):
    def for_reader(self, user):
        """``user``'s notifications about notes they may see now (docs/reading-and-annotating.md,
        "Notifications").

        A notification names its note, so it is shown only while
        ``Annotation.objects.visible_to(user)`` still lets them see it: one made
        private or hidden afterwards drops out of the list and the count, in the
        same query (a subquery), never by a check per row.
        """
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user, annotation__in=Annotation.objects.visible_to(user).values("pk"))

    def unread(self):
        return self.filter(read_at__isnull=True)

    def mark_read(self):
        """Mark these read now; those already read keep the time they were first read."""
        return self.unread().update(read_at=timezone.now())


class Notification(models.Model):
    """Something that happened to or around a reader's notes, for them to read
    (docs/reading-and-annotating.md, "Notifications").

    Written only by ``documents.accounts.notifications``, from the services, inside the
    transactions of the writes they report; a deleted note takes its
    notifications with it.
    """

    class Kind(models.TextChoices):
        REPLY = "reply", "replied to your note"
        MENTION = "mention", "mentioned you"
        CHANGED = "changed", "changed the words your note quotes"
        ORPHANED = "orphaned", "removed the words your note quotes"
        HIDDEN = "hidden", "hid your note"
        RESTORED = "restored", "restored your note"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="notifications")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Mail(models.TextChoices):
        """Where the notification's e-mail is; only ``documents.accounts.notifications`` moves it along."""

        NONE = "", "not e-mailed"
        QUEUED = "queued", "queued"
        SENDING = "sending", "being sent"
        SENT = "sent", "sent"
        FAILED = "failed", "failed"

    reason = models.TextField(blank=True, help_text="Why a curator hid the note (hidden only).")
    created = models.DateTimeField(default=timezone.now, editable=False)
    read_at = models.DateTimeField(null=True, blank=True)
    mail = models.CharField(
        max_length=7,
        choices=Mail.choices,
        default=Mail.NONE,
        blank=True,
        help_text="Its e-mail: queued, being sent, sent, or failed after EMAIL_ATTEMPTS tries.",
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            # The few whose mail is on its way, among all that were sent or never wanted.
            models.Index(
                fields=["mail"],
                name="notification_mail_pending",
                condition=models.Q(mail__in=["queued", "sending", "failed"]),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.recipient})"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


def unread_notification_count(user) -> int:
    """How many of ``user``'s notifications they may see are unread: the header's count, one query.

    Remembered for the rest of the request (``per_request``), as ``is_curator`` is, so the page's
    header and its entity tag ask once; ``forget(user, "unread_notification_count")`` after marking
    notifications read in the same request.
    """
    if not (user and user.is_authenticated):
        return 0
    return remembered(
        user, "unread_notification_count", lambda: Notification.objects.for_reader(user).unread().count()
    )


class NotificationSettings(models.Model):
    """A reader's choice of notifications by e-mail; off unless they opt in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    email = models.BooleanField(
        "Also send my notifications by e-mail",
        default=False,
        help_text="To the address of your account; each mail links to the note.",
    )

    class Meta:
        verbose_name_plural = "notification settings"

    def __str__(self):
        return f"Notification settings of {self.user}"
