"""``/api/search/?q=``: the results of /search/ as JSON (docs/search.md, "How search works"). Thin: parse,
search, present."""

from __future__ import annotations

from django.utils.html import escape
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from documents.api import schema
from documents.api.problems import Problem
from documents.archive.models import Document
from documents.search import query as search

RESULTS = inline_serializer(
    "SearchResults",
    {
        "query": serializers.CharField(),
        "did_you_mean": serializers.JSONField(
            allow_null=True,
            help_text="when nothing matched: {query, url}, the search with its unknown words replaced "
            "by the archive's closest words; else null",
        ),
        "page": serializers.IntegerField(),
        "pages": serializers.IntegerField(),
        "total": serializers.IntegerField(),
        "total_is_lower_bound": serializers.BooleanField(
            help_text="true when a group had more hits than a search counts: the total is then a minimum"
        ),
        "documents": serializers.JSONField(
            help_text="total, total_is_lower_bound, and items: documents with their best passages"
        ),
        "annotations": serializers.JSONField(
            help_text="total, total_is_lower_bound, and items: the notes you may read"
        ),
        "facets": serializers.JSONField(help_text="facet name -> values with counts"),
    },
)


def _snippet(parts) -> dict:
    return {
        "snippet": "".join(text for text, _ in parts),
        "snippet_html": "".join(f"<mark>{escape(t)}</mark>" if marked else escape(t) for t, marked in parts),
    }


class SearchView(APIView):
    """Full-text search over the documents and annotations the requester may read."""

    renderer_classes = [JSONRenderer]

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True, description='Words, "phrases", -excluded, OR.'),
            OpenApiParameter("page", int),
            OpenApiParameter("type", str, enum=Document.Type.values),
            OpenApiParameter("collection", str, description="A collection's slug."),
            OpenApiParameter("tag", str, description="A tag's slug."),
            OpenApiParameter("creator", str),
            OpenApiParameter("decade", int, description="The first year of a decade, such as 1990."),
        ],
        responses={200: RESULTS, **schema.READ_PROBLEMS},
    )
    def get(self, request):
        try:
            results = search.search(
                request.query_params.get("q", ""),
                user=request.user,
                filters=search.Filters.from_query(request.query_params),
                page=search.page_number(request.query_params.get("page")),
            )
        except search.QueryError as error:
            raise Problem(str(error), field="q") from None
        if results.past_the_end:
            raise Problem(results.past_the_end, field="page", status_code=status.HTTP_404_NOT_FOUND)
        return Response(
            {
                "query": request.query_params.get("q", ""),
                "did_you_mean": self.suggestion(request, results.suggestion),
                "page": results.page,
                "pages": results.pages,
                "total": results.total,
                "total_is_lower_bound": results.total_is_lower_bound,
                "documents": {
                    "total": results.document_total,
                    "total_is_lower_bound": results.document_total_is_lower_bound,
                    "items": [self.document(request, hit) for hit in results.documents],
                },
                "annotations": {
                    "total": results.annotation_total,
                    "total_is_lower_bound": results.annotation_total_is_lower_bound,
                    "items": [self.annotation(request, hit) for hit in results.annotations],
                },
                "facets": {
                    name: [{"value": f.value, "label": f.label, "count": f.count} for f in values]
                    for name, values in results.facets.items()
                },
            }
        )

    def suggestion(self, request, corrected: str | None) -> dict | None:
        if corrected is None:
            return None
        params = request.query_params.copy()
        params.pop("page", None)
        params["q"] = corrected
        return {"query": corrected, "url": request.build_absolute_uri(f"{request.path}?{params.urlencode()}")}

    def document(self, request, hit) -> dict:
        document = hit.document
        return {
            "slug": document.slug,
            "title": document.title,
            "url": request.build_absolute_uri(document.get_absolute_url()),
            "creator": document.creator,
            "date": document.date.isoformat() if document.date else None,
            "type": document.type,
            **_snippet(hit.snippet),
            "passages": [
                {"n": passage.n, "url": request.build_absolute_uri(passage.url), **_snippet(passage.snippet)}
                for passage in hit.passages
            ],
        }

    def annotation(self, request, hit) -> dict:
        note = hit.annotation
        return {
            "id": reverse("api-annotation-detail", args=[note.pk], request=request),
            "url": request.build_absolute_uri(note.get_absolute_url()),
            "document": note.document.slug,
            "author": note.author.get_username(),
            "visibility": note.visibility,
            **({"group": request.build_absolute_uri(note.group.get_absolute_url())} if note.group_id else {}),
            "quote": note.exact,
            "quote_html": _snippet(hit.quote)["snippet_html"],
            **_snippet(hit.snippet),
            "tags": hit.tags,
        }
