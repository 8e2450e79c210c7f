"""A NUL character in an address, a filter or a form field is refused with a 400 before any view reads it.

PostgreSQL cannot store or compare text holding NUL, so every view would
otherwise have to guard each filter; one middleware answers for all of them.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import Annotation, Flag, Group
from tests.factories import AnnotationFactory, make_group

pytestmark = pytest.mark.django_db

PAGES = [
    "/documents/?tag=%00",
    "/documents/?collection=a%00b",
    "/documents/?type=%00&year=2000",
    "/tags/a%00b/",
    "/documents/a%00b/",
    "/collections/a%00b/",
    "/search/?q=a%00b",
    "/?x%00=1",
]
API = [
    "/api/annotations/?tag=%00",
    "/api/annotations/?creator=a%00b",
    "/api/annotations/?motivation=%00",
    "/api/documents/?tag=a%00b",
    "/api/documents/?collection=%00",
    "/api/documents/a%00b/",
    "/api/documents/a%00b/annotations/",
    "/api/search/?q=%00",
]


@pytest.mark.parametrize("url", PAGES)
def test_a_page_with_nul_in_its_address_is_a_400_page(client, document, url):
    response = client.get(url)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "NUL" in response.content.decode()


@pytest.mark.parametrize("url", API)
def test_the_api_answers_nul_with_a_400_problem(client, document, url):
    response = client.get(url)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "NUL" in response.json()["detail"]


def test_addresses_without_nul_are_served_as_before(client, document):
    assert client.get("/documents/?tag=law").status_code == 200
    assert client.get(f"/api/documents/{document.slug}/").status_code == 200


NUL_TEXT = "a\x00b"


def _flag(client, user, other_user, curator):
    note = AnnotationFactory(author=other_user, visibility="public", comment="Rude words")
    client.force_login(user)
    return reverse("annotation-flag", args=[note.pk]), {"reason": NUL_TEXT}


def _flag_field_name(client, user, other_user, curator):
    url, _ = _flag(client, user, other_user, curator)
    return url, {"reason": "Rude", "x\x00": "1"}


def _group_hide(client, user, other_user, curator):
    group = make_group(user, other_user)
    note = AnnotationFactory(author=other_user, visibility="group", group=group, comment="Off topic")
    client.force_login(user)
    return reverse("group-hide-note", args=[group.slug, note.pk]), {"reason": NUL_TEXT}


def _group_create(client, user, other_user, curator):
    client.force_login(user)
    return reverse("group-list"), {"name": NUL_TEXT, "description": ""}


def _comment_preview(client, user, other_user, curator):
    client.force_login(user)
    return reverse("comment-preview"), {"comment": NUL_TEXT}


def _quote(client, user, other_user, curator):
    note = AnnotationFactory(author=user, visibility="public")
    client.force_login(user)
    return reverse("annotation-quote", args=[note.pk]), {"exact": NUL_TEXT}


def _login_next(client, user, other_user, curator):
    return reverse("login"), {"username": user.username, "password": "wrong", "next": "/" + NUL_TEXT}


def _admin_hide(client, user, other_user, curator):
    note = AnnotationFactory(author=other_user, visibility="public")
    client.force_login(curator)
    return reverse("admin:documents_annotation_hide", args=[note.pk]), {"reason": NUL_TEXT}


def _admin_passages_preview(client, user, other_user, curator):
    client.force_login(curator)
    return reverse("admin:documents_document_passages_preview"), {"text": NUL_TEXT}


FORMS = {
    "flag reason": _flag,
    "a field's name": _flag_field_name,
    "group hide reason": _group_hide,
    "group name (a Django form)": _group_create,
    "comment preview": _comment_preview,
    "quote re-attachment": _quote,
    "log-in next": _login_next,
    "admin hide reason": _admin_hide,
    "admin passage preview": _admin_passages_preview,
}


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
def test_a_form_field_with_nul_is_a_400_and_changes_nothing(client, user, other_user, curator, form):
    url, data = form(client, user, other_user, curator)
    notes = list(Annotation.objects.values_list("pk", "hidden", "hidden_reason", "exact"))

    response = client.post(url, data)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "NUL" in response.content.decode()
    assert list(Annotation.objects.values_list("pk", "hidden", "hidden_reason", "exact")) == notes
    assert not Flag.objects.exists()
    assert not Group.objects.exclude(memberships__user=other_user).exists()


@pytest.mark.parametrize("form", [_flag, _comment_preview], ids=["flag reason", "comment preview"])
def test_a_script_posting_nul_gets_the_reason_as_plain_text(client, user, other_user, curator, form):
    """The annotator shows a refusal's text beside its form, so it gets a sentence, not a page."""
    url, data = form(client, user, other_user, curator)

    response = client.post(url, data, headers={"Sec-Fetch-Mode": "same-origin"})

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith("A field of the form contains a NUL character")


def test_the_api_answers_a_form_with_nul_with_a_400_problem(client, user):
    client.force_login(user)

    response = client.post("/api/annotations/", {"comment": NUL_TEXT})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "NUL" in response.json()["detail"]


def test_forms_without_nul_are_served_as_before(client, user, other_user, curator):
    url, _ = _flag(client, user, other_user, curator)

    assert client.post(url, {"reason": "Rude"}).status_code == 201


def test_uploaded_files_may_hold_nul_bytes(client, curator):
    """A file's bytes are not text a field holds: an image or a PDF is full of NULs."""
    client.force_login(curator)
    upload = SimpleUploadedFile("notes.json", b"[]\x00", content_type="application/ld+json")

    response = client.post(reverse("my-annotations-import"), {"file": upload})

    assert "contains a NUL character" not in response.content.decode()
    assert response.status_code != 500
