"""Logging in is locked after repeated failures for one username from one address (django-axes).

The lockout shows on the log-in page with when to retry; a curator unlocks the
account from the admin. No other way in (the admin's log-in, the API) gets around it.
"""

import base64

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse

from documents.accounts.tokens import issue_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's password
LOCKOUT_MESSAGE = "Too many failed attempts to log in"


def log_in(client, username, password, address="203.0.113.7", url=None):
    return client.post(
        url or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail(client, username, times, address="203.0.113.7"):
    return [log_in(client, username, f"wrong {n}", address).status_code for n in range(times)]


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_fifty_wrong_passwords_then_the_right_one_does_not_log_in(client, user):
    fail(client, user.username, 50)

    response = log_in(client, user.username, PASSWORD)

    assert logged_in_user_id(client) is None
    assert response.status_code == 429
    content = response.content.decode()
    assert LOCKOUT_MESSAGE in content
    assert "try again after" in content
    assert 'role="alert"' in content
    assert int(response["Retry-After"]) > 0
    assert "registration/login.html" in [t.name for t in response.templates]


def test_lockout_starts_at_the_configured_failure_limit(client, user, settings):
    settings.AXES_FAILURE_LIMIT = 3

    codes = fail(client, user.username, 4)

    assert codes == [200, 200, 429, 429]


def test_failures_below_the_limit_do_not_stop_the_right_password(client, user, settings):
    settings.AXES_FAILURE_LIMIT = 5
    fail(client, user.username, 4)

    response = log_in(client, user.username, PASSWORD)

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(user.pk)


def test_lockout_is_per_username_and_address(client, user, other_user):
    fail(client, user.username, 10)

    elsewhere = log_in(client, user.username, PASSWORD, address="198.51.100.20")
    client.logout()
    someone_else = log_in(client, other_user.username, PASSWORD)

    assert elsewhere.status_code == 302
    assert someone_else.status_code == 302


def test_a_forged_forwarded_header_does_not_reset_the_count(client, user):
    for n in range(10):
        client.post(
            reverse("login"),
            {"username": user.username, "password": "wrong"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )

    response = log_in(client, user.username, PASSWORD)

    assert response.status_code == 429


def test_the_admin_log_in_is_locked_too(client, curator):
    fail(client, curator.username, 10)

    response = log_in(client, curator.username, PASSWORD, url=reverse("admin:login"))

    assert response.status_code == 429
    assert logged_in_user_id(client) is None


def test_api_does_not_accept_passwords(client, user, document):
    """Tokens only: HTTP Basic with a password would be a way around the lockout."""
    basic = base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode()

    response = client.post(
        reverse("api-document-annotations", args=[document.slug]),
        data="{}",
        content_type="application/ld+json",
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )

    assert response.status_code in (401, 403)


def test_a_token_still_works_for_a_locked_out_user(client, user, document):
    """Tokens are not passwords: the lockout guards guessing, not a key the owner made."""
    _, key = issue_token(user=user)
    fail(client, user.username, 10)

    response = client.get(reverse("profile"))
    api = client.get(reverse("api-annotation-list"), HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 302
    assert api.status_code == 200


class TestCuratorUnlock:
    @pytest.fixture
    def locked_user(self, client):
        locked = UserFactory()
        fail(client, locked.username, 10)
        assert log_in(client, locked.username, PASSWORD).status_code == 429
        return locked

    def test_curator_sees_the_locked_account_in_the_admin(self, client, curator, locked_user):
        client.force_login(curator)

        response = client.get(reverse("admin:axes_accessattempt_changelist"), {"locked_out": "yes"})

        assert response.status_code == 200
        assert locked_user.username in response.content.decode()

    def test_curator_unlocks_by_deleting_the_attempts(self, client, curator, locked_user):
        client.force_login(curator)
        attempts = AccessAttempt.objects.filter(username=locked_user.username)
        response = client.post(
            reverse("admin:axes_accessattempt_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [a.pk for a in attempts],
                "post": "yes",
            },
        )
        client.logout()
        after = log_in(client, locked_user.username, PASSWORD)

        assert response.status_code == 302
        assert not AccessAttempt.objects.filter(username=locked_user.username).exists()
        assert after.status_code == 302
        assert logged_in_user_id(client) == str(locked_user.pk)

    def test_a_scholar_cannot_reach_the_attempts(self, client, user):
        client.force_login(user)

        response = client.get(reverse("admin:axes_accessattempt_changelist"))

        assert response.status_code == 302
        assert reverse("admin:login") in response.url

    def test_axes_reset_command_unlocks(self, client, locked_user):
        call_command("axes_reset_username", locked_user.username)

        assert log_in(client, locked_user.username, PASSWORD).status_code == 302


def test_a_successful_log_in_clears_the_count(client, user, settings):
    settings.AXES_FAILURE_LIMIT = 5
    fail(client, user.username, 4)
    log_in(client, user.username, PASSWORD)
    client.logout()
    fail(client, user.username, 4)

    response = log_in(client, user.username, PASSWORD)

    assert response.status_code == 302
