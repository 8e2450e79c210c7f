"""Exporting annotations as files, and importing a W3C JSON-LD file into one's own account.

An export holds what the requester may read, chosen by
``Annotation.objects.visible_to`` like every other list, in a fixed number of
queries. The formats are written by ``documents.exports``; an import is stored
by ``services.import_annotations``.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from documents import annotation_rules, exports, jsonld, services
from documents.models import Annotation, Document

CONTENT_TYPES = {
    "jsonld": jsonld.ANNOTATION_MEDIA_TYPE,
    "csv": "text/csv; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
}
"""The export formats by file extension, which is also how the addresses name them."""


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _export(request, annotations, *, fmt: str, label: str, filename: str) -> HttpResponse:
    """The annotations as a file to download, oldest first within each document."""
    items = list(annotations.with_related().order_by("document__title", "document__slug", "created", "pk"))
    base = _base_url(request)
    if fmt == "jsonld":
        data = exports.to_jsonld(
            items, collection_url=request.build_absolute_uri(request.path), label=label, base_url=base
        )
        content = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "csv":
        content = exports.to_csv(items, base_url=base)
    else:
        content = exports.to_markdown(items, base_url=base)
    response = HttpResponse(content.encode(), content_type=CONTENT_TYPES[fmt])
    stamped = f"{filename}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=stamped)
    return response


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


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Annotations file (W3C JSON-LD)",
        help_text=(
            f"An export from this archive, or any file with a W3C AnnotationCollection or a JSON array "
            f"of annotations; at most {annotation_rules.MAX_IMPORT_ANNOTATIONS:,} annotations and "
            f"{annotation_rules.MAX_IMPORT_MEGABYTES} MB."
        ),
    )

    def __init__(self, *args, **kwargs):
        """No colon after the label, so its text is exactly the field's name (tests find it by label)."""
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_file(self):
        """The file's annotations as raw items, or a message saying what is wrong with the file."""
        upload = self.cleaned_data["file"]
        if upload.size > annotation_rules.MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / annotation_rules.MEGABYTE:.1f} MB; an import may be at most "
                f"{annotation_rules.MAX_IMPORT_MEGABYTES} MB. Split it into smaller files."
            )
        return read_items(upload.read())


def read_items(content: bytes) -> list[Any]:
    """The raw annotations in a JSON-LD file, or ValidationError saying what is wrong with it."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise forms.ValidationError("The file is not UTF-8 text; export it again as JSON-LD.") from error
    try:
        return jsonld.parse_many(jsonld.load_json(text, what="The file"))
    except jsonld.JsonLdError as error:
        raise forms.ValidationError(error.message) from error


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def my_annotations_import(request):
    """Import a JSON-LD file as new annotations of the requester, then show what was refused and why.

    The file comes from the upload form on the profile page; this page shows the
    form again on its own, and with the file's errors when it cannot be read.
    """
    report = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                report = services.import_annotations(
                    user=request.user, items=form.cleaned_data["file"], base_url=_base_url(request)
                )
            except annotation_rules.AnnotationError as error:
                form.add_error("file", error.message)
    else:
        form = ImportForm()
    status = 400 if form.errors else 200
    return render(request, "documents/import_result.html", {"form": form, "report": report}, status=status)
