"""The rules of an annotation, each written once (docs/architecture.md, "Layers").

Limits, tag cleaning, the motivation that follows from the content, the
visibilities, and who may annotate a document or reply to an annotation. The
services, the JSON-LD parser, the imports, the forms and the API description
all ask here, so changing a limit or a message is one edit.

A broken rule raises ``AnnotationError`` with the input at fault in ``field``;
callers that know more (the JSON-LD parser knows the JSON path) re-raise it
with their own field.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Q
from taggit.models import Tag

from documents.annotations.models import Annotation
from documents.archive.models import Document
from documents.groups.models import Group

MAX_COMMENT_LENGTH = 10_000
MAX_TAGS = 20
# A tag is a taggit Tag, whose name column sets the limit.
MAX_TAG_LENGTH = Tag._meta.get_field("name").max_length

# An import is refused whole above these (docs/reading-and-annotating.md, "Exports and imports").
MEGABYTE = 1024 * 1024
MAX_IMPORT_ANNOTATIONS = 1_000
MAX_IMPORT_MEGABYTES = 5
MAX_IMPORT_BYTES = MAX_IMPORT_MEGABYTES * MEGABYTE

NOT_A_PUBLISHED_DOCUMENT = "The target source is not a published document of this archive."
PARENT_NOT_VISIBLE = "The annotation this replies to does not exist here, or you may not see it."
NOT_YOUR_GROUP = (
    "That is not a group you belong to here (or no such group exists): give the address of one of "
    "the groups listed on your Groups page, /groups/, or ask its moderator for an invitation link."
)
THREAD_HAS_OTHERS_REPLIES = (
    "Other readers have replied to this note, and they wrote for the readers it has now, so it stays "
    "with them. You may still edit its words or tags; to share it with other readers, write a new note."
)
THREAD_HAS_HIDDEN_NOTES = (
    "A moderator hid this note or one of your replies to it, so it stays where it was hidden until "
    "whoever hid it restores it. You may still edit its words or delete it."
)


COPY_STAYS_PRIVATE = (
    "This note was written by someone else and imported as your private copy; it stays private. "
    "Write a note of your own to share your thoughts on it."
)
REPLY_BY_ANOTHER = (
    "This reply was written by someone else (its creator is not your account here), and a reply "
    "shares its thread's visibility: it can be imported only with the note it answers, into a "
    "private thread of copies, never into a thread others can read."
)


@dataclass(frozen=True)
class OriginalCreator:
    """Who wrote an imported note, as the file named them; either part may be blank."""

    name: str = ""
    iri: str = ""


class AnnotationError(ValueError):
    """An annotation cannot be written as asked; ``field`` names the input at fault."""

    def __init__(self, message: str, *, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


def _show(value: object) -> str:
    return f"“{value}”" if isinstance(value, str) else json.dumps(value, default=str)


def check_comment(comment: str) -> str:
    if len(comment) > MAX_COMMENT_LENGTH:
        raise AnnotationError(
            f"The comment has {len(comment):,} characters; the limit is {MAX_COMMENT_LENGTH:,}. "
            "Shorten it or split it into replies.",
            field="comment",
        )
    return comment


def check_tag_length(name: str) -> str:
    if len(name) > MAX_TAG_LENGTH:
        raise AnnotationError(
            f"The tag “{name[:30]}…” is longer than {MAX_TAG_LENGTH} characters.", field="tags"
        )
    return name


def clean_tag(tag: object) -> str:
    """One tag's name with its whitespace squeezed ("" for a blank one), within the length limit."""
    return check_tag_length(" ".join(str(tag).split()))


def check_tag_count(tags: Sequence[str]) -> Sequence[str]:
    if len(tags) > MAX_TAGS:
        raise AnnotationError(
            f"An annotation can carry at most {MAX_TAGS} tags; this one has {len(tags)}.", field="tags"
        )
    return tags


def add_tag(tags: list[str], seen: set[str], name: str) -> None:
    """Keep ``name`` unless it is blank or a case-insensitive repeat; the first spelling wins."""
    if name and name.casefold() not in seen:
        seen.add(name.casefold())
        tags.append(name)


def clean_tags(tags: Iterable[object]) -> list[str]:
    """Strip, drop empties and case-insensitive duplicates, keeping the first spelling."""
    cleaned: list[str] = []
    seen: set[str] = set()
    for tag in tags:
        add_tag(cleaned, seen, clean_tag(tag))
    check_tag_count(cleaned)
    return cleaned


def motivation_for(*, is_reply: bool, comment: str, tags: Sequence[str]) -> str:
    """The stored motivation follows from the content, whatever the client said."""
    if is_reply:
        return Annotation.Motivation.REPLYING.value
    if comment.strip():
        return Annotation.Motivation.COMMENTING.value
    if tags:
        return Annotation.Motivation.TAGGING.value
    return Annotation.Motivation.HIGHLIGHTING.value


def check_page_note(*, comment: str, tags: Sequence[str]) -> None:
    """A page note (a note on the whole document) says something: a highlight of everything is no note."""
    if not comment.strip() and not tags:
        raise AnnotationError(
            "A page note needs a comment or a tag; to mark words, select them instead.", field="comment"
        )


def check_visibility(visibility: object) -> str:
    if visibility not in Annotation.Visibility.values:
        raise AnnotationError(
            f"Visibility must be “private”, “public” or “group”, not {_show(visibility)}.", field="visibility"
        )
    return visibility


def check_copy(*, visibility: str, root: Annotation | None = None) -> None:
    """A note someone else wrote, imported, is its importer's private copy (docs/reading-and-annotating.md,
    "Exports
    and imports"): a root copy is private, and a copied reply answers in a thread of copies, since a
    reply takes its root's visibility. Otherwise the import would publish another's words as the
    importer's."""
    if root is not None:
        if not root.imported_copy:
            raise AnnotationError(REPLY_BY_ANOTHER, field="creator")
    elif visibility != Annotation.Visibility.PRIVATE:
        raise AnnotationError(COPY_STAYS_PRIVATE, field="visibility")


def check_group(visibility: str, group: Group | str | None, *, author) -> Group | None:
    """The group a note of ``visibility`` belongs to: ``group`` (a Group or its slug) for a group note,
    which ``author`` must be a member of now, and None for any other.

    A group that does not exist and one the author is not in get the same message
    (``NOT_YOUR_GROUP``), so a refusal never tells whether a group exists.
    """
    if visibility != Annotation.Visibility.GROUP:
        if group is not None:
            raise AnnotationError(
                "Only a group note names a group: set visibility to “group”, or leave “group” out.",
                field="group",
            )
        return None
    if group is None or group == "":
        raise AnnotationError(
            "A group note needs “group”: the address of one of your groups, such as "
            "https://<this archive>/groups/<slug>/ (your groups are listed on /groups/).",
            field="group",
        )
    slug = group.slug if isinstance(group, Group) else group
    found = Group.objects.filter(slug=slug, memberships__user=author).first() if author else None
    if found is None:
        raise AnnotationError(NOT_YOUR_GROUP, field="group")
    return found


def check_move(root: Annotation) -> None:
    """Whether ``root``'s thread may move to another audience (visibility or group); raises if not.

    A reply's words are for the readers its thread had when it was written, and leave them
    only by their writer's act, so a thread holding anyone else's reply stays where it is,
    replies written after its author left or was removed included. A hide is lifted only
    by whoever imposed it (curators for public notes, a group's moderators for its notes,
    ``visible_to``), so a thread holding a hidden note of its author stays too: moving it
    would hand the hide to another authority. The caller holds the root's row, under which
    replies are added and hidden (``services``), so the answer holds until commit.
    """
    thread = Annotation.objects.filter(Q(pk=root.pk) | Q(root_id=root.pk))
    if thread.filter(author_id=root.author_id, hidden=True).exists():
        raise AnnotationError(THREAD_HAS_HIDDEN_NOTES, field="visibility")
    if thread.exclude(author_id=root.author_id).exists():
        raise AnnotationError(THREAD_HAS_OTHERS_REPLIES, field="visibility")


def check_motivation(motivation: str) -> str:
    if motivation not in Annotation.Motivation.values:
        choices = ", ".join(Annotation.Motivation.values)
        raise AnnotationError(f"Unknown motivation “{motivation}”; use one of {choices}.", field="motivation")
    return motivation


def document_to_annotate(slug: str | None, *, scope: Document | None = None) -> Document:
    """The published document ``slug`` names, which anyone logged in may annotate.

    ``scope`` is the document of a container or an import limited to one
    document; a slug naming another is refused, since it was sent to the wrong place.
    """
    if scope is not None and slug != scope.slug:
        raise AnnotationError(
            f"This container holds annotations on “{scope.title}”; the target source names another "
            "document. POST it to /api/annotations/ or to that document's container.",
            field="target.source",
        )
    document = Document.objects.published().filter(slug=slug).first()
    if document is None:
        raise AnnotationError(NOT_A_PUBLISHED_DOCUMENT, field="target.source")
    return document


def parent_to_reply_to(user, parent_id: uuid.UUID, *, scope: Document | None = None) -> Annotation:
    """The annotation ``user`` replies to: one they may see (on ``scope``, when given)."""
    parent = Annotation.objects.visible_to(user).filter(pk=parent_id).first()
    if parent is None or (scope is not None and parent.document_id != scope.pk):
        raise AnnotationError(PARENT_NOT_VISIBLE, field="target")
    return parent
