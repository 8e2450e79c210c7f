"""Our pages forbid inline script and style; the admin keeps its own inline code."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_pages_and_api_carry_a_strict_content_security_policy(client, document):
    for url in ("/", document.get_absolute_url(), "/api/annotations/", "/accounts/login/"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy


def test_the_admin_is_exempt(client):
    assert "Content-Security-Policy" not in client.get("/admin/login/")


@override_settings(CONTENT_SECURITY_POLICY="")
def test_an_empty_setting_switches_the_header_off(client):
    assert "Content-Security-Policy" not in client.get("/")
