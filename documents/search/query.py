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
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from taggit.models import Tag

from documents import filters as list_filters
from documents import paging
from documents.annotations.models import Annotation, TaggedAnnotation
from documents.annotations.tags import name_order
from documents.archive.models import Collection, Document, TaggedDocument
from documents.search import syntax as search_syntax
from documents.search.backends import Match, current_backend, fetch
from documents.search.models import SearchEntry
from documents.search.syntax import Query, QueryError

__all__ = [
    "Filters",
    "QueryError",
    "Results",
    "matching_annotations",
    "search",
]

PAGE_SIZE = 10
PASSAGES_PER_DOCUMENT = 3
FACET_SIZE = 10


# --- Writing -----------------------------------------------------------------------------------


# --- Reading -----------------------------------------------------------------------------------


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
class PassageHit:
    n: int
    snippet: Snippet
    url: str


@dataclass
class DocumentHit:
    document: Document
    snippet: Snippet = field(default_factory=list)
    passages: list[PassageHit] = field(default_factory=list)


@dataclass
class AnnotationHit:
    annotation: Annotation
    snippet: Snippet = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


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

    @property
    def pages(self) -> int:
        return max(1, math.ceil(max(self.document_total, self.annotation_total) / PAGE_SIZE))

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
        document_group = _rank_documents(backend.match(query, notes=False), documents, page)
    else:
        document_group = _Group(total=0, capped=False, keys=[])
    note_group = _rank_notes(backend.match(query, notes=True), notes, page)
    snippets = backend.snippets(
        query,
        [entry_id for parts in document_group.shown.values() for entry_id, _, _ in parts],
        list(note_group.shown.values()),
    )
    facets, tags = _facets(backend, document_group, note_group)
    return Results(
        query=query,
        page=page,
        documents=_document_hits(document_group, snippets),
        document_total=document_group.total,
        document_total_is_lower_bound=document_group.capped,
        annotations=_annotation_hits(note_group, snippets, tags),
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


# How many visible matching entries each group (documents, notes) reads, ranks, counts and facets
# at most; beyond it totals are lower bounds (docs/search.md, "How search works": "Bounded work").
CANDIDATES = 500

# What the search page and /api/search/ show of a hit, so only that is read: the rest of a
# document (its text above all) and of a note stays in the database. A note's author is read
# by its username field too.
DOCUMENT_FIELDS = ("id", "title", "slug", "creator", "date", "date_display", "type")
NOTE_FIELDS = (
    "id",
    "visibility",
    "exact",
    "modified",
    "parent_id",
    "imported_copy",  # and the creator's name, for a copy's byline (Annotation.written_by)
    "creator_name",
    "creator_iri",
    "document__id",
    "document__title",
    "document__slug",
    "author__id",
    "group__id",
    "group__name",
    "group__slug",
)


@dataclass
class _Group:
    """One group's candidates ranked: its total (``capped``: a lower bound), the keys of its
    candidates in rank order as the database returns them, the page's hits by key with the
    entries to make snippets of (a document's ``(entry, kind, passage)`` parts, a note's
    entry) and, for documents, their facet fields by key."""

    total: int
    capped: bool
    keys: list
    shown: dict = field(default_factory=dict)
    fields: dict = field(default_factory=dict)


def _exists(queryset: QuerySet, column: str, match: Match) -> tuple[str, tuple]:
    """``EXISTS`` over ``queryset`` for the row keyed by the outer ``column``: a permission check
    per candidate, by index, whatever the planner guesses of the number of matches."""
    sql, params = queryset.filter(pk=RawSQL(column, ())).order_by().values("pk").query.sql_with_params()
    return f"EXISTS ({sql} {match.fence})", params


def _candidates(match, kinds: str, visible: tuple[str, tuple], columns: str, join: str) -> list[tuple]:
    """Up to ``CANDIDATES + 1`` visible matching entries of ``kinds`` in index order, with their score.

    The ``LIMIT`` stops the index scan and the permission checks early, so a
    word in every other entry costs what a word in a thousand does. ``join``
    joins a table to the entries: PostgreSQL plans a lone subquery under a
    ``LIMIT`` for its first rows, and may then scan the whole table testing
    every row's words instead of using the GIN index; with a join it plans the
    match for all its rows, by the index.
    """
    visible_sql, visible_params = visible
    return fetch(
        f"""SELECT e.id, e.score, {columns} FROM (
                SELECT e.id, e.document_id, e.annotation_id, e.kind, e.passage, {match.rank} AS score
                {match.source}
                WHERE {match.sql} AND e.kind IN ({kinds}) {match.fence}
            ) e {join}
            WHERE {visible_sql}
            LIMIT %s""",
        [*match.rank_params, *match.params, *visible_params, CANDIDATES + 1],
    )


def _rank_documents(match, documents, page) -> _Group:
    """Documents ranked by their best entry among the candidates; the page's documents with
    their entry and up to ``PASSAGES_PER_DOCUMENT`` best passages."""
    rows = _candidates(
        match,
        "'document', 'passage'",
        _exists(documents, "e.document_id", match),
        "e.document_id, e.kind, e.passage, d.type, d.creator, d.date",
        join=f"JOIN {Document._meta.db_table} d ON d.id = e.document_id",
    )
    capped = len(rows) > CANDIDATES
    rows = sorted(rows[:CANDIDATES], key=lambda row: (row[1], row[4] or 0, row[0]))
    best: dict[int, float] = {}
    parts: dict[int, list[tuple]] = {}
    passages: dict[int, int] = {}
    fields: dict[int, tuple] = {}
    for entry_id, score, document_id, kind, n, *facet_fields in rows:
        best.setdefault(document_id, score)
        fields[document_id] = facet_fields
        chosen = parts.setdefault(document_id, [])
        if kind == SearchEntry.Kind.DOCUMENT:
            chosen.append((entry_id, kind, n))
        elif passages.get(document_id, 0) < PASSAGES_PER_DOCUMENT:
            passages[document_id] = passages.get(document_id, 0) + 1
            chosen.append((entry_id, kind, n))
    ranked = sorted(best, key=lambda pk: (best[pk], pk))
    shown = {pk: parts[pk] for pk in ranked[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]}
    return _Group(total=len(ranked), capped=capped, keys=ranked, shown=shown, fields=fields)


def _document_hits(group: _Group, snippets: dict[int, str]) -> list[DocumentHit]:
    """The page's documents with their snippets, in rank order (so read in none); a document
    deleted meanwhile is left out."""
    if not group.shown:
        return []
    loaded = Document.objects.only(*DOCUMENT_FIELDS).order_by().in_bulk(list(group.shown))
    hits = []
    for pk, parts in group.shown.items():
        if pk not in loaded:
            continue
        hit = DocumentHit(document=loaded[pk])
        url = hit.document.get_absolute_url()
        for entry_id, kind, n in parts:
            snippet = search_syntax.snippet_parts(snippets.get(entry_id, ""))
            if kind == SearchEntry.Kind.PASSAGE:
                words = " ".join(dict.fromkeys(text.casefold() for text, marked in snippet if marked))
                hit.passages.append(
                    PassageHit(n=n, snippet=snippet, url=f"{url}?{_highlight_query(words)}#p-{n}")
                )
            elif any(marked for _, marked in snippet):
                hit.snippet = snippet
        hits.append(hit)
    return hits


def _highlight_query(words: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"highlight": words}) if words else ""


def _rank_notes(match, notes, page) -> _Group:
    """Notes ranked among the candidates; the page's notes by key with their entries."""
    rows = _candidates(
        match,
        "'annotation'",
        _exists(notes, "e.annotation_id", match),
        "e.annotation_id",
        join=f"JOIN {Annotation._meta.db_table} a ON a.id = e.annotation_id",
    )
    capped = len(rows) > CANDIDATES
    rows = sorted(rows[:CANDIDATES], key=lambda row: (row[1], row[0]))
    shown = {row[2]: row[0] for row in rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]}
    return _Group(total=len(rows), capped=capped, keys=[row[2] for row in rows], shown=shown)


def _annotation_hits(group: _Group, snippets: dict[int, str], tags: dict) -> list[AnnotationHit]:
    """The page's notes with their snippets and tag names, in rank order (so read in none); a
    note deleted meanwhile is left out."""
    if not group.shown:
        return []
    username = f"author__{get_user_model().USERNAME_FIELD}"
    loaded = (
        Annotation.objects.select_related("author", "document", "group")
        .only(*NOTE_FIELDS, username)
        .filter(pk__in=list(group.shown))
        .order_by()
    )
    found = {annotation.pk: annotation for annotation in loaded}
    key = Annotation._meta.pk.to_python
    shown = [(key(value), entry_id) for value, entry_id in group.shown.items()]
    return [
        AnnotationHit(
            annotation=found[pk],
            snippet=search_syntax.snippet_parts(snippets.get(entry_id, "")),
            tags=sorted(tags.get(pk, []), key=name_order),
        )
        for pk, entry_id in shown
        if pk in found
    ]


def _facets(backend, documents: _Group, notes: _Group) -> tuple[dict[str, list[FacetValue]], dict]:
    """Counts per facet value over the candidates, which are visible hits only (docs/search.md, "How search
    works"),
    and the tag names of the page's notes by key.

    Type, creator and decade count the matching documents, from the fields
    the candidates query read; collection counts them through their
    collections; tag counts the matching documents and notes carrying each
    tag. One query, whatever the number of hits, which also reads the tags of
    the notes shown; the keys go in as one parameter per group, not one per key.
    """
    types: dict[tuple, int] = {}
    creators: dict[tuple, int] = {}
    decades: dict[str, int] = {}
    for type_, creator, day in documents.fields.values():
        types[(type_,)] = types.get((type_,), 0) + 1
        if creator:
            creators[(creator,)] = creators.get((creator,), 0) + 1
        if day:
            decade = str(int(str(day)[:4]) // 10 * 10)
            decades[decade] = decades.get(decade, 0) + 1
    through = Collection.documents.through._meta
    document_type = Document._meta.pk.db_type(connection)
    note_type = Annotation._meta.pk.db_type(connection)
    tagged_note = TaggedAnnotation._meta.db_table
    in_collections, collection_params = backend.rows_of(
        through.db_table, "document_id", documents.keys, document_type
    )
    on_documents, document_params = backend.rows_of(
        TaggedDocument._meta.db_table, "content_object_id", documents.keys, document_type
    )
    on_notes, note_params = backend.rows_of(tagged_note, "content_object_id", notes.keys, note_type)
    on_shown, shown_params = backend.rows_of(tagged_note, "content_object_id", list(notes.shown), note_type)
    counted: dict[str, dict[tuple, int]] = {"collection": {}, "tag": {}}
    tags: dict = {}
    key = Annotation._meta.pk.to_python
    for facet, slug, label, n in fetch(
        f"""SELECT 'collection', k.slug, k.title, COUNT(DISTINCT r.document_id)
            FROM {in_collections} JOIN {Collection._meta.db_table} k ON k.id = r.collection_id
            GROUP BY k.slug, k.title
            UNION ALL
            SELECT 'tag', t.slug, t.name, COUNT(*) FROM (
                SELECT r.tag_id FROM {on_documents} UNION ALL SELECT r.tag_id FROM {on_notes}
            ) carried JOIN {Tag._meta.db_table} t ON t.id = carried.tag_id
            WHERE t.slug <> '' GROUP BY t.slug, t.name
            UNION ALL
            SELECT 'note', CAST(r.content_object_id AS TEXT), t.name, 0
            FROM {on_shown} JOIN {Tag._meta.db_table} t ON t.id = r.tag_id""",
        [*collection_params, *document_params, *note_params, *shown_params],
    ):
        if facet == "note":
            tags.setdefault(key(slug), []).append(label)
        else:
            counted[facet][(slug, label)] = n
    collections, tag_counts = counted["collection"], counted["tag"]
    facets = {
        "type": _top(types, dict(Document.Type.choices)),
        "collection": _top(collections, None),
        "tag": _top(tag_counts, None),
        "creator": _top(creators, None),
        "decade": sorted(
            (FacetValue(value=key, label=f"{key}s", count=n) for key, n in decades.items()),
            key=lambda facet: facet.value,
        ),
    }
    return facets, tags


def _top(counts: dict[tuple, int], labels: dict | None) -> list[FacetValue]:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], str(item[0][-1]).casefold()))
    return [
        FacetValue(
            value=key[0],
            label=(labels or {}).get(key[0], key[-1]) if labels else key[-1],
            count=n,
        )
        for key, n in ordered[:FACET_SIZE]
    ]


def page_number(value) -> int:
    """A page number from a query string: anything that is not a positive number is the first page."""
    return min(paging.whole_number(str(value or "")) or 1, 10_000)


# --- Back ends ---------------------------------------------------------------------------------
