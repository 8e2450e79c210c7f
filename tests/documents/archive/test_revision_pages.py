"""The public history of a text: /documents/<slug>/revisions/ and /documents/<slug>/revisions/<n>/."""

import pytest
from django.urls import reverse

from documents.annotations import text_changes
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

TEXT = "# Heading\n\nThe delicate mosaic may be shattered."


@pytest.fixture
def edited(curator):
    document = DocumentFactory(slug="mosaic", text=TEXT)
    document.text = TEXT.replace("may", "might")
    text_changes.save_document(document, by=curator, summary="Corrected against the source.")
    return document


def test_the_history_lists_each_revision_with_its_summary(client, edited):
    page = client.get("/documents/mosaic/revisions/").content.decode()

    assert "Revision 2</a> (current)" in page
    assert "Corrected against the source." in page
    assert "Revision 1</a>" in page
    assert 'href="/documents/mosaic/revisions/2/?from=1"' in page


def test_a_revision_reads_as_it_was_with_a_link_to_its_diff(client, edited):
    page = client.get("/documents/mosaic/revisions/1/").content.decode()

    assert "The delicate mosaic may be shattered." in page
    assert "This is an earlier text" in page
    assert "data-document-body" not in page


def test_the_diff_marks_words_with_elements_and_text_labels(client, edited):
    page = client.get("/documents/mosaic/revisions/2/?from=1").content.decode()

    assert "Changes from revision 1 to revision 2" in page
    assert (
        '<del><span class="visually-hidden">[removed: </span>may<span class="visually-hidden">]</span></del>'
        in page
    )
    assert (
        '<ins><span class="visually-hidden">[added: </span>might<span class="visually-hidden">]</span></ins>'
        in page
    )


@pytest.mark.parametrize("path", ["/documents/mosaic/revisions/9/", "/documents/mosaic/revisions/2/?from=x"])
def test_an_unknown_revision_is_404(client, edited, path):
    assert client.get(path).status_code == 404


def test_a_drafts_history_is_404_for_readers_and_shown_to_curators(client, curator):
    DocumentFactory(slug="draft-doc", status="draft")

    assert client.get("/documents/draft-doc/revisions/").status_code == 404
    client.force_login(curator)
    assert client.get("/documents/draft-doc/revisions/1/").status_code == 200


def test_the_reading_view_links_to_the_history(client, edited):
    page = client.get(reverse("document-detail", args=["mosaic"])).content.decode()

    assert 'href="/documents/mosaic/revisions/"' in page


def test_the_diff_page_names_its_changes_once(client, edited):
    page = client.get("/documents/mosaic/revisions/2/?from=1").content.decode()

    assert page.count("Changes from revision 1") == 1
    assert '<h2 id="changes-heading">Changes from revision 1 to revision 2</h2>' in page
    assert 'aria-labelledby="changes-heading"' in page
