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
from contextlib import contextmanager
from functools import cache

from django.db import connections
from django.db.backends.postgresql.base import ServerBindingCursor
from django.db.models import QuerySet

from documents.annotations.models import Annotation
from documents.archive.models import Document, is_curator
from documents.archive.per_request import remembered
from documents.groups.models import Membership


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

    Remembered for the rest of the request (``per_request``): the reading view's key and its
    Visibility select's "Group: <name>" options read the same rows.
    """
    if user is None or not user.is_authenticated:
        return []
    return remembered(
        user,
        "reader_groups",
        lambda: list(
            Membership.objects.filter(user=user)
            .order_by("group__name", "group_id")
            .values_list("group_id", "role", "group__slug", "group__name")
        ),
    )


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


@contextmanager
def _prepared_on_postgresql():
    """On PostgreSQL, the queries run inside bind their values on the server, so psycopg prepares them
    (``prepare_threshold`` in ``DATABASES``, archive_site/settings.py) and the server plans each once
    per connection instead of on every request (docs/performance.md, "Reading at scale").

    Django still builds and compiles each QuerySet, runs it through its own cursor wrapper (health
    check, error translation, query log) and converts its rows; only the binding changes, to the
    cursor Django's ``server_side_binding`` option gives every query. With no threshold (preparing
    switched off, or SQLite), this changes nothing.
    """
    connection = connections["default"]
    if connection.vendor != "postgresql":
        yield
        return
    # Django's health check first: a connection it replaces would not have this cursor.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    psycopg_connection = connection.connection
    kept = psycopg_connection.cursor_factory
    if psycopg_connection.prepare_threshold is not None:
        psycopg_connection.cursor_factory = ServerBindingCursor
    try:
        yield
    finally:
        psycopg_connection.cursor_factory = kept


ANNOTATION_STATE = ("id", "author_id", *(f"document__{name}" for name in DOCUMENT_STATE))


def _documents(user, labels: bool) -> QuerySet:
    """The documents ``user`` may read (``visible_to``), shaped as a lookup wants them: no text, no
    ordering, and with ``labels`` their labels listed."""
    documents = Document.objects.visible_to(user)
    if labels:
        documents = documents.with_labels_listed()
    return documents.order_by().defer("text")


def _annotations(user) -> QuerySet:
    """The notes ``user`` may see (``visible_to``), as ``ANNOTATION_STATE``'s columns, no ordering."""
    return Annotation.objects.visible_to(user).order_by().values_list(*ANNOTATION_STATE)


@cache
def _seen_by_anyone(kind: str, labels: bool = False) -> QuerySet:
    """``visible_to(None)``'s QuerySet for ``kind``, shaped, built once per process and never run
    itself: each lookup filters a copy, which Django compiles and runs as on any other call.

    Building it (the rule, the labels' subqueries, the shape) cost as much as compiling it, on
    every anonymous request (docs/performance.md, "Reading at scale"). The anonymous rule has no
    input (no reader, no clock, no setting), so the QuerySet it gives never changes while the
    code does not; tests/documents/test_freshness.py checks it compiles as a fresh one. A reader
    who is logged in gets their own, built on every call.
    """
    return _documents(None, labels) if kind == "documents" else _annotations(None)


def visible_document(user, slug: str, *, labels: bool = False) -> Document | None:
    """The document at ``slug`` if ``user`` may read it (``visible_to``), without its text, or None.

    One query, before anything is rendered: what a cached page, a 304 or a kept API answer
    needs, and what a page shows of the document. Its text is deferred, read from the database
    when first used (rendering the passages). With ``labels``, also ``tags_listed`` and
    ``collections_listed`` (``DocumentQuerySet.with_labels_listed``), which a page's validator
    names.
    """
    if user is None or not user.is_authenticated:
        documents = _seen_by_anyone("documents", labels)
    else:
        documents = _documents(user, labels)
    with _prepared_on_postgresql():
        return _only(documents.filter(slug=slug))


def visible_annotation(user, pk) -> tuple[Annotation, Document] | None:
    """The annotation ``pk`` if ``user`` may see it (``visible_to``), with only its id and author, and
    its document with only its ``DOCUMENT_STATE``; None if not. One query."""
    if user is None or not user.is_authenticated:
        annotations = _seen_by_anyone("annotations")
    else:
        annotations = _annotations(user)
    with _prepared_on_postgresql():
        row = _only(annotations.filter(pk=pk))
    if row is None:
        return None
    return _loaded(Annotation, ("id", "author_id"), row[:2]), _loaded(Document, DOCUMENT_STATE, row[2:])


def _only(rows):
    """The one row of a QuerySet filtered on a unique column, or None. Such a QuerySet is given
    ``order_by()`` (no ``first()``): ordering one row costs Django more to compile than the rest."""
    return next(iter(rows), None)


def _loaded(model, names: tuple[str, ...], values: tuple):
    """An instance of ``model`` with only ``names`` loaded, as the ORM makes one (``Model.from_db``
    takes the values in the model's field order)."""
    given = dict(zip(names, values, strict=True))
    order = [field.attname for field in model._meta.concrete_fields if field.attname in given]
    return model.from_db("default", order, [given[name] for name in order])
