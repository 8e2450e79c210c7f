"""A response that depends on who asks is never stored by a shared cache.

A logged-in reader's pages hold their private notes; a shared cache (a proxy,
a CDN) that kept one would hand them to the next reader. Such responses are
``Cache-Control: private`` and vary on what identified the reader.
"""

import pytest
from django.urls import reverse
from django.utils.cache import get_max_age

from documents.accounts.tokens import issue_token
from tests.factories import AnnotationFactory

pytestmark = pytest.mark.django_db


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}


@pytest.fixture
def pages(document, user):
    AnnotationFactory(document=document, author=user, visibility="public", tags=["marker"])
    return {
        "home": reverse("home"),
        "reading view": document.get_absolute_url(),
        "tag page": reverse("tag-detail", args=["marker"]),
        "tag list": reverse("tag-list"),
        "document list": reverse("document-list"),
        "profile": reverse("profile"),
        "API container": reverse("api-annotation-list"),
    }


@pytest.mark.parametrize(
    "page", ["home", "reading view", "tag page", "tag list", "document list", "profile", "API container"]
)
def test_logged_in_pages_are_private_and_vary_on_the_cookie(client, user, pages, page):
    client.force_login(user)

    response = client.get(pages[page])

    assert response.status_code == 200
    assert "private" in cache_control(response) or "no-store" in cache_control(response)
    assert "public" not in cache_control(response)
    assert "cookie" in vary(response)


@pytest.mark.parametrize("page", ["home", "reading view", "tag page", "API container"])
def test_a_request_with_a_token_is_private_and_varies_on_authorization(client, user, pages, page):
    _, key = issue_token(user=user)

    response = client.get(pages[page], headers={"Authorization": f"Token {key}"})

    assert "private" in cache_control(response)
    assert "authorization" in vary(response)


@pytest.mark.parametrize("page", ["home", "reading view", "tag page", "API container"])
def test_anonymous_reading_stays_cacheable(client, pages, page):
    response = client.get(pages[page])

    assert response.status_code == 200
    assert not cache_control(response) & {"private", "no-store"}


def test_a_stricter_choice_of_the_view_is_kept(client, user, document):
    client.force_login(user)

    response = client.get(reverse("annotation-panel", args=[document.slug]))

    assert "no-store" in cache_control(response)
    assert get_max_age(response) is None
