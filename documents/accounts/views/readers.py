"""A reader's public page, ``/readers/<username>/`` (docs/reading-and-annotating.md, "Readers' pages"):
the notes they wrote that the visitor may read."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from documents import paging
from documents.annotations.models import Annotation
from documents.annotations.tags import by_name

READER_PAGE_SIZE = 20


@require_safe
def reader_page(request, username):
    """The reader's notes, newest first, as ``visible_to(request.user)`` allows: anyone sees their
    public notes, a fellow member their group's, they themselves everything. An unknown or
    closed (inactive) account answers 404. A fixed number of queries, however many notes."""
    reader = get_object_or_404(get_user_model(), username=username, is_active=True)
    notes = Annotation.objects.visible_to(request.user).filter(author=reader).listed()
    page = Paginator(notes, READER_PAGE_SIZE).get_page(paging.whole_number(request.GET.get("page")))
    for annotation in page:
        annotation.tag_list = by_name(annotation.tags.all())
    return render(request, "documents/reader.html", {"reader": reader, "page": page})
