"""The annotations panel of the reading view: which annotations it lists, threaded and filtered.

The panel reads without JavaScript; the annotator fetches the same fragment
after each change instead of building entries itself, so there is one
rendering of an annotation. This module decides what the panel holds; the
views render it (``documents/_annotations_panel.html``) in the reading view and
alone for the annotator.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q

from documents import filters as list_filters
from documents import paging
from documents.annotations.models import Annotation, TaggedAnnotation
from documents.annotations.tags import by_name, name_order
from documents.archive.models import Document
from documents.archive.text import passage_at
from documents.search import query as search


@dataclass
class Thread:
    """A root annotation with its replies (oldest first).

    ``passage`` is the number of the passage where the root's quote starts,
    so "Show in text" can link to it when highlights are not drawn.
    """

    root: Annotation
    replies: list[Annotation] = field(default_factory=list)
    passage: int | None = None


PAGE_SIZE = 40
"""Threads per page of the panel: the page stays light with thousands of notes (docs/performance.md, "Reading
at scale").
A logged-in reader's page goes out uncompressed, about 1.5 KB a thread; 40 keeps it under 300 KB
beside 1,000 highlights and a 300-passage text."""


FILTERS = {
    "tag": list_filters.Text(),
    "author": list_filters.Text(),
    "group": list_filters.Text(),
    "mine": list_filters.Flag(),
    "q": list_filters.Text(),
}
"""The panel's filters (``build_panel``): none is refused; one that matches nothing shows no threads."""


def can_annotate(user, document: Document) -> bool:
    """The reader may start new annotations here: logged in, active, and the document is published,
    as the API requires."""
    return bool(user.is_authenticated and user.is_active and document.is_published)


@dataclass
class Panel:
    """What the panel shows: one page of threads (page notes first, then anchored notes, then orphans).

    ``highlights`` holds ``(id, start, end, kind code)`` (``highlight_kind``, ``KIND_CODES``) for
    every anchored root the filters let through, on every page, so the text shows all highlights
    while the panel lists a page of them.
    """

    threads: list[Thread]
    orphans: list[Thread]
    total: int
    tags: list[str]
    authors: list[str]
    filters: dict[str, str]
    groups: list[tuple[str, str]] = field(default_factory=list)
    search_error: str = ""
    can_annotate: bool = False
    shown: int = 0
    page: int = 1
    pages: int = 1
    highlights: list[tuple[str, int, int, int]] = field(default_factory=list)
    page_notes: list[Thread] = field(default_factory=list)

    @property
    def highlight_kinds(self) -> list[tuple[int, str, str]]:
        """The kinds of highlight the text shows, as ``(code, kind, label)`` in ``HIGHLIGHT_KINDS``'
        order: the legend under the panel's heading, from which the annotator reads each code's
        kind and label for the marks."""
        shown = {code for *_, code in self.highlights}
        kinds = enumerate(HIGHLIGHT_KINDS.items())
        return [(code, kind, label) for code, (kind, label) in kinds if code in shown]

    @property
    def filtered(self) -> bool:
        return any(self.filters.values())

    @property
    def previous_page(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None


def _passage_numbers(document: Document):
    """A function from a quote's start (code points) to the number of its passage.

    Anchored quotes never start on the blank line between passages (anchoring
    trims whitespace), so every start falls inside one.
    """
    passages = document.passages

    def number(offset: int | None) -> int | None:
        found = passage_at(passages, offset) if offset is not None else None
        return found.n if found else None

    return number


def build_panel(document: Document, *, user, query: Mapping[str, str]) -> Panel:
    """One page of the threads on ``document`` that ``user`` may see, in five queries however many.

    Only the page's threads are loaded whole (their roots, replies and tags);
    the rest of the panel comes from compact rows: every visible root's
    ``(id, start, end, anchor, author, group, page note or not)``, which order
    the threads, draw every highlight and fill the author and group filters, with the number of replies under
    each root, and the names of the roots' tags. So the memory a panel takes
    grows by a few numbers per note, not by a note's words (docs/performance.md, "Reading at scale"), and the
    queries are the same with 3 notes or 10,000 (with
    none, the two that load the page's threads have nothing to ask).

    Filters come from ``query``, the page's query string: ``tag``, ``author``
    (a username), ``group`` (a group's slug: its notes) and ``mine=1``; they
    select threads by their root. ``q``
    searches the notes' words (docs/search.md, "How search works"): a thread is kept when its
    root or a reply matches.
    """
    visible = Annotation.objects.visible_to(user).filter(document=document)
    visible_roots = visible.filter(root__isnull=True)
    all_tags = sorted(
        set(
            TaggedAnnotation.objects.filter(content_object__in=visible_roots.values("pk"))
            .order_by()
            .values_list("tag__name", flat=True)
        ),
        key=name_order,
    )
    filters = list_filters.read(query, FILTERS).values
    filters["mine"] = "1" if filters["mine"] and user.is_authenticated else ""
    spelling = {name.casefold(): name for name in all_tags}
    filters["tag"] = spelling.get(filters["tag"].casefold(), filters["tag"])
    found, search_error = _search_panel(user, visible, filters["q"])

    rows = _root_rows(visible_roots)
    if filters["tag"]:
        named = [name for name in all_tags if name.casefold() == filters["tag"].casefold()]
        rows = rows.annotate(
            tagged=Exists(TaggedAnnotation.objects.filter(content_object=OuterRef("pk"), tag__name__in=named))
        )
    roots = list(rows.values_list(*ROW, *(["tagged"] if filters["tag"] else []), named=True))
    replies_under = dict(
        visible.filter(root__isnull=False)
        .order_by()
        .values("root_id")
        .annotate(n=Count("pk"))
        .values_list("root_id", "n")
    )
    all_authors = sorted({row.username for row in roots}, key=str.casefold)
    all_groups = sorted(
        {(row.group_slug, row.group_name) for row in roots if row.group_slug is not None},
        key=lambda group: (group[1].casefold(), group[0]),
    )

    def wanted(row) -> bool:
        if filters["tag"] and not row.tagged:
            return False
        if filters["author"] and row.username != filters["author"]:
            return False
        if filters["group"] and row.group_slug != filters["group"]:
            return False
        if found is not None and row.pk not in found:
            return False
        return not (filters["mine"] and row.author_id != user.pk)

    chosen = [row for row in roots if wanted(row)]
    ordered = _in_panel_order(chosen)
    pages = max(1, -(-len(ordered) // PAGE_SIZE))
    page = _page_number(query.get("page", ""), pages)
    on_page = [row.pk for row in ordered[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]]
    threads = _threads(document, visible, on_page)
    return Panel(
        page_notes=[t for t in threads if t.root.is_page_note],
        threads=[t for t in threads if not t.root.is_orphaned and not t.root.is_page_note],
        orphans=[t for t in threads if t.root.is_orphaned],
        total=len(roots) + sum(replies_under.values()),
        tags=all_tags,
        authors=all_authors,
        groups=all_groups,
        filters=filters,
        search_error=search_error,
        can_annotate=can_annotate(user, document),
        shown=sum(1 + replies_under.get(row.pk, 0) for row in chosen),
        page=page,
        pages=pages,
        highlights=[
            (str(row.pk), row.start, row.end, KIND_CODES[highlight_kind(row, user)])
            for row in ordered
            if row.anchor != Annotation.Anchor.ORPHANED and row.start is not None and row.end is not None
        ],
    )


ROW = (
    "pk",
    "start",
    "end",
    "anchor",
    "author_id",
    "username",
    "group_slug",
    "group_name",
    "page_note",
    "visibility",
)
"""The compact row of a root that orders the panel, draws its highlight and filters it."""


HIGHLIGHT_KINDS = {
    "private": "Yours, only you",
    "mine": "Yours, public",
    "group": "A group’s",
    "public": "Others’, public",
}
"""Each kind of highlight (``highlight_kind``) and what the legend calls it."""

KIND_CODES = {kind: code for code, kind in enumerate(HIGHLIGHT_KINDS)}
"""A kind as the page's list of highlights sends it: a small number, for the list has a row per note."""


def highlight_kind(row, user) -> str:
    """How a root's highlight looks (docs/reading-and-annotating.md, "Highlights"): "private" (only
    its author sees it), "group", "mine" (the reader's public note) or "public" (someone else's)."""
    if row.visibility != Annotation.Visibility.PUBLIC:
        return row.visibility
    return "mine" if row.author_id == user.pk else "public"


def _root_rows(roots):
    """``roots`` by start, then creation, as rows of ``ROW`` (give them to ``values_list``)."""
    return roots.order_by("start", "created").annotate(
        username=F(f"author__{get_user_model().USERNAME_FIELD}"),
        group_slug=F("group__slug"),
        group_name=F("group__name"),
        page_note=ExpressionWrapper(Q(start__isnull=True, exact=""), output_field=BooleanField()),
    )


def _in_panel_order(rows: list) -> list:
    """``rows`` of ``ROW`` (by start, then creation) in the panel's order: page notes (no start;
    SQLite and PostgreSQL sort NULL at opposite ends), then anchored notes, then orphans."""
    orphaned = Annotation.Anchor.ORPHANED
    return (
        [row for row in rows if row.page_note]
        + [row for row in rows if not row.page_note and row.anchor != orphaned]
        + [row for row in rows if not row.page_note and row.anchor == orphaned]
    )


def _threads(document: Document, visible, root_ids: list) -> list[Thread]:
    """The threads of ``root_ids``, in that order, whole: roots and replies with authors and tags
    (``tag_list``, sorted by name, as a ``Prefetch(to_attr=...)`` would give), in two queries."""
    loaded = list(
        visible.filter(Q(pk__in=root_ids) | Q(root_id__in=root_ids)).select_related(
            "author", "hidden_by", "group"
        )
    )
    tags_of: dict = defaultdict(list)
    tagged = TaggedAnnotation.objects.filter(content_object__in=[a.pk for a in loaded]).select_related("tag")
    for item in tagged:
        tags_of[item.content_object_id].append(item.tag)
    by_pk = {}
    replies: dict = defaultdict(list)
    for annotation in loaded:
        annotation.tag_list = by_name(tags_of[annotation.pk])
        if annotation.root_id is None:
            by_pk[annotation.pk] = annotation
        else:
            replies[annotation.root_id].append(annotation)
    passage_of = _passage_numbers(document)
    # A root deleted between the two reads is left out rather than failing the page.
    present = [pk for pk in root_ids if pk in by_pk]
    return [
        Thread(by_pk[pk], sorted(replies[pk], key=lambda reply: reply.created), passage_of(by_pk[pk].start))
        for pk in present
    ]


def page_of(annotation: Annotation, *, user) -> int:
    """The page of the unfiltered panel that lists ``annotation``'s thread, in one light query.

    Threads run in the panel's order: page notes, anchored roots by where their
    quote starts, then orphans; so a permalink can open the page its entry is on.
    """
    root_id = annotation.root_id or annotation.pk
    roots = _root_rows(
        Annotation.objects.visible_to(user).filter(document_id=annotation.document_id, root__isnull=True)
    )
    ordered = [row.pk for row in _in_panel_order(list(roots.values_list(*ROW, named=True)))]
    position = ordered.index(root_id) if root_id in ordered else 0
    return position // PAGE_SIZE + 1


def entry_url(annotation: Annotation, *, user) -> str:
    """Where ``annotation``'s entry is: its document's reading view, on the panel page that lists it."""
    page = page_of(annotation, user=user)
    query = f"?page={page}" if page > 1 else ""
    return f"{annotation.document.get_absolute_url()}{query}#annotation-{annotation.pk}"


def _page_number(value: str, pages: int) -> int:
    """The page the query asks for; anything else (not a number, out of range) is the nearest page."""
    return min(max(paging.whole_number(value) or 1, 1), pages)


def _search_panel(user, visible, q: str) -> tuple[set | None, str]:
    """The roots of the threads where a visible note matches ``q`` (None: no search), and a message
    for a bad query."""
    if not q:
        return None, ""
    try:
        matching = search.matching_annotations(q, user=user, annotations=visible)
    except search.QueryError as error:
        return None, str(error)
    return {root_id or pk for pk, root_id in matching.order_by().values_list("pk", "root_id")}, ""
