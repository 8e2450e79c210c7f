"""The W3C Web Annotation Protocol: annotation containers and annotation resources.

One write path for the annotator in the reading view and for scripts. Views
validate (the JSON-LD parser), call a service, and present (the JSON-LD
serializer); who may see what is ``Annotation.objects.visible_to``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import compress_string
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from documents import conditional, filters, freshness
from documents.accounts import client_address, rate_limits
from documents.accounts.throttles import AddressWriteThrottle, UserWriteThrottle
from documents.annotations import jsonld, services
from documents.annotations import rules as annotation_rules
from documents.annotations.jsonld.vocabulary import (
    ANNOTATION_MEDIA_TYPE,
    LDP,
    PROTOCOL,
    Preference,
    parse_prefer,
)
from documents.annotations.models import Annotation
from documents.api import parameters, schema
from documents.api.problems import Problem, problem_response
from documents.archive.models import Document
from documents.importing.annotations import check_size, import_annotations


def storing_notes(request, count: int):
    """``rate_limits.storing_notes`` for this request, whose own write the throttle has counted."""
    return rate_limits.storing_notes(
        user=request.user, address=client_address.of_request(request), count=count, writes_counted=1
    )


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


def _strongly_matches(header: str, etag: str) -> bool:
    """Whether an If-Match header names this entity tag, by the strong comparison RFC 9110
    (section 13.1.1) requires: a weak tag (``W/"x"``), which promises only an equivalent body, never
    matches, and ``*`` must stand alone (``W/*`` is no entity tag at all)."""
    if header.strip() == "*":
        return True
    return not etag.startswith("W/") and etag in {tag.strip() for tag in header.split(",")}


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


def _kept_query(query_params) -> dict | None:
    """The query string when a container page may be kept: nothing, a page number, ``iris=1``; else None.

    Filtered answers are serialised each time: keeping one per query string a
    client invents would let anyone fill the shared cache (docs/performance.md, "Reading at scale").
    """
    if not set(query_params) <= {"page", "iris"}:
        return None
    page = query_params.get("page")
    if page is not None and not (page.isascii() and page.isdigit() and len(page) <= 4):
        return None
    if query_params.get("iris") not in (None, "1"):
        return None
    return {"page": page, "iris": query_params.get("iris")}


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


@extend_schema_view(
    get=extend_schema(
        summary="List annotations (W3C AnnotationCollection, or one AnnotationPage with ?page)",
        operation_id="annotations_list",
        parameters=schema.CONTAINER_PARAMETERS,
        responses={
            200: OpenApiResponse(schema.CONTAINER, description="The collection, or one page with ?page."),
            304: OpenApiResponse(description="Not modified (If-None-Match)."),
            **schema.PROBLEMS,
        },
    ),
    post=extend_schema(
        summary="Create an annotation, or import many",
        description=(
            "One annotation answers 201. A JSON array, an AnnotationCollection or an AnnotationPage "
            f"of annotations is an import (at most {annotation_rules.MAX_IMPORT_ANNOTATIONS:,} annotations, "
            f"{annotation_rules.MAX_IMPORT_MEGABYTES} MB): each is stored or refused "
            "on its own, and the answer is 200 with `imported` (a count), `refused` (each with "
            "`index`, `id`, `field` and `detail`) and `items` (the new IRIs); when nothing could be "
            "imported, 400 problem+json with the same `refused` list."
        ),
        request=schema.AnnotationSchema,
        examples=[schema.NEW_ANNOTATION, schema.REPLY, schema.CREATED],
        responses={
            201: schema.AnnotationSchema,
            200: OpenApiResponse(
                schema.IMPORT_REPORT, description="Import report, for an array or a collection."
            ),
            **schema.PROBLEMS,
        },
    ),
)
class AnnotationContainerView(AnnotationAPIView):
    """``/api/annotations/`` and ``/api/documents/<slug>/annotations/``: list and create.

    Without ``?page`` the answer is the AnnotationCollection (with its first
    page embedded unless PreferMinimalContainer or PreferContainedIRIs ask
    otherwise); ``?page=N`` (from 0) answers one AnnotationPage.
    """

    http_method_names = ["get", "head", "options", "post"]

    FILTERS = {
        "tag": filters.Text(strip=False),
        "creator": filters.Text(strip=False),
        "motivation": filters.Checked(annotation_rules.check_motivation),
        "visibility": filters.Checked(annotation_rules.check_visibility),
        "group": filters.Text(strip=False),
        "since": filters.Moment(),
    }
    """The container's filters (docs/api.md, "Endpoints"); an unusable one is a 400 naming it."""

    def document(self) -> Document | None:
        """The document in the address, whole, for a write (a new note's quote needs its text)."""
        slug = self.kwargs.get("slug")
        if slug is None:
            return None
        return get_object_or_404(Document.objects.visible_to(self.request.user), slug=slug)

    def filtered(self, document: Document | None):
        annotations = Annotation.objects.visible_to(self.request.user)
        if document is not None:
            annotations = annotations.filter(document=document)
        found = filters.read(self.request.query_params, self.FILTERS)
        parameters.refuse(found)
        chosen = found.values
        if chosen["tag"]:
            annotations = annotations.filter(tags__name__iexact=chosen["tag"])
        if chosen["creator"]:
            annotations = annotations.filter(author__username=chosen["creator"])
        if chosen["motivation"]:
            annotations = annotations.filter(motivation=chosen["motivation"])
        if chosen["visibility"]:
            annotations = annotations.filter(visibility=chosen["visibility"])
        if chosen["group"]:
            # Within what the reader may see: a group they are not in gives nothing, as an unknown one.
            annotations = annotations.filter(group__slug=chosen["group"])
        if chosen["since"]:
            annotations = annotations.filter(modified__gte=chosen["since"])
        return annotations.order_by("created", "id")

    def get(self, request, slug=None):
        # The document without its text, in one prepared query (``freshness.visible_document``).
        document = None if slug is None else freshness.visible_document(request.user, slug)
        if slug is not None and document is None:
            raise Http404
        validator = self.validator(document)
        if (answer := self.precondition_answer(validator)) is not None:
            return answer
        headers = {"Allow": "GET, HEAD, OPTIONS, POST", "Accept-Post": ANNOTATION_MEDIA_TYPE}
        if request.headers.get("Prefer"):
            headers["Preference-Applied"] = "return=representation"
        key = self.kept_key(document)
        if key is not None:
            kept = cache.get(key)
            if kept is None:
                kept = self.keep(self.container_data(document))
                cache.set(key, kept, KEPT_FOR)
            return self.present_kept(kept, etag=validator, headers=headers, link_type="BasicContainer")
        response = self.present(self.container_data(document), headers=headers, link_type="BasicContainer")
        if validator:
            response["ETag"] = validator
        if (answer := self.precondition_answer(response["ETag"])) is not None:
            return answer
        return response

    def container_data(self, document: Document | None) -> dict:
        """The AnnotationCollection, or with ``?page`` one AnnotationPage, as JSON-LD data."""
        request = self.request
        annotations = self.filtered(document)
        size = parameters.annotation_page_size(request.query_params)
        iris_page = request.query_params.get("iris") == "1"
        preference = Preference.IRIS if iris_page else parse_prefer(request.headers.get("Prefer"))
        total = annotations.count()
        last = max(0, (total - 1) // size)
        container_url = self.container_url(document)

        def page_url(number: int) -> str:
            return self.page_url(number, preference)

        raw_page = request.query_params.get("page")
        base = base_url(request)
        if raw_page is None:
            first_items = [] if preference is Preference.MINIMAL else self.items(annotations, 0, size)
            return jsonld.collection_to_jsonld(
                container_url=container_url,
                label=self.label(document),
                total=total,
                page_url=page_url,
                last_page=last,
                first_items=first_items,
                preference=preference,
                base_url=base,
            )
        number = parameters.whole_number(raw_page, field="page")
        if number > last:
            raise Problem(
                f"There is no page {number}; the last is {last}.",
                field="page",
                status_code=status.HTTP_404_NOT_FOUND,
            )
        return jsonld.page_to_jsonld(
            container_url=container_url,
            label=self.label(document),
            total=total,
            page_url=page_url,
            number=number,
            last_page=last,
            start_index=number * size,
            items=self.items(annotations, number, size),
            preference=preference,
            base_url=base,
        )

    def kept_key(self, document: Document | None) -> str | None:
        """The cache key of this answer's body when it may be kept (a document's container, plain or
        paged), else None. It names what the body shows: the document and its annotations' version
        (``documents.freshness``), the reader, the page, the representation and the site's address."""
        query = _kept_query(self.request.query_params)
        if document is None or query is None:
            return None
        return "api-container:" + freshness.digest(
            freshness.document_state(document, self.request.user),
            freshness.reader_key(self.request.user),
            query,
            str(parse_prefer(self.request.headers.get("Prefer"))),
            self.request.accepted_renderer.format,
            base_url(self.request),
        )

    def validator(self, document: Document | None) -> str | None:
        """A document's container is answered 304 before it is serialised: its entity tag comes
        from what it depends on (``documents.freshness``), not from its body. The container of
        every annotation has no such version and keeps the digest of its body."""
        if document is None:
            return None
        request = self.request
        return (
            '"'
            + freshness.digest(
                freshness.document_state(document, request.user),
                freshness.reader_key(request.user),
                sorted(request.query_params.lists()),
                request.headers.get("Prefer", ""),
                request.headers.get("Accept", ""),
                base_url(request),
            )
            + '"'
        )

    def items(self, annotations, number: int, size: int) -> list[Annotation]:
        return list(annotations.with_related().defer("document__text")[number * size : (number + 1) * size])

    def label(self, document: Document | None) -> str:
        return f"Annotations on “{document.title}”" if document else "Annotations in the archive"

    def container_url(self, document: Document | None) -> str:
        """The collection's IRI: the address with its filters, without ``page``.

        A filtered answer describes a different set than the whole container, so
        it needs an IRI of its own for ``Content-Location`` and ``partOf`` to be true.
        """
        query = self.request.query_params.copy()
        query.pop("page", None)
        url = self.request.build_absolute_uri(self.request.path)
        return url + "?" + query.urlencode() if query else url

    def page_url(self, number: int, preference: Preference) -> str:
        query = self.request.query_params.copy()
        query["page"] = str(number)
        if preference is Preference.IRIS:
            # Pages of IRIs differ from pages of descriptions, so they need their own addresses.
            query["iris"] = "1"
        return self.request.build_absolute_uri(self.request.path) + "?" + query.urlencode()

    def post(self, request, slug=None):
        if not request.user.is_authenticated:
            self.permission_denied(request, message="Log in or send a personal token to annotate.")
        refuse_oversized(request)
        if jsonld.holds_many(request.data):
            return self.import_many(request, scope=self.document())
        parsed = self.parse()
        with storing_notes(request, 1) as reservation:
            annotation = self.create(parsed, scope=self.document())
            reservation.stored = 1
        data = jsonld.annotation_to_jsonld(annotation, base_url=base_url(request))
        return self.present(
            data,
            status_code=status.HTTP_201_CREATED,
            headers={"Location": data["id"], "Allow": "GET, HEAD, OPTIONS, PUT, DELETE"},
            link_type="Resource",
        )

    def import_many(self, request, *, scope: Document | None) -> Response:
        """Store a JSON array, AnnotationCollection or AnnotationPage of annotations, each on its own.

        Answers 200 with a report (``imported``, ``refused`` with each item's
        ``index``, ``id``, ``field`` and ``detail``, ``items``: the new IRIs,
        ``already``: the IRIs of the requester's notes that items repeat) when at
        least one was stored or already there, and 400 problem+json carrying the
        same ``refused`` list when none was, so a client can tell failure by status.
        """
        items = jsonld.parse_many(request.data)
        check_size(items)
        base = base_url(request)
        with storing_notes(request, len(items)) as reservation:
            report = import_annotations(user=request.user, items=items, base_url=base, document=scope)
            reservation.stored = len(report.imported)
        refused = [
            {"index": r.index, "id": r.id, "field": r.field, "detail": r.reason} for r in report.refused
        ]
        already = [jsonld.annotation_iri(annotation.pk, base_url=base) for annotation in report.already]
        if not report.imported and not already:
            response = problem_response(
                "Nothing could be imported; “refused” gives the reason for each annotation.",
                status_code=status.HTTP_400_BAD_REQUEST,
            )
            response.data["refused"] = refused
            return response
        data = {
            "imported": len(report.imported),
            "refused": refused,
            "items": [jsonld.annotation_iri(annotation.pk, base_url=base) for annotation in report.imported],
            "already": already,
        }
        return Response(data, content_type="application/json")

    def create(self, parsed: jsonld.ParsedAnnotation, *, scope: Document | None) -> Annotation:
        user = self.request.user
        if parsed.is_reply:
            parent = annotation_rules.parent_to_reply_to(user, parsed.parent_id, scope=scope)
            return services.create_annotation(
                author=user, parent=parent, comment=parsed.comment, tags=parsed.tags, via=parsed.via
            )
        return services.create_annotation(
            author=user,
            document=annotation_rules.document_to_annotate(parsed.document_slug, scope=scope),
            target=parsed.target,
            comment=parsed.comment,
            tags=parsed.tags,
            visibility=parsed.visibility,
            group=parsed.group_slug,
            via=parsed.via,
            canonical=parsed.canonical,
        )


@extend_schema_view(
    get=extend_schema(
        summary="Read one annotation",
        operation_id="annotation_read",
        responses={
            200: schema.AnnotationSchema,
            304: OpenApiResponse(description="Not modified."),
            **schema.PROBLEMS,
        },
        examples=[schema.CREATED],
    ),
    put=extend_schema(
        summary="Replace an annotation (its author only)",
        parameters=[schema.IF_MATCH],
        request=schema.AnnotationSchema,
        responses={200: schema.AnnotationSchema, **schema.PROBLEMS},
        examples=[schema.NEW_ANNOTATION, schema.CREATED],
    ),
    delete=extend_schema(
        summary="Delete an annotation and its replies (its author only)",
        parameters=[schema.IF_MATCH],
        responses={204: OpenApiResponse(description="Deleted."), **schema.PROBLEMS},
    ),
)
class AnnotationResourceView(AnnotationAPIView):
    """``/api/annotations/<id>/``: read, replace (PUT) and delete one annotation."""

    http_method_names = ["get", "head", "options", "put", "delete"]

    def get_annotation(self) -> Annotation:
        return get_object_or_404(
            Annotation.objects.visible_to(self.request.user).with_related(), pk=self.kwargs["pk"]
        )

    def allow(self, annotation: Annotation) -> str:
        if self.request.user.is_authenticated and annotation.author_id == self.request.user.pk:
            return "GET, HEAD, OPTIONS, PUT, DELETE"
        return "GET, HEAD, OPTIONS"

    def respond(self, annotation: Annotation, *, status_code=status.HTTP_200_OK) -> Response:
        data = jsonld.annotation_to_jsonld(annotation, base_url=base_url(self.request))
        return self.present(
            data, status_code=status_code, headers={"Allow": self.allow(annotation)}, link_type="Resource"
        )

    def check_precondition(self, annotation: Annotation) -> None:
        """412 unless If-Match names the annotation as it is (strongly: docs/architecture.md, "Concurrency");
        the
        services run this on the locked row. The one place If-Match is read."""
        current = etag_of(jsonld.annotation_to_jsonld(annotation, base_url=base_url(self.request)))
        header = self.request.headers.get("If-Match")
        if not header or _strongly_matches(header, current):
            return
        if "W/" in header:
            raise Problem(
                'If-Match needs the strong ETag you read ("…"); a weak one (W/"…") never matches. '
                "Read the annotation with your credentials, which gives a strong ETag, and send that.",
                status_code=status.HTTP_412_PRECONDITION_FAILED,
            )
        raise Problem(
            "This annotation was changed since you loaded it. Reload it, then apply your change again.",
            status_code=status.HTTP_412_PRECONDITION_FAILED,
        )

    def get(self, request, pk):
        """One annotation, from the cache when its document's annotations have not changed.

        Whether the reader may see it is asked of the database on every request
        (one light query); the kept body is keyed by the document's annotation
        version, which every write that changes an annotation bumps, and by the
        reader, as the container's pages are (docs/performance.md, "Reading at scale").
        """
        found = freshness.visible_annotation(request.user, pk)
        if found is None:
            raise Http404
        seen, document = found
        key = "api-annotation:" + freshness.digest(
            str(seen.pk),
            freshness.document_state(document, request.user),
            freshness.reader_key(request.user),
            request.accepted_renderer.format,
            base_url(request),
        )
        kept = cache.get(key)
        if kept is None:
            annotation = get_object_or_404(
                Annotation.objects.visible_to(request.user).with_related().defer("document__text"), pk=pk
            )
            kept = self.keep(jsonld.annotation_to_jsonld(annotation, base_url=base_url(request)))
            cache.set(key, kept, KEPT_FOR)
        if (answer := self.precondition_answer(kept.etag)) is not None:
            return answer
        return self.present_kept(
            kept, etag=kept.etag, headers={"Allow": self.allow(seen)}, link_type="Resource"
        )

    def put(self, request, pk):
        annotation = self.get_annotation()
        self.require_author(annotation)
        self.check_precondition(annotation)
        parsed = self.parse()
        if parsed.annotation_id is not None and parsed.annotation_id != annotation.pk:
            raise Problem("The id in the body names another annotation than the address.", field="id")
        if annotation.is_reply:
            if parsed.parent_id != annotation.parent_id:
                raise Problem("A reply cannot be moved to another annotation.", field="target")
            target = None
        else:
            if parsed.document_slug != annotation.document.slug:
                raise Problem("An annotation cannot be moved to another document.", field="target.source")
            target = parsed.target
        try:
            services.update_annotation(
                annotation,
                precondition=self.check_precondition,
                comment=parsed.comment,
                tags=parsed.tags,
                visibility=None if annotation.is_reply else parsed.visibility,
                group=None if annotation.is_reply else parsed.group_slug,
                target=target,
            )
        except Annotation.DoesNotExist:
            raise Http404 from None
        return self.respond(self.get_annotation())

    def delete(self, request, pk):
        annotation = self.get_annotation()
        self.require_author(annotation)
        try:
            services.delete_annotation(annotation, precondition=self.check_precondition)
        except Annotation.DoesNotExist:
            raise Http404 from None
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    get=extend_schema(operation_id="document_annotations_list"),
    post=extend_schema(operation_id="document_annotations_create"),
)
class DocumentAnnotationContainerView(AnnotationContainerView):
    """One document's container: the same protocol, scoped to the document in the address."""
