"""Importing someone else's notes keeps who wrote them and when, and keeps them private
(docs/reading-and-annotating.md, "Exports and imports"): only a note whose W3C ``creator`` is the importer's
own account here is
stored as theirs."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from documents.annotations import jsonld, services
from documents.annotations.rules import AnnotationError
from documents.annotations.writes import Target
from documents.importing.annotations import import_annotations
from documents.models import Annotation
from tests.factories import DocumentFactory, make_group
from tests.html import parse

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
TEXT = "# Heading\n\nAlpha beta gamma delta.\n\nA second passage, with more words in it."
LONG_AGO = datetime(2001, 9, 10, 8, 30, tzinfo=UTC)


@pytest.fixture
def doc():
    return DocumentFactory(slug="rome", text=TEXT)


@pytest.fixture
def theirs(doc, other_user):
    """other_user's public note and public reply, written long before anyone's account here."""
    other_user.date_joined = LONG_AGO - timedelta(days=1)
    other_user.save()
    root = services.create_annotation(
        author=other_user,
        document=doc,
        target=Target(exact="beta gamma"),
        comment="Their words.",
        visibility="public",
        created=LONG_AGO,
    )
    services.create_annotation(author=other_user, parent=root, comment="Their reply.")
    return root


def exported(client, reader, document):
    """The document's annotations as ``reader`` downloads them, read back as import items."""
    client.force_login(reader)
    data = client.get(reverse("document-annotations-export", args=[document.slug, "jsonld"])).json()
    client.logout()
    return jsonld.parse_many(data)


def run_import(user, items):
    return import_annotations(user=user, items=items, base_url=BASE)


def creator(username):
    return {"id": f"acct:{username}@testserver", "type": "Person", "nickname": username}


class TestSomeoneElsesExport:
    def test_their_public_notes_come_in_private_with_their_creator_dates_and_source(
        self, client, doc, user, other_user, theirs
    ):
        items = exported(client, user, doc)

        report = run_import(user, items)

        assert report.refused == []
        copies = Annotation.objects.filter(author=user).order_by("created")
        assert [(c.visibility, c.imported_copy) for c in copies] == [("private", True)] * 2
        root = copies.get(parent__isnull=True)
        assert (root.creator_name, root.creator_iri) == (
            other_user.username,
            f"acct:{other_user.username}@testserver",
        )
        assert (root.created, root.modified) == (LONG_AGO, LONG_AGO)
        assert root.via == jsonld.annotation_iri(theirs.pk, base_url=BASE)
        assert copies.get(parent__isnull=False).parent == root
        assert not Annotation.objects.visible_to(AnonymousUser()).filter(author=user).exists()
        assert not Annotation.objects.visible_to(other_user).filter(author=user).exists()

    def test_a_nickname_alone_is_not_proof(self, doc, user):
        item = jsonld.annotation_to_jsonld(_public_note(doc, user), base_url=BASE)
        Annotation.objects.all().delete()
        item["creator"] = {"type": "Person", "nickname": user.username}

        report = run_import(user, [item])

        copy = report.imported[0]
        assert (copy.visibility, copy.imported_copy, copy.creator_name) == ("private", True, user.username)

    def test_a_note_without_a_creator_is_private_and_says_so(self, doc, user):
        item = jsonld.annotation_to_jsonld(_public_note(doc, user), base_url=BASE)
        Annotation.objects.all().delete()
        del item["creator"]

        copy = run_import(user, [item]).imported[0]

        assert (copy.visibility, copy.imported_copy, copy.creator_name, copy.creator_iri) == (
            "private",
            True,
            "",
            "",
        )

    def test_my_account_named_on_a_note_older_than_my_account_is_not_mine(self, doc, user):
        item = jsonld.annotation_to_jsonld(_public_note(doc, user), base_url=BASE)
        Annotation.objects.all().delete()
        item["created"] = "2001-09-10T08:30:00Z"

        copy = run_import(user, [item]).imported[0]

        assert (copy.visibility, copy.imported_copy) == ("private", True)

    def test_a_group_note_by_someone_else_comes_in_private(self, doc, user, other_user):
        group = make_group(other_user, user)
        note = services.create_annotation(
            author=other_user, document=doc, target=Target(exact="Alpha"), visibility="group", group=group
        )
        item = jsonld.annotation_to_jsonld(Annotation.objects.with_related().get(pk=note.pk), base_url=BASE)

        copy = run_import(user, [item]).imported[0]

        assert (copy.visibility, copy.group, copy.imported_copy) == ("private", None, True)

    def test_their_reply_to_my_public_note_is_refused_not_published(self, doc, user, other_user):
        mine = _public_note(doc, user)
        their_reply = services.create_annotation(author=other_user, parent=mine, comment="Their reply.")
        item = jsonld.annotation_to_jsonld(
            Annotation.objects.with_related().get(pk=their_reply.pk), base_url=BASE
        )
        their_reply.delete()

        report = run_import(user, [item])

        assert report.imported == []
        assert report.refused[0].field == "creator"
        assert "someone else" in report.refused[0].reason
        assert not mine.replies.exists()

    def test_a_copy_is_exported_with_its_creator_and_comes_back_the_same(
        self, client, doc, user, other_user, theirs
    ):
        run_import(user, exported(client, user, doc))
        client.force_login(user)
        mine = client.get(reverse("my-annotations-export", args=["jsonld"])).json()
        root = next(i for i in mine["first"]["items"] if isinstance(i["target"], dict))

        assert root["creator"] == creator(other_user.username)
        assert root["importedBy"] == creator(user.username)
        assert (root["created"], root["visibility"]) == ("2001-09-10T08:30:00Z", "private")
        assert root["via"] == jsonld.annotation_iri(theirs.pk, base_url=BASE)

        Annotation.objects.filter(author=user).delete()
        again = run_import(user, jsonld.parse_many(mine))

        assert len(again.imported) == 2
        assert {(c.imported_copy, c.creator_name, c.visibility) for c in again.imported} == {
            (True, other_user.username, "private")
        }


class TestMyOwnExport:
    def test_my_notes_keep_their_visibility_and_stay_mine(self, client, doc, user):
        group = make_group(user)
        services.create_annotation(
            author=user, document=doc, target=Target(exact="Alpha"), visibility="public"
        )
        services.create_annotation(
            author=user, document=doc, target=Target(exact="delta"), visibility="group", group=group
        )
        client.force_login(user)
        data = client.get(reverse("my-annotations-export", args=["jsonld"])).json()
        Annotation.objects.all().delete()

        report = run_import(user, jsonld.parse_many(data))

        assert sorted((a.visibility, a.imported_copy, a.creator_name) for a in report.imported) == [
            ("group", False, ""),
            ("public", False, ""),
        ]


class TestACopyStaysPrivate:
    def test_it_cannot_be_made_public(self, client, doc, user, other_user, theirs):
        run_import(user, exported(client, user, doc))
        copy = Annotation.objects.get(author=user, parent__isnull=True)

        with pytest.raises(AnnotationError, match="written by someone else"):
            services.update_annotation(copy, visibility="public")

        copy.refresh_from_db()
        assert copy.visibility == "private"

    def test_the_api_refuses_to_publish_it(self, client, doc, user, other_user, theirs):
        run_import(user, exported(client, user, doc))
        copy = Annotation.objects.with_related().get(author=user, parent__isnull=True)
        data = jsonld.annotation_to_jsonld(copy, base_url=BASE)
        data["visibility"] = "public"
        client.force_login(user)

        response = client.put(
            reverse("api-annotation-detail", args=[copy.pk]),
            data,
            content_type="application/ld+json",
            HTTP_IF_MATCH=client.get(reverse("api-annotation-detail", args=[copy.pk]))["ETag"],
        )

        assert response.status_code == 400
        assert "written by someone else" in response.json()["detail"]


class TestShown:
    def test_the_panel_says_who_wrote_it_and_when(self, client, doc, user, other_user, theirs):
        run_import(user, exported(client, user, doc))
        client.force_login(user)

        html = client.get(doc.get_absolute_url()).content.decode()

        assert f"Imported; written by {other_user.username} on" in html
        assert "10 Sep 2001" in html


def _public_note(document, author):
    note = services.create_annotation(
        author=author, document=document, target=Target(exact="Alpha"), comment="Mine.", visibility="public"
    )
    return Annotation.objects.with_related().get(pk=note.pk)


def test_search_names_who_wrote_a_copy(client, doc, user, other_user, theirs):
    run_import(user, exported(client, user, doc))
    client.force_login(user)

    text = parse(client.get(reverse("search"), {"q": "Their words"})).find("main").text_content

    assert f"Note by {other_user.username}" in text
    assert f"Note by {user.username}" not in text


def test_csv_and_markdown_exports_name_who_wrote_a_copy(client, doc, user, other_user, theirs):
    run_import(user, exported(client, user, doc))
    client.force_login(user)

    rows = list(
        csv.DictReader(
            io.StringIO(client.get(reverse("my-annotations-export", args=["csv"])).content.decode())
        )
    )
    markdown = client.get(reverse("my-annotations-export", args=["md"])).content.decode()

    assert rows
    assert all((row["author"], row["visibility"]) == (other_user.username, "private") for row in rows)
    assert f"**{other_user.username}** (imported by {user.username})" in markdown
