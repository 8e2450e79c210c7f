"""The reading view's cached parts and its validator (docs/performance.md, "Reading at scale").

Rendering, not querying, is what a reading view costs: the passages and one
card per annotation. So the view renders each part once per version of what
it shows and keeps the HTML in Django's cache:

- the passages, keyed by the document and its ``revision`` (the text changes
  only with a new revision);
- the Annotations panel, keyed by the document's ``annotations_version``
  (bumped in the same transaction by every write that changes what a panel may
  show, ``Document.objects.bump_annotations_version``), by the reader, and by
  the panel's filters and page. Anonymous readers share one copy, keyed by the
  ``public_annotations_version`` that private and group notes never move; a
  logged-in reader's copy holds their private notes and their own buttons, so
  it is keyed by their account and is served to nobody else.

The privacy rule stays ``Annotation.objects.visible_to``: a cached panel is
only ever what ``build_panel`` gave that same kind of reader for that same
version (``documents.freshness``). A key that could be wrong is never reused:
a version only moves forward (``Document.save`` never writes it back).
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import compress_string

from documents.accounts.models import unread_notification_count
from documents.annotations.panel import build_panel
from documents.archive.models import Document
from documents.freshness import annotations_state, digest, reader_key

TIMEOUT = 60 * 60 * 24
"""A day: entries are never stale (their keys change instead), so this only returns memory."""


def _kept_query(request) -> dict | None:
    """The query string when its page may be kept: none, or a plain page number; else None.

    Filtered views and odd query strings are rendered each time: keeping one per
    query a client can invent would let anyone fill the shared cache, and culling
    it would forget the rate-limit counters kept beside the pages.
    """
    if not set(request.GET) <= {"page"}:
        return None
    page = request.GET.get("page", "")
    if page and not (page.isascii() and page.isdigit() and len(page) <= 4):
        return None
    return {"page": page}


@dataclass(frozen=True)
class RenderedPanel:
    """The panel as rendered for one reader, and how many notes it holds (the phone's jump link says)."""

    html: SafeString
    total: int


def panel(request, document: Document) -> RenderedPanel:
    """The panel as ``documents/_annotations_panel.html`` renders it for this reader, from the cache."""
    query = _kept_query(request)
    key = "panel:" + digest(annotations_state(document, request.user), reader_key(request.user), query)
    kept = cache.get(key) if query is not None else None
    if kept is None:
        built = build_panel(document, user=request.user, query=request.GET)
        html = render_to_string(
            "documents/_annotations_panel.html", {"document": document, "panel": built}, request=request
        )
        kept = (html, built.total)
        if query is not None:
            cache.set(key, kept, TIMEOUT)
    html, total = kept
    # Our own template's output, rendered with autoescaping from stored, sanitised data.
    return RenderedPanel(html=mark_safe(html), total=total)  # noqa: S308


def anonymous_page(validator: str | None, request) -> HttpResponse | None:
    """The whole reading view as last rendered for anonymous readers with this validator, if kept.

    An anonymous page holds nothing about its reader (no CSRF token, no private
    note), and the validator names everything it shows, so one copy serves
    every anonymous reader until something it shows changes. Only the
    compressed copy is kept: compressing a large page costs more than serving
    it, and reading the plain copy too (a megabyte with 1,000 notes) from the
    cache on every hit would cost more than the rest of the request. The rare
    client that does not accept gzip gets it decompressed.
    """
    if validator is None or request.user.is_authenticated or _kept_query(request) is None:
        return None
    compressed = cache.get("anonymous-page-gzip:" + validator)
    if compressed is None:
        return None
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(compressed)
        response["Content-Encoding"] = "gzip"
        response["ETag"] = f"W/{validator}"
    else:
        response = HttpResponse(gzip.decompress(compressed))
        response["ETag"] = validator
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def keep_anonymous_page(validator: str | None, request, content: bytes) -> None:
    """Keep an anonymous reader's page for the next one, unless rendering it used a CSRF token."""
    if validator is None or request.user.is_authenticated or _kept_query(request) is None:
        return
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return
    cache.set("anonymous-page-gzip:" + validator, compress_string(content), TIMEOUT)


def passages_key(document: Document) -> list:
    """The fragment cache's key for the passages (``{% cache %}`` in the reading view)."""
    return [document.pk, document.created.isoformat(), document.revision, document.language]


def etag(request, document: Document) -> str | None:
    """The reading view's validator, from what the page shows, computed without rendering it.

    ``None`` when the page must be rendered anyway (messages are waiting to be shown).
    A logged-in reader's header counts their unread notifications, so the count is part of it.
    The CSRF secret is part of it, so a page served from a browser's cache
    never carries a token the server no longer accepts.
    """
    if len(messages.get_messages(request)):
        return None
    return digest(
        annotations_state(document, request.user),
        document.revision,
        document.modified,
        # Its tags and collections, as the page names them (``freshness.visible_document(labels=True)``).
        document.tags_listed,
        document.collections_listed,
        timezone.localdate(),
        reader_key(request.user),
        # The header's count of unread notifications (docs/reading-and-annotating.md, "Notifications"), 0 for
        # anonymous readers.
        unread_notification_count(request.user),
        hashlib.sha256(request.META.get("CSRF_COOKIE", "").encode()).hexdigest()
        if request.user.is_authenticated
        else "",
        sorted(request.GET.lists()),
        request.get_host(),
    )
