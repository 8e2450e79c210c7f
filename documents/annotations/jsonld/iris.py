"""The IRIs a client's annotation names: its ``id``, ``via``, ``canonical``, ``group`` and target source.

``classify`` tells which of this archive's documents, groups or annotations an IRI names, through
Django's URL resolver, so the IRIs the serializer writes (``vocabulary``) are read back as the same
objects; any other absolute IRI names something outside this archive.
"""

from __future__ import annotations

import re
import uuid
from typing import Any
from urllib.parse import urlsplit

from django.urls import Resolver404, get_script_prefix, resolve

from documents.annotations import rules as annotation_rules
from documents.annotations.jsonld.reading import JsonLdError
from documents.annotations.jsonld.vocabulary import ANNOTATION_PATH, DOCUMENT_VIEW_NAME, GROUP_VIEW_NAME
from documents.annotations.models import Annotation

MAX_IRI_LENGTH = Annotation._meta.get_field("via").max_length


_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")


def is_client_local(value: object) -> bool:
    """Whether an ``id`` is a bare fragment such as ``"#<uuid>"``, which browser annotation
    libraries give an annotation before any server has named it. It identifies nothing
    outside that client, so it is dropped and the server assigns the id, as the Protocol says."""
    return isinstance(value, str) and len(value) > 1 and value.startswith("#") and not value[1:].isspace()


def parse_iri(value: object, field: str) -> str:
    if not isinstance(value, str) or not _ABSOLUTE_IRI.fullmatch(value):
        raise JsonLdError(field, f"{field} must be an absolute IRI such as “https://example.org/a/1”.")
    if len(value) > MAX_IRI_LENGTH:
        raise JsonLdError(field, f"{field} is longer than {MAX_IRI_LENGTH} characters.")
    return value


def parse_group(value: object, base_url: str) -> str | None:
    """The slug of the group a ``group`` IRI names, or None without one.

    Whether the author is in it is the services' to check (``annotation_rules.check_group``),
    with the same message as for an IRI that names no group here.
    """
    if value is None:
        return None
    kind, slug = classify(parse_iri(value, "group"), base_url)
    if kind != "group":
        raise JsonLdError("group", annotation_rules.NOT_YOUR_GROUP)
    return slug


def classify(iri: str, base_url: str) -> tuple[str, Any]:
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
