"""The archive's records: documents, collections, annotations, reading groups and API tokens.

Who may see what is decided here and only here, in the QuerySet methods
``DocumentQuerySet.visible_to`` and ``AnnotationQuerySet.visible_to``.
"""

from __future__ import annotations

import hashlib
import uuid
from functools import cached_property

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce, Concat, Lower
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager, _TaggableManager
from taggit.models import Tag, TaggedItemBase

from documents import text as text_module

CURATORS = "Curators"
SCHOLARS = "Scholars"


def is_curator(user) -> bool:
    """An active staff user in the Curators group, or a superuser."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if not user.is_staff:
        return False
    cached = getattr(user, "_is_curator", None)
    if cached is None:
        cached = user.groups.filter(name=CURATORS).exists()
        user._is_curator = cached
    return cached


class SlugNaturalKeyManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Collection(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0, help_text="Lower numbers are listed first.")
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["order", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("collection-detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)


class TaggedDocumentManager(models.Manager):
    def get_by_natural_key(self, document_slug, tag_name):
        return self.get(content_object__slug=document_slug, tag__name=tag_name)


class TaggedDocument(TaggedItemBase):
    content_object = models.ForeignKey("Document", on_delete=models.CASCADE, related_name="tagged_items")

    objects = TaggedDocumentManager()

    class Meta:
        unique_together = [("content_object", "tag")]

    def natural_key(self):
        return (self.content_object.slug, self.tag.name)

    natural_key.dependencies = ["documents.document", "taggit.tag"]


def _by_public_annotations(*, latest: bool) -> tuple:
    """Most (or most recently) annotated first, counting only what anyone may read."""
    notes = Annotation.objects.visible_to(None).filter(document=OuterRef("pk")).order_by()
    if latest:
        key = Subquery(notes.order_by("-created").values("created")[:1]).desc(nulls_last=True)
    else:
        key = Coalesce(Subquery(notes.values("document").annotate(n=Count("pk")).values("n")), 0).desc()
    return (key, Lower("title"), "pk")


DOCUMENT_SORTS = {
    "-date": lambda: (F("date").desc(nulls_last=True), Lower("title"), "pk"),
    "date": lambda: (F("date").asc(nulls_last=True), Lower("title"), "pk"),
    "title": lambda: (Lower("title"), "pk"),
    "most-annotated": lambda: _by_public_annotations(latest=False),
    "recently-annotated": lambda: _by_public_annotations(latest=True),
}
"""The orders a list of documents can take, by the name the list page and the API use for each.

Documents without a date come last either way, and ties fall back to the title
and then the key, so a page boundary never splits or repeats a document.
"""
NEWEST_FIRST = "-date"


class Listed(models.Aggregate):
    """A group's rows as one text, in no set order: fields between unit separators (U+001F), rows
    between record separators (U+001E). ``string_agg`` on PostgreSQL, ``group_concat`` on SQLite."""

    function = "STRING_AGG"
    output_field = models.TextField()

    def __init__(self, *fields: str):
        unit = models.Value("\x1f")
        parts = [part for field in fields for part in (Cast(field, models.TextField()), unit)][:-1]
        row = Concat(*parts, output_field=models.TextField()) if len(parts) > 1 else parts[0]
        super().__init__(row, models.Value("\x1e"))

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


class DocumentQuerySet(models.QuerySet):
    def sorted_by(self, sort: str = NEWEST_FIRST):
        """The documents in the order ``sort`` names (a key of ``DOCUMENT_SORTS``)."""
        return self.order_by(*DOCUMENT_SORTS[sort]())

    def published(self):
        return self.filter(status=Document.Status.PUBLISHED)

    def bump_annotations_version(self, *, public: bool = True):
        """Count a change to what these documents' Annotations panels may show (docs/performance.md, "Reading
        at scale").

        The cached panels are keyed by ``annotations_version``, so every write
        that changes an annotation, or a name the panel shows, calls this in its
        own transaction: the new key is visible exactly when the change is.
        ``public_annotations_version``, which anonymous readers' keys and entity
        tags name, moves only with ``public``: a change anyone may see. A write
        nobody else may see (a private or group note) passes ``public=False``, so
        that no anonymous answer changes with it (docs/reading-and-annotating.md, "Privacy").
        """
        changes = {"annotations_version": F("annotations_version") + 1}
        if public:
            changes["public_annotations_version"] = F("public_annotations_version") + 1
        return self.update(**changes)

    def visible_to(self, user):
        """Curators read drafts too; everyone else reads published documents only."""
        return self if is_curator(user) else self.published()

    def with_labels_listed(self):
        """Each document's tags (name, slug) and collections (id, title, slug, order) as two texts,
        ``tags_listed`` and ``collections_listed``, in the same query: what the reading view's
        validator names of them, so a cached page needs no query of its own for its labels
        (docs/performance.md, "Reading at scale"). In no set order; not for display (``Document.labels``
        is)."""
        tags = (
            TaggedDocument.objects.filter(content_object=OuterRef("pk"))
            .order_by()
            .values("content_object")
            .annotate(listed=Listed("tag__name", "tag__slug"))
            .values("listed")
        )
        collections = (
            Document.collections.through.objects.filter(document=OuterRef("pk"))
            .order_by()
            .values("document")
            .annotate(
                listed=Listed("collection_id", "collection__title", "collection__slug", "collection__order")
            )
            .values("listed")
        )
        return self.annotate(tags_listed=Subquery(tags), collections_listed=Subquery(collections))

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Document(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    class Type(models.TextChoices):
        STATEMENT = "statement", "Statement"
        SPEECH = "speech", "Speech"
        LETTER = "letter", "Letter"
        TREATY = "treaty", "Treaty"
        LEGISLATION = "legislation", "Legislation"
        COURT_DECISION = "court-decision", "Court decision"
        REPORT = "report", "Report"
        ARTICLE = "article", "Article"
        WEB_PAGE = "web-page", "Web page"
        OTHER = "other", "Other"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=100, unique=True, help_text="Used in the document's address.")
    creator = models.CharField(max_length=300, blank=True, help_text="Author or issuing body.")
    date = models.DateField(
        null=True, blank=True, help_text="The date of the document, for sorting and filters."
    )
    date_display = models.CharField(
        "date as written",
        max_length=100,
        blank=True,
        help_text='Optional human-readable form for approximate dates, e.g. "c. 1850" or "Spring 2000".',
    )
    type = models.CharField(max_length=20, choices=Type.choices, default=Type.OTHER)
    description = models.TextField(blank=True)
    source = models.CharField(
        max_length=500, blank=True, help_text="Where the text comes from: a citation or URL."
    )
    publisher = models.CharField(max_length=300, blank=True)
    rights = models.CharField(max_length=500, blank=True)
    language = models.CharField(max_length=35, default="en", help_text="A language tag such as en or fr-CA.")
    identifier = models.CharField(max_length=200, blank=True, help_text="An identifier in another system.")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    text = models.TextField(
        blank=True,
        help_text="A blank line starts a new passage. Start a passage with “# ” for a heading, "
        "“> ” for a quotation or “- ” for a list item.",
    )
    revision = models.PositiveIntegerField(default=1, editable=False)
    annotations_version = models.PositiveBigIntegerField(default=0, editable=False)
    public_annotations_version = models.PositiveBigIntegerField(default=0, editable=False)

    collections = models.ManyToManyField(Collection, blank=True, related_name="documents")
    tags = TaggableManager(through=TaggedDocument, blank=True)

    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    objects = DocumentQuerySet.as_manager()

    # The descriptive fields, in the order forms, the API and imports present them.
    METADATA_FIELDS = (
        "title",
        "slug",
        "creator",
        "date",
        "date_display",
        "type",
        "description",
        "source",
        "publisher",
        "rights",
        "language",
        "identifier",
    )
    # Written only by ``DocumentQuerySet.bump_annotations_version``, never by ``save()``.
    ANNOTATION_VERSIONS = ("annotations_version", "public_annotations_version")

    class Meta:
        ordering = ["-date", "title"]
        indexes = [
            models.Index(fields=["status", "date"]),
            # Whether a document may be read, from the index alone: search checks it for each of up
            # to 500 candidates, and the rows themselves carry the text (docs/performance.md, "Search
            # benchmark").
            models.Index(fields=["id", "status"], name="document_readable"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Store the row; a new text of a stored document is refused unless a revision records it.

        Counting revisions and re-anchoring annotations are the services' work
        (``services.save_document``, docs/curators.md, "Revisions"); a plain ``save()`` that
        changed the text would leave annotations pointing into words that are
        gone, so it raises UnrecordedTextChange instead of skipping them silently.
        """
        if self.text_changed and not self._recording_revision:
            raise UnrecordedTextChange(
                f"The text of “{self.slug}” changed outside a revision; save it with "
                "documents.services.save_document, which records the revision and re-anchors its annotations."
            )
        if not self._state.adding and kwargs.get("update_fields") is None:
            # A copy read before an annotation changed must not write back an older
            # annotation version: the panels' cache keys only ever move forward.
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in self.ANNOTATION_VERSIONS
            ]
        super().save(*args, **kwargs)
        self._forget_derived_text()

    def get_absolute_url(self):
        return reverse("document-detail", args=[self.slug])

    # Set by services.save_document around the one save() that may store a new text.
    _recording_revision = False

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.saved_text = instance.__dict__.get("text")
        return instance

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._forget_derived_text()

    def _forget_derived_text(self) -> None:
        """The passages and canonical text follow ``text``; drop them when it may have changed."""
        self.saved_text = self.__dict__.get("text")
        self.__dict__.pop("passages", None)
        self.__dict__.pop("canonical_text", None)

    def clean(self):
        try:
            text_module.parse(self.text)
        except text_module.MarkupError as error:
            raise ValidationError({"text": str(error)}) from error

    def natural_key(self):
        return (self.slug,)

    @property
    def text_changed(self) -> bool:
        """Whether ``text`` differs from the stored one (``saved_text``, set when loaded or saved)."""
        saved = getattr(self, "saved_text", None)
        return not self._state.adding and saved is not None and saved != self.text

    def labels(self) -> tuple[list[Tag], list[Collection]]:
        """The document's tags (by name, any case) and its collections (in their order), in one query.

        What a rendered reading view shows of them: a tag's name and slug, a
        collection's id, title, slug and order. A cached page does not ask: its
        validator names them through ``DocumentQuerySet.with_labels_listed`` in
        the document's own query (docs/performance.md, "Reading at scale").
        """
        q = connection.ops.quote_name
        tagged, linked = TaggedDocument._meta, Document.collections.through._meta
        tag_of, tagged_document = tagged.get_field("tag").column, tagged.get_field("content_object").column
        collection_of, linked_document = (
            linked.get_field("collection").column,
            linked.get_field("document").column,
        )
        # Names from the models' metadata, quoted; the document's id is a parameter.
        sql = f"""
            SELECT 0, t.{q("id")}, t.{q("name")}, t.{q("slug")}, 0
            FROM {q(Tag._meta.db_table)} t JOIN {q(tagged.db_table)} x ON x.{q(tag_of)} = t.{q("id")}
            WHERE x.{q(tagged_document)} = %s
            UNION ALL
            SELECT 1, c.{q("id")}, c.{q("title")}, c.{q("slug")}, c.{q("order")}
            FROM {q(Collection._meta.db_table)} c
            JOIN {q(linked.db_table)} m ON m.{q(collection_of)} = c.{q("id")}
            WHERE m.{q(linked_document)} = %s
            ORDER BY 1, 5, 3, 2"""  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.pk, self.pk])
            rows = cursor.fetchall()
        tags = [Tag(pk=pk, name=name, slug=slug) for kind, pk, name, slug, _ in rows if kind == 0]
        collections = [
            Collection(pk=pk, title=title, slug=slug, order=order)
            for kind, pk, title, slug, order in rows
            if kind == 1
        ]
        return sorted(tags, key=lambda tag: tag.name.casefold()), collections

    @cached_property
    def passages(self) -> list[text_module.Passage]:
        return text_module.parse(self.text)

    @cached_property
    def canonical_text(self) -> str:
        return text_module.canonical_text(self.passages)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def date_label(self) -> str:
        if self.date_display:
            return self.date_display
        if self.date:
            return f"{self.date:%B} {self.date.day}, {self.date.year}"
        return ""

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None


class UnrecordedTextChange(RuntimeError):
    """A document's text was saved without recording a revision (a programming error, not user input)."""


class DocumentRevision(models.Model):
    """The text of a document as it read at one revision, who made it and why.

    Revision 1 is the text a document was created with; every later change of
    the text adds the next number (``services.save_document``). Annotations keep
    the number of the revision their selectors describe.
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    summary = models.CharField(max_length=300, blank=True, help_text="What changed and why, in a line.")

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="unique_document_revision_number")
        ]

    def __str__(self):
        return f"{self.document} (revision {self.number})"

    def get_absolute_url(self):
        return reverse("document-revision", args=[self.document.slug, self.number])

    @cached_property
    def canonical_text(self) -> str:
        return text_module.canonical_text(text_module.parse(self.text))


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


class TagQuerySet(models.QuerySet):
    """Queries over taggit's tags, through the ``VisibleTag`` proxy (taggit's Tag is not ours to change)."""

    def carried_by(self, documents: QuerySet[Document], annotations: QuerySet[Annotation]):
        """Tags on at least one of ``documents`` or ``annotations``."""
        on_documents = TaggedDocument.objects.filter(content_object__in=documents.values("pk"))
        on_annotations = TaggedAnnotation.objects.filter(content_object__in=annotations.values("pk"))
        return self.filter(Q(pk__in=on_documents.values("tag")) | Q(pk__in=on_annotations.values("tag")))

    def visible_to(self, user):
        """The one rule for tag names: a tag is ``user``'s to learn only where they may see it.

        That is on a document they may read or an annotation they may see
        (``Annotation.objects.visible_to``), so a name used only on someone's
        private notes, or on nothing any more, is named to no one else, the
        curators' admin included. A tag's name is the note's words.
        """
        return self.carried_by(Document.objects.visible_to(user), Annotation.objects.visible_to(user))


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


# --- Reading groups (docs/reading-and-annotating.md, "Groups")
# ---------------------------------------------------------------


class Group(models.Model):
    """A reading group: its members read and write its notes (visibility ``group``).

    Not Django's ``auth.Group``, which holds permissions (Curators, Scholars). A
    group is never deleted by its members: its notes stay their authors' even
    when everyone has left (docs/reading-and-annotating.md, "Groups").
    """

    MAX_NAME_LENGTH = 100

    name = models.CharField(max_length=MAX_NAME_LENGTH)
    slug = models.SlugField(max_length=120, unique=True, help_text="Used in the group's address.")
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = [Lower("name"), "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("group-detail", args=[self.slug])


class Membership(models.Model):
    """One person in one group, as a member or a moderator. Written only by ``documents.groups``."""

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        MODERATOR = "moderator", "Moderator"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["group", "joined", "pk"]
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_group")]

    def __str__(self):
        return f"{self.user} in {self.group} ({self.role})"

    @property
    def is_moderator(self) -> bool:
        return self.role == self.Role.MODERATOR


class InvitationQuerySet(models.QuerySet):
    def valid(self, *, at=None):
        """Links that still let people join: not revoked, not expired."""
        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=at))


class Invitation(models.Model):
    """A link a moderator shares: anyone logged in who opens it may join, until it is revoked or expires."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"Invitation to {self.group}"

    def get_absolute_url(self):
        return reverse("group-join", args=[self.group.slug, self.token])

    def is_valid(self, *, at=None) -> bool:
        at = at or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > at)


class Removal(models.Model):
    """When a moderator last removed someone from a group: links made before it no longer let them in."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    removed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="one_removal_per_group")]

    def __str__(self):
        return f"{self.user} removed from {self.group}"


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 digest of the key is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="The key's first characters, to tell tokens apart.")
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class Flag(models.Model):
    """A reader's report that someone else's public note breaks the archive's rules.

    One per reader and note (flagging again replaces the reason). Curators see the
    reasons in the admin's moderation queue; the note's author is never told who
    flagged it (docs/curators.md, "Curators").
    """

    MAX_REASON_LENGTH = 1_000

    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="flags")
    flagger = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(max_length=MAX_REASON_LENGTH)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["annotation", "flagger"], name="one_flag_per_reader_and_note"),
        ]

    def __str__(self):
        return f"Flag on {self.annotation_id}"


class SearchEntry(models.Model):
    """One row of the search index (docs/search.md, "How search works"): a document's metadata, one passage,
    or one annotation.

    Written only by ``documents.search``, from the services, inside the
    transactions of the writes it mirrors; never read directly by pages,
    which ask ``documents.search`` and so get only what ``visible_to`` allows.
    SQLite mirrors these rows into an FTS5 table by triggers; PostgreSQL keeps
    ``vector``, a GIN-indexed ``tsvector`` built with ``config``, the text
    search configuration of the document's language (both made in migration 0005).
    """

    class Kind(models.TextChoices):
        DOCUMENT = "document", "Document"
        PASSAGE = "passage", "Passage"
        ANNOTATION = "annotation", "Annotation"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    annotation = models.ForeignKey(Annotation, null=True, on_delete=models.CASCADE, related_name="+")
    passage = models.PositiveIntegerField(null=True)
    config = models.CharField(max_length=20, default="simple")
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    extra = models.TextField(blank=True)
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        indexes = [models.Index(fields=["document", "kind"])]

    def __str__(self):
        return f"{self.kind} {self.document_id} {self.passage or self.annotation_id or ''}".strip()


class NotificationQuerySet(models.QuerySet):
    def for_reader(self, user):
        """``user``'s notifications about notes they may see now (docs/reading-and-annotating.md,
        "Notifications").

        A notification names its note, so it is shown only while
        ``Annotation.objects.visible_to(user)`` still lets them see it: one made
        private or hidden afterwards drops out of the list and the count, in the
        same query (a subquery), never by a check per row.
        """
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user, annotation__in=Annotation.objects.visible_to(user).values("pk"))

    def unread(self):
        return self.filter(read_at__isnull=True)

    def mark_read(self):
        """Mark these read now; those already read keep the time they were first read."""
        return self.unread().update(read_at=timezone.now())


class Notification(models.Model):
    """Something that happened to or around a reader's notes, for them to read
    (docs/reading-and-annotating.md, "Notifications").

    Written only by ``documents.notifications``, from the services, inside the
    transactions of the writes they report; a deleted note takes its
    notifications with it.
    """

    class Kind(models.TextChoices):
        REPLY = "reply", "replied to your note"
        MENTION = "mention", "mentioned you"
        CHANGED = "changed", "changed the words your note quotes"
        ORPHANED = "orphaned", "removed the words your note quotes"
        HIDDEN = "hidden", "hid your note"
        RESTORED = "restored", "restored your note"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="notifications")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Mail(models.TextChoices):
        """Where the notification's e-mail is; only ``documents.notifications`` moves it along."""

        NONE = "", "not e-mailed"
        QUEUED = "queued", "queued"
        SENDING = "sending", "being sent"
        SENT = "sent", "sent"
        FAILED = "failed", "failed"

    reason = models.TextField(blank=True, help_text="Why a curator hid the note (hidden only).")
    created = models.DateTimeField(default=timezone.now, editable=False)
    read_at = models.DateTimeField(null=True, blank=True)
    mail = models.CharField(
        max_length=7,
        choices=Mail.choices,
        default=Mail.NONE,
        blank=True,
        help_text="Its e-mail: queued, being sent, sent, or failed after EMAIL_ATTEMPTS tries.",
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            # The few whose mail is on its way, among all that were sent or never wanted.
            models.Index(
                fields=["mail"],
                name="notification_mail_pending",
                condition=models.Q(mail__in=["queued", "sending", "failed"]),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.recipient})"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


def unread_notification_count(user) -> int:
    """How many of ``user``'s notifications they may see are unread: the header's count, one query.

    Kept on the user object for the rest of the request, as ``is_curator`` is,
    so the page's header and its entity tag ask once.
    """
    if not (user and user.is_authenticated):
        return 0
    cached = getattr(user, "_unread_notifications", None)
    if cached is None:
        cached = Notification.objects.for_reader(user).unread().count()
        user._unread_notifications = cached
    return cached


class NotificationSettings(models.Model):
    """A reader's choice of notifications by e-mail; off unless they opt in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    email = models.BooleanField(
        "Also send my notifications by e-mail",
        default=False,
        help_text="To the address of your account; each mail links to the note.",
    )

    class Meta:
        verbose_name_plural = "notification settings"

    def __str__(self):
        return f"Notification settings of {self.user}"
