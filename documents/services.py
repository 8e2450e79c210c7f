"""Writes that span several models, each in one transaction.

Views, the API, the admin and the management commands call these; none of them
writes annotations directly, so anchoring, sanitising and limits are enforced
in one place.

Every write re-reads what it checks inside its transaction, holding the rows
(docs/architecture.md, "Concurrency"): a document's row while its text is read to anchor or
re-anchor, a thread's root while replies are added or removed, an annotation's
row from the caller's precondition (the API's If-Match) to the write. Writes
update by primary key, so a row deleted meanwhile is never inserted again. On
SQLite, ``select_for_update`` does nothing and the settings' IMMEDIATE
transactions serialise writers instead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, F, Q
from django.utils import timezone
from taggit.models import Tag

from documents import anchoring, diffs, notifications, search
from documents.annotation_rules import (
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
from documents.models import (
    Annotation,
    Document,
    DocumentRevision,
    Flag,
    Group,
    Membership,
    TaggedAnnotation,
    TaggedDocument,
)
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
AUTHOR_FIELDS = ["comment", "comment_html", "visibility", "group", "motivation", "modified"]
TARGET_FIELDS = ["exact", "prefix", "suffix", "start", "end", "revision", "anchor"]
QUOTE_FIELDS = ["original_exact", "quoted_revision"]

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


def _panels_changed(document_id, *, public: bool) -> None:
    """Every write that changes what a document's Annotations panel shows calls this, in its transaction.

    The reading view caches the panel under the document's ``annotations_version``
    (docs/performance.md, "Reading at scale"), so the bump commits or rolls back with the write itself.
    It comes first, before any thread or annotation lock: it holds the document's
    row, and taking the document before its annotations, as every write does,
    keeps two writers from each waiting on the other (a deadlock on PostgreSQL).

    A write to one annotation passes ``public=False`` first, and calls this again
    with ``public=True`` (on the row it already holds) only when the note was or
    is now seen by anonymous readers (``_seen_by_everyone``): their entity tags
    must not change with a private or group note (docs/reading-and-annotating.md, "Privacy").
    """
    Document.objects.filter(pk=document_id).bump_annotations_version(public=public)


def _seen_by_everyone(annotation_id):
    """Anonymous readers' view of this annotation as stored now (``visible_to``, the one rule)."""
    return Annotation.objects.visible_to(None).filter(pk=annotation_id)


def _public_if_seen(annotation: Annotation, *, seen: bool = False) -> None:
    """Count the write to ``annotation`` as public when anonymous readers saw it (``seen``) or see it
    now: one query, on the document row the write already holds."""
    documents = Document.objects.filter(pk=annotation.document_id)
    if not seen:
        documents = documents.filter(Exists(_seen_by_everyone(annotation.pk)))
    documents.bump_annotations_version(public=True)


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
    if parent is not None or document is not None:
        _panels_changed(parent.document_id if parent is not None else document.pk, public=False)
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
        annotation.group = check_group(root.visibility, root.group, author=author)
        annotation.revision = root.document.revision
        annotation.ancestor_hidden = _hides_its_replies(parent)
        if not comment.strip():
            raise AnnotationError("A reply needs a comment.", field="comment")
    else:
        if document is None or target is None:
            raise AnnotationError("An annotation needs a document and a selection.", field="target")
        document = _lock_document(document)
        annotation.document = document
        annotation.visibility = check_visibility(visibility)
        annotation.group = check_group(annotation.visibility, group, author=author)
        _place(annotation, document, target)
    if copy_of is not None:
        check_copy(visibility=annotation.visibility, root=annotation.root)
    if annotation.is_page_note:
        check_page_note(comment=comment, tags=tag_names)
    annotation.motivation = motivation_for(is_reply=parent is not None, comment=comment, tags=tag_names)
    annotation.save()
    if tag_names:
        annotation.tags.set(tags_named(tag_names))
    _public_if_seen(annotation)
    search.index_annotations(
        [annotation]
    )  # docs/search.md, "How search works": the index changes with the note
    if notify:
        notifications.annotation_written(
            annotation, actor=author, new=True
        )  # docs/reading-and-annotating.md, "Notifications"
    return annotation


@transaction.atomic
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
    if target is not None and not annotation.is_reply:
        document = _lock_document(annotation.document)
    _panels_changed(annotation.document_id, public=False)
    annotation = _lock_annotation(annotation)
    if precondition is not None:
        precondition(annotation)
    was_seen = _seen_by_everyone(annotation.pk).exists()
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
    _public_if_seen(annotation, seen=was_seen)
    search.index_annotations(
        [annotation]
    )  # docs/search.md, "How search works": the index changes with the note
    if comment is not None or visibility is not None:
        # Readers mentioned for the first time, or who may see the note only now
        # (docs/reading-and-annotating.md, "Notifications").
        notifications.annotation_written(annotation, actor=annotation.author, new=False)
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


@transaction.atomic
def delete_annotation(annotation: Annotation, *, precondition: Precondition | None = None) -> None:
    """Delete an annotation with its replies (they answer something that is gone).

    Runs under its thread's lock, so no reply is added meanwhile; ``precondition``
    runs on the annotation as stored now. Raises Annotation.DoesNotExist when
    it was deleted meanwhile.
    """
    _panels_changed(annotation.document_id, public=False)
    _lock_thread(annotation)
    annotation = _lock_annotation(annotation)
    if precondition is not None:
        precondition(annotation)
    _public_if_seen(annotation)
    annotation.delete()


HIDDEN_FIELDS = ["hidden", "hidden_by", "hidden_at", "hidden_reason"]


@transaction.atomic
def hide_annotation(annotation: Annotation, *, by, reason: str, among=None) -> Annotation:
    """A curator hides a public annotation (or a group's moderator one of its notes,
    ``groups.hide_group_note``), and the replies below it, from everyone but their authors
    and whoever may hide them (``visible_to``).

    Runs under its thread's lock, so a reply written meanwhile sees the hiding and
    starts hidden. ``among`` is what ``by`` moderates in this act
    (``moderated_by_curators()`` or ``moderated_by_group(group)``), read again under that
    lock, which moves take too: a note its author moved out of it meanwhile is not hidden
    under an authority that is no longer its own. Raises Annotation.DoesNotExist when it
    was deleted, or left ``among``, meanwhile.
    """
    reason = reason.strip()
    if not reason:
        raise AnnotationError("Give a reason for hiding; the author will see it.", field="reason")
    _panels_changed(annotation.document_id, public=False)
    _lock_thread(annotation)
    annotation = _lock_annotation(annotation, among=among, related=False)
    _public_if_seen(annotation)
    annotation.hidden = True
    annotation.hidden_by = by
    annotation.hidden_at = timezone.now()
    annotation.hidden_reason = reason
    annotation.save(force_update=True, update_fields=HIDDEN_FIELDS)
    _mark_hidden_branches(annotation)
    notifications.moderated(
        annotation, actor=by, hidden=True
    )  # docs/reading-and-annotating.md, "Notifications"
    return annotation


@transaction.atomic
def restore_annotation(annotation: Annotation, *, by=None, among=None) -> Annotation:
    """Undo a hiding (by the curator or moderator ``by``, who is not notified of it).

    ``among`` is what ``by`` moderates in this act, as for ``hide_annotation``; a hidden
    thread never moves (``check_move``), so the authority that hid a note is the one that
    finds it there. Raises Annotation.DoesNotExist when it was deleted meanwhile.
    """
    _panels_changed(annotation.document_id, public=False)
    _lock_thread(annotation)
    annotation = _lock_annotation(annotation, among=among, related=False)
    was_hidden = annotation.hidden
    annotation.hidden = False
    annotation.hidden_by = None
    annotation.hidden_at = None
    annotation.hidden_reason = ""
    annotation.save(force_update=True, update_fields=HIDDEN_FIELDS)
    _mark_hidden_branches(annotation)
    _public_if_seen(annotation)
    if was_hidden:
        notifications.moderated(
            annotation, actor=by, hidden=False
        )  # docs/reading-and-annotating.md, "Notifications"
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


# --- Document texts: revisions and re-anchoring ---------------------------------------------------


class StaleRevision(Exception):
    """A new text was written on an earlier revision than the one stored now; nothing was saved.

    ``changes`` is the word-level difference from the revision the edit started
    from (``base``) to the one stored now (``current``): what someone else
    changed meanwhile, for the editor to merge into their own text by hand.
    """

    def __init__(self, *, base: int, current: int, changes: list[diffs.Chunk]):
        self.base, self.current, self.changes = base, current, changes
        self.message = (
            f"Someone else saved revision {current} of this text after you opened revision {base}. "
            "Your text was not saved and is still in the form; the changes made meanwhile are shown "
            "below. Apply them to your text (or leave them out on purpose) and save again."
        )
        super().__init__(self.message)


OUTCOMES = ("unchanged", "moved", "changed", "orphaned")


@dataclass(frozen=True)
class ReanchorReport:
    """How many annotations each outcome of a text edit had (docs/curators.md, "Revisions")."""

    unchanged: int = 0
    moved: int = 0
    changed: int = 0
    orphaned: int = 0

    def __add__(self, other: ReanchorReport) -> ReanchorReport:
        return ReanchorReport(*(getattr(self, name) + getattr(other, name) for name in OUTCOMES))

    def summary(self) -> str:
        """One line for people: ``annotations: 3 unchanged, 1 moved, 0 changed, 0 orphaned``."""
        return "annotations: " + ", ".join(f"{getattr(self, name)} {name}" for name in OUTCOMES)


def _same_words(a: str, b: str) -> bool:
    return a.split() == b.split()


def _outcome(annotation: Annotation, found: anchoring.Match | None) -> str:
    """What an edit did to ``annotation``'s quote as stored before it."""
    if found is None:
        return "orphaned"
    if not _same_words(found.exact, annotation.exact):
        return "changed"
    if annotation.is_orphaned or (found.start, found.end) != (annotation.start, annotation.end):
        return "moved"
    return "unchanged"


def _follow(annotation: Annotation, found: anchoring.Match | None, *, revision: int) -> None:
    """Move ``annotation`` to ``found``, keeping the author's words while the text's differ from them."""
    original = annotation.original_exact or annotation.exact
    quoted = annotation.quoted_revision or annotation.revision
    if found is None:
        annotation.anchor = Annotation.Anchor.ORPHANED
        annotation.original_exact, annotation.quoted_revision = original, quoted
        return
    moved = (found.start, found.end) != (annotation.start, annotation.end)
    if _same_words(found.exact, original):
        if annotation.anchor != Annotation.Anchor.ANCHORED or moved:
            annotation.anchor = Annotation.Anchor.REANCHORED
        annotation.original_exact, annotation.quoted_revision = "", None
    else:
        annotation.anchor = Annotation.Anchor.CHANGED
        annotation.original_exact, annotation.quoted_revision = original, quoted
    annotation.exact, annotation.prefix, annotation.suffix = found.exact, found.prefix, found.suffix
    annotation.start, annotation.end = found.start, found.end
    annotation.revision = revision


REANCHOR_FIELDS = TARGET_FIELDS + QUOTE_FIELDS


def reanchor_document(
    document: Document,
    *,
    old_text: str | None = None,
    everything: bool = False,
    dry_run: bool = False,
    by=None,
) -> ReanchorReport:
    """After an edit of ``document.text``, move each annotation to its quote again.

    Each annotation is found again from the text of the revision its selectors
    describe (from the stored revisions; ``old_text`` for those without one), so
    an orphan made several edits ago is looked for as carefully as a fresh one.
    An annotation whose words are found unchanged follows them (``reanchored``);
    one whose words an edit changed is ``changed`` and keeps the author's quote in
    ``original_exact`` with the revision it was made on; one that cannot be found
    with confidence is ``orphaned`` and keeps its old selectors: listed, never
    lost or silently misplaced. Only annotations on an older revision are
    visited unless ``everything`` (``manage.py reanchor``). With ``dry_run``
    nothing is written. The document's row is held meanwhile. The authors of
    notes whose quote this edit changed, or orphaned, are notified (but not
    ``by``, who made the edit; docs/reading-and-annotating.md, "Notifications").
    """
    document = _lock_document(document)
    report, touched, struck = _reanchored(
        document,
        new_text=document.canonical_text,
        revision=document.revision,
        old_text=old_text,
        everything=everything,
    )
    if not dry_run:
        _write_reanchored(touched)
        _panels_changed(document.pk, public=True)
        # docs/search.md, "How search works": the index holds quotes, so it changes with the ones the edit
        # reworded.
        if reworded := [annotation for annotation, before in touched if annotation.exact != before[1]]:
            search.index_annotations(reworded)
        notifications.quotes_struck(struck, actor=by)
    return report


def _write_reanchored(moved: list[tuple[Annotation, tuple]]) -> None:
    """Store re-anchored annotations in a few statements.

    Most annotations only shift by the length of an insertion or deletion before
    them, with the same quote and context: those are written with one UPDATE per
    shift (start and end moved by an F expression); the few whose quote or context
    changed are written row by row in a bulk update. ``moved`` pairs each
    annotation with its (start, exact, prefix, suffix) before re-anchoring.
    """
    shifts: dict[tuple, list] = defaultdict(list)
    others = []
    for annotation, (start, exact, prefix, suffix) in moved:
        same_words = (annotation.exact, annotation.prefix, annotation.suffix) == (exact, prefix, suffix)
        if same_words and annotation.start is not None and start is not None:
            key = (
                annotation.start - start,
                annotation.revision,
                annotation.anchor,
                annotation.original_exact,
                annotation.quoted_revision,
            )
            shifts[key].append(annotation.pk)
        else:
            others.append(annotation)
    for (delta, revision, anchor, original_exact, quoted_revision), pks in shifts.items():
        values = {
            "revision": revision,
            "anchor": anchor,
            "original_exact": original_exact,
            "quoted_revision": quoted_revision,
        }
        if delta:
            values.update(start=F("start") + delta, end=F("end") + delta)
        for batch in range(0, len(pks), 500):
            Annotation.objects.filter(pk__in=pks[batch : batch + 500]).update(**values)
    Annotation.objects.bulk_update(others, REANCHOR_FIELDS, batch_size=500)


def _reanchored(
    document: Document, *, new_text: str, revision: int, old_text: str | None, everything: bool
) -> tuple[ReanchorReport, list[tuple[Annotation, tuple]], list[tuple[Annotation, str]]]:
    """The outcome for each root annotation of ``document`` if its text became ``new_text`` at
    ``revision``; the annotations moved accordingly (not saved), each with its
    (start, exact, prefix, suffix) before; and those this edit struck, each with its
    outcome: "changed" words, or "orphaned" (a note orphaned before stays so, unreported)."""
    counts = dict.fromkeys(OUTCOMES, 0)
    roots = document.annotations.filter(parent__isnull=True, start__isnull=False).order_by()
    if not everything:
        roots = roots.exclude(revision=revision)
    roots = list(roots)
    old_texts = _revision_texts(document, {annotation.revision for annotation in roots})
    moved: list[tuple[Annotation, tuple]] = []
    struck: list[tuple[Annotation, str]] = []
    for annotation in roots:
        found = anchoring.reanchor(
            exact=annotation.exact,
            prefix=annotation.prefix,
            suffix=annotation.suffix,
            start=annotation.start,
            end=annotation.end,
            old_text=old_texts.get(annotation.revision, old_text),
            new_text=new_text,
        )
        outcome = _outcome(annotation, found)
        counts[outcome] += 1
        if outcome == "changed" or (outcome == "orphaned" and not annotation.is_orphaned):
            struck.append((annotation, outcome))
        before = (annotation.start, annotation.exact, annotation.prefix, annotation.suffix)
        _follow(annotation, found, revision=revision)
        moved.append((annotation, before))
    return ReanchorReport(**counts), moved, struck


def _revision_texts(document: Document, numbers: set[int]) -> dict[int, str]:
    stored = DocumentRevision.objects.filter(document=document, number__in=numbers).only("number", "text")
    return {revision.number: revision.canonical_text for revision in stored}


def _stamp_publication(document: Document) -> None:
    """A published document keeps the time it was first published."""
    if document.status == Document.Status.PUBLISHED and document.published_at is None:
        document.published_at = timezone.now()


@transaction.atomic
def save_document(
    document: Document,
    *,
    by=None,
    summary: str = "",
    base_revision: int | None = None,
    dry_run: bool = False,
) -> ReanchorReport | None:
    """Save a document: the one way a text changes (docs/curators.md, "Revisions").

    A new document stores its text as revision 1. When the text of a stored
    document changed, the next revision is recorded (text, ``by``, ``summary``)
    and the annotations are re-anchored in the same transaction; the report of
    their outcomes is returned (None when the text did not change). The first
    publication is stamped here too.

    The stored text and revision are read again with the row held. An edit made
    on ``base_revision`` when another has been saved since raises StaleRevision
    and writes nothing, so neither edit is lost. With ``dry_run`` nothing is
    written; the report says what saving would do to the annotations.
    """
    adding = document._state.adding
    if not adding:
        stored = _lock_document(document)
        document.saved_text, document.revision = stored.text, stored.revision
        stale = base_revision is not None and base_revision != stored.revision
        if stale and document.text != stored.text:
            base = DocumentRevision.objects.filter(document=document, number=base_revision).first()
            base_text = base.canonical_text if base is not None else ""
            raise StaleRevision(
                base=base_revision,
                current=stored.revision,
                changes=diffs.word_diff(base_text, stored.canonical_text),
            )
    changed = not adding and document.text_changed
    old_text = Document(text=document.saved_text).canonical_text if changed else None
    if dry_run:
        if not changed:
            return None
        report, _, _ = _reanchored(
            document,
            new_text=Document(text=document.text).canonical_text,
            revision=document.revision + 1,
            old_text=old_text,
            everything=False,
        )
        return report
    if changed:
        document.revision += 1
    _stamp_publication(document)
    document._recording_revision = True
    try:
        document.save()
    finally:
        document._recording_revision = False
    _panels_changed(document.pk, public=True)
    if adding or changed:
        DocumentRevision.objects.create(
            document=document,
            number=document.revision,
            text=document.text,
            author=by if by is not None and by.is_authenticated else None,
            summary=summary.strip()[:300] or ("First version." if adding else ""),
        )
    report = reanchor_document(document, old_text=old_text, by=by) if changed else None
    search.index_document(
        document
    )  # docs/search.md, "How search works": the index changes with the text and metadata
    return report


@transaction.atomic
def revert_document(document: Document, *, to: int, by=None, base_revision: int | None = None):
    """Make the text of revision ``to`` the current text again, as a new revision (history is kept).

    Returns the re-anchoring report, like ``save_document``; raises
    DocumentRevision.DoesNotExist for a revision the document never had.
    """
    target = DocumentRevision.objects.get(document=document, number=to)
    document = _lock_document(document)
    document.text = target.text
    return save_document(document, by=by, summary=f"Reverted to revision {to}.", base_revision=base_revision)


@transaction.atomic
def set_document_status(document: Document, status: str) -> bool:
    """Publish or unpublish a document; False when it already had ``status``. Stamps the first publication."""
    document = _lock_document(document)
    if document.status == status:
        return False
    document.status = status
    _stamp_publication(document)
    document.save(update_fields=["status", "published_at", "modified"])
    _panels_changed(document.pk, public=True)
    return True


@transaction.atomic
def accept_changed_quote(annotation: Annotation, *, by) -> Annotation:
    """The author accepts the words an edit put in place of their quote; it is anchored as it is now.

    Raises Annotation.DoesNotExist unless ``by`` is the author and the quote
    is (still) marked as changed: for anyone else it does not exist.
    """
    _panels_changed(annotation.document_id, public=False)
    annotation = _lock_annotation(
        annotation,
        among=Annotation.objects.filter(author=by, anchor=Annotation.Anchor.CHANGED),
        related=False,
    )
    _public_if_seen(annotation)
    annotation.anchor = Annotation.Anchor.ANCHORED
    annotation.original_exact, annotation.quoted_revision = "", None
    annotation.modified = timezone.now()
    annotation.save(
        force_update=True, update_fields=["anchor", "original_exact", "quoted_revision", "modified"]
    )
    return annotation


@transaction.atomic
def flag_annotation(*, annotation_id, user, reason: str) -> tuple[Flag, bool]:
    """A reader flags someone else's public note with a reason; (the flag, whether it is new).

    The note is looked up through ``visible_to``, so one the reader may not see raises
    Annotation.DoesNotExist (a 404, docs/reading-and-annotating.md, "Privacy"); so does a note that is not
    public,
    since only public notes are the archive's to moderate. Flagging the same note again
    replaces the reason: one flag per reader and note, kept so by the unique constraint
    (``update_or_create`` locks an existing flag, and a concurrent first flag loses the
    insert and is read again).
    """
    reason = reason.strip()
    annotation = Annotation.objects.visible_to(user).get(
        pk=annotation_id, visibility=Annotation.Visibility.PUBLIC
    )
    if annotation.author_id == user.pk:
        raise AnnotationError(
            "This is your own note: edit or delete it instead of flagging it.", field="reason"
        )
    if not reason:
        raise AnnotationError("Say what is wrong with this note, so a curator can judge it.", field="reason")
    if len(reason) > Flag.MAX_REASON_LENGTH:
        raise AnnotationError(
            f"The reason has {len(reason):,} characters; the limit is {Flag.MAX_REASON_LENGTH:,}.",
            field="reason",
        )
    flag, created = Flag.objects.update_or_create(
        annotation=annotation, flagger=user, defaults={"reason": reason}
    )
    return flag, created


@transaction.atomic
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
    list(Tag.objects.select_for_update().filter(pk__in=[*sources, into.pk]).order_by("pk"))
    for through in (TaggedDocument, TaggedAnnotation):
        for source in sources:
            has_target = through.objects.filter(tag=into).values("content_object_id")
            through.objects.filter(tag_id=source, content_object_id__in=has_target).delete()
            through.objects.filter(tag_id=source).update(tag=into)
    deleted = Tag.objects.filter(pk__in=sources).delete()[1].get(Tag._meta.label, 0)
    carrying = Annotation.objects.filter(tagged_items__tag=into)
    search.index_annotations(carrying)  # docs/search.md, "How search works"
    # Anonymous readers' pages change only where they see the tag (docs/reading-and-annotating.md, "Privacy").
    Document.objects.filter(pk__in=carrying.values("document")).bump_annotations_version(public=False)
    Document.objects.filter(
        Q(pk__in=carrying.filter(pk__in=Annotation.objects.visible_to(None).values("pk")).values("document"))
        | Q(tagged_items__tag=into)
    ).bump_annotations_version(public=True)
    return deleted


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
    """Delete a user account and, with it, their annotations (and the replies to them).

    A group they alone moderated gets its longest-standing member as moderator, so no
    group is left that nobody can moderate (docs/reading-and-annotating.md, "Groups").
    """
    _panels_of_author_changed(user)
    _hand_over_moderation(user)
    user.delete()


def _hand_over_moderation(user) -> None:
    moderated = Membership.objects.filter(user=user, role=Membership.Role.MODERATOR).values("group")
    for group in Group.objects.select_for_update().filter(pk__in=moderated).order_by("pk"):
        others = Membership.objects.filter(group=group).exclude(user=user)
        if others.filter(role=Membership.Role.MODERATOR).exists():
            continue
        if heir := others.order_by("joined", "pk").first():
            heir.role = Membership.Role.MODERATOR
            heir.save(update_fields=["role"])


def _panels_of_author_changed(user) -> None:
    """Bump the panels of every document where ``user`` wrote; anonymous readers' only where
    they see a note of theirs (docs/reading-and-annotating.md, "Privacy")."""
    written = Annotation.objects.filter(author=user)
    Document.objects.filter(pk__in=written.values("document")).bump_annotations_version(public=False)
    seen = written.filter(pk__in=Annotation.objects.visible_to(None).values("pk"))
    Document.objects.filter(pk__in=seen.values("document")).bump_annotations_version(public=True)
