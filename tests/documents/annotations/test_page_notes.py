"""Page notes: annotations on the whole document (docs/reading-and-annotating.md, "How to annotate"), through
every layer
that stores, re-anchors, lists, serialises and imports them."""

import json

import pytest
from django.urls import reverse

from documents.annotations import jsonld, services, text_changes
from documents.annotations.panel import build_panel, page_of
from documents.annotations.services import AnnotationError
from documents.annotations.writes import Target
from documents.importing.annotations import import_annotations
from documents.models import Annotation
from tests.factories import AnnotationFactory, DocumentFactory

pytestmark = pytest.mark.django_db

ANNO = "http://www.w3.org/ns/anno.jsonld"
BASE = "http://testserver"
TEXT = "# Heading\n\nThe first passage, about treaties.\n\nA second passage."


@pytest.fixture
def doc():
    return DocumentFactory(text=TEXT)


def page_note(document, **fields):
    data = {
        "@context": ANNO,
        "type": "Annotation",
        "body": [{"type": "TextualBody", "value": "On the whole text.", "purpose": "commenting"}],
        "target": {"source": BASE + document.get_absolute_url()},
        "visibility": "public",
    }
    data.update(fields)
    return data


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/ld+json")


class TestServices:
    def test_a_page_note_has_no_quote_and_no_position(self, doc, user):
        note = services.create_annotation(author=user, document=doc, target=Target(), comment="Overall.")

        note.refresh_from_db()
        assert (note.exact, note.start, note.end, note.parent) == ("", None, None, None)
        assert note.is_page_note
        assert note.motivation == "commenting"
        assert str(note) == f"{user}: page note"

    def test_a_page_note_with_neither_comment_nor_tag_is_refused(self, doc, user):
        with pytest.raises(AnnotationError, match="A page note needs a comment or a tag"):
            services.create_annotation(author=user, document=doc, target=Target())

        assert not Annotation.objects.exists()

    def test_a_page_note_with_tags_only_is_kept(self, doc, user):
        note = services.create_annotation(author=user, document=doc, target=Target(), tags=["treaty"])

        assert note.motivation == "tagging"

    def test_an_edit_keeps_a_page_note_on_the_whole_document(self, doc, user):
        note = services.create_annotation(author=user, document=doc, target=Target(), comment="One.")

        services.update_annotation(note, comment="Two.", target=Target())

        note.refresh_from_db()
        assert (note.comment, note.start, note.exact) == ("Two.", None, "")

    def test_a_page_note_can_be_put_on_words_and_back(self, doc, user):
        note = services.create_annotation(author=user, document=doc, target=Target(), comment="One.")

        services.update_annotation(note, target=Target(exact="second passage"))
        note.refresh_from_db()
        assert note.exact == "second passage"

        services.update_annotation(note, target=Target())
        note.refresh_from_db()
        assert (note.exact, note.start, note.end) == ("", None, None)

    def test_emptying_a_page_note_is_refused(self, doc, user):
        note = services.create_annotation(author=user, document=doc, target=Target(), comment="One.")

        with pytest.raises(AnnotationError, match="page note"):
            services.update_annotation(note, comment="")

    def test_a_page_note_bumps_the_panels_version(self, doc, user):
        before = doc.annotations_version

        services.create_annotation(author=user, document=doc, target=Target(), comment="One.")

        doc.refresh_from_db()
        assert doc.annotations_version > before

    def test_an_edit_of_the_text_never_orphans_a_page_note(self, doc, user):
        note = services.create_annotation(author=user, document=doc, target=Target(), comment="One.")

        doc.text = "# Another heading\n\nAll new words."
        report = text_changes.save_document(doc)

        note.refresh_from_db()
        assert (report.orphaned, report.moved, report.changed) == (0, 0, 0)
        assert (note.anchor, note.start, note.exact) == ("anchored", None, "")


class TestPanel:
    def test_page_notes_come_first_in_a_list_of_their_own_without_highlights(self, doc, user):
        anchored = AnnotationFactory(document=doc, visibility="public", start=11, end=20)
        note = services.create_annotation(
            author=user, document=doc, target=Target(), comment="All of it.", visibility="public"
        )

        panel = build_panel(doc, user=user, query={})

        assert [thread.root for thread in panel.page_notes] == [note]
        assert [thread.root for thread in panel.threads] == [anchored]
        assert panel.page_notes[0].passage is None
        assert [row[0] for row in panel.highlights] == [str(anchored.pk)]
        assert page_of(note, user=user) == 1

    def test_the_reading_view_lists_page_notes_under_their_heading_first(self, client, doc, user):
        services.create_annotation(
            author=user,
            document=doc,
            target=Target(exact="first"),
            comment="Anchored words.",
            visibility="public",
        )
        services.create_annotation(
            author=user, document=doc, target=Target(), comment="Page words.", visibility="public"
        )

        html = client.get(doc.get_absolute_url()).content.decode()

        assert '<h3 id="page-notes-heading">Page notes</h3>' in html
        assert html.index("Page notes") < html.index("Page words.") < html.index("Notes on the text")
        assert html.index("Notes on the text") < html.index("Anchored words.")

    def test_without_page_notes_the_list_has_no_headings_of_its_own(self, client, doc, user):
        services.create_annotation(
            author=user, document=doc, target=Target(exact="first"), comment="Anchored.", visibility="public"
        )

        html = client.get(doc.get_absolute_url()).content.decode()

        assert "Page notes</h3>" not in html and "Notes on the text" not in html

    def test_the_page_note_button_is_offered_to_readers_who_may_annotate(self, client, doc, user):
        anonymous = client.get(doc.get_absolute_url()).content.decode()
        client.force_login(user)
        reader = client.get(doc.get_absolute_url()).content.decode()

        assert 'data-action="page-note">Page note</button>' in reader
        assert "Page note</button>" not in anonymous

    def test_the_profile_and_tag_pages_say_a_page_note_is_on_the_whole_document(self, client, doc, user):
        services.create_annotation(
            author=user,
            document=doc,
            target=Target(),
            comment="Overall.",
            tags=["overview"],
            visibility="public",
        )

        tag_page = client.get(reverse("tag-detail", args=["overview"])).content.decode()
        client.force_login(user)
        profile = client.get(reverse("profile")).content.decode()

        for html in (tag_page, profile):
            assert '<p class="annotation-context">On the whole document</p>' in html
            assert "Overall." in html

    def test_a_page_notes_permalink_leads_to_its_entry_on_the_first_page(
        self, client, doc, user, monkeypatch
    ):
        monkeypatch.setattr("documents.annotations.panel.PAGE_SIZE", 2)
        for word in ("first", "about", "treaties"):
            services.create_annotation(
                author=user, document=doc, target=Target(exact=word), visibility="public"
            )
        note = services.create_annotation(
            author=user, document=doc, target=Target(), comment="Overall.", visibility="public"
        )

        response = client.get(note.get_absolute_url())

        assert response.status_code == 302
        assert response["Location"] == f"{doc.get_absolute_url()}#annotation-{note.pk}"


class TestApi:
    def test_a_target_with_a_source_alone_creates_a_page_note(self, client, doc, user):
        client.force_login(user)

        response = post(client, reverse("api-document-annotations", args=[doc.slug]), page_note(doc))

        assert response.status_code == 201
        data = response.json()
        assert data["target"] == {"source": BASE + doc.get_absolute_url()}
        assert Annotation.objects.get().is_page_note

    def test_a_page_note_read_and_put_back_with_a_new_comment_stays_a_page_note(self, client, doc, user):
        note = services.create_annotation(author=user, document=doc, target=Target(), comment="One.")
        client.force_login(user)
        url = reverse("api-annotation-detail", args=[note.pk])
        read = client.get(url)
        data = read.json()
        data["body"] = [{"type": "TextualBody", "value": "Two.", "purpose": "commenting"}]

        response = client.put(
            url, json.dumps(data), content_type="application/ld+json", headers={"If-Match": read["ETag"]}
        )

        assert response.status_code == 200
        assert response.json()["target"] == {"source": BASE + doc.get_absolute_url()}
        note.refresh_from_db()
        assert (note.comment, note.is_page_note) == ("Two.", True)

    def test_an_empty_page_note_is_a_problem_a_person_can_act_on(self, client, doc, user):
        client.force_login(user)

        response = post(client, reverse("api-annotation-list"), page_note(doc, body=[]))

        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"
        assert "needs a comment or a tag" in response.json()["detail"]

    def test_the_serializer_gives_a_page_note_a_target_without_selector(self, doc, user):
        note = services.create_annotation(author=user, document=doc, target=Target(), comment="One.")

        data = jsonld.annotation_to_jsonld(Annotation.objects.with_related().get(pk=note.pk), base_url=BASE)

        assert data["target"] == {"source": f"{BASE}/documents/{doc.slug}/"}
        assert jsonld.parse_annotation(data, base_url=BASE).is_page_note


class TestImport:
    def test_an_imported_page_note_stays_on_the_whole_document(self, doc, user):
        report = import_annotations(user=user, items=[page_note(doc, id="urn:example:1")], base_url=BASE)

        [note] = report.imported
        assert note.is_page_note
        assert note.via == "urn:example:1"

    def test_a_page_note_sent_again_without_its_id_is_already_in_the_archive(self, doc, user):
        import_annotations(user=user, items=[page_note(doc)], base_url=BASE)

        again = import_annotations(user=user, items=[page_note(doc)], base_url=BASE)

        assert again.imported == [] and again.refused == []
        assert len(again.already) == 1
        assert Annotation.objects.count() == 1
