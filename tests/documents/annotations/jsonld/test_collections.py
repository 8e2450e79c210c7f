"""Collections and pages as the Web Annotation Protocol pages them."""

import pytest

from documents.annotations import jsonld
from documents.annotations.jsonld import Preference
from tests.documents.annotations.jsonld.builders import (
    BASE,
    CONTAINER_CONTEXT,
    CONTEXT,
    CREATED,
    MODIFIED,
    collection,
    described,
    iri,
    page_url,
)


def test_collection_embeds_the_first_page_with_descriptions_by_default(three):
    assert collection(three[:2], Preference.DESCRIPTIONS) == {
        "@context": CONTAINER_CONTEXT,
        "id": "http://testserver/api/annotations/",
        "type": ["BasicContainer", "AnnotationCollection"],
        "label": "Annotations in the archive",
        "total": 5,
        "first": {
            "id": page_url(0),
            "type": "AnnotationPage",
            "startIndex": 0,
            "next": page_url(1),
            "items": [described(three[0]), described(three[1])],
        },
        "last": page_url(2),
    }


def test_collection_with_contained_iris_embeds_iris(three):
    assert collection(three[:2], "iris") == {
        "@context": CONTAINER_CONTEXT,
        "id": "http://testserver/api/annotations/",
        "type": ["BasicContainer", "AnnotationCollection"],
        "label": "Annotations in the archive",
        "total": 5,
        "first": {
            "id": page_url(0),
            "type": "AnnotationPage",
            "startIndex": 0,
            "next": page_url(1),
            "items": [iri(three[0]), iri(three[1])],
        },
        "last": page_url(2),
    }


def test_minimal_collection_links_its_pages_without_embedding(three):
    assert collection([], Preference.MINIMAL) == {
        "@context": CONTAINER_CONTEXT,
        "id": "http://testserver/api/annotations/",
        "type": ["BasicContainer", "AnnotationCollection"],
        "label": "Annotations in the archive",
        "total": 5,
        "first": page_url(0),
        "last": page_url(2),
    }


def test_empty_collection_has_no_pages():
    data = jsonld.collection_to_jsonld(
        container_url="http://testserver/api/annotations/",
        label="Annotations in the archive",
        total=0,
        page_url=page_url,
        last_page=0,
        first_items=[],
        base_url=BASE,
        modified=CREATED,
    )

    assert data == {
        "@context": CONTAINER_CONTEXT,
        "id": "http://testserver/api/annotations/",
        "type": ["BasicContainer", "AnnotationCollection"],
        "label": "Annotations in the archive",
        "total": 0,
        "modified": "2024-03-01T12:00:00Z",
    }


def test_single_page_collection_has_no_next():
    data = collection([], Preference.DESCRIPTIONS, total=1, last_page=0)

    assert data["first"] == {"id": page_url(0), "type": "AnnotationPage", "startIndex": 0, "items": []}
    assert data["last"] == page_url(0)


def test_unknown_preference_is_refused():
    with pytest.raises(ValueError, match="everything"):
        collection([], "everything")


def page(items, preference, *, number=1, last_page=2):
    return jsonld.page_to_jsonld(
        container_url="http://testserver/api/annotations/",
        label="Annotations in the archive",
        total=5,
        page_url=page_url,
        number=number,
        last_page=last_page,
        start_index=number * 2,
        items=items,
        preference=preference,
        base_url=BASE,
        modified=MODIFIED,
    )


def test_middle_page_links_both_ways_and_describes_its_items(three):
    assert page(three[2:], Preference.DESCRIPTIONS) == {
        "@context": CONTEXT,
        "id": page_url(1),
        "type": "AnnotationPage",
        "partOf": {
            "id": "http://testserver/api/annotations/",
            "label": "Annotations in the archive",
            "total": 5,
            "modified": "2024-03-02T08:30:15Z",
        },
        "startIndex": 2,
        "prev": page_url(0),
        "next": page_url(2),
        "items": [described(three[2])],
    }


def test_page_with_contained_iris_lists_iris(three):
    data = page(three[2:], Preference.IRIS)

    assert data["items"] == [iri(three[2])]


def test_minimal_preference_still_describes_a_pages_items(three):
    assert page(three[2:], Preference.MINIMAL)["items"] == [described(three[2])]


def test_last_page_has_no_next(three):
    data = page(three[2:], Preference.DESCRIPTIONS, number=2, last_page=2)

    assert data["prev"] == page_url(1)
    assert "next" not in data
