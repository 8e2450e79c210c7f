"""Writing the whole archive as a BagIt bag (docs/preservation.md).

Every record is read, past ``visible_to``: the bag is the archive's own copy for whoever takes it
over, private and group notes included, drafts too. Annotations are written by the archive's one
JSON-LD serializer (``annotation_to_jsonld``), beside what W3C JSON-LD does not carry (author,
moderation, the thread, the revision the selectors describe). Accounts go without password hashes or
API tokens: those are credentials, and people set new ones after a restore.

Each file is written row by row from ``iterator()``, so a large archive never sits in memory;
bagit-python then moves the files into ``data/`` and writes the checksums.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bagit
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from taggit.models import Tag

from documents.accounts.models import ApiToken, Notification, NotificationSettings
from documents.annotations import jsonld
from documents.annotations.models import Annotation, Flag, TaggedAnnotation, VisibleTag
from documents.archive.models import Collection, Document, DocumentRevision, TaggedDocument, WithdrawnDocument
from documents.groups.models import Group, Invitation, Membership, Removal
from documents.preservation import layout
from documents.preservation.layout import moment
from documents.search.models import SearchEntry

CHUNK = 500

# Every model of the app, carried or left out and why (docs/preservation.md): a test fails when a
# new model is in neither, so a new kind of record is never silently left out of the bag.
CARRIED = (
    Document,
    DocumentRevision,
    Collection,
    TaggedDocument,
    VisibleTag,
    Group,
    Membership,
    Invitation,
    Removal,
    Annotation,
    TaggedAnnotation,
    Flag,
    NotificationSettings,
    WithdrawnDocument,
)
LEFT_OUT = {
    ApiToken: "credentials: people make new tokens",
    Notification: "deliveries already made; new ones follow new notes",
    SearchEntry: "rebuilt from the records on restore",
}


@dataclass(frozen=True)
class Exported:
    path: Path
    counts: dict[str, int]

    def summary(self) -> str:
        counted = ", ".join(f"{count} {name}" for name, count in self.counts.items())
        return f"Wrote the bag {self.path}: {counted}."


def export_bag(*, directory: Path, base_url: str | None = None) -> Exported:
    """Write every record into ``directory`` (new, or empty) and make it a bag with sha256 and
    sha512 manifests. ``base_url`` (default ``SITE_URL``) begins every IRI in the JSON-LD."""
    base_url = (base_url or settings.SITE_URL).rstrip("/") + "/"
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise layout.BagProblem(f"{directory} is not an empty directory; name a new one.")
    directory.mkdir(parents=True, exist_ok=True)
    writers = {
        layout.USERS: _users(),
        layout.TAGS: _tags(),
        layout.COLLECTIONS: _collections(),
        layout.DOCUMENTS: _documents(),
        layout.GROUPS: _groups(),
        layout.ANNOTATIONS: _annotations(base_url),
        layout.WITHDRAWN: _withdrawn(),
    }
    counts = {
        name.removesuffix(".jsonl"): layout.write_lines(directory / name, records)
        for name, records in writers.items()
    }
    layout.write_lines(
        directory / layout.MANIFEST,
        [{"format": layout.FORMAT, "version": layout.VERSION, "site_url": base_url, "counts": counts}],
    )
    info = {
        "Source-Organization": settings.ARCHIVE_NAME,
        "External-Description": f"The whole of {settings.ARCHIVE_NAME}, as `manage.py export_bag` writes it.",
        "External-Identifier": base_url,
        "Bag-Software-Agent": f"{settings.ARCHIVE_NAME} export_bag, bagit-python {bagit.VERSION}",
        "Bagging-Date": timezone.now().date().isoformat(),
        **{f"Archive-{name.title()}-Count": str(count) for name, count in counts.items()},
    }
    bagit.make_bag(str(directory), bag_info=info, checksums=list(layout.CHECKSUMS))
    return Exported(directory, counts)


def _users() -> Iterator[dict[str, Any]]:
    by_email = set(NotificationSettings.objects.filter(email=True).values_list("user", flat=True))
    users = (
        get_user_model().objects.order_by("pk").prefetch_related("groups", "user_permissions__content_type")
    )
    for user in users.iterator(chunk_size=CHUNK):
        yield {
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "is_active": user.is_active,
            "is_staff": user.is_staff,
            "is_superuser": user.is_superuser,
            "date_joined": moment(user.date_joined),
            "last_login": moment(user.last_login),
            "roles": sorted(group.name for group in user.groups.all()),
            "permissions": sorted(
                f"{p.content_type.app_label}.{p.codename}" for p in user.user_permissions.all()
            ),
            "notify_by_email": user.pk in by_email,
        }


def _tags() -> Iterator[dict[str, Any]]:
    for tag in Tag.objects.order_by("pk").iterator(chunk_size=CHUNK):
        yield {"name": tag.name, "slug": tag.slug}


def _collections() -> Iterator[dict[str, Any]]:
    for collection in Collection.objects.order_by("pk").iterator(chunk_size=CHUNK):
        yield {
            "slug": collection.slug,
            "title": collection.title,
            "description": collection.description,
            "order": collection.order,
            "created": moment(collection.created),
            "modified": moment(collection.modified),
        }


def _withdrawn() -> Iterator[dict[str, Any]]:
    """The documents that left the published set, so the new host's harvesters still learn they are gone."""
    for withdrawn in WithdrawnDocument.objects.order_by("pk").iterator(chunk_size=CHUNK):
        yield {
            "slug": withdrawn.slug,
            "withdrawn": moment(withdrawn.withdrawn),
            "collections": withdrawn.set_specs,
        }


def _documents() -> Iterator[dict[str, Any]]:
    documents = Document.objects.order_by("pk").prefetch_related("collections", "tags", "revisions__author")
    for document in documents.iterator(chunk_size=CHUNK):
        record: dict[str, Any] = {name: getattr(document, name) for name in Document.METADATA_FIELDS}
        record["date"] = document.date.isoformat() if document.date else None
        record |= {
            "status": document.status,
            "published_at": moment(document.published_at),
            "text": document.text,
            "revision": document.revision,
            "created": moment(document.created),
            "modified": moment(document.modified),
            "collections": [c.slug for c in sorted(document.collections.all(), key=lambda c: c.pk)],
            "tags": sorted(tag.name for tag in document.tags.all()),
            "annotations_version": document.annotations_version,
            "public_annotations_version": document.public_annotations_version,
            "revisions": [
                {
                    "number": revision.number,
                    "text": revision.text,
                    "author": revision.author.get_username() if revision.author else None,
                    "created": moment(revision.created),
                    "summary": revision.summary,
                }
                for revision in sorted(document.revisions.all(), key=lambda r: r.number)
            ],
        }
        yield record


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


def _groups() -> Iterator[dict[str, Any]]:
    groups = Group.objects.order_by("pk").select_related("created_by")
    groups = groups.prefetch_related("memberships__user", "invitations__created_by")
    for group in groups.iterator(chunk_size=CHUNK):
        removals = Removal.objects.filter(group=group).select_related("user").order_by("pk")
        yield {
            "slug": group.slug,
            "name": group.name,
            "description": group.description,
            "created_by": _username(group.created_by),
            "created": moment(group.created),
            "memberships": [
                {"user": _username(m.user), "role": m.role, "joined": moment(m.joined)}
                for m in sorted(group.memberships.all(), key=lambda m: m.pk)
            ],
            "invitations": [
                {
                    "token": invitation.token,
                    "created_by": _username(invitation.created_by),
                    "created": moment(invitation.created),
                    "expires_at": moment(invitation.expires_at),
                    "revoked_at": moment(invitation.revoked_at),
                }
                for invitation in sorted(group.invitations.all(), key=lambda i: i.pk)
            ],
            "removals": [{"user": _username(r.user), "removed_at": moment(r.removed_at)} for r in removals],
        }


def _annotations(base_url: str) -> Iterator[dict[str, Any]]:
    """Each note as W3C JSON-LD (``annotation``) and what the archive keeps beside it (``archive``).

    Roots come before replies, and each reply after the note it answers, so a reader of the file
    meets a thread in order (the restore does not depend on it)."""
    notes = Annotation.objects.with_related().prefetch_related("flags__flagger", "flags__dismissed_by")
    notes = notes.order_by("created", "pk")
    for note in notes.iterator(chunk_size=CHUNK):
        yield {
            "annotation": jsonld.annotation_to_jsonld(note, base_url=base_url),
            "archive": {
                "author": _username(note.author),
                "document": note.document.slug,
                "group": note.group.slug if note.group_id else None,
                "parent": str(note.parent_id) if note.parent_id else None,
                "root": str(note.root_id) if note.root_id else None,
                "revision": note.revision,
                "anchor": note.anchor,
                "original_exact": note.original_exact,
                "quoted_revision": note.quoted_revision,
                "hidden": note.hidden,
                "hidden_by": _username(note.hidden_by),
                "hidden_at": moment(note.hidden_at),
                "hidden_reason": note.hidden_reason,
                "ancestor_hidden": note.ancestor_hidden,
                "imported_copy": note.imported_copy,
                "creator_name": note.creator_name,
                "creator_iri": note.creator_iri,
                "created": moment(note.created),
                "modified": moment(note.modified),
                "flags": [
                    {
                        "flagger": _username(flag.flagger),
                        "reason": flag.reason,
                        "created": moment(flag.created),
                        "flagged_quote": flag.flagged_quote,
                        "flagged_comment": flag.flagged_comment,
                        "flagged_tags": flag.flagged_tags,
                        "dismissed_by": _username(flag.dismissed_by),
                        "dismissed_at": moment(flag.dismissed_at),
                    }
                    for flag in sorted(note.flags.all(), key=lambda f: f.pk)
                ],
            },
        }
