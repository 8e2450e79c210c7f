"""Facets: how many of a search's candidates carry each type, collection, tag, creator and decade.

The counts are over the candidates ``ranking`` read, which are visible hits only, so a private
note's tags count for no one else (docs/search.md, "How search works"); one query whatever the
number of hits, which also reads the tag names of the notes shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from taggit.models import Tag

from documents.annotations.models import Annotation, TaggedAnnotation
from documents.archive.models import Collection, Document, TaggedDocument
from documents.search.backends.base import fetch
from documents.search.ranking import Candidates

FACET_SIZE = 10


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


def facets_of(backend, documents: Candidates, notes: Candidates) -> tuple[dict[str, list[FacetValue]], dict]:
    """Counts per facet value over the candidates, which are visible hits only (docs/search.md, "How search
    works"),
    and the tag names of the page's notes by key.

    Type, creator and decade count the matching documents, from the fields
    the candidates query read; collection counts them through their
    collections; tag counts the matching documents and notes carrying each
    tag. One query, whatever the number of hits, which also reads the tags of
    the notes shown; the keys go in as one parameter per group, not one per key.
    """
    types: dict[tuple, int] = {}
    creators: dict[tuple, int] = {}
    decades: dict[str, int] = {}
    for type_, creator, day in documents.fields.values():
        types[(type_,)] = types.get((type_,), 0) + 1
        if creator:
            creators[(creator,)] = creators.get((creator,), 0) + 1
        if day:
            decade = str(int(str(day)[:4]) // 10 * 10)
            decades[decade] = decades.get(decade, 0) + 1
    through = Collection.documents.through._meta
    document_type = Document._meta.pk.db_type(connection)
    note_type = Annotation._meta.pk.db_type(connection)
    tagged_note = TaggedAnnotation._meta.db_table
    in_collections, collection_params = backend.rows_of(
        through.db_table, "document_id", documents.keys, document_type
    )
    on_documents, document_params = backend.rows_of(
        TaggedDocument._meta.db_table, "content_object_id", documents.keys, document_type
    )
    on_notes, note_params = backend.rows_of(tagged_note, "content_object_id", notes.keys, note_type)
    on_shown, shown_params = backend.rows_of(tagged_note, "content_object_id", list(notes.shown), note_type)
    counted: dict[str, dict[tuple, int]] = {"collection": {}, "tag": {}}
    tags: dict = {}
    key = Annotation._meta.pk.to_python
    for facet, slug, label, n in fetch(
        f"""SELECT 'collection', k.slug, k.title, COUNT(DISTINCT r.document_id)
            FROM {in_collections} JOIN {Collection._meta.db_table} k ON k.id = r.collection_id
            GROUP BY k.slug, k.title
            UNION ALL
            SELECT 'tag', t.slug, t.name, COUNT(*) FROM (
                SELECT r.tag_id FROM {on_documents} UNION ALL SELECT r.tag_id FROM {on_notes}
            ) carried JOIN {Tag._meta.db_table} t ON t.id = carried.tag_id
            WHERE t.slug <> '' GROUP BY t.slug, t.name
            UNION ALL
            SELECT 'note', CAST(r.content_object_id AS TEXT), t.name, 0
            FROM {on_shown} JOIN {Tag._meta.db_table} t ON t.id = r.tag_id""",
        [*collection_params, *document_params, *note_params, *shown_params],
    ):
        if facet == "note":
            tags.setdefault(key(slug), []).append(label)
        else:
            counted[facet][(slug, label)] = n
    collections, tag_counts = counted["collection"], counted["tag"]
    facets = {
        "type": _top(types, dict(Document.Type.choices)),
        "collection": _top(collections, None),
        "tag": _top(tag_counts, None),
        "creator": _top(creators, None),
        "decade": sorted(
            (FacetValue(value=key, label=f"{key}s", count=n) for key, n in decades.items()),
            key=lambda facet: facet.value,
        ),
    }
    return facets, tags


def _top(counts: dict[tuple, int], labels: dict | None) -> list[FacetValue]:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], str(item[0][-1]).casefold()))
    return [
        FacetValue(
            value=key[0],
            label=(labels or {}).get(key[0], key[-1]) if labels else key[-1],
            count=n,
        )
        for key, n in ordered[:FACET_SIZE]
    ]
