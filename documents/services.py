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

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from documents import anchoring
from documents.annotation_rules import (
    PARENT_NOT_VISIBLE,
    AnnotationError,
    check_comment,
    check_visibility,
    clean_tags,
    motivation_for,
)
from documents.models import Annotation, Document
from documents.sanitise import render_markdown
from documents.tags import tags_named

# What a client says it selected: a quote, a position, or both (code points).
Target = anchoring.Selector


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
    comment = check_comment(comment)
    tag_names = clean_tags(tags)
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
            raise AnnotationError(PARENT_NOT_VISIBLE, field="target") from None
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
        annotation.visibility = check_visibility(visibility)
        annotation.exact, annotation.prefix, annotation.suffix = found.exact, found.prefix, found.suffix
        annotation.start, annotation.end = found.start, found.end
        annotation.revision = document.revision
    annotation.motivation = motivation_for(is_reply=parent is not None, comment=comment, tags=tag_names)
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
    annotation = _lock_annotation(annotation)
    if precondition is not None:
        precondition(annotation)
    fields = list(AUTHOR_FIELDS)
    if comment is not None:
        annotation.comment = check_comment(comment)
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
        annotation.visibility = check_visibility(visibility)
        annotation.thread.update(visibility=annotation.visibility)
    if annotation.is_reply and not annotation.comment.strip():
        raise AnnotationError("A reply needs a comment.", field="comment")
    current_tags = tag_names if tag_names is not None else [t.name for t in annotation.tags.all()]
    annotation.motivation = motivation_for(
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
    if old_text is None:
        return None
    return reanchor_document(document, old_text=old_text)
