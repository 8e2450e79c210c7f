"""What the serializer writes, the parser reads back; any JSON gets an answer or a JsonLdError."""

import unicodedata
import uuid

from hypothesis import given
from hypothesis import strategies as st

from documents.annotations import jsonld
from documents.annotations.jsonld import JsonLdError, ParsedAnnotation
from documents.models import Annotation
from tests.documents.annotations.jsonld.builders import (
    ANNO,
    BASE,
    DOCUMENT_URL,
    annotation,
    parse,
    position_selector,
    reply_to,
)
from tests.factories import AnnotationFactory


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
