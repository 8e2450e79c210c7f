"""What an annotation import keeps of an item beyond what the JSON-LD parser reads.

The parser ignores ``creator``, ``created`` and ``modified``, because a client may not say who
wrote a new note or when; an import is the one place they are kept: to tell the importer's own
notes from copies of others' (docs/reading-and-annotating.md, "Exports and imports"), and to
keep the original dates. Also here: how an item is named in the import's report.
"""

from __future__ import annotations

from datetime import UTC

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from documents.annotations.models import Annotation
from documents.annotations.rules import OriginalCreator

_IRI_LENGTH = Annotation._meta.get_field("creator_iri").max_length
_NAME_LENGTH = Annotation._meta.get_field("creator_name").max_length


def label(index: int, original_id: str) -> str:
    """An item as a person counts it, from 1, with its own id when it has one."""
    return f"item {index + 1} ({original_id})" if original_id else f"item {index + 1}"


def printable(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode()


def raw_id(item: object) -> str:
    """An unparsable item's ``id`` for the report, cut short so a huge one cannot flood it."""
    value = item.get("id") if isinstance(item, dict) else None
    if not isinstance(value, str):
        return ""
    limit = Annotation._meta.get_field("via").max_length
    return value if len(value) <= limit else value[: limit - 1] + "…"


def raw_creator(item: dict) -> OriginalCreator:
    """The item's W3C ``creator`` (an IRI, or a Person with ``id`` and ``nickname`` or ``name``; of
    several, the first), as far as it can be kept; blank parts for what it does not say.

    The JSON-LD parser ignores ``creator``, because a client's own notes are theirs; an
    import keeps it to tell the importer's notes from copies of others'.
    """
    value = item.get("creator")
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, str):
        value = {"id": value}
    if not isinstance(value, dict):
        return OriginalCreator()
    iri, name = value.get("id"), value.get("nickname") or value.get("name")
    iri = (
        iri if isinstance(iri, str) and len(iri) <= _IRI_LENGTH and not any(c.isspace() for c in iri) else ""
    )
    name = " ".join(name.split())[:_NAME_LENGTH] if isinstance(name, str) else ""
    return OriginalCreator(name=name, iri=iri)


def raw_date(item: object, key: str):
    """The item's ``created`` (or ``modified``) when it is a valid date-time with a time zone, not in
    the future.

    The JSON-LD parser ignores these, because a client may not date a new
    annotation; an import is the one place where the original dates are kept.
    """
    value = item.get(key) if isinstance(item, dict) else None
    if not isinstance(value, str):
        return None
    try:
        moment = parse_datetime(value)
        if moment is None or timezone.is_naive(moment) or moment > timezone.now():
            return None
        moment.astimezone(UTC)
    except (ValueError, OverflowError):
        # Impossible dates, and "0001-01-01T00:00:00+23:00", which is before year 1 in UTC.
        return None
    return moment
