"""Ranking: the matching entries a reader may see, ranked, cut to a page, and read as hits.

Each group (documents with their passages, and notes) reads at most ``CANDIDATES`` visible matching
entries in index order, with a correlated ``EXISTS`` on ``visible_to`` per candidate, and ranks
those; only the shown page's documents and notes are then read, with only the fields a hit shows
(docs/search.md, "How search works": "Bounded work"). ``facets`` counts over the same candidates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from documents.annotations.models import Annotation
from documents.annotations.tags import name_order
from documents.archive.models import Document
from documents.search import syntax as search_syntax
from documents.search.backends.base import Match, fetch
from documents.search.models import SearchEntry

PAGE_SIZE = 10
PASSAGES_PER_DOCUMENT = 3
QUOTE_LENGTH = 300
"""The most characters of a note's quote a hit shows, "…" included."""


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
    "author__is_active",  # whether the byline links to the author's page (Annotation.author_url)
    "group__id",
    "group__name",
    "group__slug",
)


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
    quote: Snippet = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass
class Candidates:
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


def rank_documents(match, documents, page) -> Candidates:
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
    return Candidates(total=len(ranked), capped=capped, keys=ranked, shown=shown, fields=fields)


def document_hits(group: Candidates, snippets: dict[int, tuple[str, str]]) -> list[DocumentHit]:
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
            snippet = search_syntax.snippet_parts(snippets.get(entry_id, ("", ""))[0])
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
    return urlencode({"highlight": words}) if words else ""


def rank_notes(match, notes, page) -> Candidates:
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
    return Candidates(total=len(rows), capped=capped, keys=[row[2] for row in rows], shown=shown)


def annotation_hits(
    group: Candidates, snippets: dict[int, tuple[str, str]], tags: dict
) -> list[AnnotationHit]:
    """The page's notes with their snippets, quotes (matched words marked) and tag names, in rank
    order (so read in none); a note deleted meanwhile is left out."""
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
            snippet=search_syntax.snippet_parts(snippets.get(entry_id, ("", ""))[0]),
            quote=search_syntax.quote_parts(
                snippets.get(entry_id, ("", ""))[1], found[pk].exact, limit=QUOTE_LENGTH
            ),
            tags=sorted(tags.get(pk, []), key=name_order),
        )
        for pk, entry_id in shown
        if pk in found
    ]
