"""Exports and imports of annotations, included at the site root.

``<export_format:fmt>`` is one of ``documents.annotations.views.exports.CONTENT_TYPES`` (jsonld,
csv, md), so ``reverse()`` refuses any other and the views never see one.
"""

from django.urls import path, register_converter

from documents.annotations.views import exports


class ExportFormatConverter:
    regex = "|".join(exports.CONTENT_TYPES)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ExportFormatConverter, "export_format")

urlpatterns = [
    path(
        "documents/<slug:slug>/annotations/export.<export_format:fmt>",
        exports.document_annotations_export,
        name="document-annotations-export",
    ),
    path(
        "accounts/profile/annotations/export.<export_format:fmt>",
        exports.my_annotations_export,
        name="my-annotations-export",
    ),
    path("accounts/profile/annotations/import/", exports.my_annotations_import, name="my-annotations-import"),
]
