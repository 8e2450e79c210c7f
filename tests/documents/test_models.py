"""Single-object behaviour of the models."""

import pytest

from documents.models import Document
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def test_revision_counts_text_changes_only():
    document = DocumentFactory(text="One.")

    document.title = "Renamed"
    document.save()
    document.text = "One, edited."
    document.save()

    assert Document.objects.get(pk=document.pk).revision == 2


def test_derived_text_follows_a_reload():
    document = DocumentFactory(text="Before.")
    assert document.canonical_text == "Before."
    Document.objects.filter(pk=document.pk).update(text="After.")

    document.refresh_from_db()

    assert document.canonical_text == "After."
    assert [p.text for p in document.passages] == ["After."]


def test_publishing_stamps_the_first_publication_once():
    document = DocumentFactory(status="draft")
    assert document.published_at is None

    document.status = "published"
    document.save()
    first = document.published_at
    document.status = "draft"
    document.save()
    document.status = "published"
    document.save()

    assert first is not None
    assert document.published_at == first


def test_documents_sort_newest_first_by_default_with_undated_ones_last():
    undated = DocumentFactory(title="b", date=None)
    old = DocumentFactory(title="Old", date="1990-01-01")
    new = DocumentFactory(title="New", date="2000-01-01")
    same_day = DocumentFactory(title="a", date="2000-01-01")

    assert list(Document.objects.sorted_by()) == [same_day, new, old, undated]
    assert list(Document.objects.sorted_by("date")) == [old, same_day, new, undated]
    assert list(Document.objects.sorted_by("title")) == [same_day, undated, new, old]
