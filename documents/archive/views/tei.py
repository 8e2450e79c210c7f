"""``/documents/<slug>/tei.xml``: the document as TEI P5 with its public notes (docs/preservation.md, "TEI").

The document is read through ``Document.objects.visible_to`` (a draft is a curator's alone), its notes
through ``Annotation.objects.visible_to(None)``: the file shows what anyone may read, whoever asks, so
its entity tag names only the document and its public version, and a reader's copy stays true until
either moves.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from documents import conditional
from documents.annotations.jsonld import annotation_iri
from documents.annotations.models import Annotation
from documents.annotations.tags import name_order
from documents.archive.models import Document
from documents.archive.tei import TEI_MEDIA_TYPE
from documents.archive.tei.writing import Header, Note, to_tei
from documents.freshness import digest


@require_safe
def document_tei(request, slug):
    document = Document.objects.visible_to(request.user).filter(slug=slug).first()
    if document is None:
        raise Http404("No document at this address.")
    validator = '"{}"'.format(
        digest(
            "tei",
            document.pk,
            document.revision,
            document.modified,
            document.public_annotations_version,
            settings.ARCHIVE_NAME,
            request.get_host(),
        )
    )
    if (answer := conditional.precondition_answer(request, validator)) is not None:
        return answer
    base_url = request.build_absolute_uri("/")
    header = Header(
        url=request.build_absolute_uri(document.get_absolute_url()),
        archive=settings.ARCHIVE_NAME,
        tags=sorted(document.tags.names(), key=name_order),
        revisions=list(document.revisions.order_by("number").values_list("number", "created", "summary")),
    )
    notes = Annotation.objects.visible_to(None).filter(document=document).with_related()
    content = to_tei(
        document, header=header, notes=(_note(n, base_url, request) for n in notes.order_by("created", "pk"))
    )
    response = HttpResponse(content, content_type=f"{TEI_MEDIA_TYPE}; charset=utf-8")
    response["ETag"] = validator
    return response


def _note(annotation: Annotation, base_url: str, request) -> Note:
    elsewhere = None
    if annotation.is_orphaned:
        revision = reverse("document-revision", args=[annotation.document.slug, annotation.revision_quoted])
        elsewhere = request.build_absolute_uri(revision)
    placed = annotation.parent_id is None and not annotation.is_orphaned
    return Note(
        id=str(annotation.pk),
        iri=annotation_iri(annotation.pk, base_url=base_url),
        author=annotation.written_by,
        created=annotation.created,
        motivation=annotation.motivation,
        comment=annotation.comment,
        tags=tuple(sorted((tag.name for tag in annotation.tags.all()), key=name_order)),
        start=annotation.start if placed else None,
        end=annotation.end if placed else None,
        reply_to=str(annotation.parent_id) if annotation.parent_id else None,
        elsewhere=elsewhere,
    )
