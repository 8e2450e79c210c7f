"""Read-only API views for documents, and the API root that lists every entry point.

Everyone reads the same thing here: published documents only, as the contract says,
whoever asks. Annotation containers live in their own module beside this one.
"""

from django.db.models import F
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from documents.annotations import jsonld
from documents.annotations.models import DOCUMENT_SORTS
from documents.api import schema
from documents.api.problems import Problem
from documents.archive.forms import DocumentFilterForm
from documents.archive.models import Document
from documents.archive.pagination import DocumentPagination
from documents.archive.serializers import DocumentDetailSerializer, DocumentSerializer

# Name in the API root -> URL name of the entry point. Add new collections here.
ENTRY_POINTS = {
    "documents": "api-document-list",
    "annotations": "api-annotation-list",
    "schema": "api-schema",
    "docs": "api-docs",
}


class ApiRootView(APIView):
    """The API's entry points, as absolute URLs, so clients need not build paths themselves."""

    renderer_classes = [JSONRenderer]

    @extend_schema(
        responses=inline_serializer("ApiRoot", {name: serializers.URLField() for name in ENTRY_POINTS})
    )
    def get(self, request):
        return Response({name: reverse(url_name, request=request) for name, url_name in ENTRY_POINTS.items()})


def published_documents():
    """Published documents, oldest first (undated last), with what a list shows prefetched."""
    return (
        Document.objects.published()
        .prefetch_related("tags", "collections")
        .order_by(F("date").asc(nulls_last=True), "title", "slug")
    )


class DocumentListView(generics.ListAPIView):
    """Published documents' metadata, a page at a time; the text is in each document's detail.

    Takes the filters of the /documents/ page (collection, tag, type, year and
    sort); unlike the page, a value that matches nothing is a 400 naming it.
    """

    serializer_class = DocumentSerializer
    pagination_class = DocumentPagination
    renderer_classes = [JSONRenderer]

    @extend_schema(
        parameters=[
            OpenApiParameter("collection", str, description="A collection's slug."),
            OpenApiParameter("tag", str, description="A tag's slug."),
            OpenApiParameter("type", str, enum=Document.Type.values),
            OpenApiParameter("year", int, description="One year."),
            OpenApiParameter("year_from", int, description="The first year of a range (inclusive)."),
            OpenApiParameter("year_to", int, description="The last year of a range (inclusive)."),
            OpenApiParameter("sort", str, enum=list(DOCUMENT_SORTS), description="Default: oldest first."),
        ],
        responses={200: DocumentSerializer(many=True), **schema.READ_PROBLEMS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        documents = published_documents()
        if not any(name in self.request.query_params for name in (*DocumentFilterForm.FILTERS, "sort")):
            return documents
        form = DocumentFilterForm(self.request.query_params, documents=documents)
        if not form.is_valid():
            field, errors = next(iter(form.errors.items()))
            raise Problem(errors[0].replace("; showing every", ". Leave it out to list every"), field=field)
        if not form.cleaned_data.get("sort"):
            form.cleaned_data["sort"] = "date"
        return form.apply(documents)


@extend_schema_view(get=extend_schema(responses={200: DocumentDetailSerializer, **schema.READ_PROBLEMS}))
class DocumentDetailView(generics.RetrieveAPIView):
    """One published document with its canonical text and passage offsets; drafts answer 404."""

    serializer_class = DocumentDetailSerializer
    renderer_classes = [JSONRenderer]
    lookup_field = "slug"

    def get_queryset(self):
        return published_documents()


class NotFoundView(APIView):
    """Any other address under /api/ answers a JSON 404, as the rest of the API does, not an HTML page."""

    renderer_classes = [JSONRenderer]
    schema = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound(f"There is no API endpoint at {request.path}. The API root lists them.")


class VocabularyView(APIView):
    """``/ns/archive``: what the archive's own JSON-LD terms mean, as JSON-LD.

    Annotations use five terms the W3C vocabulary lacks; their IRIs resolve
    here so that a client (or a person) following one learns what it means.
    The IRIs are the ones every annotation's ``@context`` names
    (``jsonld.vocabulary_iri``, from ``SITE_URL``), whichever host the request named.
    """

    renderer_classes = [JSONRenderer]
    schema = None

    TERMS = {
        "visibility": "Who may read the annotation: “private” (its author alone), “public” (everyone) "
        "or “group” (the members of the group named by “group”).",
        "group": "The reading group whose members may read this annotation: the IRI of the group's page.",
        "hidden": "True when a curator hid this public annotation; only its author and curators see it.",
        "hiddenReason": "The curator's reason for hiding the annotation, shown to its author.",
        "importedBy": "The account holding this annotation: a private copy, imported from a file, of a note "
        "someone else wrote (its creator).",
    }

    def get(self, request):
        vocabulary = jsonld.vocabulary_iri()
        return Response(
            {
                "@context": {
                    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
                    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
                },
                "@graph": [
                    {"@id": vocabulary + term, "@type": "rdf:Property", "rdfs:comment": self.TERMS[term]}
                    for term in jsonld.ARCHIVE_TERMS
                ],
            },
            content_type="application/ld+json",
        )
