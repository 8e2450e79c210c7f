"""W3C Web Annotation JSON-LD in and out, below the services and the API (docs/architecture.md, "Layers").

``vocabulary`` names the terms, IRIs and media types; ``serializer`` writes
annotations, collections and pages; ``parser`` reads what clients send, with
``targets``, ``bodies`` and ``iris`` for the parts and ``reading`` for the JSON
text and its errors. The names most callers need are gathered here.
"""

from documents.annotations.jsonld.parser import ParsedAnnotation, holds_many, parse_annotation, parse_many
from documents.annotations.jsonld.reading import MAX_NUMBER_DIGITS, JsonLdError, load_json
from documents.annotations.jsonld.serializer import annotation_to_jsonld, collection_to_jsonld, page_to_jsonld
from documents.annotations.jsonld.vocabulary import (
    ANNOTATION_MEDIA_TYPE,
    ARCHIVE_TERMS,
    Preference,
    account_iri,
    annotation_context,
    annotation_iri,
    archive_terms,
    parse_prefer,
    site_url,
    vocabulary_iri,
)

__all__ = [
    "ANNOTATION_MEDIA_TYPE",
    "ARCHIVE_TERMS",
    "MAX_NUMBER_DIGITS",
    "JsonLdError",
    "ParsedAnnotation",
    "Preference",
    "account_iri",
    "annotation_context",
    "annotation_iri",
    "annotation_to_jsonld",
    "archive_terms",
    "collection_to_jsonld",
    "holds_many",
    "load_json",
    "page_to_jsonld",
    "parse_annotation",
    "parse_many",
    "parse_prefer",
    "site_url",
    "vocabulary_iri",
]
