"""A changed or orphaned annotation's target carries a W3C TimeState naming the revision it quoted."""

import json

import pytest

from documents.annotations import services, text_changes
from documents.annotations.writes import Target
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

TEXT = "The delicate mosaic may be shattered.\n\nWe reaffirm our strong support."


@pytest.fixture
def document():
    return DocumentFactory(slug="mosaic", text=TEXT)


def edit(document, text):
    document.text = text
    text_changes.save_document(document)


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


def reselect(client, annotation, *, exact, start, end):
    """PUT the annotation back as the annotator's Re-attach to selection does: its bodies, new selectors."""
    url = f"/api/annotations/{annotation.pk}/"
    current = client.get(url)
    data = current.json()
    data["target"] = {
        "source": data["target"]["source"],
        "selector": [
            {"type": "TextQuoteSelector", "exact": exact},
            {"type": "TextPositionSelector", "start": start, "end": end},
        ],
    }
    return client.put(
        url, json.dumps(data), content_type="application/ld+json", headers={"If-Match": current["ETag"]}
    )


def test_an_orphan_put_on_new_words_is_anchored_there_without_state(client, document, user):
    annotation = note(document, user, "reaffirm our strong support")
    edit(document, "The delicate mosaic may be shattered.")
    client.force_login(user)

    response = reselect(client, annotation, exact="delicate mosaic", start=4, end=19)

    annotation.refresh_from_db()
    assert response.status_code == 200, response.json()
    assert (annotation.anchor, annotation.exact, annotation.start, annotation.end) == (
        "anchored",
        "delicate mosaic",
        4,
        19,
    )
    assert (annotation.original_exact, annotation.quoted_revision) == ("", None)
    assert annotation.revision == 2
    assert "state" not in target_of(client, annotation)


def test_a_changed_quote_put_on_new_words_is_no_longer_changed(client, document, user):
    annotation = note(document, user, "delicate mosaic may be shattered")
    edit(document, TEXT.replace("may", "might"))
    client.force_login(user)

    response = reselect(client, annotation, exact="mosaic might", start=13, end=25)

    annotation.refresh_from_db()
    assert response.status_code == 200, response.json()
    assert (annotation.anchor, annotation.exact, annotation.start) == ("anchored", "mosaic might", 13)
    assert (annotation.quote_changed, annotation.original_exact) == (False, "")
    assert "state" not in target_of(client, annotation)


def test_a_changed_quote_reselected_on_the_same_words_takes_them(client, document, user):
    annotation = note(document, user, "delicate mosaic may be shattered")
    edit(document, TEXT.replace("may", "might"))
    client.force_login(user)

    response = reselect(client, annotation, exact="delicate mosaic might be shattered", start=4, end=38)

    annotation.refresh_from_db()
    assert response.status_code == 200, response.json()
    assert (annotation.quote_changed, annotation.original_exact) == (False, "")
    assert "state" not in target_of(client, annotation)


def test_an_edit_that_echoes_a_changed_quotes_target_keeps_it_changed(client, document, user):
    annotation = note(document, user, "delicate mosaic may be shattered")
    edit(document, TEXT.replace("may", "might"))
    client.force_login(user)
    url = f"/api/annotations/{annotation.pk}/"
    current = client.get(url)
    data = current.json()
    data["body"] = [{"type": "TextualBody", "value": "Better.", "purpose": "commenting"}]

    response = client.put(
        url, json.dumps(data), content_type="application/ld+json", headers={"If-Match": current["ETag"]}
    )

    annotation.refresh_from_db()
    assert response.status_code == 200, response.json()
    assert (annotation.comment, annotation.quote_changed) == ("Better.", True)
    assert annotation.original_exact == "delicate mosaic may be shattered"
