"""The one JSON-LD parser: what a client sends, read into what the services take.

Each rule of an annotation (limits, tags, motivation, visibility) is
``documents.annotations.rules``'s; the parser adds what is its own, the JSON
path of the value at fault, by re-raising the rule's AnnotationError as a
JsonLdError with that path.
"""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from django.urls import Resolver404, get_script_prefix, resolve

from documents.annotations import rules as annotation_rules
from documents.annotations.anchoring.selectors import AnchoringError, Selector, check_position
from documents.annotations.jsonld.vocabulary import (
    ANNO_CONTEXT,
    ANNOTATION_PATH,
    COMMENT_FORMAT,
    COMMENT_FORMATS,
    COMMENT_PURPOSES,
    DOCUMENT_VIEW_NAME,
    GROUP_VIEW_NAME,
    POSITION_SELECTOR,
    QUOTE_SELECTOR,
    TAGGING,
    TEXTUAL_BODY,
    W3C_MOTIVATIONS,
    site_url,
)
from documents.annotations.models import Annotation

MAX_CONTEXT_LENGTH = Annotation._meta.get_field("prefix").max_length
MAX_IRI_LENGTH = Annotation._meta.get_field("via").max_length

_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")


class JsonLdError(ValueError):
    """A client's JSON-LD cannot be used as sent.

    ``field`` is the path of the value at fault, such as
    ``"target.selector[0].start"`` (empty for the document as a whole), and
    ``message`` tells a person what to change.
    """

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


MAX_NUMBER_DIGITS = 100
"""The most digits a number in JSON may have: far more than any offset, date or count an annotation
holds, and far fewer than the 4,300 past which Python's ``int`` refuses to read one."""


class _NotReadable(ValueError):
    """Raised from inside ``json.loads`` for a value ``load_json`` refuses; ``message`` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _counted(convert):
    """``convert`` (``int`` or ``float``) for number literals of at most MAX_NUMBER_DIGITS digits."""

    def read(literal: str):
        digits = sum(character.isdigit() for character in literal)
        if digits > MAX_NUMBER_DIGITS:
            raise _NotReadable(
                f"holds a number of {digits:,} digits; a number may have at most {MAX_NUMBER_DIGITS} digits."
            )
        return convert(literal)

    return read


def _no_constant(name: str):
    raise _NotReadable(f"is not valid JSON: {name} is not a JSON number.")


_read_int, _read_float = _counted(int), _counted(float)


def load_json(text: str, *, what: str = "The body") -> Any:
    """JSON text as Python data, or JsonLdError saying why it cannot be read.

    The one place a client's JSON is read (the API's parsers and the profile's
    import form; ``what`` names the input), so its limits hold for every body and
    file. What would otherwise be a server error is the sender's mistake to
    report, as a 400: arrays nested past Python's recursion limit, and numbers
    longer than MAX_NUMBER_DIGITS (``int`` raises past 4,300 digits). ``NaN`` and
    ``Infinity``, which Python reads but JSON does not have, are refused too.
    """
    try:
        return json.loads(text, parse_int=_read_int, parse_float=_read_float, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise JsonLdError(
            "", f"{what} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})."
        ) from error
    except _NotReadable as error:
        raise JsonLdError("", f"{what} {error.message}") from error
    except RecursionError as error:
        raise JsonLdError("", f"{what}'s JSON is nested too deeply to read.") from error


@dataclass(frozen=True)
class ParsedAnnotation:
    """What a client asked for, checked for shape but not yet against the database.

    A root annotation has ``document_slug`` and a selection: the quote
    (``exact`` with ``prefix`` and ``suffix``), the code-point positions
    (``start``, ``end``), both, or neither for a page note on the whole
    document (``is_page_note``). A reply has ``parent_id`` instead. Whether
    the document or parent exists, may be seen, and contains the selection is
    for the views and ``documents.services`` to decide.

    ``annotation_id`` is set when the client's ``id`` is one of this archive's
    annotation IRIs (a representation sent back with PUT); any other absolute
    ``id`` is kept in ``via``, as the Protocol asks of a server given an ``id``;
    a client-local fragment (``"#<uuid>"``) is dropped.
    """

    motivation: str
    document_slug: str | None = None
    parent_id: uuid.UUID | None = None
    exact: str | None = None
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    comment: str = ""
    tags: tuple[str, ...] = ()
    visibility: str = Annotation.Visibility.PRIVATE.value
    group_slug: str | None = None
    via: str = ""
    canonical: str = ""
    annotation_id: uuid.UUID | None = None
    dated: bool = False

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None

    @property
    def is_page_note(self) -> bool:
        return not self.is_reply and self.target.whole_document

    @property
    def target(self) -> Selector:
        """The selection in the form the write services take."""
        return Selector(
            exact=self.exact,
            prefix=self.prefix,
            suffix=self.suffix,
            start=self.start,
            end=self.end,
            dated=self.dated,
        )


def parse_annotation(data: object, *, base_url: str) -> ParsedAnnotation:
    """Read one W3C annotation sent by a client, or raise JsonLdError saying what to fix.

    Accepted as the Data Model allows: a target given as an object, a one-item
    array or (for a reply) a bare IRI; one selector object or an array; a body
    given as one object or an array, or ``bodyValue``. A target naming the
    document with no selector (or the document's bare IRI) is a page note. The comment is the body
    with purpose ``commenting`` (or another purpose for free text, such as
    ``describing``, or none); each ``tagging`` body is a tag.

    Ignored, never stored, because only the server may set them: ``creator``,
    ``created``, ``modified``, ``generator``, ``generated``, ``hidden`` and
    ``hiddenReason``; also any term this archive does not use (a body's
    ``language``, ``rights``, ``audience``...). The motivation is checked
    against the W3C list, but the one stored follows from the content:
    ``replying`` for a reply, else ``commenting`` with a comment, ``tagging``
    with tags only, ``highlighting`` with neither.
    """
    if isinstance(data, list):
        raise JsonLdError("", "Send one annotation as a JSON object, not an array.")
    if not isinstance(data, dict):
        raise JsonLdError("", "Send the annotation as a JSON object.")
    _check_storable(data, "")
    _check_context(data.get("@context"))
    if "Annotation" not in _types(data.get("type")):
        raise JsonLdError("type", f"type must be “Annotation”, not {_show(data.get('type'))}.")

    document_slug, parent_id, selection = _parse_target(data.get("target"), base_url)
    comment, tags = _parse_body(data)
    motivation = _parse_motivation(
        data.get("motivation"), is_reply=parent_id is not None, comment=comment, tags=tags
    )
    visibility = data.get("visibility")
    if visibility is None:
        visibility = Annotation.Visibility.PRIVATE.value
    else:
        with _at("visibility"):
            annotation_rules.check_visibility(visibility)
    group_slug = _parse_group(data.get("group"), base_url)

    annotation_id = None
    via = ""
    if data.get("id") is not None and not _is_client_local(data["id"]):
        client_id = _parse_iri(data["id"], "id")
        kind, value = _classify(client_id, base_url)
        if kind == "annotation":
            annotation_id = value
        else:
            via = client_id
    if not via and data.get("via") is not None:
        via = _parse_iri(data["via"], "via")
    canonical = _parse_iri(data["canonical"], "canonical") if data.get("canonical") is not None else ""

    return ParsedAnnotation(
        motivation=motivation,
        document_slug=document_slug,
        parent_id=parent_id,
        exact=selection.exact,
        prefix=selection.prefix,
        suffix=selection.suffix,
        start=selection.start,
        end=selection.end,
        comment=comment,
        tags=tags,
        visibility=visibility,
        group_slug=group_slug,
        via=via,
        canonical=canonical,
        annotation_id=annotation_id,
        dated=selection.dated,
    )


def holds_many(data: object) -> bool:
    """Whether a POST body is an import: a JSON array, an AnnotationCollection or an AnnotationPage."""
    if isinstance(data, list):
        return True
    kinds = _types(data.get("type")) if isinstance(data, dict) else []
    return "Annotation" not in kinds and ("AnnotationCollection" in kinds or "AnnotationPage" in kinds)


def parse_many(data: object) -> list[object]:
    """The annotations in an import: one annotation, a JSON array, or a collection or page.

    Returns the raw items, to be read one by one with ``parse_annotation`` so
    that one bad item can be reported without losing the others. Items
    embedded in a collection inherit its ``@context``, as JSON-LD says. A
    collection whose annotations continue on further pages is refused rather
    than imported in part.
    """
    if isinstance(data, list):
        return list(data)
    if not isinstance(data, dict):
        raise JsonLdError("", "Send an annotation, a JSON array of annotations or an AnnotationCollection.")
    types = _types(data.get("type"))
    if "Annotation" in types:
        return [data]
    if "AnnotationCollection" in types:
        first = data.get("first")
        if isinstance(first, dict):
            items, path, page, next_path = first.get("items"), "first.items", first, "first.next"
        elif first is None and "items" in data:
            items, path, page, next_path = data.get("items"), "items", data, "next"
        elif first is None:
            return []
        else:
            raise JsonLdError(
                "first",
                "The collection only links to its first page; send it with the pages embedded "
                "(ask for it with PreferContainedDescriptions).",
            )
    elif "AnnotationPage" in types:
        items, path, page, next_path = data.get("items"), "items", data, "next"
    else:
        raise JsonLdError(
            "type",
            "Send an Annotation, an AnnotationCollection, an AnnotationPage or a JSON array of annotations.",
        )
    if page.get("next") is not None:
        raise JsonLdError(
            next_path,
            f"The annotations continue on another page ({_show(page['next'])}); "
            "put all of them in one collection page or one JSON array.",
        )
    if not isinstance(items, list):
        raise JsonLdError(path, "items must be an array of annotations.")
    context = data.get("@context")
    if context is None:
        return list(items)
    return [
        {"@context": context, **item} if isinstance(item, dict) and "@context" not in item else item
        for item in items
    ]


def _check_storable(value: object, path: str) -> None:
    """Refuse text no database can keep: JSON may carry NUL and unpaired surrogates
    (PostgreSQL rejects the first, UTF-8 cannot encode the second)."""
    if isinstance(value, str):
        if "\x00" in value:
            raise JsonLdError(path, "This text contains a NUL character (U+0000); remove it.")
        try:
            value.encode()
        except UnicodeEncodeError as error:
            raise JsonLdError(
                path, "This text contains an unpaired surrogate, which is not a character."
            ) from error
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_storable(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_storable(item, f"{path}[{index}]")


def _check_context(value: object) -> None:
    if value == ANNO_CONTEXT or (isinstance(value, list) and value and value[0] == ANNO_CONTEXT):
        return
    problem = "is missing" if value is None else f"is {_show(value)}"
    raise JsonLdError("@context", f"@context {problem}; send “{ANNO_CONTEXT}” or an array starting with it.")


def _types(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def _show(value: object, limit: int = 80) -> str:
    """A value quoted for an error message, cut short so a huge input cannot flood it."""
    text = f"“{value}”" if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_client_local(value: object) -> bool:
    """Whether an ``id`` is a bare fragment such as ``"#<uuid>"``, which browser annotation
    libraries give an annotation before any server has named it. It identifies nothing
    outside that client, so it is dropped and the server assigns the id, as the Protocol says."""
    return isinstance(value, str) and len(value) > 1 and value.startswith("#") and not value[1:].isspace()


def _parse_iri(value: object, field: str) -> str:
    if not isinstance(value, str) or not _ABSOLUTE_IRI.fullmatch(value):
        raise JsonLdError(field, f"{field} must be an absolute IRI such as “https://example.org/a/1”.")
    if len(value) > MAX_IRI_LENGTH:
        raise JsonLdError(field, f"{field} is longer than {MAX_IRI_LENGTH} characters.")
    return value


def _parse_group(value: object, base_url: str) -> str | None:
    """The slug of the group a ``group`` IRI names, or None without one.

    Whether the author is in it is the services' to check (``annotation_rules.check_group``),
    with the same message as for an IRI that names no group here.
    """
    if value is None:
        return None
    kind, slug = _classify(_parse_iri(value, "group"), base_url)
    if kind != "group":
        raise JsonLdError("group", annotation_rules.NOT_YOUR_GROUP)
    return slug


def _classify(iri: str, base_url: str) -> tuple[str, Any]:
    """("document", slug), ("group", slug), ("annotation", UUID) or ("", None) for an IRI outside
    this archive."""
    try:
        parts, base = urlsplit(iri), urlsplit(base_url)
    except ValueError:
        return "", None
    if (parts.scheme.lower(), parts.netloc.lower()) != (base.scheme.lower(), base.netloc.lower()):
        return "", None
    if parts.query:
        return "", None
    if annotation_id := _annotation_id(parts.path):
        return "annotation", annotation_id
    prefix = get_script_prefix()
    if not parts.path.startswith(prefix):
        return "", None
    path = "/" + parts.path.removeprefix(prefix)
    try:
        match = resolve(path if path.endswith("/") else path + "/")
    except Resolver404:
        return "", None
    if match.view_name == DOCUMENT_VIEW_NAME and "slug" in match.kwargs:
        return "document", match.kwargs["slug"]
    if match.view_name == GROUP_VIEW_NAME and "slug" in match.kwargs:
        return "group", match.kwargs["slug"]
    return "", None


def _annotation_id(path: str) -> uuid.UUID | None:
    before, after = (get_script_prefix().rstrip("/") + ANNOTATION_PATH).split("{id}")
    pattern = re.escape(before) + "(?P<id>[0-9A-Fa-f-]{32,36})" + re.escape(after.rstrip("/")) + "/?"
    if match := re.fullmatch(pattern, path):
        try:
            return uuid.UUID(match["id"])
        except ValueError:
            return None
    return None


def _parse_target(value: object, base_url: str) -> tuple[str | None, uuid.UUID | None, Selector]:
    path = "target"
    if value is None:
        raise JsonLdError(
            path,
            "target is missing: send {“source”: the document's address, “selector”: [...]}, "
            "or the IRI of the annotation you reply to.",
        )
    if isinstance(value, list):
        if len(value) != 1:
            raise JsonLdError(path, "Send exactly one target: an annotation covers one selection.")
        value, path = value[0], "target[0]"
    if isinstance(value, str):
        source, source_path, selector, has_selector = value, path, None, False
    elif isinstance(value, dict):
        key = "source" if "source" in value else "id"
        source, source_path = value.get(key), f"{path}.{key}"
        selector, has_selector = value.get("selector"), "selector" in value
        if source is None:
            raise JsonLdError(f"{path}.source", "The target needs a source: the address of the document.")
    else:
        raise JsonLdError(path, "target must be an object with source and selector, or an annotation's IRI.")
    if not isinstance(source, str):
        raise JsonLdError(source_path, "The target's source must be an IRI, as a string.")

    kind, found = _classify(source, base_url)
    if kind == "annotation":
        return None, found, Selector()
    if kind != "document":
        example = site_url(base_url, "/documents/<slug>/")
        raise JsonLdError(
            source_path,
            f"The target source {_show(source)} is not a document of this archive; "
            f"use the address of its reading view, such as {example}.",
        )
    if not has_selector or selector is None:
        # A source without a selector: a page note on the whole document (docs/reading-and-annotating.md,
        # "How to annotate").
        return found, None, Selector()
    selection = _parse_selectors(selector, f"{path}.selector")
    dated = isinstance(value, dict) and value.get("state") is not None
    return found, None, replace(selection, dated=dated)


def _parse_selectors(value: object, path: str) -> Selector:
    if isinstance(value, list):
        items = [(item, f"{path}[{index}]") for index, item in enumerate(value)]
    else:
        items = [(value, path)]
    if not items:
        raise JsonLdError(
            path, "The selector list is empty; send a TextQuoteSelector, a TextPositionSelector or both."
        )
    quote_selector: tuple[str, str, str] | None = None
    position: tuple[int, int] | None = None
    for selector, item_path in items:
        if not isinstance(selector, dict):
            raise JsonLdError(
                item_path, "A selector must be an object with a type, such as TextQuoteSelector."
            )
        if selector.get("refinedBy") is not None:
            raise JsonLdError(
                f"{item_path}.refinedBy",
                "Refined selectors are not supported; describe the whole selection with one "
                "TextQuoteSelector and/or one TextPositionSelector.",
            )
        kind = selector.get("type")
        if kind == QUOTE_SELECTOR:
            if quote_selector is not None:
                raise JsonLdError(item_path, "Send one TextQuoteSelector; this is a second one.")
            quote_selector = _parse_quote(selector, item_path)
        elif kind == POSITION_SELECTOR:
            if position is not None:
                raise JsonLdError(item_path, "Send one TextPositionSelector; this is a second one.")
            position = _parse_position(selector, item_path)
        else:
            problem = "has no type" if kind is None else f"type {_show(kind)} is not supported"
            raise JsonLdError(
                f"{item_path}.type",
                f"This selector {problem}; use {QUOTE_SELECTOR}, {POSITION_SELECTOR} or both.",
            )
    if quote_selector is not None and position is not None:
        length, span = len(quote_selector[0]), position[1] - position[0]
        if length != span:
            raise JsonLdError(
                path,
                f"The selectors disagree: exact has {length} characters but start to end spans {span}. "
                "Offsets count Unicode code points of the document's text.",
            )
    exact, prefix, suffix = quote_selector or (None, "", "")
    start, end = position or (None, None)
    return Selector(exact=exact, prefix=prefix, suffix=suffix, start=start, end=end)


def _parse_quote(selector: dict, path: str) -> tuple[str, str, str]:
    """exact, prefix and suffix, NFC-normalised like the canonical text they must match.

    Prefix and suffix are cut to the stored length, keeping the characters next
    to the selection, which are the ones that tell it apart.
    """
    exact = selector.get("exact")
    if not isinstance(exact, str):
        raise JsonLdError(f"{path}.exact", "exact must be the selected text, as a string.")
    if not exact:
        raise JsonLdError(f"{path}.exact", "exact is empty; select at least one character.")
    context = {}
    for key in ("prefix", "suffix"):
        text = selector.get(key)
        if text is None:
            text = ""
        if not isinstance(text, str):
            raise JsonLdError(f"{path}.{key}", f"{key} must be a string: the text next to the selection.")
        context[key] = unicodedata.normalize("NFC", text)
    prefix = context["prefix"][-MAX_CONTEXT_LENGTH:] if context["prefix"] else ""
    return unicodedata.normalize("NFC", exact), prefix, context["suffix"][:MAX_CONTEXT_LENGTH]


def _parse_position(selector: dict, path: str) -> tuple[int, int]:
    """start and end, checked by the one position rule (``anchoring.check_position``)."""
    start, end = selector.get("start"), selector.get("end")
    try:
        check_position(start, end)
    except AnchoringError as error:
        raise JsonLdError(f"{path}.{error.field}", error.reason) from error
    return start, end


def _parse_body(data: dict) -> tuple[str, tuple[str, ...]]:
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
        types = _types(item.get("type"))
        if item.get("type") is not None and TEXTUAL_BODY not in types:
            raise JsonLdError(
                f"{path}.type",
                f"Body type {_show(item.get('type'))} is not supported; "
                "comments and tags are TextualBody objects.",
            )
        value = item.get("value")
        if not isinstance(value, str):
            raise JsonLdError(f"{path}.value", "A TextualBody needs a value: its text, as a string.")
        purpose = _parse_purpose(item.get("purpose"), f"{path}.purpose")
        if purpose == TAGGING:
            with _at(f"{path}.value"):
                annotation_rules.add_tag(tags, seen, annotation_rules.clean_tag(value))
            continue
        fmt = item.get("format")
        if fmt is not None and fmt not in COMMENT_FORMATS:
            raise JsonLdError(
                f"{path}.format",
                f"Comments are Markdown: use format “{COMMENT_FORMAT}” or “text/plain”, not {_show(fmt)}.",
            )
        if not value.strip():
            continue
        if comment_path:
            raise JsonLdError(
                path,
                f"An annotation has one comment and {comment_path} is already it; send others as replies.",
            )
        comment, comment_path = _check_comment(value, f"{path}.value"), path
    with _at("body"):
        annotation_rules.check_tag_count(tags)
    return comment, tuple(tags)


def _parse_purpose(value: object, path: str) -> str | None:
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if value is None or value == TAGGING or value in COMMENT_PURPOSES:
        return value
    if value in W3C_MOTIVATIONS:
        problem = f"Purpose {_show(value)} is not supported on a text body"
    else:
        problem = f"{_show(value)} is not a purpose this archive reads"
    raise JsonLdError(path, f"{problem}; use “commenting” for the comment and “tagging” for each tag.")


def _check_comment(text: str, path: str) -> str:
    with _at(path):
        annotation_rules.check_comment(text)
    return text if text.strip() else ""


@contextmanager
def _at(path: str) -> Iterator[None]:
    """Report a broken annotation rule at the JSON path of the value that broke it."""
    try:
        yield
    except annotation_rules.AnnotationError as error:
        raise JsonLdError(path, error.message) from error


def _parse_motivation(value: object, *, is_reply: bool, comment: str, tags: Sequence[str]) -> str:
    if value is None:
        given: list[tuple[object, str]] = []
    elif isinstance(value, list):
        given = [(item, f"motivation[{index}]") for index, item in enumerate(value)]
    else:
        given = [(value, "motivation")]
    for motivation, path in given:
        if motivation not in W3C_MOTIVATIONS:
            raise JsonLdError(
                path, f"{_show(motivation)} is not a W3C motivation; use one of {', '.join(W3C_MOTIVATIONS)}."
            )
        if motivation == "replying" and not is_reply:
            raise JsonLdError(
                path,
                "“replying” is for replies: make the target the IRI of the annotation you answer "
                f"(…{ANNOTATION_PATH.format(id='<id>')}).",
            )
    return annotation_rules.motivation_for(is_reply=is_reply, comment=comment, tags=tags)
