"""One annotation, ``/api/annotations/<id>/``: read (kept in the cache, 304 when unchanged),
replace (PUT) and delete, each write under a strong If-Match read on the locked row."""

from __future__ import annotations

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response

from documents import freshness
from documents.annotations import jsonld, services
from documents.annotations.api.base import KEPT_FOR, AnnotationAPIView, base_url, etag_of
from documents.annotations.models import Annotation
from documents.api import schema
from documents.api.problems import Problem


def _strongly_matches(header: str, etag: str) -> bool:
    """Whether an If-Match header names this entity tag, by the strong comparison RFC 9110
    (section 13.1.1) requires: a weak tag (``W/"x"``), which promises only an equivalent body, never
    matches, and ``*`` must stand alone (``W/*`` is no entity tag at all)."""
    if header.strip() == "*":
        return True
    return not etag.startswith("W/") and etag in {tag.strip() for tag in header.split(",")}


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
