"""The one place a document's leaving or entering the published set is recorded (docs/interoperability.md,
"Harvesting (OAI-PMH)").

Harvesters copy published documents by their slug. When one leaves the published set (a curator
unpublishes it, deletes it, or changes the slug of a published document), a ``WithdrawnDocument``
keeps its slug and the collections it was in, so the harvesters learn it is gone; when a document is
published under that slug again, the record of its withdrawal goes.

Every write that publishes, unpublishes or deletes calls ``publication_changed`` in its own
transaction, with the document's row held: ``text_changes.save_document`` (the admin's form and
every importer), ``text_changes.set_document_status`` (the admin's Publish and Unpublish actions)
and ``delete_documents`` below (the admin's Delete, one or many).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from documents.archive.models import Document, WithdrawnDocument


def publication_changed(document: Document, *, was_published: bool, slug_before: str) -> None:
    """Record what a write did to ``document``'s place in the published set.

    ``was_published`` and ``slug_before`` describe the row as stored before the write, ``document``
    the row as written, its collections not yet changed (the admin saves them after the row). Call
    it in the write's transaction, the document's row held.
    """
    if was_published and not (document.is_published and document.slug == slug_before):
        _withdraw({slug_before: document.collections.values_list("slug", flat=True)})
    if document.is_published:
        WithdrawnDocument.objects.filter(slug=document.slug).delete()


def published_in_bulk(documents: list[Document]) -> None:
    """Documents made without ``save_document`` (the demo archive's bulk creation): the published ones'
    slugs are no longer withdrawn."""
    slugs = [document.slug for document in documents if document.is_published]
    WithdrawnDocument.objects.filter(slug__in=slugs).delete()


def delete_documents(documents: QuerySet[Document]) -> int:
    """Delete these documents (their notes and revisions with them), recording the published ones as
    withdrawn; the number deleted. Their rows are held first, in key order, as every write holds them."""
    with transaction.atomic():
        held = list(
            Document.objects.held()
            .filter(pk__in=documents.values("pk"))
            .order_by("pk")
            .only("pk", "slug", "status")
        )
        published = [document for document in held if document.is_published]
        memberships = Document.collections.through.objects.filter(document__in=published)
        collections: dict[str, list[str]] = {document.slug: [] for document in published}
        for slug, collection in memberships.values_list("document__slug", "collection__slug"):
            collections[slug].append(collection)
        _withdraw(collections)
        Document.objects.filter(pk__in=[document.pk for document in held]).delete()
    return len(held)


def _withdraw(collections: dict) -> None:
    """Record each slug as withdrawn now, with the slugs of the collections its document was in."""
    now = timezone.now()
    WithdrawnDocument.objects.filter(slug__in=list(collections)).delete()
    WithdrawnDocument.objects.bulk_create(
        [
            WithdrawnDocument(slug=slug, withdrawn=now, collections=WithdrawnDocument.spaced(sets))
            for slug, sets in collections.items()
        ],
        batch_size=500,
    )
