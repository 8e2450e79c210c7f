"""W3C Web Annotation JSON-LD: the one serializer and the one parser.

Everything the API, the exports and the imports say about an annotation in
JSON-LD is produced by ``annotation_to_jsonld`` (and the container helpers
built on it), and everything a client sends is read by ``parse_annotation``.
Both follow the Web Annotation Data Model and Protocol as CONTRACT.md
("Annotations in the API") narrows them.

``base_url`` is the site's origin, such as ``"https://archive.example.org"``,
without a path: paths come from ``reverse()`` or from ``site_url``, which both
add Django's script prefix.

Identifiers chosen here:

- an annotation is ``<base>/api/annotations/<uuid>/`` (``ANNOTATION_PATH``);
- its creator is ``acct:<username>@<host>`` (RFC 7565), an IRI that names the
  account without pretending to be a page, as the Hypothesis service does;
- the archive's own terms (``visibility``, ``hidden``, ``hiddenReason``) are
  defined in the second ``@context`` entry as ``<base>/ns/archive#<term>``.
"""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.urls import Resolver404, get_script_prefix, resolve, reverse
from taggit.models import Tag

from documents.anchoring import Selector
from documents.models import Annotation

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
LDP_CONTEXT = "http://www.w3.org/ns/ldp.jsonld"
ANNOTATION_PATH = "/api/annotations/{id}/"
VOCABULARY_PATH = "/ns/archive#"
ARCHIVE_TERMS = ("visibility", "hidden", "hiddenReason")
DOCUMENT_VIEW_NAME = "document-detail"

QUOTE_SELECTOR = "TextQuoteSelector"
POSITION_SELECTOR = "TextPositionSelector"
TEXTUAL_BODY = "TextualBody"
COMMENT_FORMAT = "text/markdown"
COMMENT_FORMATS = (COMMENT_FORMAT, "text/plain")

W3C_MOTIVATIONS = (
    "assessing",
    "bookmarking",
    "classifying",
    "commenting",
    "describing",
    "editing",
    "highlighting",
    "identifying",
    "linking",
    "moderating",
    "questioning",
    "replying",
    "tagging",
)
TAGGING = "tagging"
# Purposes whose body is free text for people to read: all of them are kept as the comment.
COMMENT_PURPOSES = ("commenting", "replying", "describing", "questioning", "assessing", "editing")

MAX_TAG_LENGTH = Tag._meta.get_field("name").max_length
MAX_CONTEXT_LENGTH = Annotation._meta.get_field("prefix").max_length
MAX_IRI_LENGTH = Annotation._meta.get_field("via").max_length

_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")


# --- Serializing -------------------------------------------------------------------------------


class Preference(StrEnum):
    """How much of a container to show (Web Annotation Protocol, section 4.2).

    MINIMAL is ``ldp:PreferMinimalContainer`` (no embedded page), IRIS is
    ``oa:PreferContainedIRIs`` and DESCRIPTIONS ``oa:PreferContainedDescriptions``,
    the default.
    """

    MINIMAL = "minimal"
    IRIS = "iris"
    DESCRIPTIONS = "descriptions"


def site_url(base_url: str, path: str) -> str:
    """The absolute IRI of a site path, with the script prefix that ``reverse()`` would add."""
    return base_url.rstrip("/") + get_script_prefix().rstrip("/") + path


def annotation_iri(annotation_id: uuid.UUID | str, *, base_url: str) -> str:
    return site_url(base_url, ANNOTATION_PATH.format(id=annotation_id))


def archive_terms(base_url: str) -> dict[str, str]:
    """The second ``@context`` entry: IRIs for the terms the W3C vocabulary lacks."""
    vocabulary = site_url(base_url, VOCABULARY_PATH)
    return {term: vocabulary + term for term in ARCHIVE_TERMS}


def annotation_context(base_url: str) -> list:
    return [ANNO_CONTEXT, archive_terms(base_url)]


def annotation_to_jsonld(annotation: Annotation, *, base_url: str) -> dict[str, Any]:
    """One annotation as a complete JSON-LD document.

    Reads ``author``, ``document`` and ``tags``: load a list with
    ``Annotation.objects.with_related()`` so that costs no query per annotation.
    """
    return {"@context": annotation_context(base_url), **_describe(annotation, base_url)}


def _describe(annotation: Annotation, base_url: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": annotation_iri(annotation.pk, base_url=base_url),
        "type": "Annotation",
        "motivation": str(annotation.motivation),
        "created": _timestamp(annotation.created),
        "modified": _timestamp(annotation.modified),
        "creator": {
            "id": _account_iri(annotation.author.get_username(), base_url),
            "type": "Person",
            "nickname": annotation.author.get_username(),
        },
        "generator": {"id": site_url(base_url, "/"), "type": "Software", "name": settings.ARCHIVE_NAME},
        "visibility": str(annotation.visibility),
    }
    if body := _bodies(annotation):
        data["body"] = body
    data["target"] = _target(annotation, base_url)
    if annotation.hidden:
        data["hidden"] = True
        data["hiddenReason"] = annotation.hidden_reason
    if annotation.via:
        data["via"] = annotation.via
    if annotation.canonical:
        data["canonical"] = annotation.canonical
    return data


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _account_iri(username: str, base_url: str) -> str:
    host = urlsplit(base_url).hostname or "localhost"
    return f"acct:{quote(username, safe='')}@{host}"


def _bodies(annotation: Annotation) -> list[dict[str, str]]:
    bodies = []
    if annotation.comment:
        bodies.append(
            {
                "type": TEXTUAL_BODY,
                "value": annotation.comment,
                "purpose": "commenting",
                "format": COMMENT_FORMAT,
            }
        )
    names = sorted((tag.name for tag in annotation.tags.all()), key=lambda name: (name.casefold(), name))
    bodies.extend({"type": TEXTUAL_BODY, "value": name, "purpose": TAGGING} for name in names)
    return bodies


def _target(annotation: Annotation, base_url: str) -> str | dict[str, Any]:
    if annotation.parent_id is not None:
        return annotation_iri(annotation.parent_id, base_url=base_url)
    selectors: list[dict[str, Any]] = []
    if annotation.exact:
        selectors.append(
            {
                "type": QUOTE_SELECTOR,
                "exact": annotation.exact,
                "prefix": annotation.prefix,
                "suffix": annotation.suffix,
            }
        )
    if annotation.start is not None and annotation.end is not None:
        selectors.append({"type": POSITION_SELECTOR, "start": annotation.start, "end": annotation.end})
    target: dict[str, Any] = {"source": base_url.rstrip("/") + annotation.document.get_absolute_url()}
    if selectors:
        target["selector"] = selectors
    if state := _target_state(annotation, base_url):
        target["state"] = state
    return target


def _target_state(annotation: Annotation, base_url: str) -> dict[str, Any] | None:
    """For a quote an edit changed or removed: the W3C TimeState naming the revision it was made on.

    Its ``cached`` is that revision's page, where the quoted words can still be
    read (README, "Revisions"); None for an annotation whose words are unchanged.
    """
    if annotation.anchor not in (Annotation.Anchor.CHANGED, Annotation.Anchor.ORPHANED):
        return None
    url = reverse("document-revision", args=[annotation.document.slug, annotation.revision_quoted])
    return {"type": "TimeState", "cached": base_url.rstrip("/") + url}


def collection_to_jsonld(
    *,
    container_url: str,
    label: str,
    total: int,
    page_url: Callable[[int], str],
    last_page: int,
    first_items: Sequence[Annotation],
    preference: Preference | str = Preference.DESCRIPTIONS,
    base_url: str,
    modified: datetime | None = None,
) -> dict[str, Any]:
    """An AnnotationCollection (an LDP BasicContainer) with ``total`` annotations.

    Pages are numbered from 0 and ``page_url(n)`` gives page n's IRI. Unless the
    preference is MINIMAL, the first page is embedded with ``first_items``
    (IRIs or full descriptions); an empty collection has no first or last page.
    """
    preference = Preference(preference)
    data: dict[str, Any] = {
        "@context": [ANNO_CONTEXT, archive_terms(base_url), LDP_CONTEXT],
        "id": container_url,
        "type": ["BasicContainer", "AnnotationCollection"],
        "label": label,
        "total": total,
    }
    if modified is not None:
        data["modified"] = _timestamp(modified)
    if total:
        if preference is Preference.MINIMAL:
            data["first"] = page_url(0)
        else:
            data["first"] = _page(
                items=first_items,
                number=0,
                last_page=last_page,
                start_index=0,
                page_url=page_url,
                preference=preference,
                base_url=base_url,
            )
        data["last"] = page_url(last_page)
    return data


def page_to_jsonld(
    *,
    container_url: str,
    label: str,
    total: int,
    page_url: Callable[[int], str],
    number: int,
    last_page: int,
    start_index: int,
    items: Sequence[Annotation],
    preference: Preference | str = Preference.DESCRIPTIONS,
    base_url: str,
    modified: datetime | None = None,
) -> dict[str, Any]:
    """Page ``number`` (from 0) of a collection, holding the already sliced ``items``.

    Items are IRIs when the preference is IRIS, full descriptions otherwise
    (MINIMAL concerns the container only).
    """
    part_of: dict[str, Any] = {"id": container_url, "label": label, "total": total}
    if modified is not None:
        part_of["modified"] = _timestamp(modified)
    page = _page(
        items=items,
        number=number,
        last_page=last_page,
        start_index=start_index,
        page_url=page_url,
        preference=Preference(preference),
        base_url=base_url,
    )
    return {
        "@context": annotation_context(base_url),
        "id": page.pop("id"),
        "type": page.pop("type"),
        "partOf": part_of,
        **page,
    }


def _page(
    *,
    items: Sequence[Annotation],
    number: int,
    last_page: int,
    start_index: int,
    page_url: Callable[[int], str],
    preference: Preference,
    base_url: str,
) -> dict[str, Any]:
    page: dict[str, Any] = {"id": page_url(number), "type": "AnnotationPage", "startIndex": start_index}
    if number > 0:
        page["prev"] = page_url(number - 1)
    if number < last_page:
        page["next"] = page_url(number + 1)
    if preference is Preference.IRIS:
        page["items"] = [annotation_iri(item.pk, base_url=base_url) for item in items]
    else:
        page["items"] = [_describe(item, base_url) for item in items]
    return page


# --- Parsing -----------------------------------------------------------------------------------


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


def load_json(text: str, *, what: str = "The body") -> Any:
    """JSON text as Python data, or JsonLdError saying why it cannot be read.

    Deeply nested arrays exhaust Python's recursion limit inside ``json``; that
    is the sender's mistake to report, as a 400, not a server error. Used by the
    API's parsers and by the profile's import form (``what`` names the input).
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise JsonLdError(
            "", f"{what} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})."
        ) from error
    except RecursionError as error:
        raise JsonLdError("", f"{what}'s JSON is nested too deeply to read.") from error


@dataclass(frozen=True)
class ParsedAnnotation:
    """What a client asked for, checked for shape but not yet against the database.

    A root annotation has ``document_slug`` and at least one selection: the
    quote (``exact`` with ``prefix`` and ``suffix``) or the code-point
    positions (``start``, ``end``). A reply has ``parent_id`` instead. Whether
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
    via: str = ""
    canonical: str = ""
    annotation_id: uuid.UUID | None = None

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None

    @property
    def target(self) -> Selector:
        """The selection in the form the write services take."""
        return Selector(
            exact=self.exact, prefix=self.prefix, suffix=self.suffix, start=self.start, end=self.end
        )


def parse_annotation(data: object, *, base_url: str) -> ParsedAnnotation:
    """Read one W3C annotation sent by a client, or raise JsonLdError saying what to fix.

    Accepted as the Data Model allows: a target given as an object, a one-item
    array or (for a reply) a bare IRI; one selector object or an array; a body
    given as one object or an array, or ``bodyValue``. The comment is the body
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
    elif visibility not in Annotation.Visibility.values:
        raise JsonLdError("visibility", f"visibility must be “private” or “public”, not {_show(visibility)}.")

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
        via=via,
        canonical=canonical,
        annotation_id=annotation_id,
    )


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


def _classify(iri: str, base_url: str) -> tuple[str, Any]:
    """("document", slug), ("annotation", UUID) or ("", None) for an IRI outside this archive."""
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
    if not has_selector:
        raise JsonLdError(
            f"{path}.selector" if isinstance(value, dict) else path,
            "Say what text you selected: add a selector with a TextQuoteSelector, "
            "a TextPositionSelector or both.",
        )
    return found, None, _parse_selectors(selector, f"{path}.selector")


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
    offsets = []
    for key in ("start", "end"):
        value = selector.get(key)
        if value is None:
            raise JsonLdError(f"{path}.{key}", f"{key} is missing; give it in Unicode code points from 0.")
        if isinstance(value, bool) or not isinstance(value, int):
            raise JsonLdError(
                f"{path}.{key}", f"{key} must be a whole number of code points, not {_show(value)}."
            )
        if value < 0:
            raise JsonLdError(f"{path}.{key}", f"{key} must be 0 or more, not {value}.")
        offsets.append(value)
    start, end = offsets
    if start > end:
        raise JsonLdError(f"{path}.end", f"end ({end}) comes before start ({start}); swap them.")
    if start == end:
        raise JsonLdError(f"{path}.end", "The selection is empty: end must be greater than start.")
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
            name = " ".join(value.split())
            if len(name) > MAX_TAG_LENGTH:
                raise JsonLdError(
                    f"{path}.value", f"The tag “{name[:30]}…” is longer than {MAX_TAG_LENGTH} characters."
                )
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                tags.append(name)
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
    if len(tags) > Annotation.MAX_TAGS:
        raise JsonLdError(
            "body", f"An annotation can carry at most {Annotation.MAX_TAGS} tags; this one has {len(tags)}."
        )
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
    if len(text) > Annotation.MAX_COMMENT_LENGTH:
        raise JsonLdError(
            path,
            f"The comment has {len(text):,} characters; the limit is {Annotation.MAX_COMMENT_LENGTH:,}. "
            "Shorten it or split it into replies.",
        )
    return text if text.strip() else ""


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
    if is_reply:
        return Annotation.Motivation.REPLYING.value
    if comment:
        return Annotation.Motivation.COMMENTING.value
    if tags:
        return Annotation.Motivation.TAGGING.value
    return Annotation.Motivation.HIGHLIGHTING.value
