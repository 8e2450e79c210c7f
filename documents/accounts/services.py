"""Writes to a reader's account that reach their notes: saving it (a changed name re-renders the
panels that show it) and deleting it (their groups get a moderator first). Both run in
``writes.writing``, the write path of notes, which counts the change on those panels.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from documents.annotations.models import Annotation
from documents.annotations.writes import writing
from documents.groups.models import Group, Membership


def save_account(user) -> None:
    """Save a user account; when its name changes, every panel that shows the name is rendered again.

    The name is read again with the row held, so two renames cannot both miss the change.
    """
    if user.pk is None:
        user.save()
        return
    with writing(actor=user) as write:
        stored = (
            get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("username", flat=True)
        )
        renamed = stored.first() != user.get_username()
        user.save()
        if renamed:
            write.changed(Annotation.objects.filter(author=user))


def delete_account(user) -> None:
    """Delete a user account and, with it, their annotations (and the replies to them).

    A group they alone moderated gets its longest-standing member as moderator, so no
    group is left that nobody can moderate (docs/reading-and-annotating.md, "Groups").
    """
    with writing() as write:
        write.deleted(Annotation.objects.filter(author=user))
        _hand_over_moderation(user)
        user.delete()


def _hand_over_moderation(user) -> None:
    moderated = Membership.objects.filter(user=user, role=Membership.Role.MODERATOR).values("group")
    for group in Group.objects.select_for_update().filter(pk__in=moderated).order_by("pk"):
        others = Membership.objects.filter(group=group).exclude(user=user)
        if others.filter(role=Membership.Role.MODERATOR).exists():
            continue
        if heir := others.order_by("joined", "pk").first():
            heir.role = Membership.Role.MODERATOR
            heir.save(update_fields=["role"])
