"""The comment editor's preview: the server's sanitiser renders it, within the comment's limit."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from documents.annotations.rules import MAX_COMMENT_LENGTH
from documents.annotations.sanitise import render_markdown

pytestmark = pytest.mark.django_db

URL = reverse("comment-preview")


def test_the_preview_is_what_saving_stores(client, user):
    client.force_login(user)
    comment = "Note the *spacing* <script>alert(1)</script> [x](javascript:alert(1))"
    response = client.post(URL, {"comment": comment})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response.content.decode() == render_markdown(comment)
    assert "<em>spacing</em>" in response.content.decode()
    assert "<script" not in response.content.decode()
    assert 'href="javascript' not in response.content.decode()


def test_a_comment_over_the_limit_is_400_with_the_savings_message(client, user):
    client.force_login(user)
    response = client.post(URL, {"comment": "x" * (MAX_COMMENT_LENGTH + 1)})
    assert response.status_code == 400
    assert "the limit is 10,000" in response.content.decode()


def test_anonymous_readers_cannot_preview(client):
    response = client.post(URL, {"comment": "*hi*"})
    assert response.status_code == 403
    assert response.content.decode() == "Log in to preview a comment."


def test_the_preview_answers_post_only(client, user):
    client.force_login(user)
    assert client.get(URL, {"comment": "*hi*"}).status_code == 405


def test_the_preview_needs_the_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(URL, {"comment": "*hi*"}).status_code == 403
