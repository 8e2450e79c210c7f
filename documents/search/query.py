"""Full-text search over documents, passages and annotations (docs/search.md, "How search works").

One interface, two back ends chosen by the database in use:

- SQLite: two FTS5 tables, documents with their passages and notes
  (``porter`` stemming, accents folded), mirrored from ``SearchEntry`` by
  triggers, ranked by ``bm25``, snippets by ``snippet()``.
- PostgreSQL: a stored ``tsvector`` per entry built with the text search
  configuration of its document's language (``LANGUAGE_CONFIGS``), one partial
  GIN index per group, matched with ``websearch_to_tsquery``, ranked by
  ``ts_rank``, snippets by ``ts_headline``.

The index holds words, never permissions. Who may see a hit is decided at
query time by ``Document.objects.visible_to`` and
``Annotation.objects.visible_to``, which every query here embeds as a
correlated ``EXISTS``; so hiding a note, making it private or unpublishing a
document needs no re-indexing, and a private note's words reach no one else's
hits, snippets, counts or facets. The writers (``index_document``,
``index_annotations``) run inside the services' transactions, so the index
changes with the data or not at all. Deleting a document or an annotation
deletes its entries by cascade.

A search runs a fixed number of queries whatever the number of hits, and its
work is bounded too: each group reads, ranks, counts and facets at most
``CANDIDATES`` visible matches, and makes snippets for the shown page only
(docs/search.md, "How search works": "Bounded work").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import QuerySet

from documents import filters as list_filters
from documents import paging
from documents.annotations.models import Annotation
from documents.archive.models import Document
from documents.search import syntax as search_syntax
from documents.search import vocabulary
from documents.search.backends import current_backend
from documents.search.facets import FacetValue, facets_of
from documents.search.models import SearchEntry
from documents.search.ranking import (
    PAGE_SIZE,
    AnnotationHit,
    Candidates,
    DocumentHit,
    annotation_hits,
    document_hits,
    rank_documents,
    rank_notes,
)
from documents.search.syntax import Query, QueryError

__all__ = [
    "Filters",
    "QueryError",
    "Results",
    "matching_annotations",
    "search",
]


SEARCH_FILTERS = {
    "type": list_filters.Choice(Document.Type.values, "", strip=True, max_length=300),
    "collection": list_filters.Text(max_length=300),
    "tag": list_filters.Text(max_length=300),
    "creator": list_filters.Text(max_length=300),
    "decade": list_filters.Year("", max_digits=4, strip=True),
}
"""What ``Filters.from_query`` reads; its messages are never shown (an unusable filter is dropped)."""


@dataclass(frozen=True)
class Filters:
    """The facets a search is narrowed to; empty values do not filter."""

    type: str = ""
    collection: str = ""
    tag: str = ""
    creator: str = ""
    decade: int | None = None

    NAMES = ("type", "collection", "tag", "creator", "decade")

    @classmethod
    def from_query(cls, params) -> Filters:
        """Filters from a query string; a value that cannot match (an unknown type, a decade
        that is not a number) is dropped rather than refused, like the list page's filters."""
        values = list_filters.read(params, SEARCH_FILTERS).values
        decade = values.pop("decade")
        return cls(**values, decade=int(decade) // 10 * 10 if decade else None)

    @property
    def active(self) -> dict[str, str]:
        return {
            name: str(getattr(self, name)) for name in self.NAMES if getattr(self, name) not in ("", None)
        }

    def documents(self, documents: QuerySet[Document]) -> QuerySet[Document]:
        if self.type:
            documents = documents.filter(type=self.type)
        if self.collection:
            documents = documents.filter(collections__slug=self.collection)
        if self.tag:
            documents = documents.filter(tags__slug=self.tag)
        if self.creator:
            documents = documents.filter(creator=self.creator)
        if self.decade is not None:  # Python's dates run from year 1 to 9999, as the bounds must.
            documents = documents.filter(date__year__gte=max(self.decade, 1), date__year__lte=self.decade + 9)
        return documents

    def annotations(self, annotations: QuerySet[Annotation]) -> QuerySet[Annotation]:
        if self.type:
            annotations = annotations.filter(document__type=self.type)
        if self.collection:
            annotations = annotations.filter(document__collections__slug=self.collection)
        if self.tag:
            annotations = annotations.filter(tags__slug=self.tag)
        if self.creator:
            annotations = annotations.filter(document__creator=self.creator)
        if self.decade is not None:
            annotations = annotations.filter(
                document__date__year__gte=max(self.decade, 1),
                document__date__year__lte=self.decade + 9,
            )
        return annotations


Snippet = list[tuple[str, bool]]


@dataclass
class Results:
    """One page of hits and the facets. A total is exact up to ``CANDIDATES`` matching entries;
    beyond that it counts what the first ``CANDIDATES`` held and ``*_is_lower_bound`` says so."""

    query: Query
    page: int
    documents: list[DocumentHit]
    document_total: int
    annotations: list[AnnotationHit]
    annotation_total: int
    facets: dict[str, list[FacetValue]]
    document_total_is_lower_bound: bool = False
    annotation_total_is_lower_bound: bool = False
    suggestion: str | None = None
    """When nothing matched: the search with its unknown words replaced by the archive's closest
    (``vocabulary.did_you_mean``), else None."""

    @property
    def pages(self) -> int:
        return max(1, math.ceil(max(self.document_total, self.annotation_total) / PAGE_SIZE))

    @property
    def past_the_end(self) -> str:
        """What the page and the API say of a page past the last (with a 404), else ''."""
        if self.page <= self.pages:
            return ""
        asked = f"There is no page {self.page:,}" if self.page < MAX_PAGE else "There is no such page"
        return f"{asked} of these results: they end on page {self.pages:,}."

    @property
    def total(self) -> int:
        return self.document_total + self.annotation_total

    @property
    def total_is_lower_bound(self) -> bool:
        return self.document_total_is_lower_bound or self.annotation_total_is_lower_bound


def search(
    text: str,
    *,
    user,
    filters: Filters = Filters(),
    page: int = 1,
    annotations: QuerySet[Annotation] | None = None,
    include_documents: bool = True,
) -> Results:
    """Search what ``user`` may see; raises QueryError for a query that cannot be searched.

    ``annotations`` narrows the notes searched (a document's, or the user's
    own for "my notes") and is always intersected with what ``user`` may see;
    ``include_documents=False`` searches notes only.

    The work is bounded (docs/search.md, "How search works"): each of the two groups reads at
    most ``CANDIDATES`` visible matching entries, in index order, and ranks,
    counts and facets those; snippets are made for the shown page only, both
    groups' in one query.
    """
    query = search_syntax.parse(text)
    page = max(1, page)
    backend = current_backend()
    documents = filters.documents(Document.objects.visible_to(user))
    visible_notes = Annotation.objects.visible_to(user)
    if annotations is not None:
        visible_notes = visible_notes.filter(pk__in=annotations.values("pk"))
    notes = filters.annotations(visible_notes)
    if include_documents:
        document_group = rank_documents(backend.match(query, notes=False), documents, page)
    else:
        document_group = Candidates(total=0, capped=False, keys=[])
    note_group = rank_notes(backend.match(query, notes=True), notes, page)
    snippets = backend.snippets(
        query,
        [entry_id for parts in document_group.shown.values() for entry_id, _, _ in parts],
        list(note_group.shown.values()),
    )
    facets, tags = facets_of(backend, document_group, note_group)
    found = document_group.total or note_group.total
    return Results(
        suggestion=None if found else vocabulary.did_you_mean(text),
        query=query,
        page=page,
        documents=document_hits(document_group, snippets),
        document_total=document_group.total,
        document_total_is_lower_bound=document_group.capped,
        annotations=annotation_hits(note_group, snippets, tags),
        annotation_total=note_group.total,
        annotation_total_is_lower_bound=note_group.capped,
        facets=facets,
    )


def matching_annotations(text: str, *, user, annotations: QuerySet[Annotation]) -> QuerySet[Annotation]:
    """Those of ``annotations`` that ``user`` may see and whose words match ``text``, in their order.

    For lists that keep their own order and paging (the Annotations panel,
    "my notes" on the profile). Raises QueryError as ``search`` does.
    """
    query = search_syntax.parse(text)
    matching = SearchEntry.objects.filter(
        current_backend().match(query, notes=True).orm, kind=SearchEntry.Kind.ANNOTATION
    )
    return annotations.filter(pk__in=Annotation.objects.visible_to(user).values("pk")).filter(
        pk__in=matching.values("annotation_id")
    )


def page_number(value) -> int:
    """A page number from a query string: anything that is not a positive number is the first page."""
    return min(paging.whole_number(str(value or "")) or 1, MAX_PAGE)


MAX_PAGE = 10_000
"""Page numbers from here on (``paging.BEYOND`` too) read as this one: past the last of any search."""
