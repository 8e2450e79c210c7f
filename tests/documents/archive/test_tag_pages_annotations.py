"""Tag pages list the public annotations carrying a tag as well as the documents."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import AnnotationFactory, DocumentFactory
from tests.html import parse

pytestmark = pytest.mark.django_db


def tagged_annotation_ids(response) -> list[str]:
    section = parse(response).find("section", **{"aria-labelledby": "tagged-annotations-heading"})
    return [
        a.attrs["href"].split("/")[2]
        for a in section.find_all("a")
        if a.attrs["href"].startswith("/annotations/")
    ]


def test_a_tag_page_lists_documents_and_public_annotations(client, user, document):
    document.tags.add("Treaties")
    public = AnnotationFactory(document=document, visibility="public", tags=["Treaties"])
    AnnotationFactory(document=document, author=user, tags=["Treaties"])
    AnnotationFactory(document=document, visibility="public", tags=["Other"])
    client.force_login(user)
    response = client.get(reverse("tag-detail", args=["treaties"]))
    assert [d.title for d in response.context["page"].object_list] == [document.title]
    assert tagged_annotation_ids(response) == [str(public.pk)]
    tree = parse(response)
    assert tree.find("h2", id="tagged-annotations-heading").text_content == "1 public annotation"
    article = tree.find("li", **{"class": "tagged-annotation"})
    assert article.find("blockquote").text_content == public.exact
    assert article.find("div", **{"class": "annotation-comment"}).find("em").text_content == "note"
    title = article.find("h3").text_content
    assert title == f"{public.author.username} on “{document.title}”"


def test_a_tag_used_only_by_annotations_has_a_page(client):
    public = AnnotationFactory(visibility="public", tags=["Marginalia"])
    response = client.get(reverse("tag-detail", args=["marginalia"]))
    assert response.status_code == 200
    assert tagged_annotation_ids(response) == [str(public.pk)]
    assert "documents-heading" not in response.content.decode()


def test_a_tag_only_on_private_or_hidden_annotations_is_404(client, user, curator):
    AnnotationFactory(author=user, tags=["Secret"])
    AnnotationFactory(visibility="public", hidden=True, tags=["Removed"])
    client.force_login(user)
    assert client.get(reverse("tag-detail", args=["secret"])).status_code == 404
    assert client.get(reverse("tag-detail", args=["removed"])).status_code == 404
    client.force_login(curator)
    response = client.get(reverse("tag-detail", args=["removed"]))
    note = parse(response).find("p", **{"class": "annotation-hidden-note"})
    assert note.text_content.startswith("Hidden by a curator:")


def test_annotations_on_drafts_stay_off_tag_pages(client, draft):
    AnnotationFactory(document=draft, visibility="public", tags=["Draft notes"])
    assert client.get(reverse("tag-detail", args=["draft-notes"])).status_code == 404


def test_a_reply_carrying_the_tag_says_whom_it_answers(client, document):
    root = AnnotationFactory(document=document, visibility="public")
    reply = AnnotationFactory(document=document, visibility="public", parent=root, root=root, tags=["Debate"])
    response = client.get(reverse("tag-detail", args=["debate"]))
    title = parse(response).find("h3", **{"class": "tagged-annotation-title"}).text_content
    assert title == f"Reply to {root.author.username} on “{document.title}”"
    assert tagged_annotation_ids(response) == [str(reply.pk)]


def test_the_tag_list_counts_documents_and_public_annotations(client, user, document, draft):
    document.tags.add("Treaties")
    draft.tags.add("Treaties")
    AnnotationFactory(document=document, visibility="public", tags=["Treaties", "Marginalia"])
    AnnotationFactory(document=document, visibility="public", tags=["Marginalia"])
    AnnotationFactory(document=document, author=user, tags=["Private only"])
    client.force_login(user)
    response = client.get(reverse("tag-list"))
    counts = {tag.name: (tag.document_count, tag.annotation_count) for tag in response.context["tags"]}
    assert counts == {"Marginalia": (0, 2), "Treaties": (1, 1)}
    items = [li.text_content for li in parse(response).find("ul", **{"class": "tag-index"}).find_all("li")]
    assert items == ["Marginalia 2 annotations", "Treaties 1 document, 1 annotation"]


def test_tag_page_annotations_are_paginated(client, document):
    AnnotationFactory.create_batch(23, document=document, visibility="public", tags=["Busy"])
    url = reverse("tag-detail", args=["busy"])
    first = client.get(url)
    assert len(tagged_annotation_ids(first)) == 20
    second = client.get(url, {"annotations_page": 2})
    assert len(tagged_annotation_ids(second)) == 3
    assert 'href="?annotations_page=1"' in second.content.decode()


def test_tag_page_queries_do_not_grow_with_annotations(client, django_assert_num_queries):
    DocumentFactory(tags=["Few"])
    AnnotationFactory(visibility="public", tags=["Few"])
    many = DocumentFactory(tags=["Many"])
    for _ in range(30):
        root = AnnotationFactory(document=many, visibility="public", tags=["Many"])
        AnnotationFactory(document=many, visibility="public", parent=root, root=root, tags=["Many"])
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("tag-detail", args=["few"])).status_code == 200
    with django_assert_num_queries(len(few)):
        client.get(reverse("tag-detail", args=["many"]))
