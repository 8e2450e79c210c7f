"""Reading groups: creating one, invitation links, joining, leaving and moderating
(docs/reading-and-annotating.md, "Groups").

Every change of who is in a group, and in which role, runs in one transaction
that first holds the group's row (``lock_group``) and then reads again what it
checks: two moderators removing each other at the same moment leave one of them
moderating, and a sole moderator cannot leave while someone else joins. On
SQLite, ``select_for_update`` does nothing and the settings' IMMEDIATE
transactions serialise writers instead.

Anyone who may not act on a group learns nothing about it: the functions raise
``Group.DoesNotExist`` (a 404) for a group the caller is not in, and
``Membership.DoesNotExist`` for a role they lack, never a message that says the
group exists. ``GroupError`` carries a message for someone who may act but asked
for something the rules refuse.

Who may read a group's notes is not decided here: ``Annotation.objects.visible_to``
reads the memberships these functions write.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from documents.archive.models import Document
from documents.groups.models import Group, Invitation, Membership, Removal

MAX_DESCRIPTION_LENGTH = 2_000
INVITATION_LIFETIMES = {"": None, "1": timedelta(days=1), "7": timedelta(days=7), "30": timedelta(days=30)}
"""How long a new invitation link works, by the group page's choice: until revoked, or days."""


class GroupError(ValueError):
    """A group change the rules refuse; ``message`` says what to do instead."""

    def __init__(self, message: str, *, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


class InvitationClosed(Exception):
    """An invitation link that exists but no longer lets this person in: revoked, expired, or made
    before they were removed from the group (a 410, docs/reading-and-annotating.md, "Groups")."""

    def __init__(self, invitation: Invitation):
        super().__init__(str(invitation))
        self.invitation = invitation


def lock_group(group_id) -> Group:
    """The group as stored now, its row held until commit: every membership change takes it first."""
    return Group.objects.select_for_update().get(pk=group_id)


def _membership(group: Group, user, *, moderator: bool = False) -> Membership:
    """``user``'s membership of ``group`` as stored now; Membership.DoesNotExist unless they are in it
    (and, with ``moderator``, moderate it)."""
    memberships = Membership.objects.filter(group=group, user=user)
    if moderator:
        memberships = memberships.filter(role=Membership.Role.MODERATOR)
    return memberships.select_related("user").get()


def group_of(user, slug: str) -> tuple[Group, Membership]:
    """The group ``slug`` names and ``user``'s membership of it; Group.DoesNotExist unless they are in it."""
    if not (user and user.is_authenticated):
        raise Group.DoesNotExist
    membership = Membership.objects.filter(group__slug=slug, user=user).select_related("group").first()
    if membership is None:
        raise Group.DoesNotExist
    return membership.group, membership


def check_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise GroupError("Give the group a name.", field="name")
    if len(name) > Group.MAX_NAME_LENGTH:
        raise GroupError(
            f"The name has {len(name)} characters; the limit is {Group.MAX_NAME_LENGTH}.", field="name"
        )
    if not slugify(name):
        raise GroupError("Use at least one letter or digit in the name.", field="name")
    return name


def check_description(description: str) -> str:
    description = description.strip()
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise GroupError(
            f"The description has {len(description):,} characters; the limit is {MAX_DESCRIPTION_LENGTH:,}.",
            field="description",
        )
    return description


def create_group(*, by, name: str, description: str = "") -> Group:
    """Anyone logged in creates a group and becomes its first moderator.

    The slug comes from the name, with ``-2``, ``-3``... when it is taken; a
    concurrent group of the same name loses the insert and takes the next one.
    """
    name, description = check_name(name), check_description(description)
    base = slugify(name)[:100]
    for n in range(1, 1000):
        slug = base if n == 1 else f"{base}-{n}"
        if Group.objects.filter(slug=slug).exists():
            continue
        try:
            with transaction.atomic():
                group = Group.objects.create(name=name, slug=slug, description=description, created_by=by)
                Membership.objects.create(group=group, user=by, role=Membership.Role.MODERATOR)
                return group
        except IntegrityError:
            continue
    raise GroupError("Too many groups have this name; choose another.", field="name")


@transaction.atomic
def change_group(*, group: Group, by, name: str, description: str) -> Group:
    """A moderator renames the group or changes its description; its address (the slug) stays, so
    its links, its invitations and its notes' ``group`` keep working.

    Every page that shows the name shows the new one at once: members' cached pages are keyed by
    their groups' names (``freshness.reader_key``), and the documents with the group's notes get a
    new annotation version, as a renamed account's do.
    """
    name, description = check_name(name), check_description(description)
    group = lock_group(group.pk)
    _membership(group, by, moderator=True)
    if (group.name, group.description) != (name, description):
        group.name, group.description = name, description
        group.save(update_fields=["name", "description"])
        # Only members see the name beside a note, so anonymous readers' pages stay as they are. The
        # notes are read through their relation to the group: the annotations sit above the groups.
        annotated = group.annotations.values("document")
        Document.objects.filter(pk__in=annotated).bump_annotations_version(public=False)
    return group


@transaction.atomic
def create_invitation(*, group: Group, by, lifetime: timedelta | None = None) -> Invitation:
    """A moderator makes a new invitation link, working until revoked or for ``lifetime``."""
    group = lock_group(group.pk)
    _membership(group, by, moderator=True)
    now = timezone.now()
    return Invitation.objects.create(
        group=group,
        token=secrets.token_urlsafe(24),
        created_by=by,
        created=now,
        expires_at=now + lifetime if lifetime else None,
    )


@transaction.atomic
def revoke_invitation(*, group: Group, by, invitation_id: int) -> Invitation:
    """A moderator revokes a link of their group; Invitation.DoesNotExist for any other."""
    group = lock_group(group.pk)
    _membership(group, by, moderator=True)
    invitation = Invitation.objects.select_for_update().get(group=group, pk=invitation_id)
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation(slug: str, token: str) -> Invitation:
    """The invitation a link names, whatever its state; Invitation.DoesNotExist when the slug and
    token do not belong together, so an unknown link says nothing about the group."""
    return Invitation.objects.select_related("group").get(group__slug=slug, token=token)


def _usable_by(invitation: Invitation, user) -> bool:
    """Valid now, and not made before a removal of ``user`` from the group (docs/reading-and-annotating.md,
    "Groups")."""
    if not invitation.is_valid():
        return False
    removed = Removal.objects.filter(group=invitation.group_id, user=user).values_list(
        "removed_at", flat=True
    )
    return not any(removed_at >= invitation.created for removed_at in removed)


def check_invitation(invitation: Invitation, user) -> None:
    """Raise InvitationClosed unless ``user`` may join through ``invitation`` now."""
    if not _usable_by(invitation, user):
        raise InvitationClosed(invitation)


@transaction.atomic
def join_group(*, slug: str, token: str, user) -> tuple[Membership, bool]:
    """Join through an invitation link; (the membership, whether it is new).

    Raises Invitation.DoesNotExist for an unknown link and InvitationClosed for one
    that no longer works for ``user``. A member who follows a link again stays as
    they are (a moderator stays a moderator).
    """
    found = invitation(slug, token)
    group = lock_group(found.group_id)
    found = Invitation.objects.get(pk=found.pk)
    if existing := Membership.objects.filter(group=group, user=user).first():
        return existing, False
    check_invitation(found, user)
    return Membership.objects.create(group=group, user=user, role=Membership.Role.MEMBER), True


@transaction.atomic
def leave_group(*, group: Group, user) -> None:
    """A member leaves. A sole moderator must first name another while others remain.

    The last member to leave leaves the group empty, not deleted: its notes stay
    their authors' (docs/reading-and-annotating.md, "Groups"), and its open links are revoked so nobody
    joins a group without a moderator.
    """
    group = lock_group(group.pk)
    membership = _membership(group, user)
    others = Membership.objects.filter(group=group).exclude(pk=membership.pk)
    if (
        membership.is_moderator
        and others.exists()
        and not others.filter(role=Membership.Role.MODERATOR).exists()
    ):
        raise GroupError(
            "You are this group's only moderator: make another member a moderator before you leave, "
            "or remove the other members first."
        )
    membership.delete()
    if not others.exists():
        Invitation.objects.filter(group=group, revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def remove_member(*, group: Group, by, member) -> None:
    """A moderator removes someone (a member or another moderator) from the group.

    From the moment this commits they no longer see the group's notes
    (``visible_to`` reads the memberships). Every invitation link made before the
    removal stops working for them; links stay valid for everyone else. Raises
    Membership.DoesNotExist when ``by`` no longer moderates the group or ``member``
    is not in it.
    """
    group = lock_group(group.pk)
    _membership(group, by, moderator=True)
    if member.pk == by.pk:
        raise GroupError("To leave the group yourself, use “Leave group”.")
    _membership(group, member).delete()
    Removal.objects.update_or_create(group=group, user=member, defaults={"removed_at": timezone.now()})


@transaction.atomic
def make_moderator(*, group: Group, by, member) -> Membership:
    """A moderator names a member moderator too. Membership.DoesNotExist as for ``remove_member``."""
    group = lock_group(group.pk)
    _membership(group, by, moderator=True)
    membership = _membership(group, member)
    if not membership.is_moderator:
        membership.role = Membership.Role.MODERATOR
        membership.save(update_fields=["role"])
    return membership
