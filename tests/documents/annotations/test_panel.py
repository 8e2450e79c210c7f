"""What the Annotations panel holds: threads, orphans, filters and who may annotate (no HTTP)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models.signals import post_init

from documents.annotations.panel import PAGE_SIZE, build_panel
from documents.models import Annotation
from tests.factories import AnnotationFactory, DocumentFactory, make_group

pytestmark = pytest.mark.django_db

TEXT = "# Heading\n\nThe first passage, about treaties.\n\nA second passage."


@pytest.fixture
def document(db):
    return DocumentFactory(text=TEXT)


def at(document, text: str) -> dict:
    start = document.canonical_text.index(text)
    return {"start": start, "end": start + len(text)}


def roots(panel) -> list:
    return [thread.root for thread in panel.threads]


def test_threads_hold_roots_by_position_with_their_replies_oldest_first(document, user, other_user):
    later = AnnotationFactory(document=document, visibility="public", **at(document, "second passage"))
    first = AnnotationFactory(document=document, visibility="public", **at(document, "first passage"))
    newer = AnnotationFactory(document=document, parent=first, root=first, visibility="public")
    older = AnnotationFactory(
        document=document,
        parent=first,
        root=first,
        visibility="public",
        created=newer.created - timedelta(minutes=1),
    )

    panel = build_panel(document, user=user, query={})

    assert roots(panel) == [first, later]
    assert panel.threads[0].replies == [older, newer]
    assert [thread.passage for thread in panel.threads] == [2, 3]
    assert (panel.total, panel.shown, panel.filtered) == (4, 4, False)


def test_orphans_are_threads_of_their_own(document, user):
    anchored = AnnotationFactory(document=document, author=user)
    orphan = AnnotationFactory(document=document, author=user, anchor=Annotation.Anchor.ORPHANED)

    panel = build_panel(document, user=user, query={})

    assert roots(panel) == [anchored]
    assert [thread.root for thread in panel.orphans] == [orphan]


def test_the_panel_holds_only_what_the_reader_may_see(document, user, other_user):
    AnnotationFactory(document=document, author=other_user)
    public = AnnotationFactory(document=document, author=other_user, visibility="public")

    assert roots(build_panel(document, user=user, query={})) == [public]


def test_filters_select_threads_by_their_root_and_tags_match_any_case(document, user, other_user):
    mine = AnnotationFactory(document=document, author=user, visibility="public", tags=["Law"])
    theirs = AnnotationFactory(document=document, author=other_user, visibility="public", tags=["Art"])

    by_tag = build_panel(document, user=user, query={"tag": " law "})
    by_author = build_panel(document, user=user, query={"author": other_user.username})
    only_mine = build_panel(document, user=user, query={"mine": "1"})

    assert (roots(by_tag), by_tag.filters["tag"]) == ([mine], "Law")
    assert roots(by_author) == [theirs]
    assert roots(only_mine) == [mine]
    assert (by_tag.tags, by_tag.authors) == (["Art", "Law"], sorted([user.username, other_user.username]))
    assert (by_tag.filtered, by_tag.shown, by_tag.total) == (True, 1, 2)


def test_only_mine_means_nothing_to_an_anonymous_reader(document, other_user):
    public = AnnotationFactory(document=document, author=other_user, visibility="public")

    panel = build_panel(document, user=AnonymousUser(), query={"mine": "1"})

    assert roots(panel) == [public]
    assert not panel.filtered


def test_each_annotation_carries_its_tags_sorted_by_name(document, user):
    AnnotationFactory(document=document, author=user, tags=["beta", "Alpha", "alpha"])

    (thread,) = build_panel(document, user=user, query={}).threads

    assert [tag.name for tag in thread.root.tag_list] == ["Alpha", "alpha", "beta"]


def test_only_active_readers_may_annotate_and_only_published_documents(document, draft, user, curator):
    assert build_panel(document, user=user, query={}).can_annotate
    assert not build_panel(document, user=AnonymousUser(), query={}).can_annotate
    assert not build_panel(draft, user=curator, query={}).can_annotate


def _many(document, user, count: int, **fields) -> list[Annotation]:
    """``count`` public roots by ``user``, one per position, each quoting "first passage"."""
    place = at(document, "first passage")
    return [
        AnnotationFactory(document=document, author=user, visibility="public", **place, **fields)
        for _ in range(count)
    ]


def test_only_the_threads_of_the_page_are_loaded_whole(document, user, other_user):
    """A panel's memory must not grow with the notes: beyond the page, only compact rows are read."""
    notes = _many(document, user, PAGE_SIZE * 2 + 5)
    for root in notes[:3] + notes[-3:]:
        AnnotationFactory(document=document, author=other_user, visibility="public", parent=root, root=root)
    made = []

    def count(sender, instance, **kwargs):
        made.append(instance)

    post_init.connect(count, sender=Annotation)
    try:
        panel = build_panel(document, user=user, query={"page": "3"})
    finally:
        post_init.disconnect(count, sender=Annotation)

    assert len(panel.threads) == 5
    assert sum(len(thread.replies) for thread in panel.threads) == 3
    assert len(made) == 5 + 3
    assert len(panel.highlights) == PAGE_SIZE * 2 + 5
    assert (panel.total, panel.shown, panel.pages) == (PAGE_SIZE * 2 + 11, PAGE_SIZE * 2 + 11, 3)


def test_orphans_and_filters_work_across_pages(document, user, other_user):
    anchored = _many(document, user, PAGE_SIZE + 2, tags=["Law"])
    orphan = AnnotationFactory(
        document=document, author=other_user, visibility="public", anchor=Annotation.Anchor.ORPHANED
    )
    reply = AnnotationFactory(
        document=document, author=other_user, visibility="public", parent=orphan, root=orphan
    )

    last = build_panel(document, user=user, query={"page": "2"})
    by_tag = build_panel(document, user=user, query={"tag": "law", "page": "2"})
    by_author = build_panel(document, user=user, query={"author": other_user.username})

    assert [t.root for t in last.threads] == anchored[PAGE_SIZE:]
    assert [(t.root, t.replies) for t in last.orphans] == [(orphan, [reply])]
    assert (by_tag.pages, [t.root for t in by_tag.threads], by_tag.orphans) == (2, anchored[PAGE_SIZE:], [])
    assert (by_author.pages, by_author.threads, [t.root for t in by_author.orphans]) == (1, [], [orphan])
    assert by_author.shown == 2
    assert len(by_author.highlights) == 0 and len(by_tag.highlights) == PAGE_SIZE + 2


def test_each_highlight_says_whose_it_is_and_the_legend_names_only_the_kinds_shown(
    document, user, other_user
):
    group = make_group(other_user, user)
    mine_private = AnnotationFactory(document=document, author=user, **at(document, "The first"))
    mine_public = AnnotationFactory(
        document=document, author=user, visibility="public", **at(document, "first")
    )
    groups = AnnotationFactory(
        document=document, author=other_user, visibility="group", group=group, **at(document, "passage")
    )
    others = AnnotationFactory(
        document=document, author=other_user, visibility="public", **at(document, "second")
    )

    panel = build_panel(document, user=user, query={})
    anonymous = build_panel(document, user=AnonymousUser(), query={})

    kind_of = {code: kind for code, kind, _ in panel.highlight_kinds}
    kinds = {pk: kind_of[code] for pk, *_, code in panel.highlights}
    assert kinds == {
        str(mine_private.pk): "private",
        str(mine_public.pk): "mine",
        str(groups.pk): "group",
        str(others.pk): "public",
    }
    assert [label for *_, label in panel.highlight_kinds] == [
        "Yours, only you",
        "Yours, public",
        "A group’s",
        "Others’, public",
    ]
    assert [kind for _, kind, _ in anonymous.highlight_kinds] == ["public"], (
        "to others, every public note is others'"
    )
    assert {code for *_, code in anonymous.highlights} == {panel.highlight_kinds[3][0]}
