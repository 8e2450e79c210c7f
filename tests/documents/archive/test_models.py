"""Single-object behaviour of the models."""

import pytest

from documents.models import Document, UnrecordedTextChange
from tests.factories import CollectionFactory, DocumentFactory

pytestmark = pytest.mark.django_db


def test_a_plain_save_of_new_text_is_refused_so_no_annotation_is_left_behind():
    document = DocumentFactory(text="One.")

    document.text = "One, edited."
    with pytest.raises(UnrecordedTextChange):
        document.save()

    assert Document.objects.get(pk=document.pk).text == "One."


def test_a_plain_save_of_metadata_counts_no_revision():
    document = DocumentFactory(text="One.")

    document.title = "Renamed"
    document.save()

    assert Document.objects.get(pk=document.pk).revision == 1


def test_derived_text_follows_a_reload():
    document = DocumentFactory(text="Before.")
    assert document.canonical_text == "Before."
    Document.objects.filter(pk=document.pk).update(text="After.")

    document.refresh_from_db()

    assert document.canonical_text == "After."
    assert [p.text for p in document.passages] == ["After."]


def test_a_plain_save_stamps_no_publication():
    """Publication is stamped by services.set_document_status and save_document, never by save()."""
    document = DocumentFactory(status="draft")

    document.status = "published"
    document.save()

    assert Document.objects.get(pk=document.pk).published_at is None


def test_documents_sort_newest_first_by_default_with_undated_ones_last():
    undated = DocumentFactory(title="b", date=None)
    old = DocumentFactory(title="Old", date="1990-01-01")
    new = DocumentFactory(title="New", date="2000-01-01")
    same_day = DocumentFactory(title="a", date="2000-01-01")

    assert list(Document.objects.sorted_by()) == [same_day, new, old, undated]
    assert list(Document.objects.sorted_by("date")) == [old, same_day, new, undated]
    assert list(Document.objects.sorted_by("title")) == [same_day, undated, new, old]


def test_a_documents_labels_are_its_tags_by_name_and_its_collections_in_their_order():
    later = CollectionFactory(title="Archive B", order=2)
    first = CollectionFactory(title="Zeta papers", order=1)
    same_order = CollectionFactory(title="Alpha papers", order=2)
    CollectionFactory(title="Not this one")
    document = DocumentFactory(tags=["beta", "Alpha", "gamma"], collections=[later, first, same_order])
    DocumentFactory(tags=["delta"])

    tags, collections = document.labels()

    assert [(tag.name, tag.slug) for tag in tags] == [
        ("Alpha", "alpha"),
        ("beta", "beta"),
        ("gamma", "gamma"),
    ]
    assert [c.title for c in collections] == ["Zeta papers", "Alpha papers", "Archive B"]
    assert [c.get_absolute_url() for c in collections] == [
        first.get_absolute_url(),
        same_order.get_absolute_url(),
        later.get_absolute_url(),
    ]


def test_a_document_without_labels_has_none():
    assert DocumentFactory().labels() == ([], [])
