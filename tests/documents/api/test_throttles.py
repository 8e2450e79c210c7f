"""The per-address write throttle counts the real client, not what a request claims to be."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from documents.accounts.tokens import issue_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"


def post_as_new_user(client, document, **extra):
    """An annotation from a fresh account each time, so only the address throttle applies."""
    _, key = issue_token(user=UserFactory())
    body = (
        '{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation", '
        f'"target": {{"source": "http://testserver{document.get_absolute_url()}", '
        '"selector": {"type": "TextQuoteSelector", "exact": "first passage"}}}'
    )
    return client.post(
        reverse("api-document-annotations", args=[document.slug]),
        data=body,
        content_type="application/ld+json",
        HTTP_AUTHORIZATION=f"Token {key}",
        **extra,
    ).status_code


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@override_settings(API_WRITE_RATE_ADDRESS="3/min", TRUSTED_PROXIES=[])
def test_a_forged_forwarded_header_per_request_does_not_bypass_the_address_throttle(client, document):
    codes = [
        post_as_new_user(client, document, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
        for n in range(5)
    ]

    assert codes == [201, 201, 201, 429, 429]


@override_settings(API_WRITE_RATE_ADDRESS="3/min", TRUSTED_PROXIES=[PROXY])
def test_a_trusted_proxy_header_gives_each_client_its_own_count(client, document):
    first = [
        post_as_new_user(client, document, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.1")
        for _ in range(4)
    ]
    second = post_as_new_user(client, document, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.2")

    assert first == [201, 201, 201, 429]
    assert second == 201


@override_settings(API_WRITE_RATE_ADDRESS="3/min", TRUSTED_PROXIES=[PROXY])
def test_behind_a_trusted_proxy_a_client_cannot_forge_its_way_out(client, document):
    codes = [
        post_as_new_user(
            client, document, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 192.0.2.1"
        )
        for n in range(5)
    ]

    assert codes == [201, 201, 201, 429, 429]
