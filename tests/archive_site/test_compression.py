"""Responses that hold no secret are compressed; those with a CSRF token or private data are not (BREACH)."""

import gzip

import pytest
from django.urls import reverse

from documents.accounts.tokens import issue_token
from tests.factories import AnnotationFactory

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip"}


def test_the_anonymous_reading_view_is_compressed(client, document):
    AnnotationFactory(document=document, visibility="public", comment="A public note.")
    response = client.get(document.get_absolute_url(), **GZIP)

    assert response["Content-Encoding"] == "gzip"
    assert b"data-document-body" in gzip.decompress(response.content)


def test_the_anonymous_api_container_is_compressed(client, document):
    AnnotationFactory(document=document, visibility="public")
    response = client.get(reverse("api-document-annotations", args=[document.slug]), **GZIP)

    assert response["Content-Encoding"] == "gzip"


def test_a_logged_in_readers_page_is_not_compressed(client, document, user):
    client.force_login(user)
    response = client.get(document.get_absolute_url(), **GZIP)

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


def test_a_page_with_a_csrf_token_is_not_compressed(client):
    response = client.get(reverse("login"), **GZIP)

    assert b"csrfmiddlewaretoken" in response.content
    assert not response.has_header("Content-Encoding")


def test_an_answer_for_a_token_is_not_compressed(client, document, user):
    _, key = issue_token(user=user)
    response = client.get(
        reverse("api-document-annotations", args=[document.slug]), HTTP_AUTHORIZATION=f"Token {key}", **GZIP
    )

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


def test_a_kept_anonymous_page_is_served_compressed_or_plain_as_asked(client, document):
    AnnotationFactory(document=document, visibility="public", comment="A public note.")
    client.get(document.get_absolute_url())

    compressed = client.get(document.get_absolute_url(), **GZIP)
    plain = client.get(document.get_absolute_url())

    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content
    assert not plain.has_header("Content-Encoding")
    assert "Accept-Encoding" in compressed["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert client.get(document.get_absolute_url(), HTTP_IF_NONE_MATCH=compressed["ETag"]).status_code == 304


@pytest.mark.parametrize(
    "url",
    [
        lambda note: reverse("api-document-annotations", args=[note.document.slug]),
        lambda note: reverse("api-document-annotations", args=[note.document.slug]) + "?page=0",
        lambda note: reverse("api-annotation-detail", args=[note.pk]),
    ],
    ids=["container", "container page", "one annotation"],
)
def test_a_kept_api_answer_is_compressed_once_and_served_compressed_or_plain_as_asked(client, document, url):
    note = AnnotationFactory(document=document, visibility="public", comment="A public note. " * 20)
    address = url(note)
    first = client.get(address, **GZIP)  # serialised, compressed and kept

    compressed = client.get(address, **GZIP)  # the kept copy, compressed when it was kept
    plain = client.get(address)

    assert first["Content-Encoding"] == compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == gzip.decompress(first.content) == plain.content
    assert compressed["Content-Length"] == str(len(compressed.content))
    assert not plain.has_header("Content-Encoding")
    assert "Accept-Encoding" in compressed["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert compressed["ETag"] == "W/" + plain["ETag"]
    assert client.get(address, HTTP_IF_NONE_MATCH=compressed["ETag"], **GZIP).status_code == 304


def test_a_kept_api_answer_for_a_logged_in_reader_is_not_compressed(client, document, user):
    AnnotationFactory(document=document, visibility="public", comment="A public note. " * 20)
    client.force_login(user)
    address = reverse("api-document-annotations", args=[document.slug])
    client.get(address, **GZIP)

    response = client.get(address, **GZIP)

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert "private" in response["Cache-Control"]
