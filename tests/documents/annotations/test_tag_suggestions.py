"""Tag suggestions (``/api/tags/?q=``): the tags a reader may see, most used first, and the hint
that a new name looks like an existing one; never a tag from a note the reader may not see."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.annotations import tags
from tests.factories import AnnotationFactory, CuratorFactory, DocumentFactory, UserFactory, make_group

pytestmark = pytest.mark.django_db

URL = reverse("api-tag-suggestions")


def names(client, typed: str) -> list[str]:
    response = client.get(URL, {"q": typed})
    assert response.status_code == 200, response.content
    return [tag["name"] for tag in response.json()["tags"]]


@pytest.mark.parametrize(
    ("variant", "expected"),
    [
        ("Rome Statute", "rome statute"),
        ("rome-statute", "rome statute"),
        ("ROME_STATUTE", "rome statute"),
        ("Róme  Statute ", "rome statute"),
        ("rome\u2010statute", "rome statute"),
        ("Ærø", "ærø"),
    ],
)
def test_the_loose_form_ignores_case_accents_spaces_and_hyphens(variant, expected):
    assert tags.loose_form(variant) == expected


# Who carries the tag "Secret <kind>", and which readers may be offered it.
READERS = ["author", "member", "outsider", "anonymous", "curator"]
MATRIX = {
    "private": {"author"},
    "group": {"author", "member"},
    "public": {"author", "member", "outsider", "anonymous", "curator"},
    "hidden public": {"author", "curator"},  # curators moderate public notes
}


@pytest.fixture
def readers(db):
    author, member, outsider = UserFactory(), UserFactory(), UserFactory()
    return {
        "author": author,
        "member": member,
        "outsider": outsider,
        "anonymous": None,
        "curator": CuratorFactory(),
        "group": make_group(author, member),
    }


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("kind", list(MATRIX))
def test_a_tag_is_offered_only_to_readers_who_may_see_a_note_carrying_it(client, readers, kind, reader):
    document = DocumentFactory()
    visibility = kind.removeprefix("hidden ")
    AnnotationFactory(
        document=document,
        author=readers["author"],
        visibility=visibility,
        group=readers["group"] if visibility == "group" else None,
        hidden=kind.startswith("hidden"),
        tags=[f"Secret {kind}"],
    )
    if readers[reader]:
        client.force_login(readers[reader])

    offered = f"Secret {kind}" in names(client, "secret")

    assert offered == (reader in MATRIX[kind])


def test_a_tag_on_a_draft_document_is_offered_to_curators_alone(client, user, curator):
    draft = DocumentFactory(status="draft")
    draft.tags.add("Unpublished")
    client.force_login(user)
    assert names(client, "unpub") == []
    client.force_login(curator)
    assert names(client, "unpub") == ["Unpublished"]


def test_uses_count_only_what_the_reader_may_see_and_order_the_tags(client, user, other_user):
    document = DocumentFactory()
    document.tags.add("Rome Statute")
    AnnotationFactory(document=document, author=user, tags=["Rome Statute", "rome treaty"])
    AnnotationFactory(document=document, author=user, visibility="public", tags=["rome treaty"])
    for _ in range(3):
        AnnotationFactory(document=document, author=other_user, tags=["Rome Statute", "rome treaty"])
    client.force_login(user)

    response = client.get(URL, {"q": "ROME"}).json()

    assert response["tags"] == [
        {"name": "Rome Statute", "uses": 2},
        {"name": "rome treaty", "uses": 2},
    ]
    assert response["like"] is None


@pytest.mark.parametrize("typed", ["rome-statute", "rome statute", "Róme_Statute"])
def test_a_name_spelt_like_an_existing_tag_gets_it_as_like(client, user, typed):
    AnnotationFactory(author=user, visibility="public", tags=["Rome Statute"])
    client.force_login(user)

    response = client.get(URL, {"q": typed}).json()

    assert response["like"] == "Rome Statute"
    assert [tag["name"] for tag in response["tags"]] == ["Rome Statute"]


def test_a_name_spelt_as_an_existing_tag_has_no_like(client, user):
    AnnotationFactory(author=user, tags=["Rome Statute", "rome-statute"])
    client.force_login(user)

    assert client.get(URL, {"q": "Rome Statute"}).json()["like"] is None


def test_another_readers_private_spelling_is_never_offered_as_like(client, user, other_user):
    AnnotationFactory(author=other_user, tags=["Rome Statute"])
    client.force_login(user)

    assert client.get(URL, {"q": "rome-statute"}).json() == {"q": "rome-statute", "tags": [], "like": None}


def test_nothing_typed_offers_nothing(client):
    AnnotationFactory(visibility="public", tags=["Rome Statute"])

    assert client.get(URL, {"q": "  - "}).json()["tags"] == []
    assert client.get(URL).json()["tags"] == []


def test_a_name_longer_than_a_tag_is_a_problem(client):
    response = client.get(URL, {"q": "x" * 101})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["field"] == "q"


def test_the_queries_do_not_grow_with_the_notes(client, user):
    group = make_group(user)
    document = DocumentFactory()
    client.force_login(user)
    client.get(URL, {"q": "rome"})  # the session and the user, read once

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"q": "rome"}).status_code == 200
        return len(captured)

    AnnotationFactory(document=document, author=user, tags=["Rome"])
    few = queries()
    for n in range(30):
        visibility = ["private", "public", "group"][n % 3]
        AnnotationFactory(
            document=document,
            author=user,
            visibility=visibility,
            group=group if visibility == "group" else None,
            tags=[f"Rome {n}"],
        )
    assert queries() == few


def test_the_endpoint_is_in_the_openapi_schema(client):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()

    assert "q" in [parameter["name"] for parameter in schema["paths"]["/api/tags/"]["get"]["parameters"]]
