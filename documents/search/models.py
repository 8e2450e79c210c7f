"""The search index: one row per document, passage and annotation, kept by ``documents.search.index``."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from documents.annotations.models import Annotation
from documents.archive.models import Document

"""The orders a list of documents can take, by the name the list page and the API use for each.

Documents without a date come last either way, and ties fall back to the title
and then the key, so a page boundary never splits or repeats a document.
"""


# --- Reading groups (docs/reading-and-annotating.md, "Groups")
# ---------------------------------------------------------------


class SearchEntry(models.Model):
    """One row of the search index (docs/search.md, "How search works"): a document's metadata, one passage,
    or one annotation.

    Written only by ``documents.search.index``, from the services, inside the
    transactions of the writes it mirrors; never read directly by pages,
    which ask ``documents.search.query`` and so get only what ``visible_to`` allows.
    SQLite mirrors these rows into an FTS5 table by triggers; PostgreSQL keeps
    ``vector``, a GIN-indexed ``tsvector`` built with ``config``, the text
    search configuration of the document's language (both made in migration 0005).
    """

    class Kind(models.TextChoices):
        DOCUMENT = "document", "Document"
        PASSAGE = "passage", "Passage"
        ANNOTATION = "annotation", "Annotation"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    annotation = models.ForeignKey(Annotation, null=True, on_delete=models.CASCADE, related_name="+")
    passage = models.PositiveIntegerField(null=True)
    config = models.CharField(max_length=20, default="simple")
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    extra = models.TextField(blank=True)
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        indexes = [models.Index(fields=["document", "kind"])]

    def __str__(self):
        return f"{self.kind} {self.document_id} {self.passage or self.annotation_id or ''}".strip()
