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

from documents import search
from documents.models import Annotation, Document, TaggedAnnotation
from documents.tags import by_name
from documents.text import passage_at


@dataclass
class Thread:
    """A root annotation with its replies (oldest first).

    ``passage`` is the number of the passage where the root's quote starts,
    so "Show in text" can link to it when highlights are not drawn.
    """

    root: Annotation
    replies: list[Annotation] = field(default_factory=list)
    passage: int | None = None


PAGE_SIZE = 50
"""Threads per page of the panel: the page stays light with thousands of notes (README, "Performance")."""


def can_annotate(user, document: Document) -> bool:
    """The reader may start new annotations here: logged in, active, and the document is published,
    as the API requires."""
    return bool(user.is_authenticated and user.is_active and document.is_published)


@dataclass
class Panel:
    """What the panel shows: one page of threads (page notes first, then anchored notes, then orphans).

    ``highlights`` holds ``(id, start, end)`` for every anchored root the
    filters let through, on every page, so the text shows all highlights
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
    highlights: list[tuple[str, int, int]] = field(default_factory=list)
    page_notes: list[Thread] = field(default_factory=list)

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
    """Every annotation on ``document`` that ``user`` may see, threaded, in two queries.

    The tags are read by a query of their own, run even when there are no
    annotations, so the reading view costs the same number of queries whether
    a document has no annotations or thousands. Each annotation gets them as
    ``tag_list`` (sorted by name), as a ``Prefetch(to_attr=...)`` would.

    Filters come from ``query``, the page's query string: ``tag``, ``author``
    (a username), ``group`` (a group's slug: its notes) and ``mine=1``; they
    select threads by their root. ``q``
    searches the notes' words (README, "Search"): a thread is kept when its
    root or a reply matches.
    """
    visible = Annotation.objects.visible_to(user).filter(document=document)
    annotations = list(visible.select_related("author", "hidden_by", "group").order_by("start", "created"))
    tags_of: dict = defaultdict(list)
    tagged = TaggedAnnotation.objects.filter(content_object__in=visible.values("pk")).select_related("tag")
    for item in tagged:
        tags_of[item.content_object_id].append(item.tag)

    replies: dict = defaultdict(list)
    roots: list[Annotation] = []
    for annotation in annotations:
        annotation.tag_list = by_name(tags_of[annotation.pk])
        if annotation.root_id is None:
            roots.append(annotation)
        else:
            replies[annotation.root_id].append(annotation)
    for thread_replies in replies.values():
        thread_replies.sort(key=lambda reply: reply.created)

    filters = {
        "tag": query.get("tag", "").strip(),
        "author": query.get("author", "").strip(),
        "group": query.get("group", "").strip(),
        "mine": "1" if query.get("mine") == "1" and user.is_authenticated else "",
        "q": query.get("q", "").strip(),
    }
    found, search_error = _search_panel(user, visible, filters["q"])
    all_tags = sorted({tag.name for root in roots for tag in root.tag_list}, key=str.casefold)
    spelling = {name.casefold(): name for name in all_tags}
    filters["tag"] = spelling.get(filters["tag"].casefold(), filters["tag"])
    all_authors = sorted({root.author.get_username() for root in roots}, key=str.casefold)
    all_groups = sorted(
        {(root.group.slug, root.group.name) for root in roots if root.group_id is not None},
        key=lambda group: (group[1].casefold(), group[0]),
    )

    def wanted(root: Annotation) -> bool:
        if filters["tag"] and filters["tag"].casefold() not in {t.name.casefold() for t in root.tag_list}:
            return False
        if filters["author"] and root.author.get_username() != filters["author"]:
            return False
        if filters["group"] and (root.group_id is None or root.group.slug != filters["group"]):
            return False
        if found is not None and not ({root.pk} | {reply.pk for reply in replies.get(root.pk, [])}) & found:
            return False
        return not (filters["mine"] and root.author_id != user.pk)

    passage_of = _passage_numbers(document)
    chosen = [root for root in roots if wanted(root)]
    ordered = _in_panel_order(chosen, page_note=lambda r: r.is_page_note, orphan=lambda r: r.is_orphaned)
    pages = max(1, -(-len(ordered) // PAGE_SIZE))
    page = _page_number(query.get("page", ""), pages)
    on_page = [
        Thread(root, replies.get(root.pk, []), passage_of(root.start))
        for root in ordered[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    ]
    return Panel(
        page_notes=[t for t in on_page if t.root.is_page_note],
        threads=[t for t in on_page if not t.root.is_orphaned and not t.root.is_page_note],
        orphans=[t for t in on_page if t.root.is_orphaned],
        total=len(annotations),
        tags=all_tags,
        authors=all_authors,
        groups=all_groups,
        filters=filters,
        search_error=search_error,
        can_annotate=can_annotate(user, document),
        shown=sum(1 + len(replies.get(root.pk, [])) for root in chosen),
        page=page,
        pages=pages,
        highlights=[
            (str(root.pk), root.start, root.end)
            for root in ordered
            if not root.is_orphaned and root.start is not None and root.end is not None
        ],
    )


def page_of(annotation: Annotation, *, user) -> int:
    """The page of the unfiltered panel that lists ``annotation``'s thread, in one light query.

    Threads run in the panel's order: page notes, anchored roots by where their
    quote starts, then orphans; so a permalink can open the page its entry is on.
    """
    root_id = annotation.root_id or annotation.pk
    roots = (
        Annotation.objects.visible_to(user)
        .filter(document_id=annotation.document_id, root__isnull=True)
        .order_by("start", "created")
        .values_list("pk", "anchor", "start")
    )
    ordered = [
        pk
        for pk, _, _ in _in_panel_order(
            roots,
            page_note=lambda row: row[2] is None,
            orphan=lambda row: row[1] == Annotation.Anchor.ORPHANED,
        )
    ]
    position = ordered.index(root_id) if root_id in ordered else 0
    return position // PAGE_SIZE + 1


def _in_panel_order(roots, *, page_note, orphan) -> list:
    """``roots`` (already by start, then creation) in the panel's order: page notes (no start;
    SQLite and PostgreSQL sort NULL at opposite ends), then anchored notes, then orphans."""
    roots = list(roots)
    notes = [root for root in roots if page_note(root)]
    return (
        notes
        + [root for root in roots if not page_note(root) and not orphan(root)]
        + [root for root in roots if not page_note(root) and orphan(root)]
    )


def _page_number(value: str, pages: int) -> int:
    """The page the query asks for; anything else (not a number, out of range) is the nearest page."""
    number = int(value) if value.isascii() and value.isdigit() else 1
    return min(max(number, 1), pages)


def _search_panel(user, visible, q: str) -> tuple[set | None, str]:
    """The ids of the visible notes matching ``q`` (None: no search), and a message for a bad query."""
    if not q:
        return None, ""
    try:
        matching = search.matching_annotations(q, user=user, annotations=visible)
    except search.QueryError as error:
        return None, str(error)
    return set(matching.values_list("pk", flat=True)), ""
