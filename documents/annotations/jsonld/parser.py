"""The one JSON-LD parser: what a client sends, read into what the services take.

This module reads the envelope (one annotation or many, its ``@context``, ``type``, ``id``,
visibility and group) and gathers the parts each read elsewhere: ``targets`` (the document and
the selection), ``bodies`` (comment, tags, motivation) and ``iris``; ``reading`` holds the error
they all raise and ``load_json``.

Each rule of an annotation (limits, tags, motivation, visibility) is
``documents.annotations.rules``'s; the parser adds what is its own, the JSON
path of the value at fault, by re-raising the rule's AnnotationError as a
JsonLdError with that path.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from documents.annotations import rules as annotation_rules
from documents.annotations.anchoring.selectors import Selector
from documents.annotations.jsonld.bodies import parse_body, parse_motivation
from documents.annotations.jsonld.iris import classify, is_client_local, parse_group, parse_iri
from documents.annotations.jsonld.reading import JsonLdError, reported_at, show, types_of
from documents.annotations.jsonld.targets import parse_target
from documents.annotations.jsonld.vocabulary import ANNO_CONTEXT
from documents.annotations.models import Annotation


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
    if "Annotation" not in types_of(data.get("type")):
        raise JsonLdError("type", f"type must be “Annotation”, not {show(data.get('type'))}.")

    document_slug, parent_id, selection = parse_target(data.get("target"), base_url)
    comment, tags = parse_body(data)
    motivation = parse_motivation(
        data.get("motivation"), is_reply=parent_id is not None, comment=comment, tags=tags
    )
    visibility = data.get("visibility")
    if visibility is None:
        visibility = Annotation.Visibility.PRIVATE.value
    else:
        with reported_at("visibility"):
            annotation_rules.check_visibility(visibility)
    group_slug = parse_group(data.get("group"), base_url)

    annotation_id = None
    via = ""
    if data.get("id") is not None and not is_client_local(data["id"]):
        client_id = parse_iri(data["id"], "id")
        kind, value = classify(client_id, base_url)
        if kind == "annotation":
            annotation_id = value
        else:
            via = client_id
    if not via and data.get("via") is not None:
        via = parse_iri(data["via"], "via")
    canonical = parse_iri(data["canonical"], "canonical") if data.get("canonical") is not None else ""

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
    kinds = types_of(data.get("type")) if isinstance(data, dict) else []
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
    types = types_of(data.get("type"))
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
            f"The annotations continue on another page ({show(page['next'])}); "
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
    problem = "is missing" if value is None else f"is {show(value)}"
    raise JsonLdError("@context", f"@context {problem}; send “{ANNO_CONTEXT}” or an array starting with it.")
