"""A changed or orphaned annotation's target carries a W3C TimeState naming the revision it quoted."""

import pytest

from documents import services
from documents.services import Target
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

TEXT = "The delicate mosaic may be shattered.\n\nWe reaffirm our strong support."


@pytest.fixture
def document():
    return DocumentFactory(slug="mosaic", text=TEXT)


def edit(document, text):
    document.text = text
    services.save_document(document)


def target_of(client, annotation):
    return client.get(f"/api/annotations/{annotation.pk}/").json()["target"]


def note(document, user, quote):
    return services.create_annotation(
        author=user, document=document, target=Target(exact=quote), visibility="public", comment="Note"
    )


def test_a_changed_quote_names_the_revision_it_was_made_on(client, document, user):
    annotation = note(document, user, "delicate mosaic may be shattered")
    edit(document, TEXT.replace("may", "might"))

    target = target_of(client, annotation)

    assert target["state"] == {
        "type": "TimeState",
        "cached": "http://testserver/documents/mosaic/revisions/1/",
    }
    assert target["selector"][0]["exact"] == "delicate mosaic might be shattered"
    assert target["selector"][1] == {"type": "TextPositionSelector", "start": 4, "end": 38}


def test_an_orphan_names_its_revision_and_keeps_its_selectors_there(client, document, user):
    annotation = note(document, user, "reaffirm our strong support")
    edit(document, "The delicate mosaic may be shattered.")

    target = target_of(client, annotation)

    assert target["state"] == {
        "type": "TimeState",
        "cached": "http://testserver/documents/mosaic/revisions/1/",
    }
    assert target["selector"][0]["exact"] == "reaffirm our strong support"


def test_an_unchanged_or_moved_quote_has_no_state(client, document, user):
    annotation = note(document, user, "reaffirm our strong support")
    edit(document, "A new opening.\n\n" + TEXT)

    assert "state" not in target_of(client, annotation)
