"""Builders shared by the JSON-LD tests: the expected constants and minimal valid inputs."""

from datetime import UTC, datetime, timedelta, timezone

from documents.annotations import jsonld
from documents.annotations.jsonld import ParsedAnnotation
from documents.models import Annotation
from tests.factories import AnnotationFactory

BASE = "http://testserver"


ANNO = "http://www.w3.org/ns/anno.jsonld"


CONTEXT = [
    ANNO,
    {
        "visibility": "http://testserver/ns/archive#visibility",
        "group": {"@id": "http://testserver/ns/archive#group", "@type": "@id"},
        "hidden": "http://testserver/ns/archive#hidden",
        "hiddenReason": "http://testserver/ns/archive#hiddenReason",
        "importedBy": "http://testserver/ns/archive#importedBy",
    },
]


CREATED = datetime(2024, 3, 1, 13, 0, tzinfo=timezone(timedelta(hours=1)))


MODIFIED = datetime(2024, 3, 2, 8, 30, 15, 123456, tzinfo=UTC)


DOCUMENT_URL = "http://testserver/documents/gettysburg/"


def reply_to(parent, **kwargs):
    return AnnotationFactory(
        document=parent.document,
        parent=parent,
        root=parent.root or parent,
        visibility=parent.visibility,
        motivation=Annotation.Motivation.REPLYING,
        exact="",
        prefix="",
        suffix="",
        start=None,
        end=None,
        **kwargs,
    )


def iri(annotation) -> str:
    return f"http://testserver/api/annotations/{annotation.pk}/"


def page_url(number: int) -> str:
    return f"http://testserver/api/annotations/?page={number}"


def described(annotation) -> dict:
    data = jsonld.annotation_to_jsonld(annotation, base_url=BASE)
    del data["@context"]
    return data


CONTAINER_CONTEXT = [*CONTEXT, "http://www.w3.org/ns/ldp.jsonld"]


def quote_selector(exact="The first passage", prefix="A heading\n\n", suffix=".\n\nA quotation"):
    return {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix}


def position_selector(start=11, end=28):
    return {"type": "TextPositionSelector", "start": start, "end": end}


def annotation(**fields) -> dict:
    """A valid comment on “The first passage”; keyword arguments replace or (with None) drop keys."""
    data = {
        "@context": ANNO,
        "type": "Annotation",
        "body": [
            {"type": "TextualBody", "value": "A note.", "purpose": "commenting", "format": "text/markdown"}
        ],
        "target": {"source": DOCUMENT_URL, "selector": [quote_selector(), position_selector()]},
    }
    for key, value in fields.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def parse(data) -> ParsedAnnotation:
    return jsonld.parse_annotation(data, base_url=BASE)


def with_selectors(*selectors):
    return {"target": {"source": DOCUMENT_URL, "selector": list(selectors)}}


def with_bodies(*bodies):
    return {"body": list(bodies)}


def comment(value, **extra):
    return {"type": "TextualBody", "value": value, "purpose": "commenting", **extra}


def tag(value):
    return {"type": "TextualBody", "value": value, "purpose": "tagging"}


def collection(items, preference, *, total=5, last_page=2):
    return jsonld.collection_to_jsonld(
        container_url="http://testserver/api/annotations/",
        label="Annotations in the archive",
        total=total,
        page_url=page_url,
        last_page=last_page,
        first_items=items,
        preference=preference,
        base_url=BASE,
    )
