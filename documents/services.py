"""Writes that span several models, each in one transaction.

Views, the API, the admin and the management commands call these; none of them
writes annotations directly, so anchoring, sanitising and limits are enforced
in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from documents import anchoring
from documents.models import Annotation, Document
from documents.sanitise import render_markdown


class AnnotationError(ValueError):
    """An annotation cannot be written as asked; ``field`` names the input at fault."""

    def __init__(self, message: str, *, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Target:
    """What a client says it selected: a quote, a position, or both (code points)."""

    exact: str | None = None
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None


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
    selector = anchoring.Selector(
        exact=target.exact, prefix=target.prefix, suffix=target.suffix, start=target.start, end=target.end
    )
    try:
        return anchoring.match(selector, document.canonical_text)
    except anchoring.AnchoringError as error:
        raise AnnotationError(error.reason, field="target") from error


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

    A reply takes its document and visibility from the root of its thread. A
    selection that does not match the document's text raises AnnotationError
    and nothing is stored.
    """
    comment = _check_comment(comment)
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
        root = parent.root or parent
        annotation.parent = parent
        annotation.root = root
        annotation.document = root.document
        annotation.visibility = root.visibility
        annotation.revision = root.document.revision
        if not comment.strip():
            raise AnnotationError("A reply needs a comment.", field="comment")
    else:
        if document is None or target is None:
            raise AnnotationError("An annotation needs a document and a selection.", field="target")
        found = _anchor(document, target)
        annotation.document = document
        annotation.visibility = _set_visibility(visibility)
        annotation.exact, annotation.prefix, annotation.suffix = found.exact, found.prefix, found.suffix
        annotation.start, annotation.end = found.start, found.end
        annotation.revision = document.revision
    annotation.motivation = _motivation(is_reply=parent is not None, comment=comment, tags=tag_names)
    annotation.save()
    if tag_names:
        annotation.tags.set(tag_names)
    return annotation


@transaction.atomic
def update_annotation(
    annotation: Annotation,
    *,
    comment: str | None = None,
    tags: Iterable[str] | None = None,
    visibility: str | None = None,
    target: Target | None = None,
) -> Annotation:
    """Change what the author may change; ``None`` leaves a field as it is.

    A reply's visibility follows its root; changing a root's visibility carries
    its replies along, so a thread is never half public.
    """
    if comment is not None:
        annotation.comment = _check_comment(comment)
        annotation.comment_html = render_markdown(comment) if comment else ""
    tag_names = clean_tags(tags) if tags is not None else None
    if target is not None and not annotation.is_reply:
        found = _anchor(annotation.document, target)
        annotation.exact, annotation.prefix, annotation.suffix = found.exact, found.prefix, found.suffix
        annotation.start, annotation.end = found.start, found.end
        annotation.revision = annotation.document.revision
        annotation.anchor = Annotation.Anchor.ANCHORED
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
    annotation.save()
    if tag_names is not None:
        annotation.tags.set(tag_names)
    return annotation


@transaction.atomic
def delete_annotation(annotation: Annotation) -> None:
    """Delete an annotation with its replies (they answer something that is gone)."""
    annotation.delete()


@transaction.atomic
def hide_annotation(annotation: Annotation, *, by, reason: str) -> Annotation:
    """A curator hides a public annotation from everyone but its author and curators."""
    reason = reason.strip()
    if not reason:
        raise AnnotationError("Give a reason for hiding; the author will see it.", field="reason")
    annotation.hidden = True
    annotation.hidden_by = by
    annotation.hidden_at = timezone.now()
    annotation.hidden_reason = reason
    annotation.save(update_fields=["hidden", "hidden_by", "hidden_at", "hidden_reason"])
    return annotation


@transaction.atomic
def restore_annotation(annotation: Annotation) -> Annotation:
    annotation.hidden = False
    annotation.hidden_by = None
    annotation.hidden_at = None
    annotation.hidden_reason = ""
    annotation.save(update_fields=["hidden", "hidden_by", "hidden_at", "hidden_reason"])
    return annotation


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
    """
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
    """Save a document; when its text changed, re-anchor its annotations in the same transaction."""
    old_text = None
    if document.pk is not None:
        previous = Document.objects.filter(pk=document.pk).values_list("text", flat=True).first()
        if previous is not None and previous != document.text:
            old_text = Document(text=previous).canonical_text
    document.save()
    if old_text is None:
        return None
    return reanchor_document(document, old_text=old_text)
