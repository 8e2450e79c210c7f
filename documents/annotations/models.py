"""Annotations, their tags and their flags.

Who may see an annotation is decided here and only here, in ``AnnotationQuerySet.visible_to``
(docs/reading-and-annotating.md, "Privacy"), tested as a matrix of role, note and route.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager, _TaggableManager
from taggit.models import Tag, TaggedItemBase

from documents.archive.models import FIELD_SORTS, Document, TaggedDocument, is_curator
from documents.groups.models import Membership


class UUIDTaggableManager(_TaggableManager):
    """Taggit's manager, fixed for a through model with a plain ForeignKey to a UUID key.

    Taggit converts prefetched keys to UUIDs only for its generic UUID models;
    SQLite returns our ForeignKey values as hex strings, which then match no
    annotation, and every prefetched tag list would come back empty.
    """

    def get_prefetch_querysets(self, instances, querysets=None):
        queryset, _, instance_key, single, cache_name, is_descriptor = super().get_prefetch_querysets(
            instances, querysets
        )

        def related_key(tag):
            value = tag._prefetch_related_val
            return value if value is None or isinstance(value, uuid.UUID) else uuid.UUID(str(value))

        return queryset, related_key, instance_key, single, cache_name, is_descriptor


class TaggedAnnotation(TaggedItemBase):
    """Annotation tags share taggit's Tag table with documents, so a tag page shows both."""

    content_object = models.ForeignKey("Annotation", on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        unique_together = [("content_object", "tag")]


class AnnotationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one rule for reading annotations.

        Private annotations are seen by their author alone; group annotations by
        their author and the group's current members (docs/reading-and-annotating.md, "Groups"). Hidden
        ones, and every reply below a hidden one at any depth (``ancestor_hidden``),
        are seen by their author and by whoever hid them: curators for public
        notes, the group's moderators for a group's. Curators have no say in a
        group they are not in. Annotations on unpublished documents follow the
        document: curators only.

        The reader's groups are a subquery on ``Membership``, not a join, so no
        annotation is listed twice and the filter stays one query.
        """
        public = Q(visibility=Annotation.Visibility.PUBLIC)
        unhidden = Q(hidden=False, ancestor_hidden=False)
        published = Q(document__status=Document.Status.PUBLISHED)
        if user is None or not user.is_authenticated:
            return self.filter(public & unhidden & published)
        own = Q(author=user)
        memberships = Membership.objects.filter(user=user)
        in_my_groups = Q(visibility=Annotation.Visibility.GROUP) & (
            (Q(group__in=memberships.values("group")) & unhidden)
            | Q(group__in=memberships.filter(role=Membership.Role.MODERATOR).values("group"))
        )
        if is_curator(user):
            return self.filter(own | public | in_my_groups)
        return self.filter((own | (public & unhidden) | in_my_groups) & published)

    def moderated_by_curators(self):
        """The notes curators hide and restore: public ones. A group's notes are its own
        moderators' to hide (docs/reading-and-annotating.md, "Groups"), a private note nobody's."""
        return self.filter(visibility=Annotation.Visibility.PUBLIC)

    def moderated_by_group(self, group):
        """The notes ``group``'s moderators hide and restore: its own."""
        return self.filter(visibility=Annotation.Visibility.GROUP, group=group)

    def with_related(self):
        """Everything a list of annotations displays, in a fixed number of queries."""
        return self.select_related("author", "document", "hidden_by", "parent", "group").prefetch_related(
            "tags"
        )

    def listed(self):
        """``with_related()`` and what a card in a list outside the reading view adds (the thread's
        quote, whom a reply answers), without the documents' texts; newest first."""
        return (
            self.with_related()
            .select_related("root", "parent__author")
            .defer("document__text")
            .order_by("-created", "-pk")
        )


def tagged_count(through, items: QuerySet):
    """How many of ``items`` carry the outer query's tag, through the ``through`` table: a
    subquery, so a list of tags counts in one query."""
    counts = (
        through.objects.filter(tag=OuterRef("pk"), content_object__in=items.values("pk"))
        .order_by()
        .values("tag")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counts), 0)


class TagQuerySet(models.QuerySet):
    """Queries over taggit's tags, through the ``VisibleTag`` proxy (taggit's Tag is not ours to change)."""

    def carried_by(self, documents: QuerySet[Document], annotations: QuerySet[Annotation]):
        """Tags on at least one of ``documents`` or ``annotations``."""
        on_documents = TaggedDocument.objects.filter(content_object__in=documents.values("pk"))
        on_annotations = TaggedAnnotation.objects.filter(content_object__in=annotations.values("pk"))
        return self.filter(Q(pk__in=on_documents.values("tag")) | Q(pk__in=on_annotations.values("tag")))

    def with_uses(self, documents: QuerySet[Document], annotations: QuerySet[Annotation]):
        """Each tag with ``uses``: how many of ``documents`` and ``annotations`` carry it, in one query."""
        return self.annotate(
            uses=tagged_count(TaggedDocument, documents) + tagged_count(TaggedAnnotation, annotations)
        )

    def visible_to(self, user):
        """The one rule for tag names: a tag is ``user``'s to learn only where they may see it.

        That is on a document they may read or an annotation they may see
        (``Annotation.objects.visible_to``), so a name used only on someone's
        private notes, or on nothing any more, is named to no one else, the
        curators' admin included. A tag's name is the note's words.
        """
        return self.carried_by(Document.objects.visible_to(user), Annotation.objects.visible_to(user))


def _count(uses: QuerySet):
    """How many rows of ``uses`` (filtered on ``OuterRef("pk")``, the tag) there are, as one subquery."""
    counted = uses.order_by().values("tag").annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(counted), 0)


def tag_use_counts(user) -> dict:
    """Annotations for a query over tags: ``document_count`` and ``note_count``, the documents and the
    notes carrying each tag that ``user`` may see (``visible_to``), so a count never tells a curator of
    someone's private or group notes. One subquery each: a list of tags costs the same queries
    whatever its length."""
    documents = Document.objects.visible_to(user).values("pk")
    notes = Annotation.objects.visible_to(user).values("pk")
    return {
        "document_count": _count(
            TaggedDocument.objects.filter(tag=OuterRef("pk"), content_object__in=documents)
        ),
        "note_count": _count(TaggedAnnotation.objects.filter(tag=OuterRef("pk"), content_object__in=notes)),
    }


class VisibleTag(Tag):
    """Taggit's Tag with our queries; the same table and rows."""

    objects = TagQuerySet.as_manager()

    class Meta:
        proxy = True


class Annotation(models.Model):
    class Visibility(models.TextChoices):
        PRIVATE = "private", "Only me"
        PUBLIC = "public", "Public"
        GROUP = "group", "Group"

    class Motivation(models.TextChoices):
        COMMENTING = "commenting", "Commenting"
        HIGHLIGHTING = "highlighting", "Highlighting"
        TAGGING = "tagging", "Tagging"
        REPLYING = "replying", "Replying"

    class Anchor(models.TextChoices):
        ANCHORED = "anchored", "Anchored"
        REANCHORED = "reanchored", "Re-anchored after an edit"
        CHANGED = "changed", "Quote changed by an edit"
        ORPHANED = "orphaned", "Orphaned"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="annotations")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="annotations")
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE)
    group = models.ForeignKey(
        "Group",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="annotations",
        help_text="The group whose members may read it; set exactly when the visibility is “group”.",
    )
    motivation = models.CharField(max_length=20, choices=Motivation.choices, default=Motivation.COMMENTING)

    # The target, in code points of the document's canonical text at `revision`.
    exact = models.TextField(blank=True)
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    anchor = models.CharField(max_length=12, choices=Anchor.choices, default=Anchor.ANCHORED)
    # What the author quoted and on which revision, kept while an edit has changed or removed those words.
    original_exact = models.TextField(blank=True)
    quoted_revision = models.PositiveIntegerField(null=True, blank=True)

    comment = models.TextField(blank=True, help_text="Markdown, as written.")
    comment_html = models.TextField(blank=True, editable=False, help_text="Sanitised HTML rendered on write.")
    tags = TaggableManager(through=TaggedAnnotation, blank=True, manager=UUIDTaggableManager)

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    root = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="thread")

    hidden = models.BooleanField(default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.TextField(blank=True)
    ancestor_hidden = models.BooleanField(
        default=False,
        editable=False,
        help_text="An annotation this one answers, at any depth, is hidden; kept by the services.",
    )

    via = models.URLField(
        max_length=500, blank=True, help_text="The id an imported annotation had elsewhere."
    )
    canonical = models.URLField(max_length=500, blank=True)
    # Written by someone else and imported (docs/reading-and-annotating.md, "Exports and imports"): the
    # creator as the file
    # named them (either may be blank when it did not), and the note stays its importer's private copy.
    imported_copy = models.BooleanField(
        default=False, help_text="Imported, written by someone else; private to its importer."
    )
    creator_name = models.CharField(max_length=150, blank=True, help_text="Who wrote an imported copy.")
    creator_iri = models.CharField(max_length=500, blank=True, help_text="Their W3C creator id.")

    created = models.DateTimeField(default=timezone.now, editable=False)
    modified = models.DateTimeField(default=timezone.now)

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["start", "created"]
        permissions = [("moderate_annotation", "Can hide and restore public annotations")]
        indexes = [
            models.Index(fields=["document", "visibility"]),
            models.Index(fields=["author", "modified"]),
            # Everything visible_to asks of a note, from the index alone: search checks it for each of up
            # to 500 candidates, and the rows themselves carry the quote and comment (docs/performance.md,
            # "Search
            # benchmark").
            models.Index(
                fields=["id", "visibility", "hidden", "ancestor_hidden", "document", "author", "group"],
                name="annotation_visible",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(visibility="group") & Q(group__isnull=False))
                | (~Q(visibility="group") & Q(group__isnull=True)),
                name="annotation_group_with_group_visibility",
            )
        ]

    def __str__(self):
        quote = self.exact if len(self.exact) <= 40 else self.exact[:39] + "…"
        if quote:
            return f"{self.author} on “{quote}”"
        return f"{self.author}: reply" if self.parent_id else f"{self.author}: page note"

    def get_absolute_url(self):
        return reverse("annotation-detail", args=[self.pk])

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None

    @property
    def is_page_note(self) -> bool:
        """A note on the whole document: a root with no quote and no position
        (docs/reading-and-annotating.md, "How to annotate")."""
        return self.parent_id is None and self.start is None and not self.exact

    @property
    def visibility_label(self) -> str:
        """“Only me”, “Public” or “Group: <name>”, as the Visibility select names them.

        Reads ``group``: load lists with ``with_related()``."""
        if self.visibility == self.Visibility.GROUP and self.group_id is not None:
            return f"Group: {self.group.name}"
        return self.get_visibility_display()

    @property
    def written_by(self) -> str:
        """Who wrote it, for bylines and exports: the author, or for an imported copy whoever its
        file named (docs/reading-and-annotating.md, "Exports and imports"). Reads ``author``: load lists with
        ``with_related()``."""
        if self.imported_copy:
            return self.creator_name or self.creator_iri or "someone else"
        return self.author.get_username()

    @property
    def author_url(self) -> str:
        """The author's public page, ``/readers/<username>/`` (docs/reading-and-annotating.md, "Readers'
        pages"); "" for an imported copy (someone else wrote it) or an author whose account is closed.
        Reads ``author``: load lists with ``with_related()``."""
        if self.imported_copy or not self.author.is_active:
            return ""
        return reverse("reader", args=[self.author.get_username()])

    @property
    def source_link(self) -> str:
        """Where an imported note came from, when that is a web address a reader can open."""
        return self.via if self.via.startswith(("https://", "http://")) else ""

    @property
    def is_orphaned(self) -> bool:
        return self.anchor == self.Anchor.ORPHANED

    @property
    def quote_changed(self) -> bool:
        """An edit changed the words this annotation quotes; ``original_exact`` holds the author's."""
        return self.anchor == self.Anchor.CHANGED

    @property
    def revision_quoted(self) -> int:
        """The revision whose text the author quoted: before any edit that changed or removed it."""
        return self.quoted_revision or self.revision


def _by_public_annotations(*, latest: bool) -> tuple:
    """Documents most (or most recently) annotated first, counting only what anyone may read."""
    notes = Annotation.objects.visible_to(None).filter(document=OuterRef("pk")).order_by()
    if latest:
        key = Subquery(notes.order_by("-created").values("created")[:1]).desc(nulls_last=True)
    else:
        key = Coalesce(Subquery(notes.values("document").annotate(n=Count("pk")).values("n")), 0).desc()
    return (key, Lower("title"), "pk")


DOCUMENT_SORTS = {
    **FIELD_SORTS,
    "most-annotated": lambda: _by_public_annotations(latest=False),
    "recently-annotated": lambda: _by_public_annotations(latest=True),
}
"""Every order a list of documents can take, by the name the list page and the API use for each: the
archive's own (``FIELD_SORTS``, by date and title) and two that count the notes anyone may read.
Ties fall back to the title and then the key, so a page boundary never splits or repeats a document.
"""


class FlagQuerySet(models.QuerySet):
    def open(self):
        """The flags waiting for a curator: not dismissed."""
        return self.filter(dismissed_at__isnull=True)


class Flag(models.Model):
    """A reader's report that someone else's public note breaks the archive's rules.

    One open flag per reader and note (flagging again replaces the reason). It keeps the note's
    quote, comment and tags as the reader saw them, since the author may edit the note before a
    curator reads the flag. Curators see the reasons in the admin's moderation queue and may dismiss
    an unfounded flag: it leaves the queue and stays in the note's history, with who dismissed it and
    when. The note's author is never told who flagged it (docs/curators.md, "Curators").
    """

    MAX_REASON_LENGTH = 1_000

    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="flags")
    flagger = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(max_length=MAX_REASON_LENGTH)
    created = models.DateTimeField(auto_now_add=True)
    flagged_quote = models.TextField(
        blank=True, default="", help_text="The note's quote when it was flagged."
    )
    # None, unlike "" (a highlight's comment), says the flag predates the kept text.
    flagged_comment = models.TextField(  # noqa: DJ001
        null=True,
        blank=True,
        help_text="The note's comment when it was flagged; empty for flags made before the archive kept it.",
    )
    flagged_tags = models.JSONField(
        default=list, blank=True, help_text="The note's tags when it was flagged."
    )
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissed_at = models.DateTimeField(null=True, blank=True)

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["annotation", "flagger"],
                condition=Q(dismissed_at__isnull=True),
                name="one_open_flag_per_reader_and_note",
            ),
        ]

    def __str__(self):
        return f"Flag by {self.flagger}"

    @property
    def is_open(self) -> bool:
        return self.dismissed_at is None

    def edited_since(self) -> bool:
        """Whether the note's comment, quote or tags differ now from what was flagged (with the note's
        tags prefetched, no query); False when the flag predates the kept text."""
        if self.flagged_comment is None:
            return False
        note = self.annotation
        tags = sorted(tag.name for tag in note.tags.all())
        return (note.comment, note.exact, tags) != (
            self.flagged_comment,
            self.flagged_quote,
            sorted(self.flagged_tags),
        )
