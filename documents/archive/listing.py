"""How documents are listed: the orders a list can take by the documents' own fields, and
``Listed``, which lists a document's tags and collections as one text in the same query.

``DocumentQuerySet.sorted_by`` and ``with_labels_listed`` (in ``models``) compose them; the list
page's form and the API name the orders by their keys.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F
from django.db.models.functions import Cast, Concat, Lower

FIELD_SORTS = {
    "-date": lambda: (F("date").desc(nulls_last=True), Lower("title"), "pk"),
    "date": lambda: (F("date").asc(nulls_last=True), Lower("title"), "pk"),
    "title": lambda: (Lower("title"), "pk"),
}
"""The orders a list of documents can take by their own fields, by the name the list page and the
API use for each; the orders that count notes are the annotations' (``DOCUMENT_SORTS`` there).

Documents without a date come last either way, and ties fall back to the title
and then the key, so a page boundary never splits or repeats a document.
"""

NEWEST_FIRST = "-date"


class Listed(models.Aggregate):
    """A group's rows as one text, in no set order: fields between unit separators (U+001F), rows
    between record separators (U+001E). ``string_agg`` on PostgreSQL, ``group_concat`` on SQLite."""

    function = "STRING_AGG"
    output_field = models.TextField()

    def __init__(self, *fields: str):
        unit = models.Value("\x1f")
        parts = [part for field in fields for part in (Cast(field, models.TextField()), unit)][:-1]
        row = Concat(*parts, output_field=models.TextField()) if len(parts) > 1 else parts[0]
        super().__init__(row, models.Value("\x1e"))

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra)
