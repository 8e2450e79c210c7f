"""The JSON-LD serializer and parser, against complete W3C Web Annotation documents."""

import copy
import unicodedata
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from documents.api import jsonld
from documents.api.jsonld import JsonLdError, ParsedAnnotation, Preference
from documents.models import Annotation
from documents.services import Target
from tests.factories import AnnotationFactory, CuratorFactory, DocumentFactory, UserFactory

BASE = "http://testserver"
ANNO = "http://www.w3.org/ns/anno.jsonld"
CONTEXT = [
    ANNO,
    {
        "visibility": "http://testserver/ns/archive#visibility",
        "hidden": "http://testserver/ns/archive#hidden",
        "hiddenReason": "http://testserver/ns/archive#hiddenReason",
    },
]
CREATED = datetime(2024, 3, 1, 13, 0, tzinfo=timezone(timedelta(hours=1)))
MODIFIED = datetime(2024, 3, 2, 8, 30, 15, 123456, tzinfo=UTC)
DOCUMENT_URL = "http://testserver/documents/gettysburg/"


@pytest.fixture(autouse=True)
def archive_name(settings):
    settings.ARCHIVE_NAME = "Test Archive"


@pytest.fixture
def ada(db):
    return UserFactory(username="ada")


@pytest.fixture
def gettysburg(db):
    return DocumentFactory(slug="gettysburg")


@pytest.fixture
def root(ada, gettysburg):
    """A public comment with two tags on “The first passage” (code points 11 to 28)."""
    return AnnotationFactory(
        document=gettysburg,
        author=ada,
        visibility=Annotation.Visibility.PUBLIC,
        motivation=Annotation.Motivation.COMMENTING,
        start=11,
        end=28,
        comment="A *note*.",
        created=CREATED,
        modified=MODIFIED,
        tags=["Rhetoric", "democracy"],
    )


def reply_to(parent, **kwargs):
    return AnnotationFactory(
        document=parent.document,
        parent=parent,
        root=parent.root or parent,
        visibility=parent.visibility,
        motivation=Annotation.Motivation.REPLYING,
        exact="",
        prefix="",
        suffix="",
        start=None,
        end=None,
        **kwargs,
    )


def iri(annotation) -> str:
    return f"http://testserver/api/annotations/{annotation.pk}/"


# --- Serializer -------------------------------------------------------------------------------


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


# --- Containers and pages ---------------------------------------------------------------------


def page_url(number: int) -> str:
    return f"http://testserver/api/annotations/?page={number}"


@pytest.fixture
def three(ada, gettysburg):
    return [
        AnnotationFactory(document=gettysburg, author=ada, start=start, created=CREATED, modified=MODIFIED)
        for start in (0, 11, 30)
    ]


def described(annotation) -> dict:
    data = jsonld.annotation_to_jsonld(annotation, base_url=BASE)
    del data["@context"]
    return data


CONTAINER_CONTEXT = [*CONTEXT, "http://www.w3.org/ns/ldp.jsonld"]


def collection(items, preference, *, total=5, last_page=2):
    return jsonld.collection_to_jsonld(
        container_url="http://testserver/api/annotations/",
        label="Annotations in the archive",
        total=total,
        page_url=page_url,
        last_page=last_page,
        first_items=items,
        preference=preference,
        base_url=BASE,
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


# --- Parser: valid annotations ----------------------------------------------------------------


def quote_selector(exact="The first passage", prefix="A heading\n\n", suffix=".\n\nA quotation"):
    return {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix}


def position_selector(start=11, end=28):
    return {"type": "TextPositionSelector", "start": start, "end": end}


def annotation(**fields) -> dict:
    """A valid comment on “The first passage”; keyword arguments replace or (with None) drop keys."""
    data = {
        "@context": ANNO,
        "type": "Annotation",
        "body": [
            {"type": "TextualBody", "value": "A note.", "purpose": "commenting", "format": "text/markdown"}
        ],
        "target": {"source": DOCUMENT_URL, "selector": [quote_selector(), position_selector()]},
    }
    for key, value in fields.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def parse(data) -> ParsedAnnotation:
    return jsonld.parse_annotation(data, base_url=BASE)


def test_w3c_text_quote_selector_example():
    """The Data Model's TextQuoteSelector example, with a text body and this archive's source."""
    parsed = parse(
        {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "id": "http://example.org/anno23",
            "type": "Annotation",
            "body": {"type": "TextualBody", "value": "A typo?", "format": "text/plain"},
            "target": {
                "source": DOCUMENT_URL,
                "selector": {
                    "type": "TextQuoteSelector",
                    "exact": "anotation",
                    "prefix": "this is an ",
                    "suffix": " that has some",
                },
            },
        }
    )

    assert parsed == ParsedAnnotation(
        motivation="commenting",
        document_slug="gettysburg",
        exact="anotation",
        prefix="this is an ",
        suffix=" that has some",
        comment="A typo?",
        via="http://example.org/anno23",
    )


def test_w3c_tagging_and_commenting_example():
    """The Data Model's purpose example: a tag and a comment in one annotation."""
    parsed = parse(
        {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "id": "http://example.org/anno18",
            "type": "Annotation",
            "motivation": "bookmarking",
            "body": [
                {"type": "TextualBody", "value": "love", "purpose": "tagging"},
                {
                    "type": "TextualBody",
                    "value": "I really love this particular bit of text.",
                    "format": "text/plain",
                    "language": "en",
                    "purpose": "describing",
                },
            ],
            "target": {"source": DOCUMENT_URL, "selector": [position_selector(412, 795)]},
        }
    )

    assert parsed == ParsedAnnotation(
        motivation="commenting",
        document_slug="gettysburg",
        start=412,
        end=795,
        comment="I really love this particular bit of text.",
        tags=("love",),
        via="http://example.org/anno18",
    )


def test_w3c_body_value_example():
    parsed = parse(
        annotation(
            body=None,
            bodyValue="Comment text",
            target={"source": DOCUMENT_URL, "selector": position_selector()},
        )
    )

    assert parsed.comment == "Comment text"
    assert parsed.motivation == "commenting"


def test_minimal_position_only_highlight():
    parsed = parse(
        {
            "@context": ANNO,
            "type": "Annotation",
            "target": {"source": DOCUMENT_URL, "selector": position_selector()},
        }
    )

    assert parsed == ParsedAnnotation(motivation="highlighting", document_slug="gettysburg", start=11, end=28)
    assert not parsed.is_reply


def test_minimal_quote_only_highlight():
    parsed = parse(
        {
            "@context": ANNO,
            "type": "Annotation",
            "target": {
                "source": DOCUMENT_URL,
                "selector": [{"type": "TextQuoteSelector", "exact": "passage"}],
            },
        }
    )

    assert parsed == ParsedAnnotation(motivation="highlighting", document_slug="gettysburg", exact="passage")


def test_public_comment_with_both_selectors():
    parsed = parse(annotation(visibility="public", motivation="commenting"))

    assert parsed == ParsedAnnotation(
        motivation="commenting",
        document_slug="gettysburg",
        exact="The first passage",
        prefix="A heading\n\n",
        suffix=".\n\nA quotation",
        start=11,
        end=28,
        comment="A note.",
        visibility="public",
    )


@pytest.mark.parametrize(
    "target",
    [
        "http://testserver/api/annotations/{id}/",
        "http://testserver/api/annotations/{id}",
        {"source": "http://testserver/api/annotations/{id}/"},
        {"id": "http://testserver/api/annotations/{id}/", "type": "Annotation"},
        ["http://testserver/api/annotations/{id}/"],
    ],
)
def test_reply_targets_an_annotation_iri(target):
    parent = uuid.uuid4()
    target = copy.deepcopy(target)
    if isinstance(target, str):
        target = target.format(id=parent)
    elif isinstance(target, list):
        target = [target[0].format(id=parent)]
    else:
        key = "source" if "source" in target else "id"
        target[key] = target[key].format(id=parent)

    parsed = parse(annotation(target=target, motivation="replying", bodyValue="Agreed.", body=None))

    assert parsed == ParsedAnnotation(motivation="replying", parent_id=parent, comment="Agreed.")
    assert parsed.is_reply


def test_reply_may_leave_out_the_motivation():
    parent = uuid.uuid4()

    assert parse(annotation(target=f"{BASE}/api/annotations/{parent}/")).motivation == "replying"


@pytest.mark.parametrize(
    "source",
    [
        DOCUMENT_URL,
        "http://testserver/documents/gettysburg",
        "http://testserver/documents/gettysburg/#p-3",
        "HTTP://TestServer/documents/gettysburg/",
    ],
)
def test_source_may_be_any_form_of_the_reading_view_address(source):
    assert (
        parse(annotation(target={"source": source, "selector": position_selector()})).document_slug
        == "gettysburg"
    )


def test_selection_is_handed_to_the_services_as_a_target():
    parsed = parse(annotation())

    assert parsed.target == Target(
        exact="The first passage", prefix="A heading\n\n", suffix=".\n\nA quotation", start=11, end=28
    )


def test_single_selector_object_and_one_item_target_list():
    parsed = parse(annotation(target=[{"source": DOCUMENT_URL, "selector": quote_selector()}]))

    assert (parsed.exact, parsed.start) == ("The first passage", None)


def test_tags_are_stripped_deduplicated_case_insensitively_and_empty_ones_dropped():
    tags = ["  Rhetoric ", "rhetoric", "", "   ", "civil   war", "RHETORIC", "Union"]
    body = [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in tags]

    parsed = parse(annotation(body=body))

    assert parsed.tags == ("Rhetoric", "civil war", "Union")
    assert parsed.comment == ""
    assert parsed.motivation == "tagging"


def test_body_without_purpose_is_the_comment():
    parsed = parse(annotation(body={"type": "TextualBody", "value": "Plain words."}))

    assert parsed.comment == "Plain words."


def test_body_without_type_but_with_a_value_is_a_textual_body():
    parsed = parse(annotation(body={"value": "Still a comment.", "purpose": "commenting"}))

    assert parsed.comment == "Still a comment."


def test_blank_comment_counts_as_none():
    parsed = parse(annotation(body=[{"type": "TextualBody", "value": "  \n", "purpose": "commenting"}]))

    assert (parsed.comment, parsed.motivation) == ("", "highlighting")


def test_motivation_follows_the_content_not_the_client():
    parsed = parse(annotation(motivation="highlighting"))

    assert parsed.motivation == "commenting"


def test_fields_only_the_server_sets_are_ignored():
    sent = annotation(
        creator={"id": "acct:mallory@testserver", "type": "Person", "nickname": "mallory"},
        created="1999-01-01T00:00:00Z",
        modified="1999-01-01T00:00:00Z",
        generator={"id": "http://evil.example/", "type": "Software"},
        generated="1999-01-01T00:00:00Z",
        hidden=True,
        hiddenReason="None at all.",
    )

    assert parse(sent) == parse(annotation())


def test_own_id_is_recognised_and_not_moved_to_via():
    annotation_id = uuid.uuid4()

    parsed = parse(annotation(id=f"{BASE}/api/annotations/{annotation_id}/", via="https://hypothes.is/a/x"))

    assert parsed.annotation_id == annotation_id
    assert parsed.via == "https://hypothes.is/a/x"


def test_foreign_id_goes_to_via_and_canonical_is_kept():
    parsed = parse(
        annotation(
            id="urn:uuid:0b6e4c1e-6b7c-4a5f-8f1e-2c3d4e5f6a7b",
            via="https://ignored.example/",
            canonical="https://example.org/canonical/1",
        )
    )

    assert parsed.via == "urn:uuid:0b6e4c1e-6b7c-4a5f-8f1e-2c3d4e5f6a7b"
    assert parsed.canonical == "https://example.org/canonical/1"
    assert parsed.annotation_id is None


def test_a_client_local_fragment_id_is_dropped_for_the_server_to_assign():
    """Browser libraries name unsaved annotations “#<uuid>”: meaningless off the client, not an error."""
    parsed = parse(annotation(id="#0b6e4c1e-6b7c-4a5f-8f1e-2c3d4e5f6a7b"))

    assert parsed == parse(annotation())


def test_a_fragment_id_leaves_a_sent_via_in_place():
    parsed = parse(annotation(id="#local-1", via="https://hypothes.is/a/x"))

    assert parsed.via == "https://hypothes.is/a/x"
    assert parsed.annotation_id is None


@pytest.mark.parametrize("client_id", ["local-1", "/api/annotations/x/", "#", 7])
def test_other_relative_ids_are_still_refused(client_id):
    with pytest.raises(JsonLdError) as error:
        parse(annotation(id=client_id))

    assert error.value.field == "id"


def test_quote_is_normalised_to_nfc_and_long_context_cut_next_to_the_selection():
    prefix, suffix = "p" * 70 + "<", ">" + "s" * 70
    selector = {"type": "TextQuoteSelector", "exact": "Cafe\u0301", "prefix": prefix, "suffix": suffix}

    parsed = parse(annotation(target={"source": DOCUMENT_URL, "selector": selector}))

    assert parsed.exact == "Caf\u00e9"
    assert parsed.prefix == ("p" * 70 + "<")[-64:]
    assert parsed.suffix == (">" + "s" * 70)[:64]


def test_context_may_be_an_array_starting_with_the_annotation_context():
    parsed = parse(
        annotation(**{"@context": [ANNO, {"visibility": "http://example.org/v"}]}, type=["Annotation"])
    )

    assert parsed.document_slug == "gettysburg"


def test_comment_and_tags_at_their_limits_are_accepted():
    body = [{"type": "TextualBody", "value": "x" * Annotation.MAX_COMMENT_LENGTH, "purpose": "commenting"}]
    body += [{"type": "TextualBody", "value": f"tag{n}" + "t" * 95, "purpose": "tagging"} for n in range(20)]

    parsed = parse(annotation(body=body))

    assert len(parsed.comment) == 10_000
    assert len(parsed.tags) == 20


# --- Parser: invalid annotations --------------------------------------------------------------


def with_selectors(*selectors):
    return {"target": {"source": DOCUMENT_URL, "selector": list(selectors)}}


def with_bodies(*bodies):
    return {"body": list(bodies)}


def comment(value, **extra):
    return {"type": "TextualBody", "value": value, "purpose": "commenting", **extra}


def tag(value):
    return {"type": "TextualBody", "value": value, "purpose": "tagging"}


INVALID = {
    "context missing": ({"@context": None}, "@context", "is missing"),
    "context wrong": (
        {"@context": "http://example.org/ctx.jsonld"},
        "@context",
        "http://www.w3.org/ns/anno.jsonld",
    ),
    "context array in the wrong order": (
        {"@context": ["http://www.w3.org/ns/ldp.jsonld", ANNO]},
        "@context",
        "an array starting with it",
    ),
    "type missing": ({"type": None}, "type", "“Annotation”"),
    "type wrong": ({"type": "Note"}, "type", "not “Note”"),
    "target missing": ({"target": None}, "target", "target is missing"),
    "target not an object": ({"target": 42}, "target", "target must be an object"),
    "two targets": ({"target": [DOCUMENT_URL, DOCUMENT_URL]}, "target", "exactly one target"),
    "source missing": ({"target": {"selector": [position_selector()]}}, "target.source", "needs a source"),
    "source not a string": ({"target": {"source": 7, "selector": []}}, "target.source", "as a string"),
    "source elsewhere": (
        {
            "target": {
                "source": "http://elsewhere.example/documents/gettysburg/",
                "selector": [position_selector()],
            }
        },
        "target.source",
        "is not a document of this archive",
    ),
    "source a collection page": (
        {"target": {"source": "http://testserver/collections/speeches/", "selector": [position_selector()]}},
        "target.source",
        "is not a document of this archive",
    ),
    "source with a query": (
        {"target": {"source": DOCUMENT_URL + "?print=1", "selector": [position_selector()]}},
        "target.source",
        "is not a document of this archive",
    ),
    "document without a selector": (
        {"target": {"source": DOCUMENT_URL}},
        "target.selector",
        "TextQuoteSelector",
    ),
    "bare document target": ({"target": DOCUMENT_URL}, "target", "add a selector"),
    "empty selector list": (with_selectors(), "target.selector", "empty"),
    "selector not an object": (with_selectors("#p-3"), "target.selector[0]", "must be an object"),
    "selector type missing": (with_selectors({"exact": "x"}), "target.selector[0].type", "has no type"),
    "selector type unknown": (
        with_selectors({"type": "FragmentSelector", "value": "p-3"}),
        "target.selector[0].type",
        "“FragmentSelector” is not supported; use TextQuoteSelector, TextPositionSelector",
    ),
    "refined selector": (
        with_selectors({**position_selector(), "refinedBy": quote_selector()}),
        "target.selector[0].refinedBy",
        "not supported",
    ),
    "two quote selectors": (
        with_selectors(quote_selector(), quote_selector()),
        "target.selector[1]",
        "one TextQuoteSelector",
    ),
    "two position selectors": (
        with_selectors(position_selector(), position_selector()),
        "target.selector[1]",
        "one TextPositionSelector",
    ),
    "exact missing": (
        with_selectors({"type": "TextQuoteSelector"}),
        "target.selector[0].exact",
        "selected text",
    ),
    "exact empty": (
        with_selectors(quote_selector(exact="")),
        "target.selector[0].exact",
        "at least one character",
    ),
    "prefix not a string": (with_selectors(quote_selector(prefix=3)), "target.selector[0].prefix", "string"),
    "start missing": (
        with_selectors({"type": "TextPositionSelector", "end": 4}),
        "target.selector[0].start",
        "start is missing",
    ),
    "start negative": (with_selectors(position_selector(-1, 4)), "target.selector[0].start", "0 or more"),
    "start a string": (with_selectors(position_selector("3", 4)), "target.selector[0].start", "whole number"),
    "end a fraction": (with_selectors(position_selector(3, 4.5)), "target.selector[0].end", "whole number"),
    "end a boolean": (with_selectors(position_selector(0, True)), "target.selector[0].end", "whole number"),
    "start after end": (
        with_selectors(position_selector(9, 4)),
        "target.selector[0].end",
        "comes before start",
    ),
    "empty span": (with_selectors(position_selector(4, 4)), "target.selector[0].end", "greater than start"),
    "selectors disagree": (
        with_selectors(quote_selector(), position_selector(11, 30)),
        "target.selector",
        "exact has 17 characters but start to end spans 19",
    ),
    "body and bodyValue": ({"bodyValue": "Also this."}, "bodyValue", "either body or bodyValue"),
    "bodyValue not a string": ({"body": None, "bodyValue": ["a"]}, "bodyValue", "as a string"),
    "body by IRI": (with_bodies("http://example.org/comment1"), "body[0]", "TextualBody"),
    "body not an object": ({"body": 5}, "body", "TextualBody object"),
    "body of another type": (
        with_bodies({"type": "SpecificResource", "source": "http://example.org/x"}),
        "body[0].type",
        "“SpecificResource” is not supported",
    ),
    "body without value": (with_bodies({"type": "TextualBody"}), "body[0].value", "needs a value"),
    "two comments": (with_bodies(comment("One."), comment("Two.")), "body[1]", "body[0] is already it"),
    "html comment": (
        with_bodies(comment("<p>Hi</p>", format="text/html")),
        "body[0].format",
        "text/markdown",
    ),
    "unsupported purpose": (
        with_bodies({"type": "TextualBody", "value": "x", "purpose": "bookmarking"}),
        "body[0].purpose",
        "“bookmarking” is not supported",
    ),
    "unknown purpose": (
        with_bodies({"type": "TextualBody", "value": "x", "purpose": "liking"}),
        "body[0].purpose",
        "“liking” is not a purpose",
    ),
    "comment too long": (
        with_bodies(comment("x" * 10_001)),
        "body[0].value",
        "The comment has 10,001 characters; the limit is 10,000.",
    ),
    "bodyValue too long": ({"body": None, "bodyValue": "x" * 10_001}, "bodyValue", "the limit is 10,000"),
    "too many tags": (
        with_bodies(*(tag(f"tag {n}") for n in range(21))),
        "body",
        "at most 20 tags; this one has 21",
    ),
    "tag too long": (with_bodies(tag("ok"), tag("t" * 101)), "body[1].value", "longer than 100 characters"),
    "motivation unknown": ({"motivation": "liking"}, "motivation", "is not a W3C motivation"),
    "motivation list with an unknown one": (
        {"motivation": ["commenting", "liking"]},
        "motivation[1]",
        "is not a W3C motivation",
    ),
    "replying to a document": (
        {"motivation": "replying"},
        "motivation",
        "the IRI of the annotation you answer",
    ),
    "visibility unknown": ({"visibility": "friends"}, "visibility", "“private” or “public”, not “friends”"),
    "visibility not a string": ({"visibility": True}, "visibility", "“private” or “public”"),
    "relative id": ({"id": "anno1"}, "id", "absolute IRI"),
    "id not a string": ({"id": 12}, "id", "absolute IRI"),
    "overlong via": ({"via": "https://example.org/" + "v" * 500}, "via", "longer than 500"),
    "canonical with spaces": ({"canonical": "https://example.org/a b"}, "canonical", "absolute IRI"),
}


@pytest.mark.parametrize(("changes", "field", "message"), INVALID.values(), ids=INVALID.keys())
def test_invalid_annotation_is_refused_with_the_field_at_fault(changes, field, message):
    with pytest.raises(JsonLdError) as caught:
        parse(annotation(**changes))

    assert caught.value.field == field
    assert message in caught.value.message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([annotation()], "not an array"),
        ("an annotation", "JSON object"),
        (None, "JSON object"),
    ],
)
def test_input_that_is_not_one_json_object_is_refused(data, message):
    with pytest.raises(JsonLdError) as caught:
        parse(data)

    assert caught.value.field == ""
    assert message in caught.value.message


def test_unknown_source_message_names_the_source_and_the_expected_form():
    with pytest.raises(JsonLdError) as caught:
        parse(annotation(target={"source": "https://example.org/page1", "selector": position_selector()}))

    assert caught.value.message == (
        "The target source “https://example.org/page1” is not a document of this archive; "
        "use the address of its reading view, such as http://testserver/documents/<slug>/."
    )
    assert str(caught.value) == "target.source: " + caught.value.message


# --- Round trips ------------------------------------------------------------------------------


def test_root_annotation_round_trips(root):
    root.via = "https://hypothes.is/a/abc"
    root.canonical = "https://example.org/canonical/1"

    parsed = parse(jsonld.annotation_to_jsonld(root, base_url=BASE))

    assert parsed == ParsedAnnotation(
        motivation="commenting",
        document_slug="gettysburg",
        exact="The first passage",
        prefix="A heading\n\n",
        suffix=".\n\nA quotation with a non-breaki",
        start=11,
        end=28,
        comment="A *note*.",
        tags=("democracy", "Rhetoric"),
        visibility="public",
        via="https://hypothes.is/a/abc",
        canonical="https://example.org/canonical/1",
        annotation_id=root.pk,
    )


def test_reply_round_trips(root):
    reply = reply_to(root, comment="Agreed.")

    parsed = parse(jsonld.annotation_to_jsonld(reply, base_url=BASE))

    assert parsed == ParsedAnnotation(
        motivation="replying",
        parent_id=root.pk,
        comment="Agreed.",
        visibility="public",
        annotation_id=reply.pk,
    )


def test_hidden_highlight_round_trips_without_the_hidden_terms(ada, gettysburg):
    highlight = AnnotationFactory(
        document=gettysburg,
        author=ada,
        motivation=Annotation.Motivation.HIGHLIGHTING,
        comment="",
        hidden=True,
        hidden_reason="Spam.",
    )

    parsed = parse(jsonld.annotation_to_jsonld(highlight, base_url=BASE))

    assert (parsed.motivation, parsed.comment, parsed.tags, parsed.start, parsed.end) == (
        "highlighting",
        "",
        (),
        0,
        9,
    )


@given(
    start=st.integers(min_value=0, max_value=10**6),
    exact=st.text(st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), min_size=1).map(
        lambda text: unicodedata.normalize("NFC", text)
    ),
)
def test_any_consistent_selection_is_read_back_exactly(start, exact):
    selectors = [{"type": "TextQuoteSelector", "exact": exact}, position_selector(start, start + len(exact))]

    parsed = parse(annotation(target={"source": DOCUMENT_URL, "selector": selectors}))

    assert (parsed.exact, parsed.start, parsed.end) == (exact, start, start + len(exact))


VOCABULARY = [
    "@context", "type", "target", "source", "selector", "exact", "prefix", "suffix", "start", "end",
    "body", "bodyValue", "value", "purpose", "format", "motivation", "visibility", "id", "via", "canonical",
    "refinedBy",
]  # fmt: skip
ATOMS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(
        [
            ANNO,
            "Annotation",
            "TextQuoteSelector",
            "TextPositionSelector",
            "TextualBody",
            "tagging",
            "commenting",
            "replying",
            DOCUMENT_URL,
            f"{BASE}/api/annotations/{uuid.UUID(int=1)}/",
            "http://[::1",
        ]
    ),
)
JSON = st.recursive(
    ATOMS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(VOCABULARY), children, max_size=6)
    ),
    max_leaves=25,
)


def maybe(strategy):
    """Mostly the well-formed value, sometimes any JSON at all, so every branch gets bad input."""
    return strategy | JSON


SELECTOR = st.fixed_dictionaries(
    {"type": maybe(st.sampled_from(["TextQuoteSelector", "TextPositionSelector"]))},
    optional={
        "exact": maybe(st.text()),
        "prefix": maybe(st.text()),
        "suffix": maybe(st.text()),
        "start": maybe(st.integers(min_value=-5, max_value=100)),
        "end": maybe(st.integers(min_value=-5, max_value=100)),
        "refinedBy": JSON,
    },
)
BODY = st.fixed_dictionaries(
    {"value": maybe(st.text())},
    optional={
        "type": maybe(st.just("TextualBody")),
        "purpose": maybe(st.sampled_from(["commenting", "tagging", "describing", "bookmarking"])),
        "format": maybe(st.sampled_from(["text/markdown", "text/plain", "text/html"])),
    },
)
TARGET = st.fixed_dictionaries(
    {"source": maybe(st.sampled_from([DOCUMENT_URL, f"{BASE}/api/annotations/{uuid.UUID(int=1)}/"]))},
    optional={"selector": maybe(SELECTOR | st.lists(SELECTOR, max_size=3))},
)
NEARLY_VALID = st.fixed_dictionaries(
    {"@context": maybe(st.just(ANNO)), "type": maybe(st.just("Annotation"))},
    optional={
        "target": maybe(TARGET | st.lists(TARGET, max_size=2)),
        "body": maybe(BODY | st.lists(BODY, max_size=4)),
        "bodyValue": maybe(st.text()),
        "motivation": maybe(st.sampled_from(["commenting", "highlighting", "replying", "liking"])),
        "visibility": maybe(st.sampled_from(["private", "public", "friends"])),
        "id": JSON,
        "via": JSON,
        "canonical": JSON,
    },
)


@given(data=NEARLY_VALID | JSON)
def test_parser_answers_any_json_with_an_annotation_or_a_json_ld_error(data):
    try:
        parsed = parse(data)
    except JsonLdError as error:
        assert error.message
    else:
        assert isinstance(parsed, ParsedAnnotation)


@given(data=st.dictionaries(st.sampled_from(["@context", "type", "first", "items", "next"]), JSON) | JSON)
def test_parse_many_answers_any_json_with_items_or_a_json_ld_error(data):
    try:
        items = jsonld.parse_many(data)
    except JsonLdError as error:
        assert error.message
    else:
        assert isinstance(items, list)


# --- Imports ----------------------------------------------------------------------------------


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
