"""Documents as JSON: metadata for lists, plus the canonical text and passage offsets in detail.

Offsets count Unicode code points of ``text``, as the W3C model says; a client slicing
``text`` must slice by code point (Python ``str``, JavaScript ``Array.from``), not UTF-16 units.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from documents.archive.models import Document
from documents.archive.text import KINDS


class PassageSerializer(serializers.Serializer):
    """Where passage ``n`` (1-based, as ``#p-n`` in the reading view) sits in the canonical text."""

    n = serializers.IntegerField(min_value=1)
    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=0)
    kind = serializers.ChoiceField(choices=KINDS)


class DocumentSerializer(serializers.ModelSerializer):
    """What a list shows: metadata only, so a page of documents stays small.

    Expects ``tags`` and ``collections`` prefetched, or it costs two queries per document.
    """

    url = serializers.HyperlinkedIdentityField(view_name="api-document-detail", lookup_field="slug")
    html_url = serializers.SerializerMethodField()
    annotations = serializers.HyperlinkedIdentityField(
        view_name="api-document-annotations", lookup_field="slug", help_text="The W3C annotation container."
    )
    tags = serializers.SerializerMethodField()
    collections = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")

    class Meta:
        model = Document
        fields = [
            "url",
            "html_url",
            "annotations",
            *Document.METADATA_FIELDS,
            "tags",
            "collections",
            "revision",
            "published_at",
            "modified",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, document) -> str:
        return self.context["request"].build_absolute_uri(document.get_absolute_url())

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, document) -> list[str]:
        return sorted((tag.name for tag in document.tags.all()), key=str.casefold)


class DocumentDetailSerializer(DocumentSerializer):
    """One document with its canonical text and the code-point offsets of its passages."""

    text = serializers.CharField(source="canonical_text", read_only=True)
    passages = PassageSerializer(many=True, read_only=True)

    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "text", "passages"]
        read_only_fields = fields
