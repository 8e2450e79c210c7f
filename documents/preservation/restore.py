"""Restoring a bag written by ``export`` into an empty database (docs/preservation.md).

The bag is validated first (bagit-python: every file against its sha256 and sha512 checksums), then
every record is restored in one transaction: a bad record, or counts that differ from the bag's,
and nothing is written.

A restore writes the stored rows as they were, with ``bulk_create``, rather than through the
services that make new records: ``create_annotation`` anchors a selection in today's text, dates a
note now, counts it against its author's limits and notifies people, while a restore must bring
back an orphaned note, its moderation, its dates and its revision unchanged and tell nobody. So it
bypasses the write path (``annotations.writes``), restores each document's panel versions as the
bag holds them, and rebuilds the search index once at the end, as the demo seed does. What it does
share with the rest of the archive: the JSON-LD parser reads each note's W3C part, the text module
checks every text, and ``sanitise`` renders every comment again, so nothing unclean is stored from a
bag someone edited and re-checksummed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import bagit
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as Role
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from taggit.models import Tag

from documents.accounts.models import NotificationSettings
from documents.annotations import jsonld, sanitise
from documents.annotations.models import Annotation, Flag, TaggedAnnotation
from documents.archive import text as text_module
from documents.archive.models import Collection, Document, DocumentRevision, TaggedDocument, WithdrawnDocument
from documents.groups.models import Group, Invitation, Membership, Removal
from documents.preservation import layout
from documents.preservation.layout import BagProblem, read_moment
from documents.search import index as search_index

BATCH = 500


@dataclass(frozen=True)
class Restored:
    counts: dict[str, int]

    def summary(self) -> str:
        counted = ", ".join(f"{count} {name}" for name, count in self.counts.items())
        return f"Restored {counted}. Every account needs a new password: ask people to reset theirs."


def import_bag(*, directory: Path) -> Restored:
    """Validate the bag in ``directory`` and restore it; BagProblem, and nothing written, otherwise."""
    data = _validated(directory)
    manifest = _manifest(data)
    _check_empty()
    restore = _Restore(data, base_url=manifest["site_url"])
    try:
        with transaction.atomic():
            counts = restore.run()
            if counts != manifest["counts"]:
                expected = manifest["counts"]
                raise BagProblem(
                    f"data/{layout.MANIFEST} counts {expected}, but the bag's files hold {counts}."
                )
            search_index.rebuild()
    except (KeyError, TypeError, ValueError, DatabaseError, ValidationError) as error:
        # A record with a field missing, of the wrong kind, or that the database refuses.
        raise BagProblem(f"data/{restore.file}: a record cannot be restored ({error!r}).") from None
    return Restored(counts)


def _validated(directory: Path) -> Path:
    try:
        bag = bagit.Bag(str(directory))
        bag.validate()
    except bagit.BagValidationError as error:
        details = "; ".join(str(detail) for detail in error.details[:5]) or str(error)
        raise BagProblem(f"The bag {directory} is not valid: {details}") from None
    except bagit.BagError as error:
        raise BagProblem(f"{directory} is not a bag: {error}") from None
    return directory / "data"


def _manifest(data: Path) -> dict[str, Any]:
    records = list(layout.read_lines(data / layout.MANIFEST))
    manifest = records[0] if len(records) == 1 else {}
    if manifest.get("format") != layout.FORMAT or manifest.get("version") != layout.VERSION:
        raise BagProblem(
            f"data/{layout.MANIFEST} does not describe a bag of this archive's format "
            f"({layout.FORMAT}, version {layout.VERSION})."
        )
    return manifest


def _check_empty() -> None:
    held = {
        "accounts": get_user_model().objects.exists(),
        "documents": Document.objects.exists(),
        "collections": Collection.objects.exists(),
        "tags": Tag.objects.exists(),
        "groups": Group.objects.exists(),
        "annotations": Annotation.objects.exists(),
    }
    if any(held.values()):
        names = ", ".join(name for name, present in held.items() if present)
        raise BagProblem(
            f"The database already holds {names}. A bag is restored into an empty database only: "
            "create a new one and run `manage.py migrate` first."
        )


def _batches(records: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    records = iter(records)
    while batch := list(islice(records, BATCH)):
        yield batch


class _Restore:
    """One restore: the keys of the rows restored so far, by the names the bag gives them."""

    def __init__(self, data: Path, *, base_url: str):
        self.data = data
        self.base_url = base_url
        self.users: dict[str, int] = {}
        self.tags: dict[str, int] = {}
        self.collections: dict[str, int] = {}
        self.documents: dict[str, int] = {}
        self.groups: dict[str, int] = {}
        self.file = ""

    def run(self) -> dict[str, int]:
        steps = {
            layout.USERS: self._users,
            layout.TAGS: self._tags,
            layout.COLLECTIONS: self._collections,
            layout.DOCUMENTS: self._documents,
            layout.GROUPS: self._groups,
            layout.ANNOTATIONS: self._annotations,
            layout.WITHDRAWN: self._withdrawn,
        }
        counts = {}
        for name, restore in steps.items():
            self.file, count = name, 0
            for batch in _batches(layout.read_lines(self.data / name)):
                restore(batch)
                count += len(batch)
            counts[name.removesuffix(".jsonl")] = count
        return counts

    def problem(self, record: dict[str, Any], message: str) -> BagProblem:
        annotation = record.get("annotation")
        name = record.get("slug") or record.get("username") or (annotation or {}).get("id") or "?"
        return BagProblem(f"data/{self.file}, the record “{name}”: {message}")

    def user(self, username: str | None, record: dict[str, Any]) -> int | None:
        if username is None:
            return None
        if username not in self.users:
            raise self.problem(record, f"names the account “{username}”, which the bag does not hold.")
        return self.users[username]

    # --- Each file ----------------------------------------------------------------------------------

    def _users(self, batch: list[dict[str, Any]]) -> None:
        User = get_user_model()
        users = []
        for record in batch:
            user = User(
                username=record["username"],
                first_name=record.get("first_name", ""),
                last_name=record.get("last_name", ""),
                email=record.get("email", ""),
                is_active=record.get("is_active", True),
                is_staff=record.get("is_staff", False),
                is_superuser=record.get("is_superuser", False),
                date_joined=read_moment(record["date_joined"]),
                last_login=read_moment(record.get("last_login")),
            )
            # The bag holds no password hashes: each person sets a new one ("Forgotten your password?").
            user.set_unusable_password()
            users.append(user)
        User.objects.bulk_create(users)
        self.users |= {user.get_username(): user.pk for user in users}
        roles, permissions, by_email = [], [], []
        for record, user in zip(batch, users, strict=True):
            for name in record.get("roles", []):
                role, _ = Role.objects.get_or_create(name=name)
                roles.append(User.groups.through(user_id=user.pk, group_id=role.pk))
            for label in record.get("permissions", []):
                app_label, _, codename = label.partition(".")
                permission = Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                ).first()
                if permission is None:
                    raise self.problem(record, f"names the permission “{label}”, which this archive lacks.")
                permissions.append(
                    User.user_permissions.through(user_id=user.pk, permission_id=permission.pk)
                )
            if record.get("notify_by_email"):
                by_email.append(NotificationSettings(user_id=user.pk, email=True))
        User.groups.through.objects.bulk_create(roles)
        User.user_permissions.through.objects.bulk_create(permissions)
        NotificationSettings.objects.bulk_create(by_email)

    def _tags(self, batch: list[dict[str, Any]]) -> None:
        tags = Tag.objects.bulk_create(Tag(name=record["name"], slug=record["slug"]) for record in batch)
        self.tags |= {tag.name: tag.pk for tag in tags}

    def _collections(self, batch: list[dict[str, Any]]) -> None:
        fields = ("slug", "title", "description", "order")
        collections = Collection.objects.bulk_create(
            Collection(**{name: record[name] for name in fields}) for record in batch
        )
        _redate(Collection, collections, batch)
        self.collections |= {collection.slug: collection.pk for collection in collections}

    def _documents(self, batch: list[dict[str, Any]]) -> None:
        documents = []
        for record in batch:
            document = Document(
                **{name: record[name] for name in Document.METADATA_FIELDS if name != "date"},
                date=record["date"],
                status=record["status"],
                published_at=read_moment(record.get("published_at")),
                text=record["text"],
                revision=record["revision"],
                annotations_version=record.get("annotations_version", 0),
                public_annotations_version=record.get("public_annotations_version", 0),
            )
            # Revisions are restored as the bag holds them: a document the demo seed bulk-created has none.
            self._check_text(record, record["text"])
            documents.append(document)
        Document.objects.bulk_create(documents)
        _redate(Document, documents, batch)
        self.documents |= {document.slug: document.pk for document in documents}
        collected, tagged, revisions = [], [], []
        for record, document in zip(batch, documents, strict=True):
            for slug in record["collections"]:
                if slug not in self.collections:
                    raise self.problem(record, f"is in the collection “{slug}”, which the bag does not hold.")
                collected.append(
                    Document.collections.through(
                        document_id=document.pk, collection_id=self.collections[slug]
                    )
                )
            for name in record["tags"]:
                tagged.append(TaggedDocument(content_object_id=document.pk, tag_id=self.tag(name, record)))
            for revision in record["revisions"]:
                self._check_text(record, revision["text"])
                revisions.append(
                    DocumentRevision(
                        document_id=document.pk,
                        number=revision["number"],
                        text=revision["text"],
                        author_id=self.user(revision.get("author"), record),
                        created=read_moment(revision["created"]),
                        summary=revision.get("summary", ""),
                    )
                )
        Document.collections.through.objects.bulk_create(collected)
        TaggedDocument.objects.bulk_create(tagged)
        DocumentRevision.objects.bulk_create(revisions)

    def _check_text(self, record: dict[str, Any], text: str) -> None:
        try:
            text_module.parse(text)
        except text_module.MarkupError as error:
            raise self.problem(record, f"a text of it cannot be read: {error}") from None

    def tag(self, name: str, record: dict[str, Any]) -> int:
        if name not in self.tags:
            raise self.problem(record, f"carries the tag “{name}”, which data/{layout.TAGS} does not hold.")
        return self.tags[name]

    def _groups(self, batch: list[dict[str, Any]]) -> None:
        groups = Group.objects.bulk_create(
            Group(
                slug=record["slug"],
                name=record["name"],
                description=record.get("description", ""),
                created_by_id=self.user(record.get("created_by"), record),
                created=read_moment(record["created"]),
            )
            for record in batch
        )
        self.groups |= {group.slug: group.pk for group in groups}
        memberships, invitations, removals = [], [], []
        for record, group in zip(batch, groups, strict=True):
            for membership in record.get("memberships", []):
                if membership["role"] not in Membership.Role.values:
                    raise self.problem(
                        record, f"the role “{membership['role']}” is not one of member, moderator."
                    )
            memberships += [
                Membership(
                    group_id=group.pk,
                    user_id=self.user(m["user"], record),
                    role=m["role"],
                    joined=read_moment(m["joined"]),
                )
                for m in record.get("memberships", [])
            ]
            invitations += [
                Invitation(
                    group_id=group.pk,
                    token=i["token"],
                    created_by_id=self.user(i.get("created_by"), record),
                    created=read_moment(i["created"]),
                    expires_at=read_moment(i.get("expires_at")),
                    revoked_at=read_moment(i.get("revoked_at")),
                )
                for i in record.get("invitations", [])
            ]
            removals += [
                Removal(
                    group_id=group.pk,
                    user_id=self.user(r["user"], record),
                    removed_at=read_moment(r["removed_at"]),
                )
                for r in record.get("removals", [])
            ]
        Membership.objects.bulk_create(memberships)
        Invitation.objects.bulk_create(invitations)
        Removal.objects.bulk_create(removals)

    def _annotations(self, batch: list[dict[str, Any]]) -> None:
        notes, tagged, flags = [], [], []
        for record in batch:
            note, tags, note_flags = self._annotation(record)
            notes.append(note)
            tagged += [
                TaggedAnnotation(content_object_id=note.pk, tag_id=self.tag(name, record)) for name in tags
            ]
            flags += note_flags
        Annotation.objects.bulk_create(notes)
        TaggedAnnotation.objects.bulk_create(tagged)
        Flag.objects.bulk_create(flags)
        # ``Flag.created`` is set on insert; put back the dates the bag holds.
        for flag in flags:
            flag.created = flag.restored_created
        Flag.objects.bulk_update(flags, ["created"])

    def _annotation(self, record: dict[str, Any]) -> tuple[Annotation, tuple[str, ...], list[Flag]]:
        kept = record.get("archive")
        if not isinstance(kept, dict) or "annotation" not in record:
            raise self.problem(
                record, "each note needs its “annotation” (W3C JSON-LD) and its “archive” part."
            )
        try:
            parsed = jsonld.parse_annotation(record["annotation"], base_url=self.base_url)
        except jsonld.JsonLdError as error:
            raise self.problem(record, f"its annotation {record['annotation'].get('id')}: {error}") from None
        if parsed.annotation_id is None:
            raise self.problem(
                record, f"{record['annotation'].get('id')} is not an annotation of {self.base_url}."
            )
        document = None
        if parsed.document_slug is not None:
            document = self.documents.get(parsed.document_slug)
            if document is None:
                raise self.problem(record, f"is on “{parsed.document_slug}”, which the bag does not hold.")
        group = None
        if parsed.group_slug is not None:
            group = self.groups.get(parsed.group_slug)
            if group is None:
                raise self.problem(
                    record, f"is in the group “{parsed.group_slug}”, which the bag does not hold."
                )
        motivation = record["annotation"].get("motivation", parsed.motivation)
        for name, value, allowed in (
            ("motivation", motivation, Annotation.Motivation.values),
            ("anchor", kept["anchor"], Annotation.Anchor.values),
        ):
            if value not in allowed:
                raise self.problem(record, f"its {name} “{value}” is not one of {', '.join(allowed)}.")
        note = Annotation(
            id=parsed.annotation_id,
            document_id=document,
            author_id=self.user(kept["author"], record),
            visibility=parsed.visibility,
            group_id=group,
            motivation=motivation,
            exact=parsed.exact or "",
            prefix=parsed.prefix,
            suffix=parsed.suffix,
            start=parsed.start,
            end=parsed.end,
            revision=kept["revision"],
            anchor=kept["anchor"],
            original_exact=kept.get("original_exact", ""),
            quoted_revision=kept.get("quoted_revision"),
            comment=parsed.comment,
            comment_html=sanitise.render_markdown(parsed.comment) if parsed.comment else "",
            parent_id=kept.get("parent"),
            root_id=kept.get("root"),
            hidden=kept.get("hidden", False),
            hidden_by_id=self.user(kept.get("hidden_by"), record),
            hidden_at=read_moment(kept.get("hidden_at")),
            hidden_reason=kept.get("hidden_reason", ""),
            ancestor_hidden=kept.get("ancestor_hidden", False),
            via=parsed.via,
            canonical=parsed.canonical,
            imported_copy=kept.get("imported_copy", False),
            creator_name=kept.get("creator_name", ""),
            creator_iri=kept.get("creator_iri", ""),
            created=read_moment(kept["created"]),
            modified=read_moment(kept["modified"]),
        )
        if note.parent_id is not None and document is None:
            # A reply's W3C target is the note it answers; its document is its thread's.
            note.document_id = self._document_of_reply(record)
        flags = []
        for flag in kept.get("flags", []):
            restored = Flag(
                annotation_id=note.pk,
                flagger_id=self.user(flag["flagger"], record),
                reason=flag["reason"],
                flagged_quote=flag.get("flagged_quote", ""),
                flagged_comment=flag.get("flagged_comment"),
                flagged_tags=flag.get("flagged_tags", []),
                dismissed_by_id=self.user(flag.get("dismissed_by"), record),
                dismissed_at=read_moment(flag.get("dismissed_at")),
            )
            restored.restored_created = read_moment(flag["created"])
            flags.append(restored)
        return note, parsed.tags, flags

    def _withdrawn(self, batch: list[dict[str, Any]]) -> None:
        WithdrawnDocument.objects.bulk_create(
            WithdrawnDocument(
                slug=record["slug"],
                withdrawn=read_moment(record["withdrawn"]),
                collections=WithdrawnDocument.spaced(record["collections"]),
            )
            for record in batch
        )

    def _document_of_reply(self, record: dict[str, Any]) -> int:
        slug = record["archive"].get("document")
        if slug not in self.documents:
            raise self.problem(record, "a reply must name its thread's document.")
        return self.documents[slug]


def _redate(model, rows: list, batch: list[dict[str, Any]]) -> None:
    """Put back ``created`` and ``modified``, which Django sets on insert (``auto_now``): ``bulk_update``
    writes the values as given."""
    for row, record in zip(rows, batch, strict=True):
        row.created = read_moment(record["created"])
        row.modified = read_moment(record["modified"])
    model.objects.bulk_update(rows, ["created", "modified"])
