"""The JSON-LD serializer, against complete W3C Web Annotation documents."""

from documents.annotations import jsonld
from documents.models import Annotation
from tests.documents.annotations.jsonld.builders import (
    BASE,
    CONTEXT,
    CREATED,
    DOCUMENT_URL,
    MODIFIED,
    iri,
    reply_to,
)
from tests.factories import AnnotationFactory, CuratorFactory, UserFactory


def test_root_annotation_with_comment_and_tags(root):
    assert jsonld.annotation_to_jsonld(root, base_url=BASE) == {
        "@context": CONTEXT,
        "id": iri(root),
        "type": "Annotation",
        "motivation": "commenting",
        "created": "2024-03-01T12:00:00Z",
        "modified": "2024-03-02T08:30:15Z",
        "creator": {"id": "acct:ada@testserver", "type": "Person", "nickname": "ada"},
        "generator": {"id": "http://testserver/", "type": "Software", "name": "Test Archive"},
        "visibility": "public",
        "body": [
            {"type": "TextualBody", "value": "A *note*.", "purpose": "commenting", "format": "text/markdown"},
            {"type": "TextualBody", "value": "democracy", "purpose": "tagging"},
            {"type": "TextualBody", "value": "Rhetoric", "purpose": "tagging"},
        ],
        "target": {
            "source": DOCUMENT_URL,
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": "The first passage",
                    "prefix": "A heading\n\n",
                    "suffix": ".\n\nA quotation with a non-breaki",
                },
                {"type": "TextPositionSelector", "start": 11, "end": 28},
            ],
        },
    }


def test_private_highlight_has_no_body(ada, gettysburg):
    highlight = AnnotationFactory(
        document=gettysburg,
        author=ada,
        motivation=Annotation.Motivation.HIGHLIGHTING,
        start=0,
        end=9,
        comment="",
        comment_html="",
        created=CREATED,
        modified=CREATED,
    )

    assert jsonld.annotation_to_jsonld(highlight, base_url=BASE) == {
        "@context": CONTEXT,
        "id": iri(highlight),
        "type": "Annotation",
        "motivation": "highlighting",
        "created": "2024-03-01T12:00:00Z",
        "modified": "2024-03-01T12:00:00Z",
        "creator": {"id": "acct:ada@testserver", "type": "Person", "nickname": "ada"},
        "generator": {"id": "http://testserver/", "type": "Software", "name": "Test Archive"},
        "visibility": "private",
        "target": {
            "source": DOCUMENT_URL,
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": "A heading",
                    "prefix": "",
                    "suffix": "\n\nThe first passage.\n\nA quotatio",
                },
                {"type": "TextPositionSelector", "start": 0, "end": 9},
            ],
        },
    }


def test_reply_targets_the_iri_of_its_parent(root):
    reply = reply_to(
        root, author=UserFactory(username="grace"), comment="Agreed.", created=CREATED, modified=CREATED
    )

    assert jsonld.annotation_to_jsonld(reply, base_url=BASE) == {
        "@context": CONTEXT,
        "id": iri(reply),
        "type": "Annotation",
        "motivation": "replying",
        "created": "2024-03-01T12:00:00Z",
        "modified": "2024-03-01T12:00:00Z",
        "creator": {"id": "acct:grace@testserver", "type": "Person", "nickname": "grace"},
        "generator": {"id": "http://testserver/", "type": "Software", "name": "Test Archive"},
        "visibility": "public",
        "body": [
            {"type": "TextualBody", "value": "Agreed.", "purpose": "commenting", "format": "text/markdown"},
        ],
        "target": iri(root),
    }


def test_hidden_annotation_carries_the_reason_and_its_provenance(ada, gettysburg):
    hidden = AnnotationFactory(
        document=gettysburg,
        author=ada,
        visibility=Annotation.Visibility.PUBLIC,
        start=0,
        end=9,
        comment="Buy now!",
        hidden=True,
        hidden_by=CuratorFactory(),
        hidden_at=MODIFIED,
        hidden_reason="Advertising.",
        via="https://hypothes.is/a/abc123",
        canonical="urn:uuid:2f1a4b9e-8c3d-4e5f-9a6b-7c8d9e0f1a2b",
        created=CREATED,
        modified=MODIFIED,
    )

    assert jsonld.annotation_to_jsonld(hidden, base_url=BASE) == {
        "@context": CONTEXT,
        "id": iri(hidden),
        "type": "Annotation",
        "motivation": "commenting",
        "created": "2024-03-01T12:00:00Z",
        "modified": "2024-03-02T08:30:15Z",
        "creator": {"id": "acct:ada@testserver", "type": "Person", "nickname": "ada"},
        "generator": {"id": "http://testserver/", "type": "Software", "name": "Test Archive"},
        "visibility": "public",
        "body": [
            {"type": "TextualBody", "value": "Buy now!", "purpose": "commenting", "format": "text/markdown"},
        ],
        "target": {
            "source": DOCUMENT_URL,
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": "A heading",
                    "prefix": "",
                    "suffix": "\n\nThe first passage.\n\nA quotatio",
                },
                {"type": "TextPositionSelector", "start": 0, "end": 9},
            ],
        },
        "hidden": True,
        "hiddenReason": "Advertising.",
        "via": "https://hypothes.is/a/abc123",
        "canonical": "urn:uuid:2f1a4b9e-8c3d-4e5f-9a6b-7c8d9e0f1a2b",
    }


def test_unhidden_annotation_has_no_hidden_terms(root):
    data = jsonld.annotation_to_jsonld(root, base_url=BASE)

    assert "hidden" not in data
    assert "hiddenReason" not in data


def test_creator_iri_escapes_characters_that_usernames_allow(gettysburg):
    annotation = AnnotationFactory(document=gettysburg, author=UserFactory(username="ada@lovelace+1"))

    creator = jsonld.annotation_to_jsonld(annotation, base_url="https://archive.example.org:8443")["creator"]

    assert creator == {
        "id": "acct:ada%40lovelace%2B1@archive.example.org",
        "type": "Person",
        "nickname": "ada@lovelace+1",
    }


def test_serializing_prefetched_annotations_costs_no_query(root, django_assert_num_queries):
    annotation = Annotation.objects.with_related().get(pk=root.pk)

    with django_assert_num_queries(0):
        data = jsonld.annotation_to_jsonld(annotation, base_url=BASE)

    assert [body["value"] for body in data["body"]] == ["A *note*.", "democracy", "Rhetoric"]


def test_base_url_with_trailing_slash_gives_the_same_iris(root):
    assert jsonld.annotation_to_jsonld(root, base_url=BASE + "/") == jsonld.annotation_to_jsonld(
        root, base_url=BASE
    )
