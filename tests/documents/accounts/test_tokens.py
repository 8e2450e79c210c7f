"""Personal API tokens: created and shown once, stored hashed, used by scripts, revoked."""

import json
import re

import pytest
from django.urls import reverse

from documents.accounts.tokens import issue_token
from documents.models import Annotation, ApiToken
from tests.factories import AnnotationFactory

pytestmark = pytest.mark.django_db

ANNO = "http://www.w3.org/ns/anno.jsonld"


def annotation_for(document):
    return {
        "@context": ANNO,
        "type": "Annotation",
        "bodyValue": "From a script",
        "target": {
            "source": "http://testserver" + document.get_absolute_url(),
            "selector": {"type": "TextQuoteSelector", "exact": "The first passage"},
        },
    }


def test_profile_creates_a_token_shows_it_once_and_stores_only_a_digest(client, user):
    client.force_login(user)

    response = client.post(reverse("token-create"), {"name": "laptop"})

    key = re.search(r'id="token-key"[^>]*value="([^"]+)"', response.content.decode()).group(1)
    token = ApiToken.objects.get(user=user)
    assert "no-store" in response["Cache-Control"]
    assert token.digest == ApiToken.digest_of(key)
    assert key not in {token.digest, token.prefix, token.name}
    profile = client.get(reverse("profile")).content.decode()
    assert "laptop" in profile
    assert key not in profile


def test_a_script_with_a_token_creates_reads_and_deletes(client, user, document):
    _, key = issue_token(user=user)
    auth = {"Authorization": f"Token {key}"}

    created = client.post(
        reverse("api-annotation-list"),
        json.dumps(annotation_for(document)),
        content_type="application/ld+json",
        headers=auth,
    )
    url = created["Location"]
    read = client.get(url, headers=auth)
    deleted = client.delete(url, headers=auth | {"If-Match": read["ETag"]})

    assert created.status_code == 201
    assert Annotation.objects.filter(author=user).count() == 0
    assert (read.status_code, deleted.status_code) == (200, 204)


def test_token_writes_need_no_csrf_but_session_writes_do(user, document):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    _, key = issue_token(user=user)
    body = json.dumps(annotation_for(document))

    with_token = csrf_client.post(
        reverse("api-annotation-list"),
        body,
        content_type="application/json",
        headers={"Authorization": f"Token {key}"},
    )
    csrf_client.force_login(user)
    with_session = csrf_client.post(reverse("api-annotation-list"), body, content_type="application/json")

    assert with_token.status_code == 201
    assert with_session.status_code == 403
    assert "CSRF" in with_session.json()["detail"]


def test_a_revoked_token_no_longer_authenticates(client, user, document):
    token, key = issue_token(user=user)
    client.force_login(user)
    client.post(reverse("token-revoke", args=[token.pk]))
    client.logout()

    response = client.get(reverse("api-annotation-list"), headers={"Authorization": f"Token {key}"})

    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_another_users_token_sees_only_what_that_user_may_see(client, user, other_user, document):
    private = AnnotationFactory(document=document, author=user)
    _, key = issue_token(user=other_user)
    auth = {"Authorization": f"Token {key}"}
    url = reverse("api-annotation-detail", args=[private.pk])

    assert client.get(url, headers=auth).status_code == 404
    assert client.delete(url, headers=auth).status_code == 404
    assert client.get(reverse("api-annotation-list"), headers=auth).json()["total"] == 0


def test_nobody_revokes_another_users_token(client, user, other_user):
    token, _ = issue_token(user=user)
    client.force_login(other_user)

    response = client.post(reverse("token-revoke", args=[token.pk]))

    token.refresh_from_db()
    assert response.status_code == 404
    assert token.revoked_at is None


def test_malformed_authorization_header_is_a_clear_401(client):
    response = client.get(reverse("api-annotation-list"), headers={"Authorization": "Token a b"})

    assert response.status_code == 401
    assert "Token <key>" in response.json()["detail"]
