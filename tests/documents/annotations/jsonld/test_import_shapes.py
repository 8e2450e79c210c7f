"""parse_many: the shapes an import may take (an annotation, an array, a collection, a page)."""

import pytest

from documents.annotations import jsonld
from documents.annotations.jsonld import JsonLdError, Preference
from tests.documents.annotations.jsonld.builders import (
    ANNO,
    CONTAINER_CONTEXT,
    annotation,
    collection,
    page_url,
    parse,
)


def test_parse_many_takes_one_annotation_or_an_array():
    one = annotation()

    assert jsonld.parse_many(one) == [one]
    assert jsonld.parse_many([one, one]) == [one, one]


def test_parse_many_reads_an_exported_collection(three):
    exported = collection(three, Preference.DESCRIPTIONS, total=3, last_page=0)

    items = jsonld.parse_many(exported)

    assert [parse(item).annotation_id for item in items] == [a.pk for a in three]
    assert all(item["@context"] == CONTAINER_CONTEXT for item in items)


def test_parse_many_reads_items_of_a_collection_or_a_page():
    one = annotation(**{"@context": None})
    inline = {"@context": ANNO, "type": "AnnotationCollection", "items": [one]}
    page_only = {"@context": ANNO, "type": "AnnotationPage", "items": [one]}

    assert jsonld.parse_many(inline) == [annotation()]
    assert jsonld.parse_many(page_only) == [annotation()]
    assert jsonld.parse_many({"@context": ANNO, "type": "AnnotationCollection", "total": 0}) == []


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ("annotations", "", "JSON array"),
        ({"type": "Person"}, "type", "AnnotationCollection"),
        ({"type": "AnnotationCollection", "first": page_url(0)}, "first", "PreferContainedDescriptions"),
        (
            {"type": "AnnotationCollection", "first": {"items": [], "next": page_url(1)}},
            "first.next",
            "continue on another page",
        ),
        ({"type": "AnnotationPage", "items": [], "next": page_url(1)}, "next", "continue on another page"),
        ({"type": "AnnotationPage", "items": {"id": "x"}}, "items", "array of annotations"),
    ],
)
def test_parse_many_refuses_what_it_cannot_import_whole(data, field, message):
    with pytest.raises(JsonLdError) as caught:
        jsonld.parse_many(data)

    assert caught.value.field == field
    assert message in caught.value.message


@pytest.mark.parametrize(
    ("data", "many"),
    [
        ([], True),
        ({"type": "AnnotationCollection"}, True),
        ({"type": ["AnnotationPage"]}, True),
        ({"type": "Annotation"}, False),
        ({"type": ["Annotation", "AnnotationPage"]}, False),
        ({"type": 3}, False),
        ("text", False),
    ],
)
def test_a_post_body_holds_many_when_it_is_an_array_a_collection_or_a_page(data, many):
    assert jsonld.holds_many(data) is many
