"""An import counts each note it stores against the write limits and the daily bound on stored
notes, in the API and the profile's form alike (docs/deployment.md, "Limits on abuse")."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from documents.models import Annotation
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

ANNO = "http://www.w3.org/ns/anno.jsonld"
BASE = "http://testserver"
WORDS = ["Alpha", "beta", "gamma", "delta", "second", "passage", "more", "words"]


@pytest.fixture(autouse=True)
def empty_cache(settings):
    settings.API_WRITE_RATE_USER = "5/min"
    settings.API_WRITE_RATE_ADDRESS = "100/min"
    settings.STORED_NOTES_RATE_USER = "100/day"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def doc():
    return DocumentFactory(
        slug="rome", text="Alpha beta gamma delta.\n\nA second passage, with more words in it."
    )


def items(document, count, *, start=0):
    return [
        {
            "@context": ANNO,
            "type": "Annotation",
            "bodyValue": f"Note {n}.",
            "target": {
                "source": f"{BASE}/documents/{document.slug}/",
                "selector": {"type": "TextQuoteSelector", "exact": word},
            },
        }
        for n, word in enumerate(WORDS[start : start + count], start=start)
    ]


def api_import(client, data):
    return client.post("/api/annotations/", json.dumps(data), content_type="application/ld+json")


def form_import(client, data):
    upload = SimpleUploadedFile("a.jsonld", json.dumps(data).encode(), content_type="application/ld+json")
    return client.post(reverse("my-annotations-import"), {"file": upload})


class TestTheWriteLimit:
    def test_an_import_larger_than_the_allowance_is_refused_whole(self, client, user, doc):
        client.force_login(user)

        response = api_import(client, items(doc, 6))

        assert response.status_code == 429
        assert response["Content-Type"] == "application/problem+json"
        assert int(response["Retry-After"]) > 0
        assert "5 changes a minute" in response.json()["detail"]
        assert "this would store 6 notes" in response.json()["detail"]
        assert not Annotation.objects.exists()

    def test_each_stored_note_is_one_write(self, client, user, doc):
        client.force_login(user)

        first = api_import(client, items(doc, 4))
        then = api_import(client, items(doc, 2, start=4))

        assert first.status_code == 200
        assert then.status_code == 429
        assert "1 remain now, and this would store 2 notes" in then.json()["detail"]
        assert Annotation.objects.count() == 4

    def test_items_not_stored_cost_nothing_beyond_the_request(self, client, user, doc):
        client.force_login(user)
        data = items(doc, 4)
        for item in data[1:]:
            item["target"]["selector"]["exact"] = "not in the text"

        first = api_import(client, data)
        then = api_import(client, items(doc, 4, start=4))

        assert (first.status_code, first.json()["imported"]) == (200, 1)
        assert then.status_code == 200

    def test_the_form_counts_the_same_writes(self, client, user, doc):
        client.force_login(user)
        api_import(client, items(doc, 3))

        response = form_import(client, items(doc, 3, start=3))

        assert response.status_code == 429
        assert int(response["Retry-After"]) > 0
        assert "this would store 3 notes" in response.content.decode()
        assert Annotation.objects.count() == 3
        assert form_import(client, items(doc, 2, start=3)).status_code == 200


class TestTheDailyBound:
    def test_notes_stored_in_a_day_are_bounded(self, client, user, doc, settings):
        settings.API_WRITE_RATE_USER = "100/min"
        settings.STORED_NOTES_RATE_USER = "6/day"
        client.force_login(user)

        first = api_import(client, items(doc, 4))
        refused = form_import(client, items(doc, 3, start=4))
        single = api_import(client, items(doc, 2, start=4))
        over = client.post(
            f"/api/documents/{doc.slug}/annotations/",
            json.dumps(items(doc, 1, start=6)[0]),
            content_type="application/ld+json",
        )

        assert first.status_code == 200
        assert refused.status_code == 429
        assert "at most 6 notes a day; 2 remain now" in refused.content.decode()
        assert single.status_code == 200
        assert over.status_code == 429
        assert Annotation.objects.count() == 6


def test_a_day_s_count_lasts_the_day_on_the_database_cache(client, user, doc, settings):
    """Django's database cache sets a counter's expiry to its default (five minutes) on each increment;
    a daily bound that forgot its count five minutes after the last note would bound nothing."""
    settings.STORED_NOTES_RATE_USER = "6/day"
    client.force_login(user)

    api_import(client, items(doc, 2))
    api_import(client, items(doc, 2, start=2))

    key = cache.make_key(f"rate-limit:notes-user:{user.pk}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM archive_cache WHERE cache_key = %s", [key])
        (expiry,) = cursor.fetchone()
    if isinstance(expiry, str):
        expiry = datetime.fromisoformat(expiry)
    expiry = expiry if timezone.is_aware(expiry) else expiry.replace(tzinfo=UTC)
    assert expiry > timezone.now() + timedelta(hours=23)
