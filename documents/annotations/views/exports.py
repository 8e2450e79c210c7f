"""Exporting annotations as files, and importing a W3C JSON-LD file into one's own account.

An export holds what the requester may read, chosen by
``Annotation.objects.visible_to`` like every other list, in a fixed number of
queries. The formats are written by ``documents.annotations.exports``; an import is stored
by ``importing.annotations.import_annotations``.
"""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from documents.accounts import client_address, rate_limits
from documents.annotations import exports, jsonld
from documents.annotations import rules as annotation_rules
from documents.annotations.forms import ImportForm
from documents.annotations.models import Annotation
from documents.archive.models import Document
from documents.importing.annotations import check_size, import_annotations

CONTENT_TYPES = {
    "jsonld": jsonld.ANNOTATION_MEDIA_TYPE,
    "csv": "text/csv; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
}
"""The export formats by file extension, which is also how the addresses name them."""


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _export(request, annotations, *, fmt: str, label: str, filename: str) -> HttpResponse:
    """The annotations as a file to download, oldest first within each document.

    ``?bom=1`` on a CSV export starts it with UTF-8's byte-order mark, for Excel
    (docs/reading-and-annotating.md, "Exports and imports").
    """
    items = list(annotations.with_related().order_by("document__title", "document__slug", "created", "pk"))
    base = _base_url(request)
    if fmt == "jsonld":
        data = exports.to_jsonld(
            items, collection_url=request.build_absolute_uri(request.path), label=label, base_url=base
        )
        content = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "csv":
        content = exports.to_csv(items, base_url=base, excel=request.GET.get("bom") == "1")
    else:
        content = exports.to_markdown(items, base_url=base, answered=_answered(request, items))
    response = HttpResponse(content.encode(), content_type=CONTENT_TYPES[fmt])
    stamped = f"{filename}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=stamped)
    return response


def _answered(request, items) -> dict:
    """The notes that replies in the export answer, outside it, that the reader may see (by id)."""
    present = {item.pk for item in items}
    missing = {item.parent_id for item in items if item.parent_id is not None} - present
    if not missing:
        return {}
    parents = Annotation.objects.visible_to(request.user).select_related("author").filter(pk__in=missing)
    return {parent.pk: parent for parent in parents}


@require_safe
@never_cache
def document_annotations_export(request, slug, fmt):
    """Every annotation on one document that the requester may read; 404 for a document they may not."""
    document = get_object_or_404(Document.objects.visible_to(request.user), slug=slug)
    annotations = Annotation.objects.visible_to(request.user).filter(document=document)
    return _export(
        request,
        annotations,
        fmt=fmt,
        label=f"Annotations on “{document.title}”",
        filename=f"{document.slug}-annotations",
    )


@login_required
@require_safe
@never_cache
def my_annotations_export(request, fmt):
    """The requester's own annotations, private ones included, on every document they may read."""
    annotations = Annotation.objects.visible_to(request.user).filter(author=request.user)
    username = request.user.get_username()
    return _export(
        request,
        annotations,
        fmt=fmt,
        label=f"Annotations by {username}",
        filename=f"{slugify(username) or 'my'}-annotations",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def my_annotations_import(request):
    """Import a JSON-LD file as new annotations of the requester, then show what was refused and why.

    The file comes from the upload form on the profile page; this page shows the
    form again on its own, and with the file's errors when it cannot be read. Each note
    stored counts against the reader's limits as in the API (docs/deployment.md, "Limits on abuse"):
    a file that would pass one is refused whole, 429, before anything is stored.
    """
    report, retry_after = None, None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            items = form.cleaned_data["file"]
            try:
                check_size(items)
                address = client_address.of_request(request)
                with rate_limits.storing_notes(user=request.user, address=address, count=len(items)) as held:
                    report = import_annotations(user=request.user, items=items, base_url=_base_url(request))
                    held.stored = len(report.imported)
            except annotation_rules.AnnotationError as error:
                form.add_error("file", error.message)
            except rate_limits.OverLimit as error:
                form.add_error("file", error.message)
                retry_after = error.retry_after
    else:
        form = ImportForm()
    status = (429 if retry_after else 400) if form.errors else 200
    response = render(
        request, "documents/import_result.html", {"form": form, "report": report}, status=status
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response
