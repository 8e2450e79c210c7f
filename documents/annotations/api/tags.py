"""``/api/tags/?q=``: the tags to offer a reader typing one (docs/reading-and-annotating.md, "Tags").
Thin: read the typed name, ask ``tags.suggest``, present."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView
from taggit.models import Tag

from documents.annotations import tags
from documents.api import schema
from documents.api.problems import Problem

MAX_TYPED = Tag._meta.get_field("name").max_length

SUGGESTIONS = inline_serializer(
    "TagSuggestions",
    {
        "q": serializers.CharField(help_text="The name typed, as sent."),
        "tags": inline_serializer(
            "TagSuggestion",
            {
                "name": serializers.CharField(),
                "uses": serializers.IntegerField(
                    help_text="Documents you may read and notes you may see carrying it."
                ),
            },
            many=True,
        ),
        "like": serializers.CharField(
            allow_null=True,
            help_text="An existing tag spelt otherwise that differs from q only in case, accents, spaces "
            "or hyphens (such as “Rome Statute” for “rome-statute”); null when there is none or q is "
            "spelt as one.",
        ),
    },
)


class TagSuggestionsView(APIView):
    """Tags whose names start like ``q`` (ignoring case, accents, spaces and hyphens), most used first.

    Only tags on documents the requester may read and on notes they may see are named or counted:
    never a tag someone else keeps on private notes.
    """

    renderer_classes = [JSONRenderer]

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True, description="The tag typed so far, such as “rome st”."),
        ],
        responses={200: SUGGESTIONS, **schema.READ_PROBLEMS},
    )
    def get(self, request):
        typed = request.query_params.get("q", "")
        if len(typed) > MAX_TYPED:
            raise Problem(f"A tag has at most {MAX_TYPED} characters.", field="q")
        found = tags.suggest(request.user, typed)
        return Response(
            {
                "q": typed,
                "tags": [{"name": name, "uses": uses} for name, uses in found.tags],
                "like": found.like or None,
            }
        )
