"""OpenAPI descriptions of the W3C annotation endpoints.

The annotation views read and write JSON-LD through ``documents.annotations.jsonld``,
not through DRF serializers; the serializers below only describe that JSON for
the OpenAPI schema and are never used to validate. Imported by the app's
``ready()`` so drf-spectacular finds the authentication extension.
"""

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers

from documents.annotations import rules
from documents.api import parameters
from documents.api.problems import PROBLEM_MEDIA_TYPE

ANNO = "http://www.w3.org/ns/anno.jsonld"
EXAMPLE_SOURCE = "https://archive.example/documents/clinton-statement-icc-2000/"
EXAMPLE_ID = "https://archive.example/api/annotations/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0/"


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "documents.accounts.authentication.TokenAuthentication"
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

    target_class = "documents.accounts.authentication.SameOriginSessionAuthentication"
    priority = 0


class TextualBodySchema(serializers.Serializer):
    type = serializers.ChoiceField(choices=["TextualBody"])
    value = serializers.CharField(help_text="The comment in Markdown, or a tag.")
    purpose = serializers.ChoiceField(choices=["commenting", "tagging"])
    format = serializers.CharField(required=False, help_text="text/markdown for comments.")


class PersonSchema(serializers.Serializer):
    """An account here (``acct:<username>@<host>``), or the creator an imported copy's file named,
    which may lack either part."""

    id = serializers.CharField(required=False)
    type = serializers.ChoiceField(choices=["Person"])
    nickname = serializers.CharField(required=False)


IRI = {"type": "string", "format": "uri"}
SELECTOR = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": ["TextQuoteSelector", "TextPositionSelector"]},
        "exact": {"type": "string"},
        "prefix": {"type": "string"},
        "suffix": {"type": "string"},
        "start": {"type": "integer", "minimum": 0, "description": "In Unicode code points."},
        "end": {"type": "integer", "minimum": 0, "description": "In Unicode code points."},
    },
    "required": ["type"],
}


@extend_schema_field(
    {
        "oneOf": [
            {
                "type": "object",
                "properties": {
                    "source": {
                        **IRI,
                        "description": "The reading view of a published document; alone, a page note.",
                    },
                    "selector": {"oneOf": [SELECTOR, {"type": "array", "items": SELECTOR}]},
                },
                "required": ["source"],
            },
            {**IRI, "description": "A reply's target: the IRI of the annotation it answers."},
        ]
    }
)
class TargetField(serializers.JSONField):
    """A document with selectors (or without, for a page note), or (for a reply) the IRI of the
    annotation answered."""


class AnnotationSchema(serializers.Serializer):
    """A W3C Web Annotation; a reply's target is the IRI of the annotation it answers."""

    id = serializers.URLField(read_only=True)
    type = serializers.ChoiceField(choices=["Annotation"])
    motivation = serializers.ChoiceField(
        choices=["commenting", "highlighting", "tagging", "replying"], required=False
    )
    created = serializers.DateTimeField(read_only=True)
    modified = serializers.DateTimeField(read_only=True)
    # Not read_only, like hidden below: an imported copy whose file named no creator has none.
    creator = PersonSchema(required=False, help_text="Who wrote it; the server's.")
    generator = serializers.JSONField(read_only=True)
    visibility = serializers.ChoiceField(
        choices=["private", "public", "group"], required=False, default="private"
    )
    group = serializers.URLField(
        required=False,
        help_text="With visibility “group”: the IRI of one of your groups, <base>/groups/<slug>/.",
    )
    body = TextualBodySchema(many=True, required=False)
    bodyValue = serializers.CharField(required=False, help_text="A plain comment, instead of body.")
    target = TargetField()
    # Not read_only: drf-spectacular would then declare them always present; they appear only when hidden.
    hidden = serializers.BooleanField(required=False, help_text="Only when a curator hid it; the server's.")
    hiddenReason = serializers.CharField(required=False, help_text="Only when hidden; the server's.")
    importedBy = PersonSchema(
        required=False,
        help_text="Only on a private copy of someone else's note, imported: the account holding it; "
        "creator is who wrote it.",
    )

    def get_fields(self):
        """``@context`` is not a Python name, so it is added here."""
        return {
            "@context": serializers.JSONField(
                required=False,
                help_text=f'"{ANNO}", or a list starting with it. Required when you send an annotation; '
                "annotations embedded in a page go without it.",
            ),
            **super().get_fields(),
        }


@extend_schema_field({"oneOf": [{"$ref": "#/components/schemas/AnnotationSchema"}, IRI]})
class AnnotationOrIRIField(serializers.JSONField):
    """A full annotation, or only its IRI with ``iris=1`` or PreferContainedIRIs."""


class AnnotationPageSchema(serializers.Serializer):
    id = serializers.URLField()
    type = serializers.ChoiceField(choices=["AnnotationPage"])
    partOf = serializers.JSONField(required=False)
    startIndex = serializers.IntegerField()
    next = serializers.URLField(required=False)
    prev = serializers.URLField(required=False)
    items = serializers.ListField(child=AnnotationOrIRIField())


@extend_schema_field({"oneOf": [{"$ref": "#/components/schemas/AnnotationPageSchema"}, IRI]})
class FirstPageField(serializers.JSONField):
    """The first page embedded, or its IRI with PreferMinimalContainer."""


class AnnotationCollectionSchema(serializers.Serializer):
    id = serializers.URLField()
    type = serializers.JSONField(help_text='["BasicContainer", "AnnotationCollection"]')
    label = serializers.CharField()
    total = serializers.IntegerField()
    first = FirstPageField(required=False, help_text="Absent when the collection is empty.")
    last = serializers.URLField(required=False)


CONTAINER = PolymorphicProxySerializer(
    component_name="AnnotationContainer",
    serializers=[AnnotationCollectionSchema, AnnotationPageSchema],
    resource_type_field_name=None,
)

IMPORT_REPORT = inline_serializer(
    "ImportReport",
    {
        "imported": serializers.IntegerField(),
        "refused": serializers.ListField(child=serializers.JSONField()),
        "items": serializers.ListField(child=serializers.URLField()),
        "already": serializers.ListField(
            child=serializers.URLField(), help_text="Your annotations that items repeat; not stored twice."
        ),
    },
)


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
    OpenApiParameter(
        "page",
        {"type": "integer", "minimum": 0},
        description="Page number, from 0. Without it: the collection.",
    ),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1},
        description=(
            f"Annotations per page (default {parameters.ANNOTATION_PAGE_SIZE}; larger than "
            f"{parameters.MAX_ANNOTATION_PAGE_SIZE} is lowered to {parameters.MAX_ANNOTATION_PAGE_SIZE})."
        ),
    ),
    OpenApiParameter("iris", int, enum=[1], description="1: pages list annotation IRIs only."),
    OpenApiParameter("tag", str, description="Only annotations with this tag (case-insensitive)."),
    OpenApiParameter("creator", str, description="Only annotations by this username."),
    OpenApiParameter("motivation", str, enum=["commenting", "highlighting", "tagging", "replying"]),
    OpenApiParameter("visibility", str, enum=["private", "public", "group"]),
    OpenApiParameter("group", str, description="Only the notes of the group with this slug (one of yours)."),
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
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description="The strong ETag you read (W/ tags never match); a stale or weak one answers 412.",
)


def problems(**described: str) -> dict:
    """Error answers, each an ``application/problem+json`` body, keyed as drf-spectacular expects."""
    return {
        (int(code.removeprefix("s")), PROBLEM_MEDIA_TYPE): OpenApiResponse(
            PROBLEM, description=text, examples=[NOT_ANCHORED] if code == "s400" else []
        )
        for code, text in described.items()
    }


READ_PROBLEMS = problems(
    s400="A query parameter is not a whole number or a date, or the address holds a NUL character.",
    s404="Not there, or not yours to see.",
)
PROBLEMS = problems(
    s400="Unusable JSON-LD or selection, or a bad query parameter.",
    s401="Log in or send a personal token.",
    s403="Only the author may change an annotation.",
    s404="Not there, or not yours to see.",
    s412="Changed since you read it.",
    s413=(
        f"Larger than an import may be ({rules.MAX_IMPORT_MEGABYTES} MB, "
        f"{rules.MAX_IMPORT_ANNOTATIONS:,} annotations)."
    ),
    s415="Send application/ld+json or application/json.",
    s429="Too many writes; see Retry-After.",
)


API_DESCRIPTION = f"""Published documents and W3C Web Annotations (Data Model and Protocol, 2017).

**Constraints on annotations** (the containers' `ldp#constrainedBy`):

- `@context` is `http://www.w3.org/ns/anno.jsonld`, or a list starting with it; `type` is `Annotation`.
- The target's `source` is the reading view of a published document; a reply targets the IRI of
  an annotation you may see, and takes its thread's document, visibility and group.
- A `TextQuoteSelector`, a `TextPositionSelector` (Unicode code points of the document's
  canonical text), or both; the selection must match the text, else `400`. A target with
  the `source` alone (no selector) is a page note on the whole document; it needs a comment
  or a tag.
- At most one comment (`TextualBody`, purpose `commenting`, Markdown) of
  {rules.MAX_COMMENT_LENGTH:,} characters, and at most {rules.MAX_TAGS} tags (purpose `tagging`) of
  {rules.MAX_TAG_LENGTH} characters each; not `body` and `bodyValue` together.
- `visibility` is `private` (the default), `public`, or `group` with `group`: the IRI of a group
  you are a member of (`<base>/groups/<slug>/`; its members alone read the note).
- `creator`, `created`, `modified`, `generator` and `hidden` are the server's, and so is `id`: a
  client's absolute `id` is kept in `via`, a client-local one such as `#<uuid>` is dropped.
- Only the author may `PUT` or `DELETE`; send the `ETag` you read as `If-Match`.
- Reads are open to everyone for what they may see; writes need a session (with CSRF) or
  `Authorization: Token <key>`, and are rate-limited (`429` with `Retry-After`)."""


def describe_api(result, generator, request, public):
    """drf-spectacular postprocessing hook: the API's description, built from the annotation rules
    so its limits are the enforced ones (the settings cannot import the models to build it)."""
    result["info"]["description"] = API_DESCRIPTION
    return result
