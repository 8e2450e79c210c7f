"""The reading view of a much-annotated document stays light: the panel is paged, every
highlight is still drawn from a compact list, and the page reads without JavaScript."""

import gzip
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.annotations.panel import PAGE_SIZE
from documents.models import Annotation, Document
from tests.factories import AnnotationFactory, DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSAGE = "The delegates met again in the long room, and the clerk read the motion aloud once more. " * 4
TEXT = "\n\n".join(f"{PASSAGE}Passage {n}." for n in range(300))


def annotate(document: Document, count: int) -> None:
    """``count`` public notes, written in bulk (the services' rules are not what this tests)."""
    authors = UserFactory.create_batch(10)
    text = document.canonical_text
    notes = []
    for n in range(count):
        start = (n * 97) % (len(text) - 40)
        notes.append(
            Annotation(
                document=document,
                author=authors[n % 10],
                visibility="public",
                motivation="commenting",
                start=start,
                end=start + 30,
                exact=text[start : start + 30],
                revision=document.revision,
                comment=f"Note number {n}, with a few words of comment.",
                comment_html=f"<p>Note number {n}, with a few words of comment.</p>",
            )
        )
    Annotation.objects.bulk_create(notes)
    Document.objects.filter(pk=document.pk).bump_annotations_version()


def highlights(html: str) -> list:
    found = re.search(r'<script id="annotation-highlights" type="application/json">(.*?)</script>', html)
    return json.loads(found.group(1))


def test_a_thousand_notes_transfer_in_at_most_300_kb(client):
    document = DocumentFactory(text=TEXT)
    annotate(document, 1000)

    response = client.get(document.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")

    assert len(response.content) <= 300_000
    html = gzip.decompress(response.content).decode()
    assert len(re.findall(r'<article class="annotation[" ]', html)) == PAGE_SIZE
    assert len(highlights(html)) == 1000


def test_the_panel_pages_are_linked_and_read_without_javascript(client):
    document = DocumentFactory(text=TEXT)
    annotate(document, PAGE_SIZE + 5)

    first = client.get(document.get_absolute_url()).content.decode()
    assert 'href="?page=2#annotations" rel="next">More annotations</a>' in first
    second = client.get(document.get_absolute_url(), {"page": "2"}).content.decode()

    assert len(re.findall(r'<article class="annotation[" ]', second)) == 5
    assert 'rel="prev">Previous annotations</a>' in second
    assert len(highlights(second)) == PAGE_SIZE + 5


@pytest.mark.parametrize("page", ["0", "99", "x", "-1"])
def test_a_page_out_of_range_shows_the_nearest(client, page):
    document = DocumentFactory(text=TEXT)
    annotate(document, 3)

    response = client.get(document.get_absolute_url(), {"page": page})

    assert response.status_code == 200
    assert len(re.findall(r'<article class="annotation[" ]', response.content.decode())) == 3


def test_a_scholars_page_with_a_thousand_notes_and_twenty_private_ones_weighs_at_most_300_kb(client):
    """A logged-in reader's page is sent uncompressed (it holds a CSRF token and private notes,
    docs/performance.md, "Reading at scale"), so its weight is the panel's page size and the compact
    highlights."""
    document = DocumentFactory(text=TEXT)
    annotate(document, 1000)
    scholar = UserFactory()
    for n in range(20):
        AnnotationFactory(
            document=document, author=scholar, comment=f"My private note {n}.", start=n, end=n + 9
        )
    Document.objects.filter(pk=document.pk).bump_annotations_version()
    client.force_login(scholar)

    response = client.get(document.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")

    assert not response.has_header("Content-Encoding")
    assert len(response.content) <= 300_000
    assert len(highlights(response.content.decode())) == 1020


def test_ten_thousand_notes_still_answer_with_every_highlight(client, django_assert_num_queries):
    few = DocumentFactory(text=TEXT)
    annotate(few, 3)
    with CaptureQueriesContext(connection) as baseline:
        client.get(few.get_absolute_url())
    document = DocumentFactory(text=TEXT)
    annotate(document, 10_000)

    with django_assert_num_queries(len(baseline)):
        response = client.get(document.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert len(highlights(html)) == 10_000
    assert len(re.findall(r'<article class="annotation[" ]', html)) == PAGE_SIZE


def test_a_permalink_opens_the_panel_page_its_thread_is_on(client):
    document = DocumentFactory(text=TEXT)
    annotate(document, PAGE_SIZE + 5)
    last = Annotation.objects.filter(document=document).order_by("-start", "-created").first()
    first = Annotation.objects.filter(document=document).order_by("start", "created").first()

    assert client.get(reverse("annotation-detail", args=[last.pk]))["Location"] == (
        f"{document.get_absolute_url()}?page=2#annotation-{last.pk}"
    )
    assert client.get(reverse("annotation-detail", args=[first.pk]))["Location"] == (
        f"{document.get_absolute_url()}#annotation-{first.pk}"
    )
