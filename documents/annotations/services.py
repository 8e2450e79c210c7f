"""Writes that span several models, each in one transaction.

Views, the API, the admin and the management commands call these; none of them
writes annotations directly, so anchoring, sanitising and limits are enforced
in one place.

Every write runs in ``writes.writing`` (docs/architecture.md, "Concurrency"), which counts the
change on the panels and tells the search index and the notifications; it re-reads what it
checks inside its transaction, holding the rows: a document's row while its text is read to
anchor or re-anchor, a thread's root while replies are added or removed, an annotation's row
from the caller's precondition (the API's If-Match) to the write. Writes update by primary key,
so a row deleted meanwhile is never inserted again. On SQLite, ``select_for_update`` does
nothing and the settings' IMMEDIATE transactions serialise writers instead.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from taggit.models import Tag

from documents.annotations import anchoring
from documents.annotations.models import Annotation, TaggedAnnotation
from documents.annotations.moderation import hides_its_replies
from documents.annotations.rules import (
    PARENT_NOT_VISIBLE,
    AnnotationError,
    OriginalCreator,
    check_comment,
    check_copy,
    check_group,
    check_move,
    check_page_note,
    check_visibility,
    clean_tags,
    motivation_for,
)
from documents.annotations.sanitise import render_markdown
from documents.annotations.tags import tags_named
from documents.annotations.writes import (
    AUTHOR_FIELDS,
    QUOTE_FIELDS,
    TARGET_FIELDS,
    Precondition,
    Target,
    writing,
)
from documents.archive.models import Document, TaggedDocument
from documents.groups.models import Group


def _anchor(document: Document, target: Target) -> anchoring.Match:
    try:
        return anchoring.match(target, document.canonical_text)
    except anchoring.AnchoringError as error:
        raise AnnotationError(error.reason, field="target") from error


def create_annotation(
    *,
    author,
    document: Document | None = None,
    target: Target | None = None,
    parent: Annotation | None = None,
    comment: str = "",
    tags: Iterable[str] = (),
    visibility: str = Annotation.Visibility.PRIVATE,
    group: Group | str | None = None,
    via: str = "",
    canonical: str = "",
    created=None,
    modified=None,
    copy_of: OriginalCreator | None = None,
    notify: bool = True,
) -> Annotation:
    """Anchor, sanitise and store a new annotation, or a reply when ``parent`` is given.

    A reply takes its document, visibility and group from the root of its thread; its
    parent is read again under the thread's lock, so a reply to an annotation
    deleted (or no longer visible to ``author``) meanwhile raises AnnotationError
    instead of leaving a reply to nothing. A group note, or a reply in a group's
    thread, needs its author to be in the group now (``check_group``; ``group`` is
    the Group or its slug). A selection that does not match the document's text as
    stored now raises AnnotationError; nothing is stored. ``copy_of`` marks an imported note
    someone else wrote, which ``check_copy`` keeps private. The authors it replies to
    and the readers it mentions are notified unless ``notify`` is off (imports;
    docs/reading-and-annotating.md, "Notifications").
    """
    comment = check_comment(comment)
    tag_names = clean_tags(tags)
    with writing(actor=author, notify=notify) as write:
        annotation = Annotation(
            author=author,
            comment=comment,
            comment_html=render_markdown(comment) if comment else "",
            via=via,
            canonical=canonical,
        )
        if created is not None:
            annotation.created = annotation.modified = created
            if modified is not None and created <= modified:
                annotation.modified = modified
        if copy_of is not None:
            annotation.imported_copy = True
            annotation.creator_name, annotation.creator_iri = copy_of.name, copy_of.iri
        if parent is not None:
            try:
                visible = Annotation.objects.visible_to(author)
                parent = write.hold_annotation(parent, among=visible, thread=True)
            except Annotation.DoesNotExist:
                raise AnnotationError(PARENT_NOT_VISIBLE, field="target") from None
            root = parent.root or parent
            annotation.parent = parent
            annotation.root = root
            annotation.document = root.document
            annotation.visibility = root.visibility
            annotation.group = check_group(root.visibility, root.group, author=author)
            annotation.revision = root.document.revision
            annotation.ancestor_hidden = hides_its_replies(parent)
            if not comment.strip():
                raise AnnotationError("A reply needs a comment.", field="comment")
        else:
            if document is None or target is None:
                raise AnnotationError("An annotation needs a document and a selection.", field="target")
            document = write.read_document(document)
            annotation.document = document
            annotation.visibility = check_visibility(visibility)
            annotation.group = check_group(annotation.visibility, group, author=author)
            _place(annotation, document, target)
        if created is None:
            # Dated when written, with its rows held: a reply that waited for its thread (a move, say)
            # was written after what it waited for.
            annotation.created = annotation.modified = timezone.now()
        if copy_of is not None:
            check_copy(visibility=annotation.visibility, root=annotation.root)
        if annotation.is_page_note:
            check_page_note(comment=comment, tags=tag_names)
        annotation.motivation = motivation_for(is_reply=parent is not None, comment=comment, tags=tag_names)
        annotation.save()
        if tag_names:
            annotation.tags.set(tags_named(tag_names))
        # docs/search.md, "How search works" and docs/reading-and-annotating.md, "Notifications".
        write.created(annotation)
    return annotation


def update_annotation(
    annotation: Annotation,
    *,
    precondition: Precondition | None = None,
    comment: str | None = None,
    tags: Iterable[str] | None = None,
    visibility: str | None = None,
    group: Group | str | None = None,
    target: Target | None = None,
) -> Annotation:
    """Change what the author may change; ``None`` leaves a field as it is. Returns it as stored.

    The annotation is read again with its row held, ``precondition`` (such as
    the API's If-Match check) runs on that copy and may raise to stop the
    write, and only then is it written: of many writers who read the same
    version, one wins. Raises Annotation.DoesNotExist when it was deleted
    meanwhile. A ``target`` that repeats the stored selection (or an orphan's
    last one) keeps it as it is. A reply's visibility follows its root;
    changing a root's visibility (and ``group``, read with it) carries its
    replies along, so a thread is never half public, nor half in a group,
    and is refused while the thread holds another's reply or a hidden note
    (``check_move``, under the root's lock, which replies and hides take too).
    """
    with writing() as write:
        if target is not None and not annotation.is_reply:
            document = write.read_document(annotation.document)
        annotation = write.hold_annotation(annotation)
        write.actor = annotation.author
        if precondition is not None:
            precondition(annotation)
        fields = list(AUTHOR_FIELDS)
        if comment is not None:
            annotation.comment = check_comment(comment)
            annotation.comment_html = render_markdown(comment) if comment else ""
        tag_names = clean_tags(tags) if tags is not None else None
        if target is not None and not annotation.is_reply and not _repeats_selection(target, annotation):
            annotation.document = document
            _place(annotation, document, target)
            annotation.anchor = Annotation.Anchor.ANCHORED
            annotation.original_exact, annotation.quoted_revision = "", None
            fields += TARGET_FIELDS + QUOTE_FIELDS
        if visibility is not None and not annotation.is_reply:
            visibility = check_visibility(visibility)
            if annotation.imported_copy:
                check_copy(visibility=visibility)
            group = check_group(visibility, group, author=annotation.author)
            if (visibility, group) != (annotation.visibility, annotation.group):
                check_move(annotation)
                annotation.visibility, annotation.group = visibility, group
                annotation.thread.update(visibility=visibility, group=group)
        if annotation.is_reply and not annotation.comment.strip():
            raise AnnotationError("A reply needs a comment.", field="comment")
        current_tags = tag_names if tag_names is not None else [t.name for t in annotation.tags.all()]
        if annotation.is_page_note:
            check_page_note(comment=annotation.comment, tags=current_tags)
        annotation.motivation = motivation_for(
            is_reply=annotation.is_reply, comment=annotation.comment, tags=current_tags
        )
        annotation.modified = timezone.now()
        annotation.save(force_update=True, update_fields=fields)
        if tag_names is not None:
            annotation.tags.set(tags_named(tag_names))
        # Readers mentioned for the first time, or who may see the note only now, are told
        # (docs/reading-and-annotating.md, "Notifications").
        write.edited(annotation, readdressed=comment is not None or visibility is not None)
    return annotation


def _place(annotation: Annotation, document: Document, target: Target) -> None:
    """Put ``annotation`` on the words ``target`` selects in ``document`` (locked), or on the whole
    document when it selects nothing: a page note has no quote and no position, so re-anchoring
    passes it by and it never becomes an orphan (docs/reading-and-annotating.md, "How to annotate")."""
    if target.whole_document:
        annotation.exact, annotation.prefix, annotation.suffix = "", "", ""
        annotation.start = annotation.end = None
    else:
        found = _anchor(document, target)
        annotation.exact, annotation.prefix, annotation.suffix = found.exact, found.prefix, found.suffix
        annotation.start, annotation.end = found.start, found.end
    annotation.revision = document.revision


def _repeats_selection(target: Target, annotation: Annotation) -> bool:
    """Whether a target names the stored selection: a PUT that repeats it keeps it as it is.

    A changed quote's words chosen again without a ``state`` are the author's new choice
    of words (docs/curators.md, "Revisions"), not an echo of the target as it was read.
    """
    if target.whole_document or annotation.is_page_note:
        return target.whole_document and annotation.is_page_note
    if annotation.quote_changed and not target.dated:
        return False
    same_quote = target.exact is None or target.exact == annotation.exact
    same_position = target.start is None or (target.start, target.end) == (annotation.start, annotation.end)
    return same_quote and same_position


def delete_annotation(annotation: Annotation, *, precondition: Precondition | None = None) -> None:
    """Delete an annotation with its replies (they answer something that is gone).

    Runs under its thread's lock, so no reply is added meanwhile; ``precondition``
    runs on the annotation as stored now. Raises Annotation.DoesNotExist when
    it was deleted meanwhile.
    """
    with writing() as write:
        annotation = write.hold_annotation(annotation, thread=True)
        if precondition is not None:
            precondition(annotation)
        write.deleted(annotation)
        annotation.delete()


def merge_tags(*, into: Tag, tags) -> int:
    """A curator merges ``tags`` into ``into``: every use moves, on documents and on every
    annotation, public or private, and the merged tags are deleted; returns how many tags
    were merged.

    The curator chose among tags they may see, and the result names tags only, never the
    notes that carried them, so private notes stay unrevealed (docs/reading-and-annotating.md, "Privacy"). An
    object
    that already has ``into`` keeps one copy. The tags' rows are locked first, so a merge
    and a new use of a merged tag cannot interleave.
    """
    sources = sorted({tag.pk for tag in tags} - {into.pk})
    with writing() as write:
        list(Tag.objects.select_for_update().filter(pk__in=[*sources, into.pk]).order_by("pk"))
        for through in (TaggedDocument, TaggedAnnotation):
            for source in sources:
                has_target = through.objects.filter(tag=into).values("content_object_id")
                through.objects.filter(tag_id=source, content_object_id__in=has_target).delete()
                through.objects.filter(tag_id=source).update(tag=into)
        deleted = Tag.objects.filter(pk__in=sources).delete()[1].get(Tag._meta.label, 0)
        # Re-indexed (docs/search.md, "How search works"); anonymous readers' pages change only where
        # they see the tag (docs/reading-and-annotating.md, "Privacy"): on a document or a note they see.
        write.edited(Annotation.objects.filter(tagged_items__tag=into))
        write.documents_changed(Document.objects.filter(tagged_items__tag=into))
    return deleted
