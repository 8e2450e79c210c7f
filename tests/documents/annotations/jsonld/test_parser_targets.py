"""The parser: targets and selectors, as the W3C examples and this archive send them."""

import copy
import uuid

import pytest

from documents.annotations.jsonld import ParsedAnnotation
from documents.annotations.writes import Target
from tests.documents.annotations.jsonld.builders import (
    ANNO,
    BASE,
    DOCUMENT_URL,
    annotation,
    parse,
    position_selector,
    quote_selector,
)


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


@pytest.mark.parametrize(
    "target",
    [{"source": DOCUMENT_URL}, DOCUMENT_URL, [{"source": DOCUMENT_URL}]],
    ids=["source without selector", "bare document IRI", "one-item array"],
)
def test_a_target_without_a_selector_is_a_page_note(target):
    parsed = parse(
        {
            "@context": ANNO,
            "type": "Annotation",
            "body": {"type": "TextualBody", "value": "On the whole speech.", "purpose": "commenting"},
            "target": target,
        }
    )

    assert parsed.is_page_note
    assert parsed.document_slug == "gettysburg"
    assert parsed.target == Target()
    assert parsed.target.whole_document


def test_a_selection_is_no_page_note():
    parsed = parse(annotation())

    assert not parsed.is_page_note
    assert not parsed.target.whole_document
