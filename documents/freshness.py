"""What a page about one document depends on, as short digests: cache keys and entity tags.

A reading view or a document's annotation container changes only when the
document does (its ``modified`` time and ``revision``), when one of its
annotations does (its ``annotations_version``, bumped by every such write in
the same transaction), or with the reader (``reader_key``). So both can be
keyed, and answered 304, before anything is rendered (docs/performance.md, "Reading at scale").
Anonymous readers' keys name ``public_annotations_version`` instead, which
only changes anyone may see move: their entity tags must not tell when someone
wrote a private or group note (docs/reading-and-annotating.md, "Privacy").
"""

from __future__ import annotations

import hashlib
import json

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from documents.annotations.models import Annotation
from documents.archive.models import Document, is_curator
from documents.groups.models import Membership
from documents.prepared import INTEGER, TEXT, UUID, Prepared


def digest(*parts) -> str:
    """A short, stable digest of JSON-serialisable ``parts`` (dates and keys as text)."""
    return hashlib.sha256(json.dumps(parts, default=str, sort_keys=True).encode()).hexdigest()[:32]


def reader_key(user) -> list:
    """Everything about the reader that changes what they see: who they are, what they may do, and
    their groups with their role in each (``reader_groups``), so joining, leaving, a removal or a new
    role changes every key at once (docs/reading-and-annotating.md, "Groups")."""
    if user is None or not user.is_authenticated:
        return ["anonymous"]
    return ["user", user.pk, user.get_username(), user.is_active, is_curator(user), reader_groups(user)]


def reader_groups(user) -> list[tuple[int, str, str, str]]:
    """``(group id, role, slug, name)`` for each group ``user`` is in, by name, in one query.

    Kept on the user object for the rest of the request: the reading view's key and its
    Visibility select's "Group: <name>" options read the same rows.
    """
    if user is None or not user.is_authenticated:
        return []
    rows = getattr(user, "_reader_groups", None)
    if rows is None:
        rows = list(
            Membership.objects.filter(user=user)
            .order_by("group__name", "group_id")
            .values_list("group_id", "role", "group__slug", "group__name")
        )
        user._reader_groups = rows
    return rows


def annotations_state(document: Document, user) -> list:
    """The document as its annotations' pages show it to ``user``. Its creation time joins its key,
    which SQLite may give again to a later document; the annotation versions only move forward.

    An anonymous reader sees public notes only (``visible_to``), so their version is the one
    that moves with those alone; anyone logged in may have private or group notes of their own.
    """
    anonymous = user is None or not user.is_authenticated
    version = document.public_annotations_version if anonymous else document.annotations_version
    return [document.pk, document.created, version, document.status, document.slug]


DOCUMENT_STATE = (
    "id",
    "created",
    *Document.ANNOTATION_VERSIONS,
    "status",
    "slug",
    "modified",
    "revision",
)
"""The document's fields ``document_state`` reads, for queries that load only those."""


def document_state(document: Document, user) -> list:
    """``annotations_state`` and the document itself (its title and other fields move ``modified``):
    what a page about the document's annotations shows of it to ``user``, such as the container's label."""
    return [*annotations_state(document, user), document.modified, document.revision]


def reader_shape(user) -> str:
    """What ``visible_to`` asks of a reader besides their id: ``anonymous``, ``curator`` or ``reader``."""
    if user is None or not user.is_authenticated:
        return "anonymous"
    return "curator" if is_curator(user) else "reader"


def _stand_in(shape: str, pk: int | None = None):
    """A reader of ``shape`` for compiling ``visible_to``, which reads of its user only whether they
    are logged in, whether they are a curator, and their id (``tests/documents/test_freshness.py``
    checks every reader of the permission matrix against the plain QuerySet)."""
    if shape == "anonymous":
        return AnonymousUser()
    curator = shape == "curator"
    return get_user_model()(pk=pk, is_active=True, is_staff=curator, is_superuser=curator)


def _without_text() -> tuple[str, ...]:
    """Every column of a document but its text: what a page needs of it until it renders the passages."""
    return tuple(field.attname for field in Document._meta.concrete_fields if field.attname != "text")


LABELS_LISTED = ("tags_listed", "collections_listed")
_document = Prepared(
    lambda shape, slug: (
        Document.objects.visible_to(_stand_in(shape)).filter(slug=slug).values_list(*_without_text())
    ),
    TEXT,
)
_labelled_document = Prepared(
    lambda shape, slug: (
        Document.objects.visible_to(_stand_in(shape))
        .filter(slug=slug)
        .with_labels_listed()
        .values_list(*_without_text(), *LABELS_LISTED)
    ),
    TEXT,
)


def visible_document(user, slug: str, *, labels: bool = False) -> Document | None:
    """The document at ``slug`` if ``user`` may read it (``visible_to``), without its text, or None.

    One prepared query (``documents.prepared``), before anything is rendered: what a cached
    page, a 304 or a kept API answer needs, and what a page shows of the document. Its text
    is read from the database when first used (rendering the passages). With ``labels``, also
    ``tags_listed`` and ``collections_listed`` (``DocumentQuerySet.with_labels_listed``), which a
    page's validator names.
    """
    fields = _without_text()
    row = (_labelled_document if labels else _document).first(reader_shape(user), slug)
    if row is None:
        return None
    document = _loaded(Document, fields, row[: len(fields)])
    if labels:
        document.tags_listed, document.collections_listed = row[len(fields) :]
    return document


ANNOTATION_STATE = ("id", "author_id", *(f"document__{name}" for name in DOCUMENT_STATE))

_annotation_anonymous = Prepared(
    lambda shape, pk: (
        Annotation.objects.visible_to(_stand_in(shape)).filter(pk=pk).values_list(*ANNOTATION_STATE)
    ),
    UUID,
)
_annotation_reader = Prepared(
    lambda shape, reader, pk: (
        Annotation.objects.visible_to(_stand_in(shape, reader)).filter(pk=pk).values_list(*ANNOTATION_STATE)
    ),
    INTEGER,
    UUID,
)


def visible_annotation(user, pk) -> tuple[Annotation, Document] | None:
    """The annotation ``pk`` if ``user`` may see it (``visible_to``), with only its id and author, and
    its document with only its ``DOCUMENT_STATE``; None if not. One prepared query."""
    shape = reader_shape(user)
    if shape == "anonymous":
        row = _annotation_anonymous.first(shape, pk)
    else:
        row = _annotation_reader.first(shape, user.pk, pk)
    if row is None:
        return None
    return _loaded(Annotation, ("id", "author_id"), row[:2]), _loaded(Document, DOCUMENT_STATE, row[2:])


def _loaded(model, names: tuple[str, ...], values: tuple):
    """An instance of ``model`` with only ``names`` loaded, as the ORM makes one (``Model.from_db``
    takes the values in the model's field order)."""
    given = dict(zip(names, values, strict=True))
    order = [field.attname for field in model._meta.concrete_fields if field.attname in given]
    return model.from_db("default", order, [given[name] for name in order])
