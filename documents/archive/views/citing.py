"""A document's citation as files for reference managers: CSL-JSON and RIS (docs/reading-and-annotating.md,
"Readers").

The reading view shows the same citation to people; both read the document through
``Document.objects.visible_to``, so a draft's citation is a curator's alone.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_safe

from documents.archive.citations import reference_managers
from documents.archive.models import Document

FORMATS = {
    "csl.json": ("application/vnd.citationstyles.csl+json", "json"),
    "ris": ("application/x-research-info-systems", "ris"),
}


@require_safe
def document_citation(request, slug, format):
    if format not in FORMATS:
        raise Http404("No such citation format.")
    document = get_object_or_404(Document.objects.visible_to(request.user), slug=slug)
    cite = {
        "url": request.build_absolute_uri(document.get_absolute_url()),
        "accessed": timezone.localdate(),
        "archive": settings.ARCHIVE_NAME,
    }
    if format == "ris":
        content = reference_managers.ris(document, **cite)
    else:
        content = (
            json.dumps(reference_managers.csl_json(document, **cite), ensure_ascii=False, indent=2) + "\n"
        )
    media_type, extension = FORMATS[format]
    response = HttpResponse(content, content_type=f"{media_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{document.slug}.{extension}"'
    return response
