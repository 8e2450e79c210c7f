"""A document's text changes, and the notes on it follow (docs/curators.md, "Revisions").

Saving a text records a revision and re-anchors every note on the document in the same
transaction, holding the document's row; reverting saves an earlier revision again; an author
accepts the quote a re-anchoring changed. The re-anchoring report says what moved, changed and
was orphaned. Each runs in ``writes.writing``: every reader's panels are rendered again, the
index follows the text and the reworded quotes, and the authors of struck quotes are told.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format

from documents.annotations import anchoring
from documents.annotations.models import Annotation
from documents.annotations.writes import QUOTE_FIELDS, TARGET_FIELDS, Write, writing
from documents.archive import diffs, publication
from documents.archive.models import Document, DocumentRevision


class StaleRevision(Exception):
    """A new text was written on an earlier revision than the one stored now; nothing was saved.

    ``changes`` is the word-level difference from the revision the edit started
    from (``base``) to the one stored now (``current``), long unchanged runs cut:
    what someone else changed meanwhile, for the editor to merge into their own
    text by hand. ``by`` names who saved the revisions since (those recorded),
    ``at`` is when the current one was saved.
    """

    def __init__(self, *, base: int, current: int, changes: list[diffs.Chunk], by=(), at=None):
        self.base, self.current, self.changes = base, current, changes
        self.by, self.at = list(by), at
        self.message = (
            f"Someone else saved revision {current} of this text after you opened revision {base}"
            f"{_who_and_when(self.by, at)}. Your text was not saved and is still in the form; the changes "
            "made meanwhile are shown below. Apply them to your text (or leave them out on purpose) and "
            "save again."
        )
        super().__init__(self.message)


def _who_and_when(names: list[str], at) -> str:
    """`` (by ann and bob, on 7 December 2026 at 22:55)``, as much of it as is known."""
    parts = []
    if names:
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        parts.append(f"by {listed}")
    if at is not None:
        local = timezone.localtime(at)
        parts.append(f"on {date_format(local, 'DATE_FORMAT')} at {date_format(local, 'TIME_FORMAT')}")
    return f" ({', '.join(parts)})" if parts else ""


def lock_for_edit(document: Document, *, text: str, base_revision: int | None) -> Document:
    """The document as stored, its row held until commit; StaleRevision if ``text`` would overwrite
    revisions saved since ``base_revision``, the one it was written on.

    The one check of a stale edit (docs/curators.md, "Revisions"): ``save_document``
    makes it, and the admin's form makes it first, in the transaction the save then
    runs in, so what the form shows is what the save finds. Call it in a
    transaction. A text equal to the stored one, or no ``base_revision``, is never
    stale.
    """
    stored = Document.objects.held().get(pk=document.pk)
    check_stale(stored, text=text, base_revision=base_revision)
    return stored


def check_stale(stored: Document, *, text: str, base_revision: int | None) -> None:
    """Raise StaleRevision if ``text``, written on ``base_revision``, would overwrite revisions saved
    since; ``stored`` is the document as stored now, its row held (``lock_for_edit``, or the write's
    ``read_document`` in ``save_document``)."""
    if base_revision is None or base_revision == stored.revision or text == stored.text:
        return
    since = list(
        DocumentRevision.objects.filter(document=stored, number__gt=base_revision)
        .select_related("author")
        .order_by("number")
    )
    base = DocumentRevision.objects.filter(document=stored, number=base_revision).first()
    names = [revision.author.get_username() for revision in since if revision.author is not None]
    raise StaleRevision(
        base=base_revision,
        current=stored.revision,
        changes=diffs.condensed(
            diffs.word_diff(base.canonical_text if base is not None else "", stored.canonical_text)
        ),
        by=list(dict.fromkeys(names)),
        at=since[-1].created if since else None,
    )


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
    with writing(actor=by) as write:
        document = write.read_document(document)
        return _reanchor(write, document, old_text=old_text, everything=everything, dry_run=dry_run)


def _reanchor(
    write: Write, document: Document, *, old_text: str | None, everything: bool, dry_run: bool
) -> ReanchorReport:
    """``reanchor_document``'s work, in ``write``, which holds ``document``'s row as stored now."""
    report, touched, struck = _reanchored(
        document,
        new_text=document.canonical_text,
        revision=document.revision,
        old_text=old_text,
        everything=everything,
    )
    if not dry_run:
        _write_reanchored(touched)
        write.document_changed(document)
        # docs/search.md, "How search works": the index holds quotes, so it changes with the ones the
        # edit reworded.
        write.edited([annotation for annotation, before in touched if annotation.exact != before[1]])
        write.struck(struck)
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
    publication is stamped here too, and a published document that is unpublished or given a
    new slug is recorded as withdrawn (``archive.publication``).

    The stored text and revision are read again with the row held. An edit made
    on ``base_revision`` when another has been saved since raises StaleRevision
    (``lock_for_edit``) and writes nothing, so neither edit is lost. With ``dry_run`` nothing is
    written; the report says what saving would do to the annotations.
    """
    adding = document._state.adding
    was_published, slug_before = False, document.slug
    with writing(actor=by) as write:
        if not adding:
            stored = write.read_document(document)
            check_stale(stored, text=document.text, base_revision=base_revision)
            document.saved_text, document.revision = stored.text, stored.revision
            was_published, slug_before = stored.is_published, stored.slug
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
        publication.publication_changed(document, was_published=was_published, slug_before=slug_before)
        # docs/search.md, "How search works": the index changes with the text and metadata.
        write.document_changed(document, text=True)
        if adding or changed:
            DocumentRevision.objects.create(
                document=document,
                number=document.revision,
                text=document.text,
                author=by if by is not None and by.is_authenticated else None,
                summary=summary.strip()[:300] or ("First version." if adding else ""),
            )
        if not changed:
            return None
        return _reanchor(write, document, old_text=old_text, everything=False, dry_run=False)


def revert_document(document: Document, *, to: int, by=None, base_revision: int | None = None):
    """Make the text of revision ``to`` the current text again, as a new revision (history is kept).

    Returns the re-anchoring report, like ``save_document``; raises
    DocumentRevision.DoesNotExist for a revision the document never had.
    """
    with writing(actor=by) as write:
        target = DocumentRevision.objects.get(document=document, number=to)
        document = write.read_document(document)
        document.text = target.text
        return save_document(
            document, by=by, summary=f"Reverted to revision {to}.", base_revision=base_revision
        )


def set_document_status(document: Document, status: str) -> bool:
    """Publish or unpublish a document; False when it already had ``status``. Stamps the first publication;
    an unpublished document is recorded as withdrawn (``archive.publication``)."""
    with writing() as write:
        document = write.read_document(document)
        if document.status == status:
            return False
        was_published = document.is_published
        document.status = status
        _stamp_publication(document)
        document.save(update_fields=["status", "published_at", "modified"])
        publication.publication_changed(document, was_published=was_published, slug_before=document.slug)
        write.document_changed(document)
    return True


def accept_changed_quote(annotation: Annotation, *, by) -> Annotation:
    """The author accepts the words an edit put in place of their quote; it is anchored as it is now.

    Raises Annotation.DoesNotExist unless ``by`` is the author and the quote
    is (still) marked as changed: for anyone else it does not exist.
    """
    with writing(actor=by) as write:
        annotation = write.hold_annotation(
            annotation,
            among=Annotation.objects.filter(author=by, anchor=Annotation.Anchor.CHANGED),
            related=False,
        )
        annotation.anchor = Annotation.Anchor.ANCHORED
        annotation.original_exact, annotation.quoted_revision = "", None
        annotation.modified = timezone.now()
        annotation.save(
            force_update=True, update_fields=["anchor", "original_exact", "quoted_revision", "modified"]
        )
        write.edited(annotation)  # the words it quoted before the edit leave the search index
    return annotation
