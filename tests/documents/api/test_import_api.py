"""Importing through the API: a JSON array, collection or page POSTed to an annotation container."""

import json

import pytest
from django.urls import reverse

from documents.annotations import rules as annotation_rules
from documents.models import Annotation
from tests.factories import AnnotationFactory, DocumentFactory

pytestmark = pytest.mark.django_db

ANNO = "http://www.w3.org/ns/anno.jsonld"
BASE = "http://testserver"
TEXT = "# Heading\n\nAlpha beta gamma delta.\n\nA second passage, with more words in it."
ALL = "/api/annotations/"


@pytest.fixture
def doc():
    return DocumentFactory(slug="rome", text=TEXT)


@pytest.fixture
def author_client(client, user):
    client.force_login(user)
    return client


def item(document, exact="beta gamma", **extra):
    return {
        "@context": ANNO,
        "type": "Annotation",
        "bodyValue": "A note.",
        "target": {
            "source": f"{BASE}/documents/{document.slug}/",
            "selector": {"type": "TextQuoteSelector", "exact": exact},
        },
        **extra,
    }


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/ld+json")


def test_an_array_is_imported_and_answered_with_a_report(author_client, doc, user):
    response = post(author_client, ALL, [item(doc), item(doc, exact="Alpha", id="urn:example:2")])

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    first = Annotation.objects.get(author=user, exact="beta gamma")
    second = Annotation.objects.get(author=user, via="urn:example:2")
    assert response.json() == {
        "imported": 2,
        "refused": [],
        "items": [f"{BASE}/api/annotations/{first.pk}/", f"{BASE}/api/annotations/{second.pk}/"],
        "already": [],
    }


def test_an_exported_collection_is_imported_whole(author_client, doc, user):
    AnnotationFactory(document=doc, author=user, start=9, tags=["law"])
    AnnotationFactory(document=doc, author=user, start=15, visibility="public")
    exported = author_client.get(reverse("my-annotations-export", args=["jsonld"])).json()
    Annotation.objects.all().delete()

    response = post(author_client, ALL, exported)

    assert response.json()["imported"] == 2
    assert sorted(Annotation.objects.values_list("start", "visibility")) == [(9, "private"), (15, "public")]


def test_a_page_of_annotations_is_an_import_too(author_client, doc):
    page = {"@context": ANNO, "type": "AnnotationPage", "items": [item(doc)]}

    response = post(author_client, ALL, page)

    assert response.json()["imported"] == 1


def test_each_refused_item_is_reported_with_its_index_id_field_and_detail(author_client, doc):
    items = [item(doc), item(doc, exact="nowhere at all", id="urn:example:bad"), 42]

    response = post(author_client, ALL, items)

    assert response.status_code == 200
    data = response.json()
    assert data["imported"] == 1
    assert data["refused"][0]["index"] == 1
    assert data["refused"][0]["id"] == "urn:example:bad"
    assert data["refused"][0]["field"] == "target"
    assert data["refused"][0]["detail"].startswith("The quoted text “nowhere at all” does not occur")
    assert data["refused"][1] == {
        "index": 2,
        "id": "",
        "field": "",
        "detail": "Send the annotation as a JSON object.",
    }


def test_when_nothing_can_be_imported_the_answer_is_a_problem_with_every_reason(author_client, doc):
    response = post(author_client, ALL, [item(doc, exact="nowhere"), {"type": "Annotation"}])

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    data = response.json()
    assert data["detail"] == "Nothing could be imported; “refused” gives the reason for each annotation."
    assert [refusal["index"] for refusal in data["refused"]] == [0, 1]
    assert data["refused"][1]["field"] == "@context"
    assert not Annotation.objects.exists()


def test_an_empty_array_is_a_problem(author_client):
    response = post(author_client, ALL, [])

    assert response.status_code == 400
    assert response.json()["detail"] == "There are no annotations to import."


def test_a_collection_continued_on_other_pages_is_refused(author_client, doc):
    collection = {
        "@context": ANNO,
        "type": "AnnotationCollection",
        "first": {"type": "AnnotationPage", "items": [item(doc)], "next": f"{BASE}/elsewhere?page=1"},
    }

    response = post(author_client, ALL, collection)

    assert response.status_code == 400
    assert response.json()["field"] == "first.next"


def test_a_document_container_takes_only_annotations_on_its_document(author_client, doc):
    other = DocumentFactory(text=TEXT)
    url = reverse("api-document-annotations", args=[doc.slug])

    response = post(author_client, url, [item(doc), item(other)])

    data = response.json()
    assert data["imported"] == 1
    assert data["refused"][0]["index"] == 1
    assert data["refused"][0]["field"] == "target.source"
    assert Annotation.objects.get().document == doc


def test_more_annotations_than_the_limit_are_refused_whole(author_client, doc):
    response = post(author_client, ALL, [item(doc)] * (annotation_rules.MAX_IMPORT_ANNOTATIONS + 1))

    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert "at most 1,000 annotations" in response.json()["detail"]
    assert not Annotation.objects.exists()


def test_a_body_over_five_megabytes_is_refused_before_it_is_read(author_client, doc):
    padding = " " * annotation_rules.MAX_IMPORT_BYTES
    body = json.dumps([item(doc)]) + padding

    response = author_client.post(ALL, body, content_type="application/ld+json")

    assert response.status_code == 413
    assert "larger than 5 MB" in response.json()["detail"]
    assert not Annotation.objects.exists()


def test_anonymous_imports_are_401(client, doc):
    response = post(client, ALL, [item(doc)])

    assert response.status_code == 401
    assert not Annotation.objects.exists()


def test_one_annotation_is_still_created_with_201(author_client, doc):
    response = post(author_client, ALL, item(doc))

    assert response.status_code == 201
    assert response["Location"] == response.json()["id"]


def test_items_already_there_are_no_failure_and_are_named(author_client, doc):
    post(author_client, ALL, [item(doc)])
    first = Annotation.objects.get()

    response = post(author_client, ALL, [item(doc)])

    assert response.status_code == 200
    assert response.json() == {
        "imported": 0,
        "refused": [],
        "items": [],
        "already": [f"{BASE}/api/annotations/{first.pk}/"],
    }
    assert Annotation.objects.count() == 1
