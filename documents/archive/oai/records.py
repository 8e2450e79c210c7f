"""The records a harvest asks for: published documents, and the documents withdrawn from the published
set (deleted records), in one list ordered by datestamp, a page at a time.

A page is read after the last record of the page before (``protocol.After``), not at an offset, so a
record changed during a harvest moves to the end of the list and no other is skipped. Each page costs
the same few queries whatever its size: the documents of the page (their collections and tags
prefetched), the withdrawn ones, and the two counts of ``completeListSize``.

A document's datestamp is its last change (``Document.modified``); a withdrawn document's, the moment
it left the published set.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet

from documents.archive.models import Collection, Document, WithdrawnDocument
from documents.archive.oai.protocol import After, ListRequest

DOCUMENT, WITHDRAWN = 0, 1


@dataclass(frozen=True)
class Record:
    """One record's header, and its document when it is not deleted."""

    slug: str
    datestamp: datetime
    set_specs: list[str]
    document: Document | None = None

    @property
    def deleted(self) -> bool:
        return self.document is None


@dataclass(frozen=True)
class Page:
    records: list[Record]
    complete_size: int
    after: After | None
    """Where the next page starts; None on the last page."""


def public() -> QuerySet[Document]:
    """The documents anyone may read (``DocumentQuerySet.visible_to``): the published ones."""
    return Document.objects.visible_to(None)


def published() -> QuerySet[Document]:
    """What a record shows of them: the text aside, with their collections' slugs and their tags as
    lists (``harvested_collections``, ``harvested_tags``), which a page reads without building a
    QuerySet per record."""
    return (
        public()
        .defer("text")
        .prefetch_related(
            Prefetch(
                "collections",
                Collection.objects.only("slug").order_by("slug"),
                to_attr="harvested_collections",
            ),
            Prefetch("tags", to_attr="harvested_tags"),
        )
    )


def page(request: ListRequest, *, size: int) -> Page:
    """The page of ``request``'s list that starts after ``request.after``: at most ``size`` records."""
    documents = _within(published(), request, "modified")
    withdrawn = _within(WithdrawnDocument.objects.all(), request, "withdrawn")
    if request.set_spec is not None:
        documents = documents.filter(collections__slug=request.set_spec)
        withdrawn = withdrawn.in_set(request.set_spec)
    complete_size = documents.count() + withdrawn.count()
    after = request.after
    if after is not None:
        documents = documents.filter(_later("modified", after, DOCUMENT))
        withdrawn = withdrawn.filter(_later("withdrawn", after, WITHDRAWN))
    candidates = [
        (document.modified, DOCUMENT, document.pk, _record(document))
        for document in documents.order_by("modified", "pk")[: size + 1]
    ] + [
        (gone.withdrawn, WITHDRAWN, gone.pk, _withdrawn(gone))
        for gone in withdrawn.order_by("withdrawn", "pk")[: size + 1]
    ]
    candidates.sort(key=lambda candidate: candidate[:3])
    shown = candidates[:size]
    more = len(candidates) > size
    last = After(*shown[-1][:3]) if more and shown else None
    return Page(records=[candidate[3] for candidate in shown], complete_size=complete_size, after=last)


def find(slug: str) -> Record | None:
    """The record of ``slug``: its published document, or its withdrawal; None if it never was published."""
    document = published().filter(slug=slug).first()
    if document is not None:
        return _record(document)
    gone = WithdrawnDocument.objects.filter(slug=slug).first()
    return None if gone is None else _withdrawn(gone)


def sets() -> QuerySet[Collection]:
    return Collection.objects.order_by("slug").only("slug", "title", "description")


def earliest_datestamp() -> datetime | None:
    """The oldest datestamp of any record, None when there is none."""
    moments = [
        public().order_by("modified").values_list("modified", flat=True).first(),
        WithdrawnDocument.objects.order_by("withdrawn").values_list("withdrawn", flat=True).first(),
    ]
    return min((moment for moment in moments if moment is not None), default=None)


def _within(queryset: QuerySet, request: ListRequest, field: str) -> QuerySet:
    if request.since is not None:
        queryset = queryset.filter(**{f"{field}__gte": request.since})
    if request.before is not None:
        queryset = queryset.filter(**{f"{field}__lt": request.before})
    return queryset


def _later(field: str, after: After, kind: int) -> Q:
    """Records of ``kind`` that come after ``after`` in the list's order (datestamp, kind, key)."""
    if kind > after.kind:
        return Q(**{f"{field}__gte": after.datestamp})
    if kind < after.kind:
        return Q(**{f"{field}__gt": after.datestamp})
    return Q(**{f"{field}__gt": after.datestamp}) | Q(**{field: after.datestamp, "pk__gt": after.pk})


def _record(document: Document) -> Record:
    collections = [collection.slug for collection in document.harvested_collections]
    return Record(slug=document.slug, datestamp=document.modified, set_specs=collections, document=document)


def _withdrawn(gone: WithdrawnDocument) -> Record:
    return Record(slug=gone.slug, datestamp=gone.withdrawn, set_specs=gone.set_specs)
