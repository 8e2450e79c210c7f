"""Changed and orphaned notes in the reading view: both wordings shown, the author's choices."""

import pytest

from documents.annotations import services, text_changes
from documents.annotations.writes import Target
from documents.models import Annotation
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

TEXT = "The delicate mosaic may be shattered.\n\nWe reaffirm our strong support."


@pytest.fixture
def document():
    return DocumentFactory(slug="mosaic", text=TEXT)


@pytest.fixture
def changed(document, user):
    annotation = services.create_annotation(
        author=user,
        document=document,
        target=Target(exact="delicate mosaic may be shattered"),
        comment="A striking image.",
        visibility="public",
    )
    document.text = TEXT.replace("may", "might")
    text_changes.save_document(document)
    return annotation


def test_the_author_reads_both_wordings_and_the_revision_quoted(client, user, changed):
    client.force_login(user)

    page = client.get("/documents/mosaic/").content.decode()

    entry = page[page.index(f'id="annotation-{changed.pk}"') :]
    assert "You quoted" in entry
    assert "<p>delicate mosaic may be shattered</p>" in entry
    assert "the text now reads" in entry
    assert "<p>delicate mosaic might be shattered</p>" in entry
    assert 'href="/documents/mosaic/revisions/1/">Quoted from revision 1</a>' in entry
    assert "Accept the new wording" in entry


def test_other_readers_see_both_wordings_but_no_choices(client, changed):
    page = client.get("/documents/mosaic/").content.decode()

    entry = page[page.index(f'id="annotation-{changed.pk}"') :]
    assert "The author quoted" in entry
    assert "<p>delicate mosaic may be shattered</p>" in entry
    assert "Accept the new wording" not in page


def test_the_author_accepts_the_new_wording(client, user, changed):
    client.force_login(user)

    response = client.post(f"/annotations/{changed.pk}/quote/", {"accept": "1"})

    changed.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == f"/documents/mosaic/#annotation-{changed.pk}"
    assert (changed.anchor, changed.original_exact) == ("anchored", "")


def test_the_author_reattaches_an_orphan_to_new_words(client, user, document):
    orphan = services.create_annotation(author=user, document=document, target=Target(exact="strong support"))
    document.text = "The delicate mosaic may be shattered."
    text_changes.save_document(document)
    client.force_login(user)
    page = client.get("/documents/mosaic/").content.decode()
    assert "Quoted from revision 1" in page[page.index("Orphaned annotations") :]

    client.post(f"/annotations/{orphan.pk}/quote/", {"exact": "delicate mosaic"})

    orphan.refresh_from_db()
    assert (orphan.anchor, orphan.exact, orphan.start) == ("anchored", "delicate mosaic", 4)


def test_words_not_in_the_text_are_refused_with_the_reason(client, user, changed):
    client.force_login(user)

    response = client.post(f"/annotations/{changed.pk}/quote/", {"exact": "no such words"})

    changed.refresh_from_db()
    assert response.status_code == 400
    assert "does not occur in this document" in response.content.decode()
    assert changed.anchor == Annotation.Anchor.CHANGED


def test_only_the_author_may_answer(client, other_user, changed):
    client.force_login(other_user)

    assert client.post(f"/annotations/{changed.pk}/quote/", {"accept": "1"}).status_code == 404


def test_typing_the_words_the_text_now_reads_takes_them(client, user, changed):
    client.force_login(user)

    client.post(f"/annotations/{changed.pk}/quote/", {"exact": "delicate mosaic might be shattered"})

    changed.refresh_from_db()
    assert (changed.anchor, changed.original_exact) == ("anchored", "")
