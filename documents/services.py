"""Writes that span several models, each in one transaction.

Views, the API, the admin and the management commands call these; none of them
writes annotations directly, so anchoring, sanitising and limits are enforced
in one place.

Every write re-reads what it checks inside its transaction, holding the rows
(README, "Concurrency"): a document's row while its text is read to anchor or
re-anchor, a thread's root while replies are added or removed, an annotation's
row from the caller's precondition (the API's If-Match) to the write. Writes
update by primary key, so a row deleted meanwhile is never inserted again. On
SQLite, ``select_for_update`` does nothing and the settings' IMMEDIATE
transactions serialise writers instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from documents import anchoring
from documents.api import jsonld
from documents.models import Annotation, Document
from documents.sanitise import render_markdown
from documents.tags import tags_named


class AnnotationError(ValueError):
    """An annotation cannot be written as asked; ``field`` names the input at fault."""

    def __init__(self, message: str, *, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


# What a client says it selected: a quote, a position, or both (code points).
Target = anchoring.Selector


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Strip, drop empties and case-insensitive duplicates, keeping the first spelling."""
    seen: set[str] = set()
    cleaned: list[str] = []
    for tag in tags:
        name = " ".join(str(tag).split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            cleaned.append(name)
    if len(cleaned) > Annotation.MAX_TAGS:
        raise AnnotationError(
            f"An annotation can carry at most {Annotation.MAX_TAGS} tags; this one has {len(cleaned)}.",
            field="tags",
        )
    for name in cleaned:
        if len(name) > 100:
            raise AnnotationError(f"The tag “{name[:30]}…” is longer than 100 characters.", field="tags")
    return cleaned


def _check_comment(comment: str) -> str:
    if len(comment) > Annotation.MAX_COMMENT_LENGTH:
        raise AnnotationError(
            f"The comment has {len(comment):,} characters; the limit is {Annotation.MAX_COMMENT_LENGTH:,}. "
            "Shorten it or split it into replies.",
            field="comment",
        )
    return comment


def _motivation(*, is_reply: bool, comment: str, tags: list[str]) -> str:
    if is_reply:
        return Annotation.Motivation.REPLYING
    if comment.strip():
        return Annotation.Motivation.COMMENTING
    if tags:
        return Annotation.Motivation.TAGGING
    return Annotation.Motivation.HIGHLIGHTING


def _anchor(document: Document, target: Target) -> anchoring.Match:
    try:
        return anchoring.match(target, document.canonical_text)
    except anchoring.AnchoringError as error:
        raise AnnotationError(error.reason, field="target") from error


# Fields the author changes; a curator's hiding and the re-anchoring are written by their own services.
AUTHOR_FIELDS = ["comment", "comment_html", "visibility", "motivation", "modified"]
TARGET_FIELDS = ["exact", "prefix", "suffix", "start", "end", "revision", "anchor"]

Precondition = Callable[[Annotation], None]


def _lock_document(document: Document) -> Document:
    """The document as stored now, its row held until commit, so its text cannot change under us.

    ``no_key`` (PostgreSQL's FOR NO KEY UPDATE) still lets other transactions
    insert rows that refer to the document, such as replies, so they never wait
    on a text edit that in turn waits on their thread.
    """
    return Document.objects.select_for_update(no_key=True).get(pk=document.pk)


def _lock_thread(annotation: Annotation) -> None:
    """Hold the root of ``annotation``'s thread: replies are only added and removed under it."""
    root_id = annotation.root_id or annotation.pk
    list(Annotation.objects.select_for_update().filter(pk=root_id).values_list("pk", flat=True))


def _lock_annotation(annotation: Annotation, *, among=None, related: bool = True) -> Annotation:
    """``annotation`` as stored now (from ``among``, all annotations by default), its row held until commit.

    ``related`` loads what its JSON-LD shows (an If-Match precondition needs it);
    hiding and restoring need only the row. Raises Annotation.DoesNotExist when
    it was deleted meanwhile (or left ``among``).
    """
    among = Annotation.objects.all() if among is None else among
    if related:
        among = among.with_related()
    return among.select_for_update(of=("self",)).get(pk=annotation.pk)


def _panels_changed(document_id) -> None:
    """Every write that changes what a document's Annotations panel shows calls this, in its transaction.

    The reading view caches the panel under the document's ``annotations_version``
    (README, "Performance"), so the bump commits or rolls back with the write itself.
    It comes first, before any thread or annotation lock: it holds the document's
    row, and taking the document before its annotations, as every write does,
    keeps two writers from each waiting on the other (a deadlock on PostgreSQL).
    """
    Document.objects.filter(pk=document_id).bump_annotations_version()


def _set_visibility(visibility: str) -> str:
    if visibility not in Annotation.Visibility.values:
        raise AnnotationError(
            f"Visibility must be “private” or “public”, not “{visibility}”.", field="visibility"
        )
    return visibility


@transaction.atomic
def create_annotation(
    *,
    author,
    document: Document | None = None,
    target: Target | None = None,
    parent: Annotation | None = None,
    comment: str = "",
    tags: Iterable[str] = (),
    visibility: str = Annotation.Visibility.PRIVATE,
    via: str = "",
    canonical: str = "",
    created=None,
) -> Annotation:
    """Anchor, sanitise and store a new annotation, or a reply when ``parent`` is given.

    A reply takes its document and visibility from the root of its thread; its
    parent is read again under the thread's lock, so a reply to an annotation
    deleted (or no longer visible to ``author``) meanwhile raises AnnotationError
    instead of leaving a reply to nothing. A selection that does not match the
    document's text as stored now raises AnnotationError; nothing is stored.
    """
    comment = _check_comment(comment)
    tag_names = clean_tags(tags)
    if parent is not None or document is not None:
        _panels_changed(parent.document_id if parent is not None else document.pk)
    annotation = Annotation(
        author=author,
        comment=comment,
        comment_html=render_markdown(comment) if comment else "",
        via=via,
        canonical=canonical,
    )
    if created is not None:
        annotation.created = annotation.modified = created
    if parent is not None:
        _lock_thread(parent)
        try:
            parent = _lock_annotation(parent, among=Annotation.objects.visible_to(author))
        except Annotation.DoesNotExist:
            raise AnnotationError(
                "The annotation this replies to was deleted, or you may no longer see it.", field="target"
            ) from None
        root = parent.root or parent
        annotation.parent = parent
        annotation.root = root
        annotation.document = root.document
        annotation.visibility = root.visibility
        annotation.revision = root.document.revision
        annotation.ancestor_hidden = _hides_its_replies(parent)
        if not comment.strip():
            raise AnnotationError("A reply needs a comment.", field="comment")
    else:
        if document is None or target is None:
            raise AnnotationError("An annotation needs a document and a selection.", field="target")
        document = _lock_document(document)
        found = _anchor(document, target)
        annotation.document = document
        annotation.visibility = _set_visibility(visibility)
        annotation.exact, annotation.prefix, annotation.suffix = found.exact, found.prefix, found.suffix
        annotation.start, annotation.end = found.start, found.end
        annotation.revision = document.revision
    annotation.motivation = _motivation(is_reply=parent is not None, comment=comment, tags=tag_names)
    annotation.save()
    if tag_names:
        annotation.tags.set(tags_named(tag_names))
    return annotation


@transaction.atomic
def update_annotation(
    annotation: Annotation,
    *,
    precondition: Precondition | None = None,
    comment: str | None = None,
    tags: Iterable[str] | None = None,
    visibility: str | None = None,
    target: Target | None = None,
) -> Annotation:
    """Change what the author may change; ``None`` leaves a field as it is. Returns it as stored.

    The annotation is read again with its row held, ``precondition`` (such as
    the API's If-Match check) runs on that copy and may raise to stop the
    write, and only then is it written: of many writers who read the same
    version, one wins. Raises Annotation.DoesNotExist when it was deleted
    meanwhile. A ``target`` that repeats the stored selection (or an orphan's
    last one) keeps it as it is. A reply's visibility follows its root;
    changing a root's visibility carries its replies along, so a thread is
    never half public.
    """
    if target is not None and not annotation.is_reply:
        document = _lock_document(annotation.document)
    _panels_changed(annotation.document_id)
    annotation = _lock_annotation(annotation)
    if precondition is not None:
        precondition(annotation)
    fields = list(AUTHOR_FIELDS)
    if comment is not None:
        annotation.comment = _check_comment(comment)
        annotation.comment_html = render_markdown(comment) if comment else ""
    tag_names = clean_tags(tags) if tags is not None else None
    if target is not None and not annotation.is_reply and not _repeats_selection(target, annotation):
        annotation.document = document
        found = _anchor(document, target)
        annotation.exact, annotation.prefix, annotation.suffix = found.exact, found.prefix, found.suffix
        annotation.start, annotation.end = found.start, found.end
        annotation.revision = document.revision
        annotation.anchor = Annotation.Anchor.ANCHORED
        fields += TARGET_FIELDS
    if visibility is not None and not annotation.is_reply:
        annotation.visibility = _set_visibility(visibility)
        annotation.thread.update(visibility=annotation.visibility)
    if annotation.is_reply and not annotation.comment.strip():
        raise AnnotationError("A reply needs a comment.", field="comment")
    current_tags = tag_names if tag_names is not None else [t.name for t in annotation.tags.all()]
    annotation.motivation = _motivation(
        is_reply=annotation.is_reply, comment=annotation.comment, tags=current_tags
    )
    annotation.modified = timezone.now()
    annotation.save(force_update=True, update_fields=fields)
    if tag_names is not None:
        annotation.tags.set(tags_named(tag_names))
    return annotation


def _repeats_selection(target: Target, annotation: Annotation) -> bool:
    """Whether a target names the stored selection: a PUT that repeats it keeps it as it is."""
    same_quote = target.exact is None or target.exact == annotation.exact
    same_position = target.start is None or (target.start, target.end) == (annotation.start, annotation.end)
    return same_quote and same_position


@transaction.atomic
def delete_annotation(annotation: Annotation, *, precondition: Precondition | None = None) -> None:
    """Delete an annotation with its replies (they answer something that is gone).

    Runs under its thread's lock, so no reply is added meanwhile; ``precondition``
    runs on the annotation as stored now. Raises Annotation.DoesNotExist when
    it was deleted meanwhile.
    """
    _panels_changed(annotation.document_id)
    _lock_thread(annotation)
    annotation = _lock_annotation(annotation)
    if precondition is not None:
        precondition(annotation)
    annotation.delete()


HIDDEN_FIELDS = ["hidden", "hidden_by", "hidden_at", "hidden_reason"]


@transaction.atomic
def hide_annotation(annotation: Annotation, *, by, reason: str) -> Annotation:
    """A curator hides a public annotation, and the replies below it, from everyone but their
    authors and curators.

    Runs under its thread's lock, so a reply written meanwhile sees the hiding and
    starts hidden. Raises Annotation.DoesNotExist when it was deleted meanwhile.
    """
    reason = reason.strip()
    if not reason:
        raise AnnotationError("Give a reason for hiding; the author will see it.", field="reason")
    _panels_changed(annotation.document_id)
    _lock_thread(annotation)
    annotation = _lock_annotation(annotation, related=False)
    annotation.hidden = True
    annotation.hidden_by = by
    annotation.hidden_at = timezone.now()
    annotation.hidden_reason = reason
    annotation.save(force_update=True, update_fields=HIDDEN_FIELDS)
    _mark_hidden_branches(annotation)
    return annotation


@transaction.atomic
def restore_annotation(annotation: Annotation) -> Annotation:
    """Undo a hiding. Raises Annotation.DoesNotExist when the annotation was deleted meanwhile."""
    _panels_changed(annotation.document_id)
    _lock_thread(annotation)
    annotation = _lock_annotation(annotation, related=False)
    annotation.hidden = False
    annotation.hidden_by = None
    annotation.hidden_at = None
    annotation.hidden_reason = ""
    annotation.save(force_update=True, update_fields=HIDDEN_FIELDS)
    _mark_hidden_branches(annotation)
    return annotation


def _hides_its_replies(annotation: Annotation) -> bool:
    """Whether a reply to ``annotation`` starts hidden: it or one of its ancestors is, as now stored."""
    hidden, above = Annotation.objects.values_list("hidden", "ancestor_hidden").get(pk=annotation.pk)
    return hidden or above


def _mark_hidden_branches(annotation: Annotation) -> None:
    """Recompute ``ancestor_hidden`` for every reply in ``annotation``'s thread.

    The thread is read in one query and the flags are written in at most two,
    whatever its depth, so that ``visible_to`` stays a filter on the row itself.
    A reply stays hidden while any annotation above it is hidden, so restoring
    one annotation does not reveal a branch a curator hid further down.
    """
    root_id = annotation.root_id or annotation.pk
    rows = Annotation.objects.filter(Q(pk=root_id) | Q(root_id=root_id)).values_list(
        "pk", "parent_id", "hidden", "ancestor_hidden"
    )
    children: dict = {}
    stored: dict = {}
    hidden: dict = {}
    for pk, parent_id, is_hidden, ancestor_hidden in rows:
        children.setdefault(parent_id, []).append(pk)
        stored[pk], hidden[pk] = ancestor_hidden, is_hidden
    wanted = {root_id: False}
    pending = [root_id]
    while pending:
        pk = pending.pop()
        for child in children.get(pk, ()):
            wanted[child] = wanted[pk] or hidden[pk]
            pending.append(child)
    for flag in (True, False):
        changed = [pk for pk, value in wanted.items() if value is flag and stored.get(pk) is not flag]
        if changed:
            Annotation.objects.filter(pk__in=changed).update(ancestor_hidden=flag)


@dataclass(frozen=True)
class ReanchorReport:
    kept: int
    moved: int
    orphaned: int


@transaction.atomic
def reanchor_document(document: Document, *, old_text: str) -> ReanchorReport:
    """After a curator changes ``document.text``, move each annotation to its quote again.

    An annotation whose quote is found again is updated (``reanchored`` when its
    position changed); one that cannot be found with confidence is marked
    ``orphaned`` and keeps its old selectors, so it is listed, never lost or
    silently misplaced. ``old_text`` is the canonical text before the edit.
    The document's row is held, so no annotation is anchored to the old text
    meanwhile.
    """
    _lock_document(document)
    new_text = document.canonical_text
    kept = moved = orphaned = 0
    changed: list[Annotation] = []
    roots = document.annotations.filter(parent__isnull=True).exclude(revision=document.revision)
    for annotation in roots.iterator():
        found = anchoring.reanchor(
            exact=annotation.exact,
            prefix=annotation.prefix,
            suffix=annotation.suffix,
            start=annotation.start,
            end=annotation.end,
            old_text=old_text,
            new_text=new_text,
        )
        if found is None:
            annotation.anchor = Annotation.Anchor.ORPHANED
            orphaned += 1
        else:
            same_place = (found.start, found.end, found.exact) == (
                annotation.start,
                annotation.end,
                annotation.exact,
            )
            if annotation.anchor == Annotation.Anchor.ORPHANED or not same_place:
                annotation.anchor = Annotation.Anchor.REANCHORED
                moved += 1
            else:
                kept += 1
            annotation.exact, annotation.prefix, annotation.suffix = found.exact, found.prefix, found.suffix
            annotation.start, annotation.end = found.start, found.end
            annotation.revision = document.revision
        changed.append(annotation)
    Annotation.objects.bulk_update(
        changed, ["anchor", "exact", "prefix", "suffix", "start", "end", "revision"], batch_size=500
    )
    _panels_changed(document.pk)
    return ReanchorReport(kept=kept, moved=moved, orphaned=orphaned)


@transaction.atomic
def save_document(document: Document) -> ReanchorReport | None:
    """Save a document; when its text changed, re-anchor its annotations in the same transaction.

    The text and revision it replaces are read again with the row held, so
    concurrent edits each count a revision and re-anchor from the text they
    really replace.
    """
    if not document._state.adding:
        stored = _lock_document(document)
        document.saved_text, document.revision = stored.text, stored.revision
    old_text = Document(text=document.saved_text).canonical_text if document.text_changed else None
    document.save()
    _panels_changed(document.pk)
    if old_text is None:
        return None
    return reanchor_document(document, old_text=old_text)


# --- Accounts ------------------------------------------------------------------------------------


@transaction.atomic
def save_account(user) -> None:
    """Save a user account; when its name changes, every panel that shows the name is rendered again.

    The name is read again with the row held, so two renames cannot both miss the change.
    """
    if user.pk is None:
        user.save()
        return
    stored = (
        get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("username", flat=True)
    )
    renamed = stored.first() != user.get_username()
    user.save()
    if renamed:
        _panels_of_author_changed(user)


@transaction.atomic
def delete_account(user) -> None:
    """Delete a user account and, with it, their annotations (and the replies to them)."""
    _panels_of_author_changed(user)
    user.delete()


def _panels_of_author_changed(user) -> None:
    """Bump the panels of every document where ``user`` wrote, or was replied to."""
    Document.objects.filter(
        pk__in=Annotation.objects.filter(author=user).values("document")
    ).bump_annotations_version()


# --- Importing ---------------------------------------------------------------------------------

MAX_IMPORT_ANNOTATIONS = 1_000
MAX_IMPORT_BYTES = 5 * 1024 * 1024


class ImportTooLarge(AnnotationError):
    """The whole import is refused: it holds more than one import may (the limits above)."""


@dataclass(frozen=True)
class Refusal:
    """An item of an import that was not stored, and why.

    ``index`` counts the items from 0 in the order sent; ``id`` is the item's
    own ``id`` ("" without one); ``field`` is the input at fault as a JSON path
    such as ``target.selector[0].start`` ("" for the item as a whole).
    """

    index: int
    id: str
    field: str
    reason: str


@dataclass
class ImportReport:
    imported: list[Annotation]
    refused: list[Refusal]


@transaction.atomic
def import_annotations(
    *, user, items: list[object], base_url: str, document: Document | None = None
) -> ImportReport:
    """Store W3C annotations from a file or an API request as new annotations of ``user``.

    Each item is read with ``jsonld.parse_annotation`` and stored with
    ``create_annotation`` in a savepoint of its own, so a bad item is refused
    with its reason and the others are still stored. The importer is always
    the author; the item's ``id`` is kept in ``via``, and its ``created`` date
    when valid. Roots are stored before replies: a reply whose parent is in the
    same import (matched by the parent's ``id``) answers the parent's new copy;
    otherwise its parent must be an annotation ``user`` may see.

    An item ``user`` already has (its ``id`` names one of their annotations, or
    one of theirs was imported from that ``id``) is refused as already there,
    so importing a file again stores nothing twice; replies to it attach to the
    one already there. With ``document``, only annotations on that document
    (and replies in its threads) are accepted.

    Raises ImportTooLarge for more than MAX_IMPORT_ANNOTATIONS items and
    AnnotationError for none. Callers check MAX_IMPORT_BYTES before they parse.
    """
    if len(items) > MAX_IMPORT_ANNOTATIONS:
        raise ImportTooLarge(
            f"An import may hold at most {MAX_IMPORT_ANNOTATIONS:,} annotations; this one has "
            f"{len(items):,}. Split it into smaller files.",
            field="items",
        )
    if not items:
        raise AnnotationError("There are no annotations to import.", field="items")
    # One import at a time per user, so two copies of a file sent at once cannot both find nothing there.
    list(get_user_model().objects.select_for_update(no_key=True).filter(pk=user.pk).values_list("pk"))
    return _Import(user=user, items=items, base_url=base_url, scope=document).run()


@dataclass(frozen=True)
class _Entry:
    """An item that parsed: where it was, the id it had (or ""), what it asks for."""

    index: int
    original_id: str
    parsed: object
    created: object


class _Import:
    """One run of ``import_annotations``.

    ``outcome`` maps an item's index to the annotation it became (or already
    was) once it has been handled, or to None when it was refused; replies
    wait until their parent's outcome is known.
    """

    def __init__(self, *, user, items: list[object], base_url: str, scope: Document | None):
        self.jsonld = jsonld
        self.user = user
        self.items = items
        self.base_url = base_url
        self.scope = scope
        self.outcome: dict[int, Annotation | None] = {}
        self.imported: list[Annotation] = []
        self.refused: list[Refusal] = []

    def run(self) -> ImportReport:
        entries = self.read()
        self.load(entries)
        for entry in entries:
            if not entry.parsed.is_reply:
                self.store_root(entry)
        self.store_replies([entry for entry in entries if entry.parsed.is_reply])
        self.refused.sort(key=lambda refusal: refusal.index)
        return ImportReport(imported=self.imported, refused=self.refused)

    def refuse(self, index: int, original_id: str, field: str, reason: str) -> None:
        """Report an item as not stored; its id and reason may quote input that UTF-8 cannot carry."""
        self.refused.append(Refusal(index, _printable(original_id), field, _printable(reason)))
        self.outcome[index] = None

    def read(self) -> list[_Entry]:
        """Parse every item; refuse those that do not parse and repeats of an id already seen."""
        entries: list[_Entry] = []
        seen_ids: set[str] = set()
        for index, raw in enumerate(self.items):
            try:
                parsed = self.jsonld.parse_annotation(raw, base_url=self.base_url)
            except self.jsonld.JsonLdError as error:
                self.refuse(index, _raw_id(raw), error.field, error.message)
                continue
            # The parser keeps an id of this archive apart (for PUT); in an import it is the original.
            original_id = raw["id"] if parsed.annotation_id is not None else parsed.via
            if original_id in seen_ids:
                self.refuse(index, original_id, "id", "An earlier annotation in the import has this id too.")
                continue
            if original_id:
                seen_ids.add(original_id)
            entries.append(_Entry(index, original_id, parsed, _raw_created(raw)))
        return entries

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
                self.existing[self.jsonld.annotation_iri(annotation.pk, base_url=self.base_url)] = annotation
                if annotation.via:
                    self.existing.setdefault(annotation.via, annotation)

    def store_root(self, entry: _Entry) -> None:
        document = self.documents.get(entry.parsed.document_slug)
        if document is None:
            self.refuse(
                entry.index,
                entry.original_id,
                "target.source",
                "The target source is not a published document of this archive.",
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

    def store(self, entry: _Entry, *, document: Document | None = None, parent: Annotation | None = None):
        if already := self.existing.get(entry.original_id):
            iri = self.jsonld.annotation_iri(already.pk, base_url=self.base_url)
            self.refuse(entry.index, entry.original_id, "id", f"You already have this annotation: {iri}")
            self.outcome[entry.index] = already
            return
        parsed = entry.parsed
        try:
            with transaction.atomic():
                annotation = create_annotation(
                    author=self.user,
                    document=document,
                    target=None if parent else parsed.target,
                    parent=parent,
                    comment=parsed.comment,
                    tags=parsed.tags,
                    visibility=parsed.visibility,
                    via=entry.original_id,
                    canonical=parsed.canonical,
                    created=entry.created,
                )
        except AnnotationError as error:
            self.refuse(entry.index, entry.original_id, error.field, error.message)
            return
        self.outcome[entry.index] = annotation
        self.imported.append(annotation)


def _printable(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode()


def _raw_id(item: object) -> str:
    """An unparsable item's ``id`` for the report, cut short so a huge one cannot flood it."""
    value = item.get("id") if isinstance(item, dict) else None
    if not isinstance(value, str):
        return ""
    limit = Annotation._meta.get_field("via").max_length
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _raw_created(item: object):
    """The item's ``created`` when it is a valid date-time with a time zone, not in the future.

    The JSON-LD parser ignores ``created``, because a client may not date a new
    annotation; an import is the one place where the original date is kept.
    """
    value = item.get("created") if isinstance(item, dict) else None
    if not isinstance(value, str):
        return None
    try:
        moment = parse_datetime(value)
        if moment is None or timezone.is_naive(moment) or moment > timezone.now():
            return None
        moment.astimezone(UTC)
    except (ValueError, OverflowError):
        # Impossible dates, and "0001-01-01T00:00:00+23:00", which is before year 1 in UTC.
        return None
    return moment
