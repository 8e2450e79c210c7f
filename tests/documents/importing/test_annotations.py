"""Importing W3C annotations: the service, the round trip through an export, the upload form."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from documents.annotations import jsonld, services
from documents.annotations import rules as annotation_rules
from documents.annotations.rules import AnnotationError
from documents.annotations.writes import Target
from documents.importing.annotations import ImportTooLarge, import_annotations
from documents.models import Annotation
from tests.factories import AnnotationFactory, DocumentFactory

pytestmark = pytest.mark.django_db

ANNO = "http://www.w3.org/ns/anno.jsonld"
BASE = "http://testserver"
TEXT = "# Heading\n\nAlpha beta gamma delta.\n\nA second passage, with more words in it."


@pytest.fixture
def doc():
    return DocumentFactory(slug="rome", text=TEXT)


def iri(annotation_id):
    return f"{BASE}/api/annotations/{annotation_id}/"


def item(document, *, exact="beta gamma", comment="A note.", tags=(), visibility="private", **extra):
    body = [{"type": "TextualBody", "value": comment, "purpose": "commenting"}] if comment else []
    body += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in tags]
    data = {
        "@context": ANNO,
        "type": "Annotation",
        "body": body,
        "target": {
            "source": f"{BASE}/documents/{document.slug}/",
            "selector": [{"type": "TextQuoteSelector", "exact": exact}],
        },
        "visibility": visibility,
    }
    return {**data, **extra}


def reply(parent_iri, *, comment="A reply.", **extra):
    return {
        "@context": ANNO,
        "type": "Annotation",
        "motivation": "replying",
        "bodyValue": comment,
        "target": parent_iri,
        **extra,
    }


def by(user):
    """The W3C creator that makes an item ``user``'s own, not a copy (docs/reading-and-annotating.md,
    "Exports and imports")."""
    return {
        "creator": {"id": f"acct:{user.username}@testserver", "type": "Person", "nickname": user.username}
    }


def run_import(user, items, **kwargs):
    return import_annotations(user=user, items=items, base_url=BASE, **kwargs)


def snapshot(annotation, parent_key):
    return (
        annotation.exact,
        annotation.prefix,
        annotation.suffix,
        annotation.start,
        annotation.end,
        annotation.comment,
        sorted(annotation.tags.names()),
        annotation.visibility,
        annotation.motivation,
        annotation.document_id,
        annotation.created.replace(microsecond=0),
        parent_key,
    )


class TestRoundTrip:
    def test_exported_annotations_come_back_the_same_after_a_flush(self, client, doc, user, other_user):
        second = DocumentFactory(text=TEXT)
        theirs = AnnotationFactory(document=doc, author=other_user, visibility="public")
        long_ago = datetime(2001, 9, 10, 8, 30, tzinfo=UTC)
        user.date_joined = long_ago  # a note dated before its author's account is not theirs
        user.save()
        root = services.create_annotation(
            author=user,
            document=doc,
            target=Target(exact="beta gamma"),
            comment="Why **this**?",
            tags=["law", "ICC"],
            visibility="public",
            created=long_ago,
        )
        services.create_annotation(author=user, document=second, target=Target(start=33, end=39))
        services.create_annotation(
            author=user, document=second, target=Target(exact="more words"), tags=["style"]
        )
        first_reply = services.create_annotation(author=user, parent=root, comment="A reply.")
        services.create_annotation(author=user, parent=first_reply, comment="A reply to the reply.")
        services.create_annotation(author=user, parent=theirs, comment="Answering someone else.")
        mine = Annotation.objects.filter(author=user)
        iri_of = {annotation.pk: iri(annotation.pk) for annotation in mine}
        before = {
            iri(a.pk): snapshot(a, iri_of.get(a.parent_id, a.parent_id))
            for a in mine.select_related("parent")
        }
        client.force_login(user)
        exported = client.get(reverse("my-annotations-export", args=["jsonld"])).json()

        mine.delete()
        report = run_import(user, jsonld.parse_many(exported))

        assert report.refused == []
        assert len(report.imported) == len(before) == 6
        after = {
            a.via: snapshot(a, (a.parent.via or a.parent_id) if a.parent else None)
            for a in Annotation.objects.filter(author=user).select_related("parent")
        }
        assert after == before

    def test_the_importer_is_the_author_whoever_the_creator_was(self, doc, user):
        data = item(doc, creator={"id": "acct:someone@elsewhere", "type": "Person", "nickname": "someone"})

        report = run_import(user, [data])

        assert report.imported[0].author == user


class TestRefusals:
    def test_a_mix_of_good_and_bad_items_stores_the_good_and_says_why_for_each_bad_one(
        self, doc, draft, user
    ):
        items = [
            item(doc, id="urn:uuid:0a0a0a0a-0000-0000-0000-000000000001"),
            item(doc, exact="not in this text", id="https://elsewhere.example/anno/2"),
            {"@context": ANNO, "type": "Annotation", "id": "https://elsewhere.example/anno/3"},
            "not an annotation",
            item(draft, exact="first passage"),
            reply(iri("00000000-0000-0000-0000-000000000000")),
            item(doc, exact="delta", tags=[f"t{n}" for n in range(25)]),
            item(doc, exact="Alpha", comment="Fine too."),
        ]

        report = run_import(user, items)

        assert [a.comment for a in report.imported] == ["A note.", "Fine too."]
        assert report.imported[0].via == "urn:uuid:0a0a0a0a-0000-0000-0000-000000000001"
        refused = {r.index: r for r in report.refused}
        assert sorted(refused) == [1, 2, 3, 4, 5, 6]
        assert (refused[1].id, refused[1].field) == ("https://elsewhere.example/anno/2", "target")
        assert refused[1].reason.startswith("The quoted text “not in this text” does not occur")
        assert (refused[2].id, refused[2].field) == ("https://elsewhere.example/anno/3", "target")
        assert refused[2].reason.startswith("target is missing")
        assert (refused[3].id, refused[3].reason) == ("", "Send the annotation as a JSON object.")
        assert refused[4].field == "target.source"
        assert "not a published document" in refused[4].reason
        assert refused[5].reason == (
            "The annotation this replies to is neither in the import nor one you may see."
        )
        assert refused[6].field == "body"
        assert "at most 20 tags" in refused[6].reason
        assert Annotation.objects.count() == 2

    def test_a_reply_to_an_annotation_the_importer_may_not_see_is_refused(self, doc, user, other_user):
        private = AnnotationFactory(document=doc, author=other_user, visibility="private")

        report = run_import(user, [reply(iri(private.pk))])

        assert report.imported == []
        assert report.refused[0].field == "target"
        assert not private.replies.exists()

    def test_a_reply_whose_parent_was_refused_is_refused_too(self, doc, user):
        parent_id = iri("11111111-1111-1111-1111-111111111111")
        items = [reply(parent_id), item(doc, exact="nowhere", id=parent_id)]

        report = run_import(user, items)

        assert report.imported == []
        assert report.refused[0].reason == f"The annotation this replies to ({parent_id}) was not imported."

    def test_replies_that_answer_each_other_in_a_circle_are_refused(self, user):
        one, two = iri("11111111-1111-1111-1111-111111111111"), iri("22222222-2222-2222-2222-222222222222")

        report = run_import(user, [reply(two, id=one), reply(one, id=two)])

        assert report.imported == []
        assert {r.index for r in report.refused} == {0, 1}
        assert "circle" in report.refused[0].reason

    def test_an_id_twice_in_one_import_is_stored_once(self, doc, user):
        same = "https://elsewhere.example/anno/1"

        report = run_import(user, [item(doc, id=same), item(doc, exact="Alpha", id=same)])

        assert len(report.imported) == 1
        assert (report.refused[0].index, report.refused[0].field) == (1, "id")

    def test_text_no_database_can_store_is_refused_not_a_crash(self, doc, user):
        report = run_import(user, [item(doc, comment="a\x00b"), item(doc, tags=["\ud800"]), item(doc)])

        assert len(report.imported) == 1
        assert [r.index for r in report.refused] == [0, 1]
        assert "NUL" in report.refused[0].reason

    def test_more_than_the_limit_is_refused_whole(self, doc, user):
        with pytest.raises(ImportTooLarge, match="at most 1,000 annotations; this one has 1,001"):
            run_import(user, [item(doc)] * (annotation_rules.MAX_IMPORT_ANNOTATIONS + 1))

        assert not Annotation.objects.exists()

    def test_the_limit_itself_is_accepted(self, doc, user):
        items = [item(doc, id=f"urn:example:{n}") for n in range(annotation_rules.MAX_IMPORT_ANNOTATIONS)]

        report = run_import(user, items)

        assert len(report.imported) == annotation_rules.MAX_IMPORT_ANNOTATIONS

    def test_nothing_to_import_is_an_error(self, user):
        with pytest.raises(AnnotationError, match="no annotations"):
            run_import(user, [])


class TestReplies:
    def test_a_reply_before_its_parent_in_the_file_still_answers_the_new_copy(self, doc, user):
        root_id = iri("11111111-1111-1111-1111-111111111111")
        first_id = iri("33333333-3333-3333-3333-333333333333")
        items = [
            reply(first_id, comment="Second level.", id="urn:example:second", **by(user)),
            reply(root_id, comment="First level.", id=first_id, **by(user)),
            item(doc, id=root_id, visibility="public", **by(user)),
        ]

        report = run_import(user, items)

        assert report.refused == []
        root = Annotation.objects.get(via=root_id)
        first = Annotation.objects.get(via=first_id)
        second = Annotation.objects.get(via="urn:example:second")
        assert (first.parent, first.root, second.parent, second.root) == (root, root, first, root)
        assert {first.visibility, second.visibility} == {"public"}

    def test_a_reply_to_an_existing_visible_annotation_attaches_to_it(self, doc, user, other_user):
        theirs = AnnotationFactory(document=doc, author=other_user, visibility="public")

        report = run_import(user, [reply(iri(theirs.pk), **by(user))])

        assert report.imported[0].parent == theirs
        assert report.imported[0].author == user


class TestDates:
    @pytest.mark.parametrize(
        ("created", "kept"),
        [
            ("2001-09-10T08:30:00Z", True),
            ("2001-09-10T10:30:00+02:00", True),
            ("2001-09-10T08:30:00", False),
            ("yesterday", False),
            ("2001-02-30T08:30:00Z", False),
            (20010910, False),
        ],
    )
    def test_a_valid_created_date_with_a_time_zone_is_kept(self, doc, user, created, kept):
        report = run_import(user, [item(doc, created=created)])

        annotation = Annotation.objects.get(pk=report.imported[0].pk)
        expected = datetime(2001, 9, 10, 8, 30, tzinfo=UTC)
        assert (annotation.created == expected) is kept
        if kept:
            assert annotation.modified == annotation.created

    def test_a_created_date_in_the_future_is_not_kept(self, doc, user):
        future = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")

        report = run_import(user, [item(doc, created=future)])

        assert report.imported[0].created < datetime.now(UTC) + timedelta(minutes=1)


class TestAgain:
    def test_importing_the_same_file_twice_stores_nothing_twice(self, doc, user):
        root_id = iri("44444444-4444-4444-4444-444444444444")
        items = [
            item(doc, id="urn:example:1"),
            reply(root_id, id="urn:example:reply"),
            item(doc, exact="Alpha", id=root_id),
        ]
        run_import(user, items)

        again = run_import(user, items)

        assert again.imported == [] and again.refused == []
        assert [outcome.index for outcome in again.outcomes] == [0, 2, 1]
        assert set(again.already) == set(Annotation.objects.all())
        assert again.summary() == "3 already in the archive."
        assert Annotation.objects.count() == 3

    def test_a_new_reply_to_an_annotation_already_imported_attaches_to_that_copy(self, doc, user):
        root_id = iri("55555555-5555-5555-5555-555555555555")
        run_import(user, [item(doc, id=root_id)])

        report = run_import(user, [item(doc, id=root_id), reply(root_id, comment="New.")])

        assert report.imported[0].parent == Annotation.objects.get(via=root_id)

    def test_one_of_my_annotations_sent_back_is_already_there(self, doc, user):
        mine = services.create_annotation(author=user, document=doc, target=Target(exact="Alpha"))

        report = run_import(user, [item(doc, exact="Alpha", id=iri(mine.pk))])

        assert report.imported == [] and report.refused == []
        assert report.already == [mine]

    def test_someone_elses_annotation_is_copied_with_its_id_in_via(self, doc, user, other_user):
        theirs = AnnotationFactory(document=doc, author=other_user, visibility="public", start=9)
        data = jsonld.annotation_to_jsonld(Annotation.objects.with_related().get(pk=theirs.pk), base_url=BASE)

        report = run_import(user, [data])

        copy = report.imported[0]
        assert (copy.author, copy.via, copy.exact) == (user, iri(theirs.pk), theirs.exact)


class TestIdentical:
    """An export re-posted with its ids removed: each note is recognised, not copied
    (docs/reading-and-annotating.md, "Exports and imports")."""

    def exported_without_ids(self, client, user, document):
        client.force_login(user)
        data = client.get(reverse("my-annotations-export", args=["jsonld"])).json()
        items = jsonld.parse_many(data)
        for entry in items:
            entry.pop("id")
        return items

    def test_an_export_without_its_ids_is_already_in_the_archive(self, client, doc, user):
        root = services.create_annotation(
            author=user, document=doc, target=Target(exact="beta gamma"), comment="Root.", tags=["a", "b"]
        )
        services.create_annotation(author=user, document=doc, target=Target(exact="Alpha"))
        services.create_annotation(author=user, document=doc, target=Target(), comment="Page.")
        services.create_annotation(author=user, parent=root, comment="Reply.")
        items = self.exported_without_ids(client, user, doc)
        # A reply targets its parent's IRI, which stays: the parent is already there.

        report = run_import(user, items)

        assert report.imported == [] and report.refused == []
        assert len(report.already) == 4
        assert report.summary() == "4 already in the archive."
        assert Annotation.objects.count() == 4

    @pytest.mark.parametrize(
        "change",
        [
            {"comment": "Another comment."},
            {"tags": ("a", "c")},
            {"exact": "Alpha beta gamma"},
        ],
        ids=["comment", "tags", "words"],
    )
    def test_a_note_that_differs_in_what_it_says_or_where_is_imported(self, doc, user, change):
        services.create_annotation(
            author=user, document=doc, target=Target(exact="beta gamma"), comment="A note.", tags=["a", "b"]
        )
        fields = {"exact": "beta gamma", "comment": "A note.", "tags": ("a", "b"), **change}

        report = run_import(user, [item(doc, **fields)])

        assert len(report.imported) == 1
        assert report.already == []

    def test_the_same_words_at_another_place_are_another_note(self, user):
        document = DocumentFactory(text="Alpha beta.\n\nAlpha beta.")
        services.create_annotation(author=user, document=document, target=Target(start=0, end=5))
        second = {
            "@context": ANNO,
            "type": "Annotation",
            "target": {
                "source": f"{BASE}/documents/{document.slug}/",
                "selector": [{"type": "TextPositionSelector", "start": 13, "end": 18}],
            },
        }

        report = run_import(user, [second])

        assert len(report.imported) == 1

    def test_someone_elses_identical_note_is_no_reason_to_refuse_mine(self, doc, user, other_user):
        services.create_annotation(
            author=other_user, document=doc, target=Target(exact="beta gamma"), comment="A note."
        )

        report = run_import(user, [item(doc)])

        assert len(report.imported) == 1


class TestScope:
    def test_only_annotations_on_the_given_document_are_accepted(self, doc, user, other_user):
        other = DocumentFactory(text=TEXT)
        elsewhere = AnnotationFactory(document=other, author=other_user, visibility="public")

        report = run_import(user, [item(doc), item(other), reply(iri(elsewhere.pk))], document=doc)

        assert [a.document for a in report.imported] == [doc]
        assert [(r.index, r.field) for r in report.refused] == [(1, "target.source"), (2, "target")]
        assert "another document" in report.refused[1].reason


def upload(content, name="annotations.jsonld"):
    return SimpleUploadedFile(name, content, content_type="application/ld+json")


class TestUploadForm:
    url = "/accounts/profile/annotations/import/"

    def test_the_address_is_the_named_one(self):
        assert reverse("my-annotations-import") == self.url

    def test_anonymous_readers_are_sent_to_log_in(self, client):
        response = client.post(self.url, {"file": upload(b"[]")})

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_the_page_shows_the_form_on_its_own(self, client, user):
        client.force_login(user)

        html = client.get(self.url).content.decode()

        assert '<label for="id_file">Annotations file (W3C JSON-LD)</label>' in html
        assert 'enctype="multipart/form-data"' in html
        assert ">Import</button>" in html

    def test_a_file_is_imported_and_the_report_lists_each_refusal(self, client, doc, user):
        client.force_login(user)
        items = [item(doc, comment="Good."), item(doc, exact="missing words", id="urn:example:bad")]

        response = client.post(self.url, {"file": upload(json.dumps(items).encode())})

        assert response.status_code == 200
        html = response.content.decode()
        assert "1 annotation imported; 1 refused." in html
        assert "urn:example:bad" in html
        assert "Item 2" in html
        assert Annotation.objects.get(author=user).comment == "Good."

    def test_a_file_imported_again_reads_as_already_there_with_working_links(self, client, doc, user):
        client.force_login(user)
        items = [item(doc, exact=word, comment=f"On {word}.") for word in ("Alpha", "beta", "gamma")]
        client.post(self.url, {"file": upload(json.dumps(items).encode())})

        response = client.post(self.url, {"file": upload(json.dumps(items).encode())})

        html = response.content.decode()
        assert response.status_code == 200
        assert '<p role="status">3 already in the archive.</p>' in html
        assert "No annotations were imported" not in html
        assert "Refused" not in html and "Correct them" not in html
        assert "(<code></code>)" not in html
        links = [f'href="{note.get_absolute_url()}"' for note in Annotation.objects.all()]
        assert all(link in html for link in links)
        for note in Annotation.objects.all():
            landing = client.get(note.get_absolute_url(), follow=True)
            assert landing.status_code == 200
            assert f'id="annotation-{note.pk}"' in landing.content.decode()

    def test_an_exported_collection_with_a_byte_order_mark_is_read(self, client, doc, user):
        AnnotationFactory(document=doc, author=user)
        client.force_login(user)
        exported = client.get(reverse("my-annotations-export", args=["jsonld"])).content
        Annotation.objects.all().delete()

        response = client.post(self.url, {"file": upload(b"\xef\xbb\xbf" + exported)})

        assert "1 annotation imported." in response.content.decode()

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"{not json", "The file is not valid JSON (line 1, column 2"),
            ("é".encode("latin-1"), "The file is not UTF-8 text"),
            (b'{"hello": "world"}', "Send an Annotation, an AnnotationCollection"),
            (b"[]", "There are no annotations to import."),
            (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        ],
    )
    def test_a_file_that_cannot_be_read_says_why(self, client, user, content, message):
        client.force_login(user)

        response = client.post(self.url, {"file": upload(content)})

        assert response.status_code == 400
        assert message in response.content.decode()

    def test_a_file_over_five_megabytes_is_refused(self, client, user):
        client.force_login(user)
        content = b"[" + b" " * annotation_rules.MAX_IMPORT_BYTES + b"]"

        response = client.post(self.url, {"file": upload(content)})

        assert response.status_code == 400
        assert "an import may be at most 5 MB" in response.content.decode()

    def test_a_file_with_too_many_annotations_is_refused(self, client, doc, user):
        client.force_login(user)
        content = json.dumps([item(doc)] * (annotation_rules.MAX_IMPORT_ANNOTATIONS + 1)).encode()

        response = client.post(self.url, {"file": upload(content)})

        assert response.status_code == 400
        assert "at most 1,000 annotations" in response.content.decode()
        assert not Annotation.objects.exists()

    def test_no_file_is_a_form_error(self, client, user):
        client.force_login(user)

        response = client.post(self.url, {})

        assert response.status_code == 400
        assert "This field is required." in response.content.decode()

    def test_the_upload_needs_the_csrf_token(self, user):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)

        response = client.post(self.url, {"file": upload(b"[]")})

        assert response.status_code == 403
