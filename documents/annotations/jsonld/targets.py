"""An annotation's target: the document (or, for a reply, the annotation) and the selection in it.

A TextQuoteSelector and a TextPositionSelector, one of each at most, become one ``Selector``;
the position is checked by the one position rule (``anchoring.selectors.check_position``). A
source with no selector is a page note on the whole document.
"""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import replace

from documents.annotations.anchoring.selectors import AnchoringError, Selector, check_position
from documents.annotations.jsonld.iris import classify
from documents.annotations.jsonld.reading import JsonLdError, show
from documents.annotations.jsonld.vocabulary import POSITION_SELECTOR, QUOTE_SELECTOR, site_url
from documents.annotations.models import Annotation

MAX_CONTEXT_LENGTH = Annotation._meta.get_field("prefix").max_length


def parse_target(value: object, base_url: str) -> tuple[str | None, uuid.UUID | None, Selector]:
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

    kind, found = classify(source, base_url)
    if kind == "annotation":
        return None, found, Selector()
    if kind != "document":
        example = site_url(base_url, "/documents/<slug>/")
        raise JsonLdError(
            source_path,
            f"The target source {show(source)} is not a document of this archive; "
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
            problem = "has no type" if kind is None else f"type {show(kind)} is not supported"
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
