"""How documents are listed: the orders a list can take by the documents' own fields.

``DocumentQuerySet.sorted_by`` (in ``models``) applies them; the list
page's form and the API name the orders by their keys.
"""

from __future__ import annotations

from django.db.models import F
from django.db.models.functions import Lower

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
