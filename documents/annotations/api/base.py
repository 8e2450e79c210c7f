"""What every view of the W3C Web Annotation Protocol shares: JSON-LD in and out, the
Protocol's headers, entity tags, the kept (cached) bodies and the 413 for oversized bodies.

The views (``containers``, ``resource``) validate with the JSON-LD parser, call a
service and present with the JSON-LD serializer; this module presents.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.text import compress_string
from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from documents import conditional
from documents.accounts.throttles import AddressWriteThrottle, UserWriteThrottle
from documents.annotations import jsonld
from documents.annotations import rules as annotation_rules
from documents.annotations.jsonld.vocabulary import ANNOTATION_MEDIA_TYPE, LDP, PROTOCOL
from documents.annotations.models import Annotation
from documents.api.problems import Problem


class JSONLDRenderer(JSONRenderer):
    """Renders JSON-LD; the profile parameter is added to Content-Type by the views."""

    media_type = "application/ld+json"
    format = "jsonld"


class AnnotationJSONParser(BaseParser):
    """JSON bodies of up to ``annotation_rules.MAX_IMPORT_BYTES``, read by ``jsonld.load_json``.

    Not a JSONParser: DRF reads those through ``request.body``, which Django
    caps at DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), below the documented import
    limit; this parser reads the stream itself and enforces that limit.
    """

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        content = stream.read(annotation_rules.MAX_IMPORT_BYTES + 1)
        if len(content) > annotation_rules.MAX_IMPORT_BYTES:
            raise too_large()
        encoding = (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError as error:
            raise ParseError(f"The body is not {encoding} text.") from error
        try:
            return jsonld.load_json(text)
        except jsonld.JsonLdError as error:
            raise ParseError(error.message) from error


class JSONLDParser(AnnotationJSONParser):
    media_type = "application/ld+json"


def base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def etag_of(data) -> str:
    return '"' + hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:32] + '"'


def too_large() -> Problem:
    return Problem(
        f"The request is larger than {annotation_rules.MAX_IMPORT_MEGABYTES} MB; "
        "split the annotations into smaller imports.",
        status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    )


def refuse_oversized(request) -> None:
    """Answer 413 before reading a body larger than an import may be (the rules' MAX_IMPORT_BYTES)."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    if length.isascii() and length.isdigit() and int(length) > annotation_rules.MAX_IMPORT_BYTES:
        raise too_large()


KEPT_FOR = 60 * 60 * 24
"""A day: kept bodies are never stale (their keys change instead), so this only returns memory."""


@dataclass(frozen=True)
class Kept:
    """A serialised JSON-LD answer kept in the cache: its bytes, its ``id``, the digest of its data,
    and its bytes gzip-compressed, for the answers that may go out compressed (``gzipped_content``,
    docs/performance.md, "Reading at scale")."""

    body: bytes
    location: str
    etag: str
    gzipped: bytes | None = None


class AnnotationAPIView(APIView):
    renderer_classes = [JSONLDRenderer, JSONRenderer]
    parser_classes = [JSONLDParser, AnnotationJSONParser]
    throttle_classes = [UserWriteThrottle, AddressWriteThrottle]

    def finalize_response(self, request, response, *args, **kwargs):
        """Keep the Allow and Vary headers set by the views; DRF would overwrite them.

        A refused request also links the constraints it broke, as LDP asks
        (``ldp#constrainedBy`` on responses to requests that fail them).
        """
        mine = {key: response[key] for key in ("Allow", "Vary") if response.has_header(key)}
        response = super().finalize_response(request, response, *args, **kwargs)
        for key, value in mine.items():
            response[key] = value
        if response.status_code >= 400 and not response.has_header("Link"):
            response["Link"] = self.constraints()
        return response

    def constraints(self) -> str:
        """``ldp#constrainedBy`` links: the Protocol (which it MUST name) and our API docs, which
        state this archive's own constraints (selections must match the text, limits, who may write)."""
        docs = self.request.build_absolute_uri(reverse("api-docs"))
        return f'<{PROTOCOL}>; rel="{LDP}constrainedBy", <{docs}>; rel="{LDP}constrainedBy"'

    def present(self, data, *, status_code=status.HTTP_200_OK, headers=None, link_type: str) -> Response:
        """The Protocol's headers; ``Content-Location`` is the ``id`` of what the body describes
        (the container, one page of it, or the annotation), which the Protocol requires of containers."""
        response = Response(data, status=status_code, content_type=ANNOTATION_MEDIA_TYPE)
        return self.protocol_headers(
            response, etag=etag_of(data), location=data["id"], headers=headers, link_type=link_type
        )

    def present_kept(self, kept: Kept, *, etag: str, headers=None, link_type: str) -> HttpResponse:
        """A body kept in the cache (already JSON), with the headers ``present`` gives a fresh one."""
        response = HttpResponse(kept.body, content_type=ANNOTATION_MEDIA_TYPE)
        # Compressed once for every answer of it; archive_site.middleware.PublicGZipMiddleware
        # still decides whether this one may go out compressed.
        response.gzipped_content = kept.gzipped
        return self.protocol_headers(
            response, etag=etag, location=kept.location, headers=headers, link_type=link_type
        )

    def protocol_headers(self, response, *, etag: str, location: str, headers, link_type: str):
        response["ETag"] = etag
        response["Vary"] = "Accept, Prefer, Cookie, Authorization"
        response["Link"] = f'<{LDP}{link_type}>; rel="type", {self.constraints()}'
        response["Content-Location"] = location
        for key, value in (headers or {}).items():
            response[key] = value
        return response

    def keep(self, data) -> Kept:
        """``data`` rendered as the negotiated renderer renders a ``Response`` of it."""
        body = self.request.accepted_renderer.render(
            data, self.request.accepted_media_type, self.get_renderer_context()
        )
        gzipped = compress_string(body)
        return Kept(
            body=body,
            location=data["id"],
            etag=etag_of(data),
            gzipped=gzipped if len(gzipped) < len(body) else None,
        )

    def precondition_answer(self, etag: str | None) -> HttpResponse | None:
        """``conditional.precondition_answer``, its 412 (a GET whose If-Match names another version)
        told as problem+json, as every refusal of the API is."""
        answer = conditional.precondition_answer(self.request, etag)
        if answer is not None and answer.status_code == status.HTTP_412_PRECONDITION_FAILED:
            raise Problem(
                "If-Match names another version than the current one; read it again without If-Match.",
                status_code=status.HTTP_412_PRECONDITION_FAILED,
            )
        return answer

    def require_author(self, annotation: Annotation) -> None:
        if not self.request.user.is_authenticated:
            self.permission_denied(self.request)
        if annotation.author_id != self.request.user.pk:
            raise Problem(
                "Only the author may change or delete this annotation; reply to it instead.",
                status_code=status.HTTP_403_FORBIDDEN,
            )

    def parse(self) -> jsonld.ParsedAnnotation:
        return jsonld.parse_annotation(self.request.data, base_url=base_url(self.request))
