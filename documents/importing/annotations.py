"""Importing W3C annotations from a file or an API request, each item on its own.

``import_annotations`` reads each item with the JSON-LD parser and stores it
with ``services.create_annotation``: a bad item is refused with its reason and
the JSON path at fault, and the others are still stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from documents.annotations import anchoring, jsonld
from documents.annotations.models import Annotation
from documents.annotations.rules import (
    MAX_IMPORT_ANNOTATIONS,
    NOT_A_PUBLISHED_DOCUMENT,
    AnnotationError,
    OriginalCreator,
)
from documents.annotations.services import create_annotation
from documents.archive.models import Document
from documents.importing.annotation_items import label, printable, raw_creator, raw_date, raw_id
from documents.importing.report import Action, ImportReport, Outcome, Subject


class ImportTooLarge(AnnotationError):
    """The whole import is refused: it holds more than one import may (``MAX_IMPORT_ANNOTATIONS``)."""


@transaction.atomic
def import_annotations(
    *, user, items: list[object], base_url: str, document: Document | None = None
) -> ImportReport:
    """Store W3C annotations from a file or an API request as new annotations of ``user``.

    Each item is read with ``jsonld.parse_annotation`` and stored with
    ``create_annotation`` in a savepoint of its own, so a bad item is refused
    with its reason and the others are still stored. The importer is always
    the author; the item's ``id`` is kept in ``via``, and its ``created`` date
    when valid.

    An item is the importer's own only when its W3C ``creator`` id is their
    account's IRI here (``jsonld.account_iri``; a nickname proves nothing) and
    it is not dated before their account was made. Any other is stored as their
    private copy of someone else's note (``copy_of``: the creator as the item
    names them, and its ``modified`` date too), whatever visibility or group it
    asked for; a reply by someone else only in a thread of such copies (docs/reading-and-annotating.md,
    "Exports and imports"). Roots are stored before replies: a reply whose parent is in the
    same import (matched by the parent's ``id``) answers the parent's new copy;
    otherwise its parent must be an annotation ``user`` may see.

    An item ``user`` already has is reported as already in the archive
    (``Action.UNCHANGED``, with the note it is) and stored nothing twice: its
    ``id`` names one of their annotations, one of theirs was imported from that
    ``id``, or, for an item without an id (an export whose ids were removed),
    one of theirs is identical (same document, words and position, comment,
    tags and parent; docs/reading-and-annotating.md, "Exports and imports"). Items with ids of their
    own are told apart by them, even when they say the same. Replies to such
    an item attach to the note already there. With ``document``, only
    annotations on that document (and replies in its threads) are accepted.

    Raises ImportTooLarge for more than MAX_IMPORT_ANNOTATIONS items and
    AnnotationError for none. Callers check MAX_IMPORT_BYTES before they parse.
    """
    check_size(items)
    # One import at a time per user, so two copies of a file sent at once cannot both find nothing there.
    list(get_user_model().objects.select_for_update(no_key=True).filter(pk=user.pk).values_list("pk"))
    return _Import(user=user, items=items, base_url=base_url, scope=document).run()


def check_size(items: list[object]) -> None:
    """Refuse an import with too many items (ImportTooLarge) or none (AnnotationError), before
    anything is counted against the reader's limits or stored."""
    if len(items) > MAX_IMPORT_ANNOTATIONS:
        raise ImportTooLarge(
            f"An import may hold at most {MAX_IMPORT_ANNOTATIONS:,} annotations; this one has "
            f"{len(items):,}. Split it into smaller files.",
            field="items",
        )
    if not items:
        raise AnnotationError("There are no annotations to import.", field="items")


@dataclass(frozen=True)
class _Entry:
    """An item that parsed: where it was, the id it had (or ""), what it asks for."""

    index: int
    original_id: str
    parsed: object
    created: object
    modified: object = None
    copy_of: OriginalCreator | None = None


class _Import:
    """One run of ``import_annotations``.

    ``outcome`` maps an item's index to the annotation it became (or already
    was) once it has been handled, or to None when it was refused; replies
    wait until their parent's outcome is known.
    """

    def __init__(self, *, user, items: list[object], base_url: str, scope: Document | None):
        self.user = user
        self.items = items
        self.base_url = base_url
        self.scope = scope
        self.outcome: dict[int, Annotation | None] = {}
        self.report = ImportReport(Subject.ANNOTATIONS)
        self.my_iri = jsonld.account_iri(user.get_username(), base_url=base_url)
        self.joined = user.date_joined.replace(microsecond=0)

    def run(self) -> ImportReport:
        entries = self.read()
        self.load(entries)
        for entry in entries:
            if not entry.parsed.is_reply:
                self.store_root(entry)
        self.store_replies([entry for entry in entries if entry.parsed.is_reply])
        return self.report

    def refuse(self, index: int, original_id: str, field: str, reason: str) -> None:
        """Report an item as not stored; its id and reason may quote input that UTF-8 cannot carry."""
        original_id, reason = printable(original_id), printable(reason)
        self.report.add(
            Outcome(
                Action.REFUSED,
                label(index, original_id),
                reason=reason,
                field=field,
                index=index,
                id=original_id,
            )
        )
        self.outcome[index] = None

    def read(self) -> list[_Entry]:
        """Parse every item; refuse those that do not parse and repeats of an id already seen."""
        entries: list[_Entry] = []
        seen_ids: set[str] = set()
        for index, raw in enumerate(self.items):
            try:
                parsed = jsonld.parse_annotation(raw, base_url=self.base_url)
            except jsonld.JsonLdError as error:
                self.refuse(index, raw_id(raw), error.field, error.message)
                continue
            # The parser keeps an id of this archive apart (for PUT); in an import it is the original.
            original_id = raw["id"] if parsed.annotation_id is not None else parsed.via
            if original_id in seen_ids:
                self.refuse(index, original_id, "id", "An earlier annotation in the import has this id too.")
                continue
            if original_id:
                seen_ids.add(original_id)
            created = raw_date(raw, "created")
            entries.append(
                _Entry(
                    index,
                    original_id,
                    parsed,
                    created,
                    modified=raw_date(raw, "modified"),
                    copy_of=self.written_by(raw, created),
                )
            )
        return entries

    def written_by(self, raw: dict, created) -> OriginalCreator | None:
        """None for the importer's own note, else who wrote it as the item says
        (docs/reading-and-annotating.md, "Exports
        and imports"): only the importer's account IRI here proves a note theirs, and not on a note
        dated before that account was made (a username taken again after its owner left)."""
        creator = raw_creator(raw)
        if creator.iri == self.my_iri and (created is None or created >= self.joined):
            return None
        return creator

    def load(self, entries: list[_Entry]) -> None:
        """Fetch in a few queries what the entries refer to: documents, parents, copies already made."""
        self.by_annotation_id = {
            entry.parsed.annotation_id: entry for entry in entries if entry.parsed.annotation_id is not None
        }
        slugs = {entry.parsed.document_slug for entry in entries if entry.parsed.document_slug}
        self.documents = {found.slug: found for found in Document.objects.published().filter(slug__in=slugs)}

        visible = Annotation.objects.visible_to(self.user).select_related("document", "root__document")
        parent_ids = {
            entry.parsed.parent_id
            for entry in entries
            if entry.parsed.is_reply and entry.parsed.parent_id not in self.by_annotation_id
        }
        self.parents = {found.pk: found for found in visible.filter(pk__in=parent_ids)}

        self.existing: dict[str, Annotation] = {}
        original_ids = [entry.original_id for entry in entries if entry.original_id]
        if original_ids:
            mine = visible.filter(author=self.user).filter(
                Q(pk__in=list(self.by_annotation_id)) | Q(via__in=original_ids)
            )
            for annotation in mine:
                self.existing[jsonld.annotation_iri(annotation.pk, base_url=self.base_url)] = annotation
                if annotation.via:
                    self.existing.setdefault(annotation.via, annotation)

    def store_root(self, entry: _Entry) -> None:
        document = self.documents.get(entry.parsed.document_slug)
        if document is None:
            self.refuse(
                entry.index,
                entry.original_id,
                "target.source",
                NOT_A_PUBLISHED_DOCUMENT,
            )
        elif self.scope is not None and document.pk != self.scope.pk:
            self.refuse(
                entry.index,
                entry.original_id,
                "target.source",
                f"Only annotations on “{self.scope.title}” may be imported here; "
                "the target source names another document.",
            )
        else:
            self.store(entry, document=document)

    def store_replies(self, pending: list[_Entry]) -> None:
        """Store each reply once its parent's outcome is known, so chains of replies keep their order."""
        while pending:
            waiting = []
            for entry in pending:
                parent_entry = self.by_annotation_id.get(entry.parsed.parent_id)
                if parent_entry is not None and parent_entry.index not in self.outcome:
                    waiting.append(entry)
                else:
                    self.store_reply(entry, parent_entry)
            if len(waiting) == len(pending):
                for entry in waiting:
                    self.refuse(
                        entry.index,
                        entry.original_id,
                        "target",
                        "This reply and the annotation it answers reply to each other in a circle.",
                    )
                return
            pending = waiting

    def store_reply(self, entry: _Entry, parent_entry: _Entry | None) -> None:
        if parent_entry is not None:
            parent = self.outcome[parent_entry.index]
            if parent is None:
                reason = f"The annotation this replies to ({parent_entry.original_id}) was not imported."
                self.refuse(entry.index, entry.original_id, "target", reason)
                return
        else:
            parent = self.parents.get(entry.parsed.parent_id)
            if parent is None:
                reason = "The annotation this replies to is neither in the import nor one you may see."
                self.refuse(entry.index, entry.original_id, "target", reason)
                return
        if self.scope is not None and parent.document_id != self.scope.pk:
            reason = (
                f"Only annotations on “{self.scope.title}” may be imported here; "
                "this replies to an annotation on another document."
            )
            self.refuse(entry.index, entry.original_id, "target", reason)
            return
        self.store(entry, parent=parent)

    def already_there(self, entry: _Entry, already: Annotation) -> None:
        self.report.add(
            Outcome(
                Action.UNCHANGED,
                label(entry.index, entry.original_id),
                reason="Already in the archive.",
                index=entry.index,
                id=printable(entry.original_id),
                stored=already,
            )
        )
        self.outcome[entry.index] = already

    def identical(self, entry: _Entry, *, document: Document | None, parent: Annotation | None):
        """One of ``user``'s notes that says what the item says in the same place, or None.

        An export re-posted with its ids removed would otherwise come back as copies. Same
        document, same words at the same position (or both page notes), same comment, same
        tags, same parent; the visibility may differ, since it is not what the note says.
        """
        parsed = entry.parsed
        candidates = Annotation.objects.select_related("document").filter(
            author=self.user, comment=parsed.comment
        )
        if parent is not None:
            candidates = candidates.filter(parent=parent)
        else:
            candidates = candidates.filter(document=document, parent__isnull=True)
            if parsed.target.whole_document:
                candidates = candidates.filter(start__isnull=True, exact="")
            else:
                try:
                    found = anchoring.match(parsed.target, document.canonical_text)
                except anchoring.AnchoringError:
                    return None  # create_annotation says why, as for any item
                candidates = candidates.filter(start=found.start, end=found.end, exact=found.exact)
        wanted = sorted(parsed.tags)
        for candidate in candidates.prefetch_related("tags"):
            if sorted(tag.name for tag in candidate.tags.all()) == wanted:
                return candidate
        return None

    def store(self, entry: _Entry, *, document: Document | None = None, parent: Annotation | None = None):
        if entry.original_id:
            already = self.existing.get(entry.original_id)
        else:
            already = self.identical(entry, document=document, parent=parent)
        if already is not None:
            self.already_there(entry, already)
            return
        parsed = entry.parsed
        mine = entry.copy_of is None
        try:
            with transaction.atomic():
                annotation = create_annotation(
                    author=self.user,
                    document=document,
                    target=None if parent else parsed.target,
                    parent=parent,
                    comment=parsed.comment,
                    tags=parsed.tags,
                    visibility=parsed.visibility if mine else Annotation.Visibility.PRIVATE,
                    group=parsed.group_slug if mine and not parent else None,
                    via=entry.original_id,
                    canonical=parsed.canonical,
                    created=entry.created,
                    modified=None if mine else entry.modified,
                    copy_of=entry.copy_of,
                    notify=False,  # a bulk path: docs/reading-and-annotating.md, "Notifications"
                )
        except AnnotationError as error:
            self.refuse(entry.index, entry.original_id, error.field, error.message)
            return
        self.outcome[entry.index] = annotation
        self.report.add(
            Outcome(
                Action.CREATED,
                label(entry.index, entry.original_id),
                index=entry.index,
                id=printable(entry.original_id),
                stored=annotation,
            )
        )
