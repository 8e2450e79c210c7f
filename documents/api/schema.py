"""OpenAPI descriptions of the W3C annotation endpoints.

The annotation views read and write JSON-LD through ``documents.api.jsonld``,
not through DRF serializers; the serializers below only describe that JSON for
the OpenAPI schema and are never used to validate. Imported by the app's
``ready()`` so drf-spectacular finds the authentication extension.
"""

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

ANNO = "http://www.w3.org/ns/anno.jsonld"
EXAMPLE_SOURCE = "https://archive.example/documents/clinton-statement-icc-2000/"
EXAMPLE_ID = "https://archive.example/api/annotations/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0/"


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "documents.api.authentication.TokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A personal token from your profile page, sent as `Authorization: Token <key>`.",
        }


class SameOriginSessionScheme(SessionScheme):
    """The session cookie, as drf-spectacular describes it; it counts only for this site's own pages."""

    target_class = "documents.api.authentication.SameOriginSessionAuthentication"
    priority = 0


class TextualBodySchema(serializers.Serializer):
    type = serializers.ChoiceField(choices=["TextualBody"])
    value = serializers.CharField(help_text="The comment in Markdown, or a tag.")
    purpose = serializers.ChoiceField(choices=["commenting", "tagging"])
    format = serializers.CharField(required=False, help_text="text/markdown for comments.")


class SelectorSchema(serializers.Serializer):
    type = serializers.ChoiceField(choices=["TextQuoteSelector", "TextPositionSelector"])
    exact = serializers.CharField(required=False)
    prefix = serializers.CharField(required=False)
    suffix = serializers.CharField(required=False)
    start = serializers.IntegerField(required=False, min_value=0, help_text="In Unicode code points.")
    end = serializers.IntegerField(required=False, min_value=0, help_text="In Unicode code points.")


class TargetSchema(serializers.Serializer):
    source = serializers.URLField(help_text="The reading view of a published document.")
    selector = SelectorSchema(many=True)


class PersonSchema(serializers.Serializer):
    id = serializers.CharField()
    type = serializers.ChoiceField(choices=["Person"])
    nickname = serializers.CharField()


class AnnotationSchema(serializers.Serializer):
    """A W3C Web Annotation; a reply's target is the IRI of the annotation it answers."""

    id = serializers.URLField(read_only=True)
    type = serializers.ChoiceField(choices=["Annotation"])
    motivation = serializers.ChoiceField(
        choices=["commenting", "highlighting", "tagging", "replying"], required=False
    )
    created = serializers.DateTimeField(read_only=True)
    modified = serializers.DateTimeField(read_only=True)
    creator = PersonSchema(read_only=True)
    generator = serializers.JSONField(read_only=True)
    visibility = serializers.ChoiceField(choices=["private", "public"], required=False, default="private")
    body = TextualBodySchema(many=True, required=False)
    bodyValue = serializers.CharField(required=False, help_text="A plain comment, instead of body.")
    target = TargetSchema(help_text="Or, for a reply, the IRI of the annotation answered.")
    hidden = serializers.BooleanField(read_only=True, required=False)
    hiddenReason = serializers.CharField(read_only=True, required=False)

    def get_fields(self):
        """``@context`` is not a Python name, so it is added here."""
        return {
            "@context": serializers.JSONField(help_text=f'"{ANNO}", or a list starting with it.'),
            **super().get_fields(),
        }


class AnnotationPageSchema(serializers.Serializer):
    id = serializers.URLField()
    type = serializers.ChoiceField(choices=["AnnotationPage"])
    partOf = serializers.JSONField(required=False)
    startIndex = serializers.IntegerField()
    next = serializers.URLField(required=False)
    prev = serializers.URLField(required=False)
    items = AnnotationSchema(many=True)


class AnnotationCollectionSchema(serializers.Serializer):
    id = serializers.URLField()
    type = serializers.JSONField(help_text='["BasicContainer", "AnnotationCollection"]')
    label = serializers.CharField()
    total = serializers.IntegerField()
    first = AnnotationPageSchema(
        required=False, help_text="Embedded, or its IRI with PreferMinimalContainer."
    )
    last = serializers.URLField(required=False)


PROBLEM = inline_serializer(
    "Problem",
    {
        "type": serializers.CharField(),
        "title": serializers.CharField(),
        "status": serializers.IntegerField(),
        "detail": serializers.CharField(help_text="What went wrong, and what to change."),
        "field": serializers.CharField(required=False, help_text="The input at fault, e.g. target.selector."),
    },
)

NEW_ANNOTATION = OpenApiExample(
    "A public comment with a tag",
    media_type="application/ld+json",
    request_only=True,
    value={
        "@context": ANNO,
        "type": "Annotation",
        "body": [
            {"type": "TextualBody", "value": "Note the *object and purpose*.", "purpose": "commenting",
             "format": "text/markdown"},
            {"type": "TextualBody", "value": "treaty law", "purpose": "tagging"},
        ],
        "target": {
            "source": EXAMPLE_SOURCE,
            "selector": [{"type": "TextQuoteSelector", "exact": "international accountability"}],
        },
        "visibility": "public",
    },
)  # fmt: skip

REPLY = OpenApiExample(
    "A reply",
    media_type="application/ld+json",
    request_only=True,
    value={"@context": ANNO, "type": "Annotation", "motivation": "replying", "bodyValue": "I agree.",
           "target": EXAMPLE_ID},
)  # fmt: skip

CREATED = OpenApiExample(
    "The stored annotation",
    media_type="application/ld+json",
    response_only=True,
    status_codes=["201", "200"],
    value={
        "@context": [ANNO, {"visibility": "https://archive.example/ns/archive#visibility"}],
        "id": EXAMPLE_ID,
        "type": "Annotation",
        "motivation": "commenting",
        "created": "2026-11-27T10:00:00Z",
        "modified": "2026-11-27T10:00:00Z",
        "creator": {"id": "acct:ada@archive.example", "type": "Person", "nickname": "ada"},
        "generator": {"id": "https://archive.example/", "type": "Software", "name": "Documents Archive"},
        "visibility": "public",
        "body": [{"type": "TextualBody", "value": "Note the *object and purpose*.", "purpose": "commenting",
                  "format": "text/markdown"}],
        "target": {
            "source": EXAMPLE_SOURCE,
            "selector": [
                {"type": "TextQuoteSelector", "exact": "international accountability",
                 "prefix": "reaffirm our strong support for ", "suffix": " and for bringing to justice perp"},
                {"type": "TextPositionSelector", "start": 31, "end": 59},
            ],
        },
    },
)  # fmt: skip

NOT_ANCHORED = OpenApiExample(
    "A selection that does not match",
    response_only=True,
    status_codes=["400"],
    value={
        "type": "about:blank",
        "title": "Bad request",
        "status": 400,
        "detail": "The quoted text “international acountability” does not occur in this document.",
        "field": "target",
    },
)

CONTAINER_PARAMETERS = [
    OpenApiParameter("page", int, description="Page number, from 0. Without it: the collection."),
    OpenApiParameter("page_size", int, description="Annotations per page (default 50, at most 200)."),
    OpenApiParameter("iris", int, enum=[1], description="1: pages list annotation IRIs only."),
    OpenApiParameter("tag", str, description="Only annotations with this tag (case-insensitive)."),
    OpenApiParameter("creator", str, description="Only annotations by this username."),
    OpenApiParameter("motivation", str, enum=["commenting", "highlighting", "tagging", "replying"]),
    OpenApiParameter("visibility", str, enum=["private", "public"]),
    OpenApiParameter("since", str, description="Only annotations modified since (ISO 8601 date or time)."),
    OpenApiParameter(
        "Prefer",
        str,
        OpenApiParameter.HEADER,
        description='return=representation;include="http://www.w3.org/ns/ldp#PreferMinimalContainer" '
        "(or oa#PreferContainedIRIs, oa#PreferContainedDescriptions).",
    ),
]

IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, description="The ETag you read; a stale one answers 412."
)

PROBLEMS = {
    400: OpenApiResponse(PROBLEM, description="Unusable JSON-LD or selection.", examples=[NOT_ANCHORED]),
    401: OpenApiResponse(PROBLEM, description="Log in or send a personal token."),
    403: OpenApiResponse(PROBLEM, description="Only the author may change an annotation."),
    404: OpenApiResponse(PROBLEM, description="Not there, or not yours to see."),
    412: OpenApiResponse(PROBLEM, description="Changed since you read it."),
    429: OpenApiResponse(PROBLEM, description="Too many writes; see Retry-After."),
}  # fmt: skip
