"""An annotation's body and motivation: the comment, the tags, and the motivation that follows from them.

A body is one TextualBody or an array of them, or ``bodyValue``; the comment is the text body
with a comment purpose (or none), each ``tagging`` body a tag. The rules for each (length, tags,
motivation) are ``documents.annotations.rules``'s; here they are reported at the JSON path.
"""

from __future__ import annotations

from collections.abc import Sequence

from documents.annotations import rules as annotation_rules
from documents.annotations.jsonld.reading import JsonLdError, reported_at, show, types_of
from documents.annotations.jsonld.vocabulary import (
    ANNOTATION_PATH,
    COMMENT_FORMAT,
    COMMENT_FORMATS,
    COMMENT_PURPOSES,
    TAGGING,
    TEXTUAL_BODY,
    W3C_MOTIVATIONS,
)


def parse_body(data: dict) -> tuple[str, tuple[str, ...]]:
    body, body_value = data.get("body"), data.get("bodyValue")
    if body is not None and body_value is not None:
        raise JsonLdError("bodyValue", "Send either body or bodyValue, not both.")
    if body_value is not None:
        if not isinstance(body_value, str):
            raise JsonLdError("bodyValue", "bodyValue must be the comment, as a string.")
        return _check_comment(body_value, "bodyValue"), ()
    if body is None:
        return "", ()
    items = (
        [(item, f"body[{index}]") for index, item in enumerate(body)]
        if isinstance(body, list)
        else [(body, "body")]
    )

    comment, comment_path = "", ""
    tags: list[str] = []
    seen: set[str] = set()
    for item, path in items:
        if isinstance(item, str):
            raise JsonLdError(
                path, "Bodies given by IRI are not supported; send a TextualBody with the text."
            )
        if not isinstance(item, dict):
            raise JsonLdError(path, "Each body must be a TextualBody object.")
        types = types_of(item.get("type"))
        if item.get("type") is not None and TEXTUAL_BODY not in types:
            raise JsonLdError(
                f"{path}.type",
                f"Body type {show(item.get('type'))} is not supported; "
                "comments and tags are TextualBody objects.",
            )
        value = item.get("value")
        if not isinstance(value, str):
            raise JsonLdError(f"{path}.value", "A TextualBody needs a value: its text, as a string.")
        purpose = _parse_purpose(item.get("purpose"), f"{path}.purpose")
        if purpose == TAGGING:
            with reported_at(f"{path}.value"):
                annotation_rules.add_tag(tags, seen, annotation_rules.clean_tag(value))
            continue
        fmt = item.get("format")
        if fmt is not None and fmt not in COMMENT_FORMATS:
            raise JsonLdError(
                f"{path}.format",
                f"Comments are Markdown: use format “{COMMENT_FORMAT}” or “text/plain”, not {show(fmt)}.",
            )
        if not value.strip():
            continue
        if comment_path:
            raise JsonLdError(
                path,
                f"An annotation has one comment and {comment_path} is already it; send others as replies.",
            )
        comment, comment_path = _check_comment(value, f"{path}.value"), path
    with reported_at("body"):
        annotation_rules.check_tag_count(tags)
    return comment, tuple(tags)


def _parse_purpose(value: object, path: str) -> str | None:
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if value is None or value == TAGGING or value in COMMENT_PURPOSES:
        return value
    if value in W3C_MOTIVATIONS:
        problem = f"Purpose {show(value)} is not supported on a text body"
    else:
        problem = f"{show(value)} is not a purpose this archive reads"
    raise JsonLdError(path, f"{problem}; use “commenting” for the comment and “tagging” for each tag.")


def _check_comment(text: str, path: str) -> str:
    with reported_at(path):
        annotation_rules.check_comment(text)
    return text if text.strip() else ""


def parse_motivation(value: object, *, is_reply: bool, comment: str, tags: Sequence[str]) -> str:
    if value is None:
        given: list[tuple[object, str]] = []
    elif isinstance(value, list):
        given = [(item, f"motivation[{index}]") for index, item in enumerate(value)]
    else:
        given = [(value, "motivation")]
    for motivation, path in given:
        if motivation not in W3C_MOTIVATIONS:
            raise JsonLdError(
                path, f"{show(motivation)} is not a W3C motivation; use one of {', '.join(W3C_MOTIVATIONS)}."
            )
        if motivation == "replying" and not is_reply:
            raise JsonLdError(
                path,
                "“replying” is for replies: make the target the IRI of the annotation you answer "
                f"(…{ANNOTATION_PATH.format(id='<id>')}).",
            )
    return annotation_rules.motivation_for(is_reply=is_reply, comment=comment, tags=tags)
