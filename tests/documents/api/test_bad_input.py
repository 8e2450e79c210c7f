"""Bad input to the annotation API is a 400 (or 413) problem naming what is wrong, never a 500."""

import json

import pytest
from django.urls import reverse

from documents.accounts.tokens import issue_token
from documents.annotations import rules as annotation_rules
from documents.models import Annotation
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

ANNO = "http://www.w3.org/ns/anno.jsonld"
BASE = "http://testserver"
PROBLEM = "application/problem+json"


@pytest.fixture(params=["all", "document"])
def container(request, document):
    if request.param == "all":
        return reverse("api-annotation-list")
    return reverse("api-document-annotations", args=[document.slug])


@pytest.fixture
def token_headers(user):
    _, key = issue_token(user=user)
    return {"Authorization": f"Token {key}"}


def item(document, **extra):
    return {
        "@context": ANNO,
        "type": "Annotation",
        "bodyValue": "A note.",
        "target": {
            "source": BASE + document.get_absolute_url(),
            "selector": {"type": "TextQuoteSelector", "exact": "The first passage"},
        },
        **extra,
    }


def assert_problem(response, status_code, field=""):
    assert response.status_code == status_code, response.content[:300]
    assert response["Content-Type"] == PROBLEM
    data = response.json()
    assert data["status"] == status_code
    assert data["detail"]
    if field:
        assert data["field"] == field
    return data


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("page", "²"),
        ("page", "\u0661"),
        ("page", "-1"),
        ("page_size", "²"),
        ("page_size", "\u0663"),
        ("page_size", "0"),
        ("since", "2026-02-30"),
        ("since", "2026-13-01"),
        ("since", "2026-01-01T25:00:00"),
        ("since", "0000-01-01"),
        ("since", "9999-12-31T23:59:59-23:59"),
        ("since", "0001-01-01T00:00:00+23:00"),
    ],
)
def test_a_query_parameter_that_is_not_a_number_or_date_is_a_400_naming_it(client, container, name, value):
    data = assert_problem(client.get(container, {name: value}), 400, field=name)

    assert value in data["detail"] or name in data["detail"]


@pytest.mark.parametrize("endpoint", ["annotations", "documents"])
def test_page_size_is_read_by_one_rule_on_every_endpoint(client, document, endpoint):
    url = reverse("api-annotation-list" if endpoint == "annotations" else "api-document-list")

    assert client.get(url, {"page_size": "1"}).status_code == 200
    assert client.get(url, {"page_size": "100000"}).status_code == 200
    for bad in ("0", "²", "-3", "1.5"):
        assert_problem(client.get(url, {"page_size": bad}), 400, field="page_size")


def test_since_accepts_dates_and_times_with_a_zone(client, container):
    for value in ("2026-01-31", "2026-01-31T12:00:00Z", "2026-01-31T12:00:00+02:00"):
        assert client.get(container, {"since": value}).status_code == 200


def test_deeply_nested_json_is_a_400_problem(client, container, token_headers):
    body = "[" * 100_000 + "]" * 100_000

    response = client.post(container, body, content_type="application/ld+json", headers=token_headers)

    data = assert_problem(response, 400)
    assert "nested too deeply" in data["detail"]


def test_an_import_dated_beyond_what_a_time_zone_can_convert_is_stored_undated(
    client, document, token_headers
):
    old = item(document, created="0001-01-01T00:00:00+23:00", id="urn:example:old")

    response = client.post(
        reverse("api-annotation-list"),
        json.dumps([old]),
        content_type="application/ld+json",
        headers=token_headers,
    )

    assert response.status_code == 200, response.content[:300]
    assert response.json()["imported"] == 1
    assert Annotation.objects.get(via="urn:example:old").created.year >= 2026


@pytest.mark.parametrize("auth", ["token", "session"])
def test_an_import_between_2_5_and_5_mb_is_accepted(client, document, user, token_headers, auth):
    headers = token_headers if auth == "token" else {}
    if auth == "session":
        client.force_login(user)
    note = "x" * 9_000
    items = [item(document, bodyValue=note, id=f"urn:example:{n}") for n in range(330)]
    body = json.dumps(items)
    assert 2.5 * 1024 * 1024 < len(body) < annotation_rules.MAX_IMPORT_BYTES

    response = client.post(
        reverse("api-annotation-list"), body, content_type="application/ld+json", headers=headers
    )

    assert response.status_code == 200, response.content[:300]
    assert response.json()["imported"] == 330


def test_an_import_over_5_mb_is_a_413_problem(client, document, token_headers):
    body = json.dumps([item(document)]) + " " * annotation_rules.MAX_IMPORT_BYTES

    response = client.post(
        reverse("api-annotation-list"), body, content_type="application/ld+json", headers=token_headers
    )

    data = assert_problem(response, 413)
    assert "5 MB" in data["detail"]
    assert not Annotation.objects.exists()


def test_the_document_list_filters_refuse_a_nul_character(client):
    DocumentFactory()

    assert_problem(client.get(reverse("api-document-list"), {"tag": "a\x00b"}), 400)


@pytest.mark.parametrize("value", ["²", "\u0661", "0", "-1", "last-but-one"])
def test_the_document_list_reads_page_by_the_same_rule(client, document, value):
    assert_problem(client.get(reverse("api-document-list"), {"page": value}), 400, field="page")


def test_the_document_list_still_answers_404_past_its_last_page(client, document):
    assert_problem(client.get(reverse("api-document-list"), {"page": "9"}), 404)
