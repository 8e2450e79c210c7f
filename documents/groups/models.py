"""Reading groups, their members and moderators, invitation links and removals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

"""The orders a list of documents can take, by the name the list page and the API use for each.

Documents without a date come last either way, and ties fall back to the title
and then the key, so a page boundary never splits or repeats a document.
"""


# --- Reading groups (docs/reading-and-annotating.md, "Groups")
# ---------------------------------------------------------------


class Group(models.Model):
    """A reading group: its members read and write its notes (visibility ``group``).

    Not Django's ``auth.Group``, which holds permissions (Curators, Scholars). A
    group is never deleted by its members: its notes stay their authors' even
    when everyone has left (docs/reading-and-annotating.md, "Groups").
    """

    MAX_NAME_LENGTH = 100

    name = models.CharField(max_length=MAX_NAME_LENGTH)
    slug = models.SlugField(max_length=120, unique=True, help_text="Used in the group's address.")
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = [Lower("name"), "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("group-detail", args=[self.slug])


class Membership(models.Model):
    """One person in one group, as a member or a moderator. Written only by ``documents.groups``."""

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        MODERATOR = "moderator", "Moderator"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["group", "joined", "pk"]
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_group")]

    def __str__(self):
        return f"{self.user} in {self.group} ({self.role})"

    @property
    def is_moderator(self) -> bool:
        return self.role == self.Role.MODERATOR


class InvitationQuerySet(models.QuerySet):
    def valid(self, *, at=None):
        """Links that still let people join: not revoked, not expired."""
        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=at))


class Invitation(models.Model):
    """A link a moderator shares: anyone logged in who opens it may join, until it is revoked or expires."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"Invitation to {self.group}"

    def get_absolute_url(self):
        return reverse("group-join", args=[self.group.slug, self.token])

    def is_valid(self, *, at=None) -> bool:
        at = at or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > at)


class Removal(models.Model):
    """When a moderator last removed someone from a group: links made before it no longer let them in."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    removed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="one_removal_per_group")]

    def __str__(self):
        return f"{self.user} removed from {self.group}"
