"""Sign-up and password-reset requests are limited per client address, with a form error."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from documents.accounts.rate_limits import parse_rate
from tests.mail import run_worker

pytestmark = pytest.mark.django_db

PASSWORD = "a rather longer passphrase, 1998"
ADDRESS = "203.0.113.7"

User = get_user_model()


def sign_up(client, n, address=ADDRESS, **extra):
    return client.post(
        reverse("signup"),
        {
            "username": f"reader{n}",
            "email": f"reader{n}@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        REMOTE_ADDR=address,
        **extra,
    )


def request_reset(client, email, address=ADDRESS, **extra):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address, **extra)


class TestSignUp:
    def test_sign_ups_over_the_limit_are_refused_with_a_form_error(self, client, settings):
        settings.SIGNUP_RATE_ADDRESS = "2/hour"
        codes = []
        for n in range(3):
            codes.append(sign_up(client, n).status_code)
            client.logout()

        refused = sign_up(client, 9)

        assert codes == [302, 302, 429]
        assert refused.status_code == 429
        content = refused.content.decode()
        assert "Too many sign-up attempts from your address" in content
        assert "Try again in" in content
        assert 'role="alert"' in content
        assert int(refused["Retry-After"]) > 0
        assert not User.objects.filter(username__in=["reader2", "reader9"]).exists()
        assert refused.context["form"]["username"].value() == "reader9"

    def test_another_address_may_still_sign_up(self, client, settings):
        settings.SIGNUP_RATE_ADDRESS = "1/hour"
        sign_up(client, 0)
        client.logout()

        response = sign_up(client, 1, address="198.51.100.20")

        assert response.status_code == 302

    def test_a_forged_forwarded_header_does_not_reset_the_limit(self, client, settings):
        settings.SIGNUP_RATE_ADDRESS = "1/hour"
        sign_up(client, 0, HTTP_X_FORWARDED_FOR="192.0.2.1")
        client.logout()

        response = sign_up(client, 1, HTTP_X_FORWARDED_FOR="192.0.2.2")

        assert response.status_code == 429

    def test_showing_the_form_is_not_counted(self, client, settings):
        settings.SIGNUP_RATE_ADDRESS = "1/hour"
        for _ in range(3):
            client.get(reverse("signup"), REMOTE_ADDR=ADDRESS)

        assert sign_up(client, 0).status_code == 302


class TestPasswordReset:
    def test_reset_requests_over_the_limit_send_nothing_and_explain(self, client, user, settings):
        settings.PASSWORD_RESET_RATE_ADDRESS = "2/hour"
        codes = [request_reset(client, user.email).status_code for _ in range(2)]

        refused = request_reset(client, user.email)

        assert codes == [302, 302]
        run_worker()
        assert len(mail.outbox) == 2
        assert refused.status_code == 429
        content = refused.content.decode()
        assert "Too many password-reset requests from your address" in content
        assert 'role="alert"' in content
        assert "registration/reset_password.html" in [t.name for t in refused.templates]

    def test_another_address_may_still_ask(self, client, user, settings):
        settings.PASSWORD_RESET_RATE_ADDRESS = "1/hour"
        request_reset(client, user.email)

        response = request_reset(client, user.email, address="198.51.100.20")

        assert response.status_code == 302
        run_worker()
        assert len(mail.outbox) == 2


@pytest.mark.parametrize("rate", ["5", "5/fortnight", "five/hour", "/hour", ""])
def test_a_malformed_rate_is_refused_with_an_example(rate):
    with pytest.raises(ValueError, match="such as 5/hour"):
        parse_rate(rate)


@pytest.mark.parametrize(
    ("rate", "expected"), [("5/hour", (5, 3600)), ("10/min", (10, 60)), ("1/d", (1, 86400))]
)
def test_rates_read_like_drfs(rate, expected):
    parsed = parse_rate(rate)

    assert (parsed.count, parsed.seconds) == expected
