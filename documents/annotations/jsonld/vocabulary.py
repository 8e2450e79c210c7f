"""The W3C Web Annotation vocabulary as this archive speaks it: names, IRIs and media types.

``base_url`` is the site's origin, such as ``"https://archive.example.org"``,
without a path: paths come from ``reverse()`` or from ``site_url``, which both
add Django's script prefix.

Identifiers chosen here:

- an annotation is ``<base>/api/annotations/<uuid>/`` (``ANNOTATION_PATH``);
- its creator is ``acct:<username>@<host>`` (RFC 7565), an IRI that names the
  account without pretending to be a page, as the Hypothesis service does;
- the archive's own terms (``visibility``, ``group``, ``hidden``, ``hiddenReason``,
  ``importedBy``: the account holding a copy of someone else's note) are defined
  in the second ``@context`` entry as ``<SITE_URL>/ns/archive#<term>``: the site's
  canonical address, not the request's, so a term means one thing whichever host a
  client named; ``group``'s value is an IRI (``"@type": "@id"``), that of a group's
  page, ``<base>/groups/<slug>/``.
"""

from __future__ import annotations

import uuid
from enum import StrEnum
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.urls import get_script_prefix

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
LDP_CONTEXT = "http://www.w3.org/ns/ldp.jsonld"
ANNOTATION_PATH = "/api/annotations/{id}/"
VOCABULARY_PATH = "/ns/archive#"
ARCHIVE_TERMS = ("visibility", "group", "hidden", "hiddenReason", "importedBy")
# The archive's terms whose values are IRIs, not strings.
IRI_TERMS = ("group",)
DOCUMENT_VIEW_NAME = "document-detail"
GROUP_VIEW_NAME = "group-detail"

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

ANNOTATION_PROFILE = ANNO_CONTEXT
ANNOTATION_MEDIA_TYPE = f'application/ld+json; profile="{ANNOTATION_PROFILE}"'
LDP = "http://www.w3.org/ns/ldp#"
PROTOCOL = "http://www.w3.org/TR/annotation-protocol/"
PREFER_MINIMAL = LDP + "PreferMinimalContainer"
PREFER_IRIS = "http://www.w3.org/ns/oa#PreferContainedIRIs"
PREFER_DESCRIPTIONS = "http://www.w3.org/ns/oa#PreferContainedDescriptions"


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


def account_iri(username: str, *, base_url: str) -> str:
    """The ``creator`` IRI of an account here; an import treats a note as the importer's own only
    when it names this (docs/reading-and-annotating.md, "Exports and imports")."""
    host = urlsplit(base_url).hostname or "localhost"
    return f"acct:{quote(username, safe='')}@{host}"


def vocabulary_iri() -> str:
    """``<SITE_URL>/ns/archive#``, where the archive's own terms are defined (``/ns/archive``)."""
    return site_url(settings.SITE_URL, VOCABULARY_PATH)


def archive_terms() -> dict[str, str | dict[str, str]]:
    """The second ``@context`` entry: IRIs for the terms the W3C vocabulary lacks."""
    vocabulary = vocabulary_iri()
    return {
        term: {"@id": vocabulary + term, "@type": "@id"} if term in IRI_TERMS else vocabulary + term
        for term in ARCHIVE_TERMS
    }


def annotation_context() -> list:
    return [ANNO_CONTEXT, archive_terms()]


def parse_prefer(header: str | None) -> Preference:
    """The container representation asked for with a ``Prefer`` header (Protocol, section 4.2)."""
    if not header or "return=representation" not in header.replace(" ", ""):
        return Preference.DESCRIPTIONS
    include = ""
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key.strip() == "include":
            include = value.strip().strip('"')
    iris = include.split()
    if PREFER_MINIMAL in iris:
        return Preference.MINIMAL
    if PREFER_IRIS in iris:
        return Preference.IRIS
    return Preference.DESCRIPTIONS
