"""What every write of a note shares: the selector a client sends, the fields each writer owns, the
rows it holds and in what order, and the version bumps that keep cached panels true
(docs/architecture.md, "Concurrency").

Lock order: the document first (``panels_changed`` holds its row), then the thread's root, then the
annotation. Taking them in this order in every write keeps two writers from waiting on each other.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Exists

from documents.annotations import anchoring
from documents.annotations.models import Annotation
from documents.archive.models import Document

# What a client says it selected: a quote, a position, or both (code points).


# What a client says it selected: a quote, a position, or both (code points).
Target = anchoring.Selector

# Fields the author changes; a curator's hiding and the re-anchoring are written by their own services.
AUTHOR_FIELDS = ["comment", "comment_html", "visibility", "group", "motivation", "modified"]

TARGET_FIELDS = ["exact", "prefix", "suffix", "start", "end", "revision", "anchor"]

QUOTE_FIELDS = ["original_exact", "quoted_revision"]

Precondition = Callable[[Annotation], None]


def lock_document(document: Document) -> Document:
    """The document as stored now, its row held until commit, so its text cannot change under us.

    ``no_key`` (PostgreSQL's FOR NO KEY UPDATE) still lets other transactions
    insert rows that refer to the document, such as replies, so they never wait
    on a text edit that in turn waits on their thread.
    """
    return Document.objects.select_for_update(no_key=True).get(pk=document.pk)


def lock_thread(annotation: Annotation) -> None:
    """Hold the root of ``annotation``'s thread: replies are only added and removed under it."""
    root_id = annotation.root_id or annotation.pk
    list(Annotation.objects.select_for_update().filter(pk=root_id).values_list("pk", flat=True))


def lock_annotation(annotation: Annotation, *, among=None, related: bool = True) -> Annotation:
    """``annotation`` as stored now (from ``among``, all annotations by default), its row held until commit.

    ``related`` loads what its JSON-LD shows (an If-Match precondition needs it);
    hiding and restoring need only the row. Raises Annotation.DoesNotExist when
    it was deleted meanwhile (or left ``among``).
    """
    among = Annotation.objects.all() if among is None else among
    if related:
        among = among.with_related()
    return among.select_for_update(of=("self",)).get(pk=annotation.pk)


def panels_changed(document_id, *, public: bool) -> None:
    """Every write that changes what a document's Annotations panel shows calls this, in its transaction.

    The reading view caches the panel under the document's ``annotations_version``
    (docs/performance.md, "Reading at scale"), so the bump commits or rolls back with the write itself.
    It comes first, before any thread or annotation lock: it holds the document's
    row, and taking the document before its annotations, as every write does,
    keeps two writers from each waiting on the other (a deadlock on PostgreSQL).

    A write to one annotation passes ``public=False`` first, and calls this again
    with ``public=True`` (on the row it already holds) only when the note was or
    is now seen by anonymous readers (``seen_by_everyone``): their entity tags
    must not change with a private or group note (docs/reading-and-annotating.md, "Privacy").
    """
    Document.objects.filter(pk=document_id).bump_annotations_version(public=public)


def seen_by_everyone(annotation_id):
    """Anonymous readers' view of this annotation as stored now (``visible_to``, the one rule)."""
    return Annotation.objects.visible_to(None).filter(pk=annotation_id)


def public_if_seen(annotation: Annotation, *, seen: bool = False) -> None:
    """Count the write to ``annotation`` as public when anonymous readers saw it (``seen``) or see it
    now: one query, on the document row the write already holds."""
    documents = Document.objects.filter(pk=annotation.document_id)
    if not seen:
        documents = documents.filter(Exists(seen_by_everyone(annotation.pk)))
    documents.bump_annotations_version(public=True)
