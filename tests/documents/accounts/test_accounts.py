"""Accounts: logging in and out, signing up, passwords, and the profile's list of my annotations."""

import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.factories import AnnotationFactory, DocumentFactory, UserFactory
from tests.html import parse
from tests.mail import run_worker

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a rather longer passphrase, 1998"

User = get_user_model()


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def template_names(response):
    return [template.name for template in response.templates]


# Logging in and out.


@pytest.mark.django_db
def test_login_page_has_labelled_fields_and_links_to_sign_up_and_reset(client):
    response = client.get(reverse("login"))

    content = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_username">' in content
    assert '<label for="id_password">' in content
    assert f'href="{reverse("password_reset")}"' in content
    assert f'href="{reverse("signup")}"' in content
    assert "registration/login.html" in template_names(response)
    assert "base.html" in template_names(response)


def test_login_with_the_right_password_logs_in_and_goes_to_the_profile(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("profile")
    assert logged_in_user_id(client) == str(user.pk)


def test_login_returns_to_the_page_the_reader_came_from(client, user, document):
    response = client.post(
        reverse("login"),
        {"username": user.username, "password": PASSWORD, "next": document.get_absolute_url()},
    )

    assert response.url == document.get_absolute_url()


def test_login_with_a_wrong_password_explains_and_stays_anonymous(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": "not it"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert logged_in_user_id(client) is None


def test_login_page_sends_a_logged_in_reader_on(client, user):
    client.force_login(user)

    response = client.get(reverse("login"))

    assert response.status_code == 302
    assert response.url == reverse("profile")


def test_logout_by_post_logs_out_and_goes_home(client, user):
    client.force_login(user)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert logged_in_user_id(client) is None


def test_logout_by_get_is_not_allowed_and_keeps_the_session(client, user):
    client.force_login(user)

    response = client.get(reverse("logout"))

    assert response.status_code == 405
    assert logged_in_user_id(client) == str(user.pk)


# Signing up.


def signup_data(**overrides):
    data = {
        "username": "newreader",
        "email": "newreader@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    return {**data, **overrides}


@pytest.mark.django_db
def test_signup_page_has_labelled_fields(client):
    response = client.get(reverse("signup"))

    content = response.content.decode()
    assert response.status_code == 200
    for field in ["username", "email", "password1", "password2"]:
        assert f'<label for="id_{field}">' in content


@pytest.mark.django_db
def test_signup_creates_the_user_and_logs_them_in(client):
    response = client.post(reverse("signup"), signup_data())

    user = User.objects.get(username="newreader")
    assert user.email == "newreader@example.org"
    assert user.check_password(NEW_PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("profile")
    assert logged_in_user_id(client) == str(user.pk)


@pytest.mark.django_db
def test_signup_welcomes_the_new_reader_on_the_profile(client):
    response = client.post(reverse("signup"), signup_data(), follow=True)

    assert "Welcome, newreader. Your account is ready." in response.content.decode()


def test_signup_goes_on_to_next(client, document):
    response = client.post(reverse("signup"), signup_data(next=document.get_absolute_url()))

    assert response.url == document.get_absolute_url()


@pytest.mark.django_db
def test_signup_ignores_a_next_address_on_another_site(client):
    response = client.post(reverse("signup"), signup_data(next="https://evil.example/"))

    assert response.url == reverse("profile")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password2": "something else entirely"}, "The two password fields didn"),
        ({"password1": "short", "password2": "short"}, "This password is too short."),
        ({"email": "not an address"}, "Enter a valid email address."),
        ({"email": ""}, "This field is required."),
    ],
)
def test_signup_with_bad_input_explains_and_creates_nobody(client, overrides, message):
    response = client.post(reverse("signup"), signup_data(**overrides))

    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert 'aria-invalid="true"' in content
    assert not User.objects.filter(username="newreader").exists()
    assert logged_in_user_id(client) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"password1": "short", "password2": "short"}, "password1", "This password is too short."),
        ({"password1": "12345678901", "password2": "12345678901"}, "password1", "entirely numeric"),
        ({"password2": "something else entirely"}, "password2", "The two password fields didn"),
    ],
)
def test_a_password_error_is_under_the_field_it_is_about(client, overrides, field, message):
    page = parse(client.post(reverse("signup"), signup_data(**overrides)))

    [error] = [e for e in page.find_all("ul") if e.has_class("errorlist") and message in e.text_content]
    assert error.attrs["id"] == f"id_{field}_error"
    described = page.find("input", id=f"id_{field}").attrs["aria-describedby"].split()
    assert error.attrs["id"] in described
    [other] = {"password1", "password2"} - {field}
    assert page.find("input", id=f"id_{other}").attrs.get("aria-invalid") is None


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/documents/", "/accounts/login/?next=/documents/"])
def test_every_sign_up_link_carries_where_the_reader_came_from(client, url):
    page = parse(client.get(url))
    links = [
        a.attrs["href"] for a in page.find_all("a") if a.attrs.get("href", "").startswith(reverse("signup"))
    ]
    came_from = "/documents/" if "next=" in url else url  # the log-in page passes its own next on
    assert links and set(links) == {f"{reverse('signup')}?next={quote(came_from)}"}

    form = parse(client.get(links[0])).find("form", **{"class": "account-form"})
    assert form.find("input", name="next").attrs["value"] == came_from
    response = client.post(reverse("signup"), signup_data(next=came_from))
    assert response.status_code == 302 and response.url == came_from


def test_signup_refuses_a_username_taken_in_another_case(client, user):
    response = client.post(reverse("signup"), signup_data(username=user.username.upper()))

    assert "A user with that username already exists." in response.content.decode()
    assert User.objects.filter(username__iexact=user.username).count() == 1


def test_signup_refuses_an_email_address_another_account_uses(client, user):
    response = client.post(reverse("signup"), signup_data(email=user.email.upper()))

    assert "An account already uses this email address." in response.content.decode()
    assert not User.objects.filter(username="newreader").exists()


def test_signup_sends_a_logged_in_reader_to_the_profile(client, user):
    client.force_login(user)

    response = client.get(reverse("signup"))

    assert response.url == reverse("profile")


@pytest.mark.django_db
@override_settings(SIGNUP_OPEN=False)
def test_signup_when_closed_says_so_and_answers_404(client):
    response = client.get(reverse("signup"))

    assert response.status_code == 404
    assert "Sign-up is closed" in response.content.decode()


@pytest.mark.django_db
@override_settings(SIGNUP_OPEN=False)
def test_signup_when_closed_creates_nobody(client):
    response = client.post(reverse("signup"), signup_data())

    assert response.status_code == 404
    assert not User.objects.filter(username="newreader").exists()


@pytest.mark.django_db
@override_settings(SIGNUP_OPEN=False)
def test_signup_link_is_hidden_when_closed(client):
    response = client.get(reverse("login"))

    assert f'href="{reverse("signup")}' not in response.content.decode()


# Passwords.


def test_password_change_needs_a_login(client):
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_password_change_sets_the_new_password_and_keeps_me_logged_in(client, user):
    client.force_login(user)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    user.refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    assert user.check_password(NEW_PASSWORD)
    assert logged_in_user_id(client) == str(user.pk)


def test_password_change_with_a_wrong_old_password_changes_nothing(client, user):
    client.force_login(user)

    response = client.post(
        reverse("password_change"),
        {"old_password": "not it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    user.refresh_from_db()
    assert response.status_code == 200
    assert "Your old password was entered incorrectly." in response.content.decode()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("url_name", "template"),
    [
        ("password_change", "registration/change_password.html"),
        ("password_change_done", "registration/change_password_done.html"),
        ("password_reset", "registration/reset_password.html"),
        ("password_reset_done", "registration/reset_password_sent.html"),
        ("password_reset_complete", "registration/reset_password_complete.html"),
    ],
)
def test_password_pages_use_the_archive_design_not_the_admin(client, user, url_name, template):
    client.force_login(user)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert template in template_names(response)
    assert "base.html" in template_names(response)
    assert "Django administration" not in response.content.decode()


def test_password_reset_mails_a_link_that_sets_a_new_password(client, user):
    response = client.post(reverse("password_reset"), {"email": user.email})

    assert response.url == reverse("password_reset_done")
    assert mail.outbox == [], "the request only queues the mail"
    run_worker()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert "Reset your password" in message.subject
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    user.refresh_from_db()
    assert done.url == reverse("password_reset_complete")
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_link_works_only_once(client, user):
    client.post(reverse("password_reset"), {"email": user.email})
    run_worker()
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    new_passwords = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    client.post(form_page.redirect_chain[-1][0], new_passwords)

    again = client.get(link, follow=True)

    assert "Reset link not valid" in again.content.decode()


def test_password_reset_waits_for_no_mail_server_and_the_queue_holds_no_working_link(client, user, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_PORT = 9  # nothing listens: sending here in the request would fail it

    response = client.post(reverse("password_reset"), {"email": user.email})

    assert response.url == reverse("password_reset_done")
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["kwargs"]["user_id"] == user.pk
    assert "token" not in str(queued.args_kwargs), "the worker makes the link"


def test_a_reset_for_an_address_changed_since_the_request_is_not_sent(client, user):
    client.post(reverse("password_reset"), {"email": user.email})
    user.email = "new@example.org"
    user.save()

    run_worker()

    assert mail.outbox == []


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


# The profile.


def profile_html(client, **params):
    response = client.get(reverse("profile"), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_profile_needs_a_login(client):
    response = client.get(reverse("profile"))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse('profile')}"


def test_profile_lists_my_annotations_and_nobody_elses(client, user, other_user, document):
    mine_private = AnnotationFactory(author=user, document=document, comment_html="<p>My private note</p>")
    mine_public = AnnotationFactory(
        author=user, document=document, visibility="public", comment_html="<p>My public note</p>"
    )
    theirs_public = AnnotationFactory(
        author=other_user, document=document, visibility="public", comment_html="<p>Their public note</p>"
    )
    theirs_private = AnnotationFactory(
        author=other_user, document=document, comment_html="<p>Their private note</p>"
    )
    client.force_login(user)

    content = profile_html(client)

    assert "My private note" in content
    assert "My public note" in content
    assert str(mine_private.pk) in content
    assert str(mine_public.pk) in content
    assert "Their public note" not in content
    assert "Their private note" not in content
    assert str(theirs_public.pk) not in content
    assert str(theirs_private.pk) not in content
    assert "Your annotations: 2" in content


def test_profile_puts_my_notes_first_and_settings_after(client, user, document):
    AnnotationFactory(document=document, author=user)
    client.force_login(user)
    page = parse(client.get(reverse("profile")))

    headings = [h.text_content.split(":")[0].strip() for h in page.find("main").find_all("h2")]
    assert headings == ["Your annotations", "Settings"]
    settings = [
        h.text_content.strip()
        for h in page.find("main").find_all("h3")
        if not h.has_class("annotation-item-title")
    ]
    assert settings == ["Account", "Export and import", "API tokens"]
    assert f"/readers/{user.username}/" in [a.attrs["href"] for a in page.find_all("a")]


def test_profile_links_each_annotation_into_its_document(client, user, document):
    """Through its permalink, which opens the panel page that lists it."""
    annotation = AnnotationFactory(author=user, document=document)
    client.force_login(user)

    content = profile_html(client)

    assert f'href="/annotations/{annotation.pk}/"' in content
    assert document.title in content


def test_profile_shows_quote_comment_visibility_and_tags(client, user, document):
    AnnotationFactory(
        author=user,
        document=document,
        start=16,
        end=28,
        visibility="public",
        comment_html="<p>Compare <em>the draft</em>.</p>",
        tags=["signing statements", "vetoes"],
    )
    client.force_login(user)

    content = profile_html(client)

    assert "<p>Compare <em>the draft</em>.</p>" in content
    assert "Public" in content
    assert ">signing statements</a>" in content
    assert f'href="{reverse("tag-detail", args=["vetoes"])}"' in content


def test_profile_quotes_the_selected_text(client, user, document):
    annotation = AnnotationFactory(author=user, document=document, start=0, end=9)
    client.force_login(user)

    content = profile_html(client)

    assert f'<blockquote class="annotation-quote"><p>{annotation.exact}</p></blockquote>' in content


def test_profile_marks_private_annotations_as_only_me(client, user, document):
    AnnotationFactory(author=user, document=document, visibility="private")
    client.force_login(user)

    assert "Only me" in profile_html(client)


def test_profile_shows_that_a_curator_hid_an_annotation_and_why(client, user, curator, document):
    AnnotationFactory(
        author=user,
        document=document,
        visibility="public",
        hidden=True,
        hidden_by=curator,
        hidden_at=timezone.now(),
        hidden_reason="Advertising, not scholarship.",
    )
    client.force_login(user)

    content = profile_html(client)

    assert "Hidden by a curator" in content
    assert "Reason: Advertising, not scholarship." in content
    assert curator.username not in content


def test_profile_does_not_mark_visible_annotations_as_hidden(client, user, document):
    AnnotationFactory(author=user, document=document, visibility="public")
    client.force_login(user)

    assert "Hidden by a curator" not in profile_html(client)


def test_profile_shows_replies_with_the_thread_they_belong_to(client, user, other_user, document):
    root = AnnotationFactory(author=other_user, document=document, visibility="public")
    AnnotationFactory(
        author=user,
        document=document,
        visibility="public",
        parent=root,
        root=root,
        start=None,
        end=None,
        exact="",
        prefix="",
        suffix="",
        comment_html="<p>I agree.</p>",
    )
    client.force_login(user)

    content = profile_html(client)

    assert "Reply on " in content
    assert f"In a thread on <q>{root.exact}</q>" in content
    assert "<p>I agree.</p>" in content


def test_profile_cleans_stored_comment_html_again(client, user, document):
    AnnotationFactory(
        author=user,
        document=document,
        comment_html=(
            '<p>ok</p><script>alert(1)</script><img src=x onerror="alert(1)"><a href="javascript:x">l</a>'
        ),
    )
    client.force_login(user)

    content = profile_html(client)

    assert "<p>ok</p>" in content
    assert "alert(1)" not in content
    assert "onerror" not in content
    assert "javascript:" not in content


def test_profile_has_no_annotations_yet_message(client, user):
    client.force_login(user)

    assert "You have not annotated anything yet." in profile_html(client)


def test_profile_lists_newest_first_and_paginates(client, user, document):
    start = timezone.now() - timedelta(days=30)
    annotations = [
        AnnotationFactory(author=user, document=document, created=start + timedelta(days=n))
        for n in range(25)
    ]
    client.force_login(user)

    first = profile_html(client)
    second = profile_html(client, page=2)

    assert "showing 1–20" in first
    assert first.index(str(annotations[24].pk)) < first.index(str(annotations[5].pk))
    assert str(annotations[4].pk) not in first
    assert str(annotations[4].pk) in second
    assert str(annotations[5].pk) not in second


@pytest.mark.parametrize("page", ["abc", "0", "999", "-1"])
def test_profile_with_a_page_number_out_of_range_still_answers(client, user, document, page):
    AnnotationFactory(author=user, document=document)
    client.force_login(user)

    assert "Your annotations: 1" in profile_html(client, page=page)


def test_profile_does_not_list_my_annotations_on_documents_withdrawn_to_draft(client, user, draft):
    AnnotationFactory(author=user, document=draft, comment_html="<p>On a draft</p>")
    client.force_login(user)

    assert "On a draft" not in profile_html(client)


def test_profile_uses_the_same_number_of_queries_for_1_or_30_annotations(client, user, curator):
    documents = [DocumentFactory() for _ in range(3)]
    client.force_login(user)
    AnnotationFactory(author=user, document=documents[0], tags=["first"])
    profile_html(client)

    with CaptureQueriesContext(connection) as one:
        profile_html(client)
    for n in range(29):
        if n % 4 == 0:
            root = AnnotationFactory(author=UserFactory(), document=documents[n % 3], visibility="public")
            AnnotationFactory(
                author=user,
                document=root.document,
                visibility="public",
                parent=root,
                root=root,
                start=None,
                end=None,
                exact="",
                prefix="",
                suffix="",
                tags=["reply"],
            )
        else:
            AnnotationFactory(
                author=user,
                document=documents[n % 3],
                visibility="public",
                tags=[f"tag {n}", "shared"],
                hidden=n % 5 == 0,
                hidden_by=curator if n % 5 == 0 else None,
                hidden_at=timezone.now() if n % 5 == 0 else None,
                hidden_reason="Off topic" if n % 5 == 0 else "",
            )
    with CaptureQueriesContext(connection) as thirty:
        content = profile_html(client)

    assert "Your annotations: 30" in content
    assert len(thirty) == len(one)
