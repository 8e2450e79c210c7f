"""The parser refuses what it cannot use, naming the JSON path at fault."""

import pytest

from documents.annotations.jsonld import JsonLdError
from tests.documents.annotations.jsonld.builders import (
    ANNO,
    DOCUMENT_URL,
    annotation,
    comment,
    parse,
    position_selector,
    quote_selector,
    tag,
    with_bodies,
    with_selectors,
)

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
    "visibility unknown": (
        {"visibility": "friends"},
        "visibility",
        "“private”, “public” or “group”, not “friends”",
    ),
    "visibility not a string": ({"visibility": True}, "visibility", "“private”, “public” or “group”"),
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
