"""The search index's writers (docs/search.md, "How search works"): one row per document, passage and
annotation, written in the transaction of the change it records, and the full rebuild."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet

from documents.annotations.models import Annotation, TaggedAnnotation
from documents.annotations.sanitise import plain_text
from documents.annotations.writes import Changes
from documents.archive.models import Document
from documents.search.backends import current_backend
from documents.search.backends.base import config_for
from documents.search.models import SearchEntry
from documents.search.syntax import index_text


def _document_rows(document: Document) -> list[SearchEntry]:
    config = config_for(document.language)
    metadata = (
        document.creator,
        document.date_display,
        document.source,
        document.publisher,
        document.identifier,
    )
    rows = [
        SearchEntry(
            kind=SearchEntry.Kind.DOCUMENT,
            document=document,
            config=config,
            title=index_text(document.title),
            body=index_text(document.description),
            extra=index_text(" ".join(part for part in metadata if part)),
        )
    ]
    rows += [
        SearchEntry(
            kind=SearchEntry.Kind.PASSAGE,
            document=document,
            passage=passage.n,
            config=config,
            body=index_text(passage.text),
        )
        for passage in document.passages
    ]
    return rows


def _annotation_row(annotation: Annotation, language: str, tags: list[str]) -> SearchEntry:
    """A note's row: its comment as ``body``; its quote, then the words it quoted before a curator's
    edit changed them (``original_exact``, so the note is still found by them), then its tags as
    ``extra``. The quote comes first: ``query`` cuts its marked words from the start of ``extra``."""
    return SearchEntry(
        kind=SearchEntry.Kind.ANNOTATION,
        document_id=annotation.document_id,
        annotation=annotation,
        config=config_for(language),
        body=index_text(plain_text(annotation.comment_html)),
        extra=index_text(" ".join([annotation.exact, annotation.original_exact, *tags])),
    )


def _tag_names(annotations: list[Annotation]) -> dict:
    """The tag names of ``annotations`` by annotation key, in one query (a prefetch builds a
    queryset per annotation: most of the time of a rebuild)."""
    names: dict = {annotation.pk: [] for annotation in annotations}
    tagged = TaggedAnnotation.objects.filter(content_object__in=[a.pk for a in annotations])
    for pk, name in tagged.order_by("tag__name").values_list("content_object_id", "tag__name"):
        names[pk].append(name)
    return names


@transaction.atomic
def index_document(document: Document, *, with_annotations: bool = False) -> None:
    """Write ``document``'s metadata and passages to the index, replacing what was there.

    ``index_changes`` calls it after every save of a document (``text_changes.save_document``);
    ``with_annotations`` re-indexes its annotations too, whose quotes follow
    the text after an edit.
    """
    SearchEntry.objects.filter(document=document, annotation__isnull=True).delete()
    SearchEntry.objects.bulk_create(_document_rows(document), batch_size=500)
    current_backend().vectorise(SearchEntry.objects.filter(document=document, annotation__isnull=True))
    if with_annotations:
        index_annotations(Annotation.objects.filter(document=document))


@transaction.atomic
def index_annotations(annotations: QuerySet[Annotation] | Iterable[Annotation]) -> None:
    """Write annotations' quotes, comments and tags to the index, replacing what was there.

    ``index_changes`` calls it after every write of an annotation's words or tags.
    """
    if not isinstance(annotations, QuerySet):
        annotations = Annotation.objects.filter(pk__in=[a.pk for a in annotations])
    queryset = annotations.select_related("document").only("document__language", *ANNOTATION_FIELDS)
    SearchEntry.objects.filter(annotation__in=annotations.values("pk")).delete()
    loaded = list(queryset)
    tags = _tag_names(loaded)
    rows = [
        _annotation_row(annotation, annotation.document.language, tags[annotation.pk])
        for annotation in loaded
    ]
    SearchEntry.objects.bulk_create(rows, batch_size=500)
    current_backend().vectorise(SearchEntry.objects.filter(annotation__in=annotations.values("pk")))


ANNOTATION_FIELDS = ("id", "document_id", "comment_html", "exact", "original_exact")


def index_changes(changes: Changes) -> None:
    """The index follows every write of notes, in its transaction (a listener of
    ``documents.annotations.writes``, registered in ``documents/apps.py``): a document's text and
    metadata, and the notes whose words or tags are new. A deleted note's rows go with it (their
    foreign key cascades); a hidden one's stay, since every search reads through ``visible_to``.
    """
    for document in changes.texts:
        index_document(document)
    if changes.created:
        index_annotations(changes.created)
    if changes.edited is not None:
        index_annotations(changes.edited)


REBUILD_BATCH = 2000


@transaction.atomic
def rebuild() -> tuple[int, int]:
    """Rebuild the whole index from the documents and annotations; returns (documents, annotations).

    Writes in batches and builds PostgreSQL's vectors in one statement at the
    end, so seeding a large archive (``seed_demo``) stays quick; then settles
    the index as a bulk load should (fresh statistics on PostgreSQL, one
    segment per FTS5 table on SQLite).
    """
    SearchEntry.objects.all().delete()
    backend = current_backend()
    backend.reset()
    languages = {}
    rows: list[SearchEntry] = []
    documents = annotations = 0
    for document in Document.objects.order_by("pk").iterator(chunk_size=500):
        languages[document.pk] = document.language
        rows += _document_rows(document)
        documents += 1
        if len(rows) >= REBUILD_BATCH:
            SearchEntry.objects.bulk_create(rows, batch_size=500)
            rows = []
    ordered = Annotation.objects.only(*ANNOTATION_FIELDS).order_by("pk")
    last = None
    while True:
        page = ordered.filter(pk__gt=last) if last is not None else ordered
        batch = list(page[:REBUILD_BATCH])
        if not batch:
            break
        tags = _tag_names(batch)
        rows += [
            _annotation_row(annotation, languages[annotation.document_id], tags[annotation.pk])
            for annotation in batch
        ]
        annotations += len(batch)
        last = batch[-1].pk
        SearchEntry.objects.bulk_create(rows, batch_size=500)
        rows = []
    SearchEntry.objects.bulk_create(rows, batch_size=500)
    backend.vectorise(SearchEntry.objects.all())
    backend.settle()
    return documents, annotations


def is_empty() -> bool:
    """Whether the index holds nothing although there are documents: a database migrated but never indexed."""
    return not SearchEntry.objects.exists() and Document.objects.exists()
