"""Annotation containers: ``/api/annotations/`` and ``/api/documents/<slug>/annotations/``.

Reading: the AnnotationCollection or one AnnotationPage, filtered (``FILTERS``),
answered 304 before serialising when unchanged and kept in the cache when
unfiltered. Writing: POST one annotation (201) or many (an import), through ``creating``.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status

from documents import filters, freshness
from documents.annotations import jsonld
from documents.annotations import rules as annotation_rules
from documents.annotations.api import creating
from documents.annotations.api.base import KEPT_FOR, AnnotationAPIView, base_url, refuse_oversized
from documents.annotations.jsonld.vocabulary import ANNOTATION_MEDIA_TYPE, Preference, parse_prefer
from documents.annotations.models import Annotation
from documents.api import parameters, schema
from documents.api.problems import Problem
from documents.archive.models import Document


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
        # The document without its text, in one query (``freshness.visible_document``).
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
            return creating.import_many(request, scope=self.document())
        parsed = self.parse()
        with creating.storing_notes(request, 1) as reservation:
            annotation = creating.create_one(request, parsed, scope=self.document())
            reservation.stored = 1
        data = jsonld.annotation_to_jsonld(annotation, base_url=base_url(request))
        return self.present(
            data,
            status_code=status.HTTP_201_CREATED,
            headers={"Location": data["id"], "Allow": "GET, HEAD, OPTIONS, PUT, DELETE"},
            link_type="Resource",
        )


@extend_schema_view(
    get=extend_schema(operation_id="document_annotations_list"),
    post=extend_schema(operation_id="document_annotations_create"),
)
class DocumentAnnotationContainerView(AnnotationContainerView):
    """One document's container: the same protocol, scoped to the document in the address."""
