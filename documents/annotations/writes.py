"""The one write path of notes (docs/architecture.md, "Concurrency"): every write of an annotation,
and every write that changes what a document's Annotations panel shows, runs in ``writing``.

``writing`` opens the write's transaction and hands it a ``Write``, through which it holds the rows
it reads and records what it changed. The rows are held in one order, the document first, then the
thread's root, then the annotation: ``hold_annotation`` takes the rows before it itself and a row
asked for out of that order raises ``LockOrderError``, so two writers never wait on each other (a
deadlock on PostgreSQL). On leaving the block, still inside the transaction, the write

1. counts the change on each document whose panels it changed (``annotations_version``; the reading
   view caches panels under it, docs/performance.md, "Reading at scale"), and on
   ``public_annotations_version`` only where anonymous readers saw a changed note before the write,
   see it after, or the change is the document's own (its text, status or tags): their answers and
   entity tags never move with a private or group note (docs/reading-and-annotating.md, "Privacy");
2. hands a ``Changes`` to each listener in the order they were registered (``listen``, called once,
   in ``documents/apps.py``): the search index, then the notifications. They run in the transaction,
   so the index and the notifications commit or roll back with the write.

The listeners belong to the areas above this one (search, accounts), which this module never
imports: the write says what changed, and each listener decides what that means for it, as the
annotation write service of Hypothesis's ``h`` does with its subscribers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from documents.annotations import anchoring
from documents.annotations.models import Annotation
from documents.archive.models import Document

# What a client says it selected: a quote, a position, or both (code points).
Target = anchoring.Selector

# Fields the author changes; a curator's hiding and the re-anchoring are written by their own services.
AUTHOR_FIELDS = ["comment", "comment_html", "visibility", "group", "motivation", "modified"]

TARGET_FIELDS = ["exact", "prefix", "suffix", "start", "end", "revision", "anchor"]

QUOTE_FIELDS = ["original_exact", "quoted_revision"]

Precondition = Callable[[Annotation], None]

Notes = Annotation | QuerySet[Annotation] | Iterable[Annotation]
"""One note, a QuerySet of them, or a list."""

# The lock order: a write holds rows of these kinds in this order, never back.
DOCUMENT, THREAD, ANNOTATION = 1, 2, 3


class LockOrderError(RuntimeError):
    """A write asked for a row out of the one order (document, thread's root, annotation): a bug."""


@dataclass(frozen=True)
class Changes:
    """What one write changed, as its listeners are told, in its transaction.

    Listeners read the notes as the write left them; a deleted note is known by its key only.
    """

    actor: Any
    """Who acted (a user), or None when the write was not told (a command, the seed, a deletion)."""
    notify: bool
    """False for imports and the seed: nobody is told (docs/reading-and-annotating.md, "Notifications")."""
    documents: frozenset
    """The keys of the documents whose panels changed (their versions are already counted)."""
    created: tuple[Annotation, ...] = ()
    edited: QuerySet[Annotation] | None = None
    """The notes, not new, whose words, tags or quote changed; None when none did."""
    readdressed: tuple[Annotation, ...] = ()
    """Notes whose comment or audience their author changed: whom they mention, or who may read
    them, may be someone new."""
    hidden: tuple[Annotation, ...] = ()
    restored: tuple[Annotation, ...] = ()
    """Notes hidden until this write."""
    deleted: tuple = ()
    """The keys of the notes deleted (with them went their replies)."""
    struck: tuple[tuple[Annotation, str], ...] = ()
    """Notes whose quote a text edit ``changed`` or ``orphaned``, each with that outcome."""
    texts: tuple[Document, ...] = ()
    """Documents whose text or metadata changed."""


Listener = Callable[[Changes], None]

_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    """Call ``listener`` with every write's ``Changes``, after those registered before it.

    ``documents/apps.py`` registers the area's listeners at start-up, in their order; registering
    one twice keeps its first place.
    """
    if listener not in _listeners:
        _listeners.append(listener)


def stop_listening(listener: Listener) -> None:
    """Stop telling ``listener`` (a test's recording listener, once the test is done)."""
    _listeners.remove(listener)


def listeners() -> tuple[Listener, ...]:
    """The listeners, in the order they are told."""
    return tuple(_listeners)


def seen_by_everyone(notes: Q) -> QuerySet[Annotation]:
    """Anonymous readers' view of these notes as stored now (``visible_to``, the one rule)."""
    return Annotation.objects.visible_to(None).filter(notes)


class Write:
    """One write in progress: the rows it holds and what it changed. Made by ``writing`` only."""

    def __init__(self, *, actor, notify: bool):
        self.actor = actor
        self.notify = notify
        self._held = 0
        self._held_documents: set = set()
        self._held_notes: set = set()  # notes held, whose sight by anonymous readers is noted
        self._documents: set = set()  # documents whose panels changed
        self._public: set = set()  # ... for everyone: a note seen before the write, or their own change
        self._notes: list[Q] = []  # the changed notes still stored: public where anonymous readers see them
        self._created: list[Annotation] = []
        self._edited: list[Q] = []
        self._readdressed: list[Annotation] = []
        self._hidden: list[Annotation] = []
        self._restored: list[Annotation] = []
        self._deleted: list = []
        self._struck: list[tuple[Annotation, str]] = []
        self._texts: list[Document] = []

    # --- The rows held, in the one order -------------------------------------------------------------

    def _take(self, kind: int) -> None:
        if kind < self._held:
            raise LockOrderError("Hold the document, then the thread's root, then the annotation.")
        self._held = kind

    def hold_document(self, document_id) -> None:
        """Hold the document's row until commit (``DocumentQuerySet.held``), so its text and its
        notes' places stay as read."""
        if document_id in self._held_documents:
            return
        self._take(DOCUMENT)
        list(Document.objects.held().filter(pk=document_id).values_list("pk", flat=True))
        self._held_documents.add(document_id)

    def read_document(self, document: Document) -> Document:
        """``document`` as stored now, its row held until commit: for a write that reads its text."""
        if document.pk not in self._held_documents:
            self._take(DOCUMENT)
        stored = Document.objects.held().get(pk=document.pk)
        self._held_documents.add(stored.pk)
        return stored

    def hold_thread(self, annotation: Annotation) -> None:
        """Hold the root of ``annotation``'s thread (its document's row first): replies are only added
        and removed, and threads moved, under it."""
        self.hold_document(annotation.document_id)
        self._take(THREAD)
        root_id = annotation.root_id or annotation.pk
        list(Annotation.objects.select_for_update().filter(pk=root_id).values_list("pk", flat=True))

    def hold_annotation(
        self, annotation: Annotation, *, among=None, related: bool = True, thread: bool = False
    ) -> Annotation:
        """``annotation`` as stored now (from ``among``, all annotations by default), its row held
        until commit, after its document's row and, with ``thread``, its thread's root.

        ``related`` loads what its JSON-LD shows (an If-Match precondition needs it); hiding and
        restoring need only the row. Raises Annotation.DoesNotExist when it was deleted meanwhile
        (or left ``among``). Whether anonymous readers see it now is noted for the version count:
        a write that hides, deletes or withdraws it changes their panels too.
        """
        if thread:
            self.hold_thread(annotation)
        else:
            self.hold_document(annotation.document_id)
        self._take(ANNOTATION)
        among = Annotation.objects.all() if among is None else among
        if related:
            among = among.with_related()
        held = among.select_for_update(of=("self",)).get(pk=annotation.pk)
        if seen_by_everyone(Q(pk=held.pk)).exists():
            self._public.add(held.document_id)
        self._held_notes.add(held.pk)
        return held

    # --- What changed ---------------------------------------------------------------------------

    def created(self, annotation: Annotation) -> None:
        """A new note, stored with its tags."""
        self._changed(annotation)
        self._created.append(annotation)

    def edited(self, notes: Notes, *, readdressed: bool = False) -> None:
        """Notes whose words, tags or quote changed; ``readdressed`` (for one note, an Annotation):
        its author changed its comment or its audience."""
        which = self._changed(notes)
        if which is not None:
            self._edited.append(which)
        if readdressed:
            self._readdressed.append(notes)

    def changed(self, notes: Notes) -> None:
        """Notes whose panels show something else, neither words nor tags (a name)."""
        self._changed(notes)

    def hidden(self, annotation: Annotation) -> None:
        self._changed(annotation)
        self._hidden.append(annotation)

    def restored(self, annotation: Annotation) -> None:
        """A note that was hidden until now."""
        self._changed(annotation)
        self._restored.append(annotation)

    def deleted(self, notes: Notes) -> None:
        """Notes about to be deleted: record them before deleting them, while they can be read (their
        documents' rows are held now, unless the write holds them already)."""
        if isinstance(notes, Annotation) and notes.pk in self._held_notes:
            self._need_document(notes)
            self._documents.add(notes.document_id)
            self._deleted.append(notes.pk)
            return
        which = _matching(notes)
        rows = list(Annotation.objects.filter(which).values_list("pk", "document"))
        documents = {document for _, document in rows} - self._held_documents
        if documents:
            # Their documents first, as every write of one note holds them.
            self._take(DOCUMENT)
            held = Document.objects.held().filter(pk__in=documents).order_by("pk")
            list(held.values_list("pk", flat=True))
            self._held_documents |= documents
        self._deleted += [pk for pk, _ in rows]
        self._documents.update(document for _, document in rows)
        self._public.update(seen_by_everyone(which).values_list("document", flat=True).distinct())

    def struck(self, notes: Iterable[tuple[Annotation, str]]) -> None:
        """Notes whose quote a text edit ``changed`` or ``orphaned`` (the document changed too)."""
        self._struck += notes

    def document_changed(self, document: Document, *, text: bool = False) -> None:
        """A change of the document's own that every reader's panels show (its status, its notes'
        places); ``text``: its text or metadata changed."""
        self._documents.add(document.pk)
        self._public.add(document.pk)
        if text:
            self._texts.append(document)

    def documents_changed(self, documents: QuerySet[Document]) -> None:
        """As ``document_changed``, for many (their tags)."""
        keys = set(documents.values_list("pk", flat=True))
        self._documents |= keys
        self._public |= keys

    def _need_document(self, annotation: Annotation) -> None:
        if annotation.document_id not in self._held_documents:
            raise LockOrderError("Hold a note's document before writing the note.")

    def _changed(self, notes: Notes) -> Q | None:
        """Count ``notes``' documents as changed; the condition that finds the notes (None: no notes)."""
        if isinstance(notes, Annotation):
            self._need_document(notes)
            self._documents.add(notes.document_id)
        elif isinstance(notes, QuerySet):
            self._documents.update(notes.order_by().values_list("document", flat=True).distinct())
        else:
            notes = list(notes)
            if not notes:
                return None
            for annotation in notes:
                self._need_document(annotation)
                self._documents.add(annotation.document_id)
        which = _matching(notes)
        self._notes.append(which)
        return which

    # --- On leaving the block ---------------------------------------------------------------------

    def finish(self) -> None:
        """Count the change on the documents, then tell the listeners; nothing when nothing changed."""
        if not self._documents:
            return
        public = Q(pk__in=self._public)
        if self._notes:
            seen_now = seen_by_everyone(reduce(or_, self._notes)).filter(document=OuterRef("pk"))
            public |= Q(Exists(seen_now))
        Document.objects.filter(pk__in=self._documents).bump_annotations_version(public=public)
        changes = Changes(
            actor=self.actor,
            notify=self.notify,
            documents=frozenset(self._documents),
            created=tuple(self._created),
            edited=Annotation.objects.filter(reduce(or_, self._edited)) if self._edited else None,
            readdressed=tuple(self._readdressed),
            hidden=tuple(self._hidden),
            restored=tuple(self._restored),
            deleted=tuple(self._deleted),
            struck=tuple(self._struck),
            texts=tuple(self._texts),
        )
        for listener in list(_listeners):
            listener(changes)


def _matching(notes: Notes) -> Q:
    if isinstance(notes, Annotation):
        return Q(pk=notes.pk)
    if isinstance(notes, QuerySet):
        return Q(pk__in=notes.values("pk"))
    return Q(pk__in=[annotation.pk for annotation in notes])


@contextmanager
def writing(*, actor=None, notify: bool = True) -> Iterator[Write]:
    """One write of notes, in one transaction (a savepoint inside another): hold rows and record
    changes through the ``Write``; on leaving without an error, the versions are counted and the
    listeners told (the module's docstring). An error rolls everything back, the listeners' work
    included, and tells nobody.
    """
    with transaction.atomic():
        write = Write(actor=actor, notify=notify)
        yield write
        write.finish()
