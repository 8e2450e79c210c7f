"""The annotations panel alone, for the annotator to refresh, and an annotation's permalink.

What the panel holds is decided in ``documents.annotations.panel``.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_safe

from documents.annotations.models import Annotation
from documents.annotations.panel import entry_url
from documents.annotations.views import reading_cache
from documents.archive.models import Document


@require_safe
def annotations_panel(request, slug):
    """The panel alone, for the annotator to refresh after a change."""
    document = get_object_or_404(Document.objects.visible_to(request.user), slug=slug)
    response = HttpResponse(reading_cache.panel(request, document).html)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def annotation_detail(request, pk):
    """An annotation's permalink: its entry in the reading view."""
    visible = Annotation.objects.visible_to(request.user).select_related("document")
    annotation = get_object_or_404(visible, pk=pk)
    return redirect(entry_url(annotation, user=request.user))
