"""The parser: comments, tags and the motivation that follows from them."""

from documents.annotations.jsonld import ParsedAnnotation
from documents.annotations.rules import MAX_COMMENT_LENGTH
from tests.documents.annotations.jsonld.builders import (
    DOCUMENT_URL,
    annotation,
    parse,
    position_selector,
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


def test_comment_and_tags_at_their_limits_are_accepted():
    body = [{"type": "TextualBody", "value": "x" * MAX_COMMENT_LENGTH, "purpose": "commenting"}]
    body += [{"type": "TextualBody", "value": f"tag{n}" + "t" * 95, "purpose": "tagging"} for n in range(20)]

    parsed = parse(annotation(body=body))

    assert len(parsed.comment) == 10_000
    assert len(parsed.tags) == 20
