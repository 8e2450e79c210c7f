"""The archive's records: documents, collections, their tags and their revisions.

Who may read a document is decided here and only here, in ``DocumentQuerySet.visible_to``; who is a
curator, in ``is_curator``. A document's text changes only through
``documents.annotations.text_changes.save_document``, which records a revision and re-anchors the
notes on it (docs/curators.md, "Revisions").

A little over 400 lines: the five models and their QuerySets belong together (Django finds them
here, and each names the others); the orders of a list are ``listing``'s.
"""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, connections, models
from django.db.models import Case, F, Q, When
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItemBase

from documents.archive import text as text_module
from documents.archive.listing import FIELD_SORTS, NEWEST_FIRST
from documents.archive.per_request import remembered

CURATORS = "Curators"

SCHOLARS = "Scholars"


def is_curator(user) -> bool:
    """An active staff user in the Curators group, or a superuser.

    The group is looked up once per request (``per_request``); ``forget(user, "is_curator")`` after
    changing the user's groups in the same request.
    """
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if not user.is_staff:
        return False
    return remembered(user, "is_curator", lambda: user.groups.filter(name=CURATORS).exists())


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


class DocumentQuerySet(models.QuerySet):
    def sorted_by(self, sort: str = NEWEST_FIRST):
        """The documents in the order ``sort`` names (a key of ``FIELD_SORTS``)."""
        return self.order_by(*FIELD_SORTS[sort]())

    def published(self):
        return self.filter(status=Document.Status.PUBLISHED)

    def bump_annotations_version(self, *, public: bool | Q = True):
        """Count a change to what these documents' Annotations panels may show (docs/performance.md, "Reading
        at scale").

        The cached panels are keyed by ``annotations_version``, so every write
        that changes an annotation, or a name the panel shows, calls this in its
        own transaction: the new key is visible exactly when the change is.
        ``public_annotations_version``, which anonymous readers' keys and entity
        tags name, moves only with ``public``: a change anyone may see. A write
        nobody else may see (a private or group note) passes ``public=False``, so
        that no anonymous answer changes with it (docs/reading-and-annotating.md, "Privacy").

        ``public`` may be a condition on each document: the write path's count, in one statement
        (``documents.annotations.writes``).
        """
        changes = {"annotations_version": F("annotations_version") + 1}
        if isinstance(public, Q):
            version = F("public_annotations_version")
            changes["public_annotations_version"] = Case(
                When(public, then=version + 1), default=version, output_field=models.PositiveBigIntegerField()
            )
        elif public:
            changes["public_annotations_version"] = F("public_annotations_version") + 1
        return self.update(**changes)

    def held(self):
        """These documents' rows, held until the transaction commits once read: for a write that reads
        a text, or places notes on it, and must not see it change meanwhile.

        ``no_key`` (PostgreSQL's FOR NO KEY UPDATE) still lets other transactions insert rows that
        refer to the documents, such as replies, so they never wait on a text edit that in turn
        waits on their thread (docs/architecture.md, "Concurrency").
        """
        return self.select_for_update(no_key=True)

    def visible_to(self, user):
        """Curators read drafts too; everyone else reads published documents only."""
        return self if is_curator(user) else self.published()

    def with_labels_listed(self):
        """Each document's tags (name, slug) and collections (id, title, slug, order) as two texts,
        ``tags_listed`` and ``collections_listed``, in the same query: what the reading view's
        validator names of them, so a cached page needs no query of its own for its labels
        (docs/performance.md, "Reading at scale"). In no set order; not for display (``Document.labels``
        is).

        Two correlated subqueries in SQL (names from the models' metadata, quoted), reading the rows
        ``Document.labels`` reads: built as QuerySets with an aggregate, Django took about 1.4 ms to
        build and compile them on every cached page, four times the rest of the lookup.
        """
        q = connections[self.db].ops.quote_name
        aggregate = "GROUP_CONCAT" if connections[self.db].vendor == "sqlite" else "STRING_AGG"
        tagged, linked = TaggedDocument._meta, Document.collections.through._meta
        document = f"{q(Document._meta.db_table)}.{q('id')}"
        tags = f"""SELECT {aggregate}(t.{q("name")} || %s || t.{q("slug")}, %s)
            FROM {q(Tag._meta.db_table)} t
            JOIN {q(tagged.db_table)} x ON x.{q(tagged.get_field("tag").column)} = t.{q("id")}
            WHERE x.{q(tagged.get_field("content_object").column)} = {document}"""  # noqa: S608
        collections = f"""SELECT {aggregate}(
                CAST(c.{q("id")} AS TEXT) || %s || c.{q("title")} || %s || c.{q("slug")} || %s
                || CAST(c.{q("order")} AS TEXT), %s)
            FROM {q(Collection._meta.db_table)} c
            JOIN {q(linked.db_table)} m ON m.{q(linked.get_field("collection").column)} = c.{q("id")}
            WHERE m.{q(linked.get_field("document").column)} = {document}"""  # noqa: S608
        unit, record = "\x1f", "\x1e"
        return self.annotate(
            # Only names from the models' metadata are in the SQL; the separators are parameters.
            tags_listed=RawSQL(tags, (unit, record), output_field=models.TextField()),  # noqa: S611
            collections_listed=RawSQL(  # noqa: S611
                collections, (unit, unit, unit, record), output_field=models.TextField()
            ),
        )

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
            # Harvests list published documents by their last change, a page at a time (OAI-PMH,
            # docs/interoperability.md).
            models.Index(fields=["status", "modified", "id"], name="document_harvested"),
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
                "documents.annotations.text_changes.save_document, which records the revision and "
                "re-anchors its annotations."
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


class WithdrawnDocumentQuerySet(models.QuerySet):
    def in_set(self, slug: str):
        """Those that were in the collection ``slug`` when they were withdrawn."""
        return self.filter(collections__contains=f" {slug} ")


class WithdrawnDocument(models.Model):
    """A published document that left the published set: unpublished, deleted, or moved to a new slug.

    Harvesters that copied it learn from this that it is gone (OAI-PMH's deleted records, kept
    for ever: docs/interoperability.md, "Harvesting (OAI-PMH)"). Written only by
    ``documents.archive.publication``; a document published again under the slug takes it back.
    """

    slug = models.SlugField(max_length=100, unique=True)
    withdrawn = models.DateTimeField(db_index=True)
    # The slugs of the collections it was in, each between spaces (" letters speeches "), so that one
    # set is a ``contains`` on both databases (``in_set``).
    collections = models.TextField(blank=True, default=" ")

    objects = WithdrawnDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["withdrawn", "pk"]

    def __str__(self):
        return self.slug

    @property
    def set_specs(self) -> list[str]:
        return self.collections.split()

    @staticmethod
    def spaced(slugs) -> str:
        """The ``collections`` value for these collection slugs (each between spaces, for ``in_set``)."""
        return f" {' '.join(sorted(slugs))} "
