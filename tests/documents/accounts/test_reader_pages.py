"""/readers/<username>/, a reader's public page (docs/reading-and-annotating.md, "Readers' pages"):
their notes that the visitor may read, as ``visible_to`` decides, and every author name linking there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents.annotations import moderation
from documents.search import index
from tests.factories import AnnotationFactory, CuratorFactory, DocumentFactory, UserFactory, make_group
from tests.html import parse

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "author", "stranger", "group member", "curator"]
KINDS = ["public", "private", "group", "hidden", "draft document", "reply"]
SEES = {
    "public": {"anonymous", "author", "stranger", "group member", "curator"},
    "private": {"author"},
    "group": {"author", "group member"},
    "hidden": {"author", "curator"},
    "draft document": {"curator"},  # a note follows its document: drafts are the curators'.
    "reply": {"anonymous", "author", "stranger", "group member", "curator"},
}


@pytest.fixture
def world(db):
    author = UserFactory(username="ada")
    users = {
        "anonymous": None,
        "author": author,
        "stranger": UserFactory(username="stranger"),
        "group member": UserFactory(username="member"),
        "curator": CuratorFactory(),
    }
    group = make_group(author, users["group member"], name="Seminar")
    document = DocumentFactory(slug="doc", text="Alpha beta gamma delta epsilon zeta eta theta.")
    draft = DocumentFactory(slug="draft", status="draft")
    notes = {
        "public": AnnotationFactory(
            document=document, author=author, visibility="public", comment="kind-public"
        ),
        "private": AnnotationFactory(document=document, author=author, comment="kind-private"),
        "group": AnnotationFactory(
            document=document, author=author, visibility="group", group=group, comment="kind-group"
        ),
        "hidden": AnnotationFactory(
            document=document, author=author, visibility="public", comment="kind-hidden"
        ),
        "draft document": AnnotationFactory(
            document=draft, author=author, visibility="public", comment="kind-draft document"
        ),
    }
    moderation.hide_annotation(notes["hidden"], by=users["curator"], reason="off topic")
    someone = AnnotationFactory(document=document, author=users["stranger"], visibility="public")
    notes["reply"] = AnnotationFactory(
        document=document, author=author, parent=someone, visibility="public", comment="kind-reply"
    )
    for kind, note in notes.items():
        note.comment_html = f"<p>kind-{kind}</p>"
        note.save(update_fields=["comment_html"])
    # Another author's notes never appear on ada's page.
    AnnotationFactory(
        document=document, author=users["stranger"], visibility="public", comment_html="<p>theirs</p>"
    )
    return users, notes


def listed_kinds(response) -> set[str]:
    text = parse(response).find("main").text_content
    return {kind for kind in KINDS if f"kind-{kind}" in text}


@pytest.mark.parametrize("role", ROLES)
def test_a_readers_page_lists_exactly_the_notes_the_visitor_may_read(client, world, role):
    users, _ = world
    if users[role] is not None:
        client.force_login(users[role])
    response = client.get("/readers/ada/")
    assert response.status_code == 200
    assert listed_kinds(response) == {kind for kind, roles in SEES.items() if role in roles}
    assert "theirs" not in response.content.decode()


@pytest.mark.parametrize("username", ["nobody", "gone"])
def test_unknown_and_inactive_readers_have_no_page(client, db, username):
    UserFactory(username="gone", is_active=False)
    assert client.get(f"/readers/{username}/").status_code == 404


def test_the_page_is_paginated_newest_first(client, world):
    users, _ = world
    document = DocumentFactory(slug="long")
    for n in range(25):
        AnnotationFactory(
            document=document, author=users["author"], visibility="public", comment_html=f"<p>n{n}</p>"
        )
    first = client.get("/readers/ada/")
    assert first.context["page"].paginator.count == 27  # the public note and the reply too
    assert len(first.context["page"].object_list) == 20
    second = client.get("/readers/ada/", {"page": 2})
    assert len(second.context["page"].object_list) == 7
    assert client.get("/readers/ada/", {"page": "x"}).status_code == 200


@pytest.mark.parametrize(("url", "shown"), [("/readers/ada/", 9), ("/annotations/", 19)])
def test_the_page_makes_the_same_queries_for_many_notes(
    client, world, django_assert_max_num_queries, url, shown
):
    """The reader's page and Recent notes: the same cards, in a fixed number of queries."""
    users, _ = world
    client.force_login(users["stranger"])
    client.get(url)  # warm the session and the caches of the first request
    document = DocumentFactory(slug="more")
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for n in range(15):  # ada writes 7 of them, seven other readers the rest
        author = users["author"] if n % 2 else UserFactory()
        AnnotationFactory(document=document, author=author, visibility="public", tags=["icc", "rome"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == shown


def author_links(page) -> list[str]:
    return [a.attrs["href"] for a in page.find_all("a") if a.attrs.get("href", "").startswith("/readers/")]


def test_every_author_name_links_to_the_readers_page(client, world):
    users, notes = world
    notes["public"].tags.add("icc")
    public = notes["public"]
    panel = parse(client.get(reverse("document-detail", args=["doc"])))
    assert "/readers/ada/" in author_links(panel) and "/readers/stranger/" in author_links(panel)
    assert "/readers/ada/" in author_links(parse(client.get("/tags/icc/")))
    assert "/readers/ada/" in author_links(parse(client.get("/annotations/")))
    index.rebuild()  # the factories write no index rows
    hits = parse(client.get("/search/", {"q": "alpha"}))
    assert "/readers/ada/" in author_links(hits)
    client.force_login(users["group member"])
    group_page = parse(client.get(reverse("group-detail", args=[notes["group"].group.slug])))
    assert {"/readers/ada/", "/readers/member/"} <= set(author_links(group_page))
    assert public.author_url == "/readers/ada/"


def test_an_imported_copy_names_its_writer_without_a_link(client, world):
    users, notes = world
    note = notes["private"]
    note.imported_copy, note.creator_name = True, "Someone Else"
    note.save(update_fields=["imported_copy", "creator_name"])
    assert note.author_url == ""
    client.force_login(users["author"])
    page = parse(client.get(reverse("document-detail", args=["doc"])))
    [byline] = [e for e in page.find_all(id=f"annotation-{note.pk}-byline")]
    assert "Someone Else" in byline.text_content and byline.find_all("a") == []
