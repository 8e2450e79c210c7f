"""The reading view's and the API's caches are never wrong: a matrix of write path × reader.

Every reader's page, the document's annotation container (whole and paged)
and every annotation through the API are cached before the write (so a stale
entry would be served if a write path forgot to bump the document's
annotations version); after the write, each reader's next page and API answers
list exactly the annotations that ``Annotation.objects.visible_to`` gives them,
show their current words and names, and carry no comment they may not show.
"""

import json
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from documents.accounts import services as account_services
from documents.annotations import jsonld, moderation, services, text_changes
from documents.annotations.writes import Target
from documents.groups import services as groups
from documents.importing.annotations import import_annotations
from documents.models import Annotation, Collection
from tests.factories import CollectionFactory, CuratorFactory, DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db

TEXT = "# Heading\n\nAlpha beta gamma delta.\n\nA second passage, with more words in it."
ROLES = ["anonymous", "author", "other", "curator"]


class Scene:
    """A document with a public and a private note by each of two scholars, and a reader per role."""

    def __init__(self):
        self.document = DocumentFactory(text=TEXT)
        self.author = UserFactory(username="author")
        self.other = UserFactory(username="other")
        self.curator = CuratorFactory(username="curator")
        self.notes = {}
        for who, person in [("author", self.author), ("other", self.other)]:
            for visibility in ["public", "private"]:
                self.notes[f"{who} {visibility}"] = self.write(
                    person, visibility, f"{who} {visibility} words"
                )
        self.clients = {"anonymous": Client()}
        for role in ["author", "other", "curator"]:
            self.clients[role] = Client()
            self.clients[role].force_login(getattr(self, role))

    def write(self, person, visibility, comment, exact="beta gamma"):
        return services.create_annotation(
            author=person,
            document=self.document,
            target=Target(exact=exact),
            comment=comment,
            visibility=visibility,
        )

    def reader(self, role):
        return None if role == "anonymous" else getattr(self, role)

    def page(self, role, **query):
        response = self.clients[role].get(self.document.get_absolute_url(), query)
        assert response.status_code == 200
        return response.content.decode()

    roles = ROLES

    def container(self, role, **query) -> dict:
        response = self.clients[role].get(
            reverse("api-document-annotations", args=[self.document.slug]), query
        )
        assert response.status_code == 200
        return response.json()

    def api_annotation(self, role, annotation):
        return self.clients[role].get(reverse("api-annotation-detail", args=[annotation.pk]))

    def warm(self):
        for role in self.roles:
            self.page(role)
            self.clients[role].get(reverse("annotation-panel", args=[self.document.slug]))
            self.container(role)
            self.container(role, page="0")
            for annotation in Annotation.objects.filter(document=self.document):
                self.api_annotation(role, annotation)

    def check(self):
        """Every reader's page and panel fragment show exactly what ``visible_to`` allows them."""
        everything = Annotation.objects.filter(document=self.document)
        for role in self.roles:
            user = self.reader(role)
            visible = Annotation.objects.visible_to(user or AnonymousUser()).filter(document=self.document)
            expected = {str(pk) for pk in visible.values_list("pk", flat=True)}
            anchored = {
                str(a.pk)
                for a in visible.filter(parent__isnull=True).exclude(anchor=Annotation.Anchor.ORPHANED)
            }
            for html in [
                self.page(role),
                self.clients[role]
                .get(reverse("annotation-panel", args=[self.document.slug]))
                .content.decode(),
            ]:
                listed = set(re.findall(r'data-annotation-id="([^"]+)"', html))
                assert listed == expected, role
                data = re.search(
                    r'<script id="annotation-highlights" type="application/json">(.*?)</script>', html
                )
                assert {row[0] for row in json.loads(data.group(1))} == anchored, role
                for annotation in everything:
                    assert (annotation.comment in html) == (str(annotation.pk) in expected), (
                        role,
                        annotation.comment,
                    )
                for annotation in visible.select_related("author"):
                    assert annotation.author.get_username() in html
            self.check_api(role, visible, everything)

    def check_api(self, role, visible, everything):
        """The container (whole and first page) lists exactly the visible notes, as they are now, and
        each annotation answers with its current words to those who may see it and 404 to the rest."""
        now = {
            str(annotation.pk): jsonld.annotation_to_jsonld(annotation, base_url="http://testserver")
            for annotation in everything.with_related()
        }
        expected = {str(pk) for pk in visible.values_list("pk", flat=True)}
        for body in [self.container(role)["first"], self.container(role, page="0")]:
            items = {item["id"].rstrip("/").rsplit("/", 1)[-1]: item for item in body["items"]}
            assert set(items) == expected, role
            for pk, item in items.items():
                assert {"@context": now[pk]["@context"], **item} == now[pk], role
        for pk, description in now.items():
            response = self.api_annotation(role, Annotation(pk=pk))
            if pk not in expected:
                assert response.status_code == 404, (role, description)
                continue
            assert response.status_code == 200, (role, description)
            assert response.json() == description, role


def create_public(scene):
    scene.write(scene.other, "public", "a new public note")


def create_private(scene):
    scene.write(scene.author, "private", "a new private note")


def reply(scene):
    services.create_annotation(author=scene.other, parent=scene.notes["author public"], comment="a reply")


def edit(scene):
    services.update_annotation(scene.notes["author public"], comment="second thoughts")


def make_private(scene):
    services.update_annotation(scene.notes["author public"], visibility="private")


def make_public(scene):
    services.update_annotation(scene.notes["other private"], visibility="public")


def delete(scene):
    services.delete_annotation(scene.notes["other public"])


def hide(scene):
    moderation.hide_annotation(scene.notes["other public"], by=scene.curator, reason="Off topic")


def restore(scene):
    moderation.hide_annotation(scene.notes["other public"], by=scene.curator, reason="Off topic")
    scene.warm()
    moderation.restore_annotation(scene.notes["other public"])


def reanchor(scene):
    document = type(scene.document).objects.get(pk=scene.document.pk)
    document.text = TEXT.replace("beta gamma", "zeta eta")
    text_changes.save_document(document)


def import_notes(scene):
    item = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "body": [{"type": "TextualBody", "value": "an imported note", "purpose": "commenting"}],
        "target": {
            "source": f"http://testserver{scene.document.get_absolute_url()}",
            "selector": [{"type": "TextQuoteSelector", "exact": "second passage"}],
        },
        "visibility": "public",
    }
    report = import_annotations(user=scene.other, items=[item], base_url="http://testserver")
    assert len(report.imported) == 1


def rename_account(scene):
    scene.other.username = "renamed"
    account_services.save_account(scene.other)


WRITES = [
    create_public,
    create_private,
    reply,
    edit,
    make_private,
    make_public,
    delete,
    hide,
    restore,
    reanchor,
    import_notes,
    rename_account,
]


@pytest.mark.parametrize("write", WRITES, ids=[write.__name__ for write in WRITES])
def test_after_each_write_every_reader_sees_exactly_what_visible_to_allows(write):
    scene = Scene()
    scene.warm()
    scene.check()
    write(scene)
    scene.check()


def test_deleting_an_account_takes_its_notes_off_every_cached_page():
    scene = Scene()
    scene.warm()
    account_services.delete_account(type(scene.other).objects.get(pk=scene.other.pk))
    for role in ["anonymous", "author", "curator"]:
        html = scene.page(role)
        assert "other public words" not in html
        assert "author public words" in html


def test_a_readers_own_private_note_never_reaches_another_reader_through_the_cache():
    scene = Scene()
    for role in ROLES:
        html = scene.page(role)
        assert ("author private words" in html) == (role == "author")
        assert ("other private words" in html) == (role == "other")


def test_a_document_saved_from_an_old_copy_never_moves_its_annotations_version_back():
    scene = Scene()
    old_copy = type(scene.document).objects.get(pk=scene.document.pk)
    scene.write(scene.author, "public", "written after the copy was read")
    written = type(scene.document).objects.get(pk=scene.document.pk).annotations_version
    old_copy.title = "A new title"
    old_copy.save()
    old_copy.refresh_from_db()
    assert old_copy.annotations_version == written > 0


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        ({}, 3),
        ({"page": "2"}, 3),
        ({"tag": "x"}, 1),
        ({"author": "other"}, 1),
        ({"page": "1x"}, 1),
        ({"q": "1"}, 1),
    ],
)
def test_filtered_or_odd_queries_are_rendered_each_time_not_kept(client, query, kept):
    """A client could invent endless query strings; keeping a page for each would fill the shared cache.

    A plain page keeps its passages, its panel and the whole page; any other query keeps only the
    passages, which do not depend on it.
    """
    scene = Scene()
    before = _cache_rows()

    assert client.get(scene.document.get_absolute_url(), query).status_code == 200
    assert _cache_rows() - before == kept


def _cache_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM archive_cache")
        return cursor.fetchone()[0]


# --- Groups (docs/reading-and-annotating.md, "Groups"): membership changes reach every cached page at once
# --------------

GROUP_ROLES = [*ROLES, "member", "outsider"]


class GroupScene(Scene):
    """The scene above, with a seminar moderated by "author" where "member" writes too.

    "outsider" is in no group; the curator is not in the seminar. Each reader's page and
    panel are cached before a write; after it they must show what ``visible_to`` allows.
    """

    def __init__(self):
        from tests.factories import make_group

        super().__init__()
        self.member = UserFactory(username="member")
        self.outsider = UserFactory(username="outsider")
        self.group = make_group(self.author, self.member, name="Seminar")
        self.link = groups.create_invitation(group=self.group, by=self.author)
        self.notes["author group"] = self.write_group(self.author, "author group words")
        self.notes["member group"] = self.write_group(self.member, "member group words")
        for role in ["member", "outsider"]:
            self.clients[role] = Client()
            self.clients[role].force_login(getattr(self, role))

    def write_group(self, person, comment):
        return services.create_annotation(
            author=person,
            document=self.document,
            target=Target(exact="beta gamma"),
            comment=comment,
            visibility="group",
            group=self.group,
        )

    roles = GROUP_ROLES


def group_note(scene):
    scene.write_group(scene.member, "a new group note")


def group_reply(scene):
    services.create_annotation(author=scene.member, parent=scene.notes["author group"], comment="group reply")


def move_into_group(scene):
    services.update_annotation(scene.notes["author public"], visibility="group", group=scene.group)


def move_out_of_group(scene):
    services.update_annotation(scene.notes["author group"], visibility="private")


def hide_in_group(scene):
    moderation.hide_group_note(
        group=scene.group, by=scene.author, annotation_id=scene.notes["member group"].pk, reason="Off topic"
    )


def restore_in_group(scene):
    hide_in_group(scene)
    scene.warm()
    note = scene.notes["member group"]
    moderation.restore_group_note(group=scene.group, by=scene.author, annotation_id=note.pk)


def remove_member(scene):
    groups.remove_member(group=scene.group, by=scene.author, member=scene.member)


def member_leaves(scene):
    groups.leave_group(group=scene.group, user=scene.member)


def outsider_joins(scene):
    groups.join_group(slug=scene.group.slug, token=scene.link.token, user=scene.outsider)


def member_made_moderator(scene):
    hide_in_group(scene)
    scene.warm()
    groups.make_moderator(group=scene.group, by=scene.author, member=scene.member)


def rename_group(scene):
    groups.change_group(group=scene.group, by=scene.author, name="Reading circle", description="Weekly.")


GROUP_WRITES = [
    rename_group,
    group_note,
    group_reply,
    move_into_group,
    move_out_of_group,
    hide_in_group,
    restore_in_group,
    remove_member,
    member_leaves,
    outsider_joins,
    member_made_moderator,
]


@pytest.mark.parametrize("write", GROUP_WRITES, ids=[write.__name__ for write in GROUP_WRITES])
def test_after_each_group_write_every_reader_sees_exactly_what_visible_to_allows(write):
    scene = GroupScene()
    scene.warm()
    scene.check()
    write(scene)
    scene.check()


def test_a_renamed_group_shows_its_new_name_at_once_on_every_cached_page_that_named_it():
    """Members' pages are keyed by their groups' names; a former member who wrote in the group
    still sees their note and its group's name, and their page moves with the document's version."""
    scene = GroupScene()
    groups.leave_group(group=scene.group, user=scene.member)
    scene.warm()
    for role in ["author", "member"]:
        assert "Seminar" in scene.page(role), role

    groups.change_group(group=scene.group, by=scene.author, name="Reading circle", description="")

    for role in ["author", "member"]:
        html = scene.page(role)
        panel = scene.clients[role].get(reverse("annotation-panel", args=[scene.document.slug]))
        for text in [html, panel.content.decode()]:
            assert "Reading circle" in text, role
            assert "Seminar" not in text, role


def test_a_removed_member_gets_a_new_container_etag_and_no_group_note():
    scene = GroupScene()
    url = reverse("api-document-annotations", args=[scene.document.slug])
    first = scene.clients["member"].get(url)
    assert "author group words" in first.content.decode()

    groups.remove_member(group=scene.group, by=scene.author, member=scene.member)
    again = scene.clients["member"].get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert "author group words" not in again.content.decode()
    assert "member group words" in again.content.decode()  # their own words stay theirs


@pytest.mark.parametrize("label", ["tag", "collection"])
def test_a_renamed_tag_or_collection_shows_at_once_on_a_kept_anonymous_page(client, label):
    """The labels are listed in the document's own query on every request
    (``freshness.visible_document``), so the kept page's key moves with them."""
    collection = CollectionFactory(title="Old papers", slug="papers")
    document = DocumentFactory(text=TEXT, tags=["old tag"], collections=[collection])
    first = client.get(document.get_absolute_url())
    assert client.get(document.get_absolute_url()).content == first.content  # kept

    if label == "tag":
        Tag.objects.filter(name="old tag").update(name="new tag")
    else:
        Collection.objects.filter(pk=collection.pk).update(title="New papers")

    html = client.get(document.get_absolute_url()).content.decode()
    assert ("new tag" in html) == (label == "tag")
    assert ("New papers" in html) == (label == "collection")
    assert client.get(document.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
