"""What a POST to a container stores: one annotation or reply, or many (an import), each
within the requester's limits on stored notes (``rate_limits.storing_notes``)."""

from __future__ import annotations

from rest_framework import status
from rest_framework.response import Response

from documents.accounts import client_address, rate_limits
from documents.annotations import jsonld, services
from documents.annotations import rules as annotation_rules
from documents.annotations.api.base import base_url
from documents.annotations.models import Annotation
from documents.api.problems import problem_response
from documents.archive.models import Document
from documents.importing.annotations import check_size, import_annotations


def storing_notes(request, count: int):
    """``rate_limits.storing_notes`` for this request, whose own write the throttle has counted."""
    return rate_limits.storing_notes(
        user=request.user, address=client_address.of_request(request), count=count, writes_counted=1
    )


def create_one(request, parsed: jsonld.ParsedAnnotation, *, scope: Document | None) -> Annotation:
    """Store one new annotation or reply, within what the ``storing_notes`` reservation allows."""
    user = request.user
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


def import_many(request, *, scope: Document | None) -> Response:
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
    refused = [{"index": r.index, "id": r.id, "field": r.field, "detail": r.reason} for r in report.refused]
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
