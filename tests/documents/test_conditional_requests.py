"""Unchanged pages answer If-None-Match with 304, before anything is rendered (docs/performance.md, "Reading
at scale")."""

import pytest
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from documents.accounts import services as account_services
from documents.annotations import moderation, services, text_changes
from documents.annotations.writes import Target
from documents.groups import services as groups
from tests.factories import CuratorFactory, DocumentFactory, UserFactory, make_group

pytestmark = pytest.mark.django_db

TEXT = "# Heading\n\nAlpha beta gamma delta.\n\nA second passage, with more words in it."


@pytest.fixture
def doc():
    return DocumentFactory(text=TEXT)


def note(doc, author, visibility="public", comment="A note.", group=None):
    return services.create_annotation(
        author=author,
        document=doc,
        target=Target(exact="beta gamma"),
        comment=comment,
        visibility=visibility,
        group=group,
    )


def container(doc):
    return reverse("api-document-annotations", args=[doc.slug])


@pytest.mark.parametrize(
    "url", [lambda d: d.get_absolute_url(), container], ids=["reading view", "API container"]
)
def test_an_unchanged_page_answers_304_and_a_changed_one_200(
    client, doc, user, url, django_assert_max_num_queries
):
    note(doc, user)
    first = client.get(url(doc))
    assert first.status_code == 200
    # The document and its labels (the reading view's tags and collections); nothing is rendered.
    with django_assert_max_num_queries(2):
        again = client.get(url(doc), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]

    note(doc, user, comment="Another note.")
    changed = client.get(url(doc), HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


@pytest.mark.parametrize(
    "url", [lambda d: d.get_absolute_url(), container], ids=["reading view", "API container"]
)
def test_one_readers_entity_tag_never_answers_another_reader_304(doc, user, url):
    note(doc, user, visibility="private", comment="Only mine.")
    author = Client()
    author.force_login(user)
    other = Client()
    other.force_login(UserFactory())
    tag = author.get(url(doc))["ETag"]

    for reader in [Client(), other]:
        response = reader.get(url(doc), HTTP_IF_NONE_MATCH=tag)
        assert response.status_code == 200
        assert b"Only mine." not in response.content


@pytest.mark.parametrize(
    "url", [lambda d: d.get_absolute_url(), container], ids=["reading view", "API container"]
)
def test_an_edit_of_the_documents_metadata_changes_the_entity_tag_and_the_kept_answer(client, doc, url):
    """The container's label names the document's title, so its 304s and kept pages follow it too."""
    first = client.get(url(doc))
    doc.title = "A better title"
    text_changes.save_document(doc)

    again = client.get(url(doc), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert "A better title" in again.content.decode()


def test_a_new_csrf_secret_changes_a_logged_in_readers_entity_tag(doc, user):
    """A page kept by the browser must never carry a CSRF token the server has since rotated."""
    reader = Client()
    reader.force_login(user)
    reader.get(doc.get_absolute_url())
    kept = reader.get(doc.get_absolute_url())["ETag"]
    assert reader.get(doc.get_absolute_url(), HTTP_IF_NONE_MATCH=kept).status_code == 304
    reader.cookies["csrftoken"] = "R" * 32

    assert reader.get(doc.get_absolute_url(), HTTP_IF_NONE_MATCH=kept).status_code == 200


def test_a_kept_annotation_answers_304_without_serialising_and_200_once_edited(
    client, doc, user, django_assert_max_num_queries
):
    """Who may see it (one query) and the kept body with its entity tag (the cache); nothing else."""
    annotation = note(doc, user)
    url = reverse("api-annotation-detail", args=[annotation.pk])
    first = client.get(url)

    with django_assert_max_num_queries(2):
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304

    services.update_annotation(annotation, comment="Second thoughts.")
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert "Second thoughts." in changed.content.decode()


def notes_nobody_else_sees(doc, author):
    """Every kind of write to private and group notes: written, replied to, edited, their tags merged,
    hidden by the group's moderator and restored, made private, their group and author renamed, deleted."""
    mine = note(doc, author, visibility="private", comment="Only mine.")
    services.create_annotation(author=author, parent=mine, comment="A reply to myself.")
    services.update_annotation(mine, comment="Only mine, edited.", tags=["draft", "todo"])
    services.merge_tags(into=Tag.objects.get(name="draft"), tags=[Tag.objects.get(name="todo")])
    author.username = "renamed"
    account_services.save_account(author)
    group = make_group(author)
    ours = note(doc, author, visibility="group", group=group, comment="Ours.")
    services.create_annotation(author=author, parent=ours, comment="A reply in the group.")
    services.update_annotation(ours, comment="Ours, edited.", tags=["seminar"])
    moderation.hide_group_note(group=group, by=author, annotation_id=ours.pk, reason="Off topic.")
    moderation.restore_group_note(group=group, by=author, annotation_id=ours.pk)
    services.update_annotation(ours, visibility="private")
    services.update_annotation(ours, visibility="group", group=group)
    groups.change_group(group=group, by=author, name="Renamed seminar", description="")
    services.delete_annotation(ours)
    services.delete_annotation(mine)


@pytest.mark.parametrize(
    "url", [lambda d: d.get_absolute_url(), container], ids=["reading view", "API container"]
)
def test_private_and_group_notes_never_move_an_anonymous_readers_entity_tag(client, doc, user, url):
    """An entity tag that moved with them would tell anyone when a hidden note was written."""
    note(doc, UserFactory())
    before = client.get(url(doc))["ETag"]

    notes_nobody_else_sees(doc, user)

    assert client.get(url(doc))["ETag"] == before
    assert client.get(url(doc), HTTP_IF_NONE_MATCH=before).status_code == 304


@pytest.mark.parametrize(
    "url", [lambda d: d.get_absolute_url(), container], ids=["reading view", "API container"]
)
@pytest.mark.parametrize(
    "change",
    [
        lambda doc, user, public, curator: note(doc, user),
        lambda doc, user, public, curator: services.create_annotation(
            author=user, parent=public, comment="Re."
        ),
        lambda doc, user, public, curator: services.update_annotation(public, comment="Edited."),
        lambda doc, user, public, curator: services.update_annotation(public, visibility="private"),
        lambda doc, user, public, curator: moderation.hide_annotation(public, by=curator, reason="Spam."),
        lambda doc, user, public, curator: services.delete_annotation(public),
        lambda doc, user, public, curator: services.update_annotation(
            note(doc, user, visibility="private"), visibility="public"
        ),
    ],
    ids=["new", "reply", "edit", "made private", "hidden", "deleted", "made public"],
)
def test_every_change_anyone_may_see_moves_an_anonymous_readers_entity_tag(client, doc, user, url, change):
    public = note(doc, user)
    before = client.get(url(doc))["ETag"]

    change(doc, user, public, CuratorFactory())

    assert client.get(url(doc), HTTP_IF_NONE_MATCH=before).status_code == 200


def test_a_hidden_note_restored_moves_an_anonymous_readers_entity_tag(client, doc, user):
    public = note(doc, user)
    moderation.hide_annotation(public, by=CuratorFactory(), reason="Spam.")
    before = client.get(container(doc))["ETag"]

    moderation.restore_annotation(public)

    assert client.get(container(doc))["ETag"] != before


@pytest.mark.parametrize(
    "url", [lambda d: d.get_absolute_url(), container], ids=["reading view", "API container"]
)
def test_a_readers_own_private_and_group_notes_still_move_their_entity_tag(doc, user, url):
    group = make_group(user)
    author = Client()
    author.force_login(user)
    before = author.get(url(doc))["ETag"]

    mine = note(doc, user, visibility="private", comment="Only mine.")
    after_private = author.get(url(doc))["ETag"]
    services.update_annotation(mine, visibility="group", group=group)
    after_group = author.get(url(doc))["ETag"]

    assert len({before, after_private, after_group}) == 3


# --- One helper for every route that sends an entity tag (documents/conditional.py) ---------------


def routes(doc, annotation):
    return {
        "reading view": doc.get_absolute_url(),
        "document's container": container(doc),
        "every annotation's container": reverse("api-annotation-list"),
        "one annotation": reverse("api-annotation-detail", args=[annotation.pk]),
    }


ROUTES = ["reading view", "document's container", "every annotation's container", "one annotation"]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("method", ["get", "head"])
def test_every_route_answers_304_to_its_own_entity_tag_and_200_to_another(client, doc, user, route, method):
    url = routes(doc, note(doc, user))[route]
    tag = client.get(url)["ETag"]
    ask = getattr(client, method)

    for header in [tag, f"W/{tag}", f'"other", {tag}', "*"]:
        same = ask(url, HTTP_IF_NONE_MATCH=header)
        assert (same.status_code, same["ETag"], same.content) == (304, tag, b""), header
    other = ask(url, HTTP_IF_NONE_MATCH='"other"')
    assert other.status_code == 200
    assert other["ETag"] == tag


@pytest.mark.parametrize("route", ROUTES)
def test_every_route_answers_412_to_a_read_whose_if_match_names_another_version(client, doc, user, route):
    """RFC 9110, section 13.2.2, as Django's ``get_conditional_response`` evaluates it; the API says why
    in problem+json, as it does for every refusal."""
    url = routes(doc, note(doc, user))[route]
    tag = client.get(url)["ETag"]

    assert client.get(url, HTTP_IF_MATCH=tag).status_code == 200
    stale = client.get(url, HTTP_IF_MATCH='"stale"')
    assert stale.status_code == 412
    if route != "reading view":
        assert stale["Content-Type"] == "application/problem+json"
