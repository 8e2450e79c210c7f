"""The curators' admin, driven through its real forms and actions."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.formats import date_format

from documents.annotations import text_changes
from documents.models import Collection, Document
from tests.factories import AnnotationFactory, CollectionFactory, CuratorFactory, DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:documents_document_add")
CHANGELIST_URL = reverse("admin:documents_document_changelist")


def change_url(document: Document) -> str:
    return reverse("admin:documents_document_change", args=[document.pk])


def document_form(**overrides) -> dict:
    """Every field the admin form posts, as a browser would send them."""
    data = {
        "title": "Statement on Signature",
        "slug": "statement-on-signature",
        "creator": "William J. Clinton",
        "date": "2000-12-31",
        "date_display": "",
        "type": Document.Type.STATEMENT,
        "description": "",
        "language": "en",
        "source": "",
        "publisher": "",
        "rights": "",
        "identifier": "",
        "text": "# Signature\n\nThe first passage.\n\n> A quotation with a\u00a0non-breaking space.",
        "status": Document.Status.DRAFT,
        "collections": [],
        "tags": "",
        "_save": "Save",
    }
    data.update(overrides)
    return data


def form_errors(response) -> dict:
    assert response.status_code == 200, "the form should be shown again with its errors"
    return response.context["adminform"].form.errors


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


def test_curator_adds_a_document_through_the_admin_form(curator_client):
    collection = CollectionFactory()

    response = curator_client.post(
        ADD_URL, document_form(collections=[collection.pk], tags="rome-statute, united-states")
    )

    assert response.status_code == 302
    document = Document.objects.get(slug="statement-on-signature")
    assert document.date == datetime.date(2000, 12, 31)
    assert document.revision == 1
    assert document.status == Document.Status.DRAFT
    assert document.published_at is None
    assert list(document.collections.all()) == [collection]
    assert sorted(document.tags.names()) == ["rome-statute", "united-states"]
    assert [p.kind for p in document.passages] == ["heading", "paragraph", "quotation"]
    assert document.passages[2].text == "A quotation with a\u00a0non-breaking space."


def test_curator_edits_a_document_and_a_new_text_counts_a_revision(curator_client):
    document = DocumentFactory(slug="signature", text="The first passage.")

    response = curator_client.post(
        change_url(document), document_form(slug="signature", text="The first passage, corrected.")
    )

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.text == "The first passage, corrected."
    assert document.revision == 2


def test_editing_only_metadata_keeps_the_revision(curator_client):
    document = DocumentFactory(slug="signature", text="The first passage.")

    curator_client.post(
        change_url(document), document_form(slug="signature", title="A better title", text=document.text)
    )

    document.refresh_from_db()
    assert document.title == "A better title"
    assert document.revision == 1


def test_saving_as_published_stamps_the_first_publication(curator_client):
    curator_client.post(ADD_URL, document_form(status=Document.Status.PUBLISHED))

    document = Document.objects.get(slug="statement-on-signature")
    assert document.published_at is not None


def test_change_form_previews_numbered_passages_with_user_text_escaped(curator_client):
    document = DocumentFactory(text="# Heading\n\nA <script>alert(1)</script> passage.")

    response = curator_client.get(change_url(document))

    content = response.content.decode()
    assert response.status_code == 200
    assert "<td>1</td><td>heading</td><td>Heading</td>" in content
    assert "<td>2</td><td>paragraph</td><td>A &lt;script&gt;alert(1)&lt;/script&gt; passage.</td>" in content
    assert "<script>alert(1)</script>" not in content


def test_a_refused_add_previews_the_text_as_posted_once(curator_client):
    DocumentFactory(slug="statement-on-signature")

    response = curator_client.post(ADD_URL, document_form(text="# Posted\n\nNot yet saved."))

    content = response.content.decode()
    assert "slug" in form_errors(response)
    assert "<td>1</td><td>heading</td><td>Posted</td>" in content
    assert "<td>2</td><td>paragraph</td><td>Not yet saved.</td>" in content
    assert content.count("<table data-passage-preview-table>") == 1


def test_change_form_groups_the_dublin_core_fields(curator_client, document):
    response = curator_client.get(change_url(document))

    fieldsets = {fieldset.name: fieldset for fieldset in response.context["adminform"]}
    assert list(fieldsets) == ["Description", "Provenance", "Text", "Publication"]
    assert fieldsets["Text"].fields == ["text", "change_summary", "base_revision", "revision"]
    assert "revision" in fieldsets["Text"].fields


def test_duplicate_slug_is_a_form_error(curator_client):
    DocumentFactory(slug="statement-on-signature")

    response = curator_client.post(ADD_URL, document_form())

    assert "already exists" in " ".join(form_errors(response)["slug"])
    assert Document.objects.filter(slug="statement-on-signature").count() == 1


def test_invalid_slug_is_a_form_error(curator_client):
    response = curator_client.post(ADD_URL, document_form(slug="not a slug"))

    assert "slug" in form_errors(response)
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("text", "line"),
    [("A passage.\n\n#", "Line 3"), ("A control \x01 character.", "Line 1")],
    ids=["marker-without-text", "control-character"],
)
def test_malformed_markup_is_an_error_on_the_text_field(curator_client, text, line):
    response = curator_client.post(ADD_URL, document_form(text=text))

    errors = form_errors(response)
    assert list(errors) == ["text"]
    assert line in errors["text"][0]
    assert not Document.objects.exists()


def test_impossible_date_is_a_form_error(curator_client):
    response = curator_client.post(ADD_URL, document_form(date="2001-02-30"))

    assert "date" in form_errors(response)
    assert not Document.objects.exists()


def test_publish_action_publishes_drafts_and_counts_them(curator_client):
    drafts = DocumentFactory.create_batch(2, status=Document.Status.DRAFT)
    already = DocumentFactory(status=Document.Status.PUBLISHED)
    first_published_at = already.published_at

    response = curator_client.post(
        CHANGELIST_URL,
        {"action": "publish", "_selected_action": [d.pk for d in [*drafts, already]]},
        follow=True,
    )

    notices = [str(message) for message in response.context["messages"]]
    assert notices == ["Published 2 documents.", "1 was already published."]
    for draft in drafts:
        draft.refresh_from_db()
        assert draft.status == Document.Status.PUBLISHED
        assert draft.published_at is not None
    already.refresh_from_db()
    assert already.published_at == first_published_at


def test_unpublish_action_returns_documents_to_draft_and_keeps_the_first_publication(
    curator_client, document
):
    first_published_at = document.published_at

    response = curator_client.post(
        CHANGELIST_URL, {"action": "unpublish", "_selected_action": [document.pk]}, follow=True
    )

    notices = [str(message) for message in response.context["messages"]]
    assert notices == ["Unpublished 1 document; it is a draft again."]
    document.refresh_from_db()
    assert document.status == Document.Status.DRAFT
    assert document.published_at == first_published_at


def test_republishing_keeps_the_first_publication_time(curator_client, document):
    first_published_at = document.published_at
    curator_client.post(CHANGELIST_URL, {"action": "unpublish", "_selected_action": [document.pk]})
    curator_client.post(CHANGELIST_URL, {"action": "publish", "_selected_action": [document.pk]})

    document.refresh_from_db()
    assert document.is_published
    assert document.published_at == first_published_at


def test_changelist_filters_by_status_collection_and_tag(curator_client):
    collection = CollectionFactory()
    wanted = DocumentFactory(status=Document.Status.DRAFT, tags=["rome-statute"], collections=[collection])
    DocumentFactory(status=Document.Status.DRAFT)
    DocumentFactory(tags=["rome-statute"], collections=[collection])
    tag = wanted.tags.get()

    response = curator_client.get(
        CHANGELIST_URL,
        {"status__exact": "draft", "collections__id__exact": collection.pk, "tags__id__exact": tag.pk},
    )

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [wanted]


def test_tag_filter_offers_only_tags_used_on_documents(curator_client):
    DocumentFactory(tags=["rome-statute"])
    AnnotationFactory(tags=["annotation-only"])

    response = curator_client.get(CHANGELIST_URL)

    (tag_filter,) = [f for f in response.context["cl"].filter_specs if f.field_path == "tags"]
    assert [name for _pk, name in tag_filter.lookup_choices] == ["rome-statute"]


def test_changelist_searches_titles(curator_client):
    wanted = DocumentFactory(title="Statement on Signature")
    DocumentFactory(title="A letter")

    response = curator_client.get(CHANGELIST_URL, {"q": "signature"})

    assert list(response.context["cl"].result_list) == [wanted]


def test_view_on_site_leads_to_the_reading_view(curator_client, document):
    content_type = ContentType.objects.get_for_model(Document)

    response = curator_client.get(reverse("admin:view_on_site", args=[content_type.pk, document.pk]))

    assert response.status_code == 302
    assert response["Location"].endswith(f"/documents/{document.slug}/")


def test_non_staff_user_is_sent_to_the_admin_login(client, user):
    client.force_login(user)

    response = client.get(CHANGELIST_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_user_outside_curators_cannot_change_documents(client, document):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(change_url(document)).status_code == 403
    response = client.post(change_url(document), document_form(slug=document.slug, title="Defaced"))

    assert response.status_code == 403
    document.refresh_from_db()
    assert document.title != "Defaced"


def test_collection_list_counts_documents_and_edits_order_in_place(curator_client):
    collection = CollectionFactory(order=0)
    DocumentFactory.create_batch(2, collections=[collection])
    url = reverse("admin:documents_collection_changelist")

    response = curator_client.get(url)
    assert [c.document_count for c in response.context["cl"].result_list] == [2]

    response = curator_client.post(
        url,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(collection.pk),
            "form-0-order": "5",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    collection.refresh_from_db()
    assert collection.order == 5


def test_curator_adds_a_collection(curator_client):
    response = curator_client.post(
        reverse("admin:documents_collection_add"),
        {"title": "Treaties", "slug": "treaties", "description": "", "order": "1", "_save": "Save"},
    )

    assert response.status_code == 302
    assert Collection.objects.get(slug="treaties").title == "Treaties"


def test_tag_admin_from_taggit_is_available_to_curators(curator_client):
    assert curator_client.get(reverse("admin:taggit_tag_changelist")).status_code == 200


def test_a_curators_edit_moves_annotations_with_their_quotes_and_lists_the_lost_as_orphans(
    curator_client, client, user
):
    from documents.annotations.services import create_annotation
    from documents.annotations.writes import Target

    document = DocumentFactory(slug="signature", text="Alpha beta gamma.\n\nDelta epsilon zeta.")
    moved = create_annotation(
        author=user, document=document, target=Target(exact="epsilon"), comment="Moves", visibility="public"
    )
    lost = create_annotation(
        author=user, document=document, target=Target(exact="beta gamma"), comment="Lost", visibility="public"
    )

    response = curator_client.post(
        change_url(document),
        document_form(slug="signature", status="published", text="A new opening.\n\nDelta epsilon zeta."),
        follow=True,
    )

    moved.refresh_from_db()
    lost.refresh_from_db()
    document.refresh_from_db()
    assert document.canonical_text[moved.start : moved.end] == "epsilon"
    assert (moved.anchor, lost.anchor) == ("reanchored", "orphaned")
    assert "could not be found again" in response.content.decode()
    page = client.get(document.get_absolute_url()).content.decode()
    orphans = page[page.index("Orphaned annotations") :]
    assert f"annotation-{lost.pk}" in orphans
    assert f"annotation-{moved.pk}" not in orphans


class TestTagsCuratorsMayNotLearn:
    """The admin names a tag only when a document or an annotation the curator may see carries it."""

    TAGS = reverse("admin:taggit_tag_changelist")

    @pytest.fixture
    def tagged(self, user):
        document = DocumentFactory(tags=["rome-statute"])
        AnnotationFactory(document=document, author=user, visibility="private", tags=["Secret Plan"])
        AnnotationFactory(document=document, author=user, visibility="public", tags=["Shared Reading"])
        return document

    def test_the_tag_list_leaves_out_tags_used_only_on_private_annotations(self, curator_client, tagged):
        response = curator_client.get(self.TAGS)

        assert sorted(tag.name for tag in response.context["cl"].result_list) == [
            "Shared Reading",
            "rome-statute",
        ]
        assert "Secret Plan" not in response.content.decode()

    def test_searching_the_tags_finds_no_private_tag(self, curator_client, tagged):
        response = curator_client.get(self.TAGS, {"q": "secret"})

        assert list(response.context["cl"].result_list) == []
        assert "Secret Plan" not in response.content.decode()

    def test_a_private_tag_has_no_change_page(self, curator_client, tagged):
        from taggit.models import Tag

        secret = Tag.objects.get(name="Secret Plan")

        response = curator_client.get(reverse("admin:taggit_tag_change", args=[secret.pk]), follow=True)

        assert "Secret Plan" not in response.content.decode()

    def test_the_annotation_admin_tag_filter_names_no_private_tag(self, curator_client, tagged):
        response = curator_client.get(reverse("admin:documents_annotation_changelist"))

        assert "Secret Plan" not in response.content.decode()
        assert "Shared Reading" in response.content.decode()

    def test_adding_a_tag_a_scholar_keeps_private_reveals_nothing(self, curator_client, tagged):
        from taggit.models import Tag

        response = curator_client.post(
            reverse("admin:taggit_tag_add"),
            {
                "name": "Secret Plan",
                "documents_taggeddocument_items-TOTAL_FORMS": "0",
                "documents_taggeddocument_items-INITIAL_FORMS": "0",
                "_save": "Save",
            },
        )

        assert response.status_code == 302, "no “already exists” error"
        assert Tag.objects.filter(name="Secret Plan").count() == 1

    def test_a_curators_tag_on_a_document_is_the_scholars_tag_with_the_same_name(
        self, curator_client, tagged
    ):
        response = curator_client.post(
            change_url(tagged), document_form(slug=tagged.slug, tags="rome-statute, Secret Plan")
        )

        assert response.status_code == 302
        assert sorted(tagged.tags.names()) == ["Secret Plan", "rome-statute"]

    def test_a_tags_name_and_slug_do_not_change_once_made(self, curator_client, tagged):
        from taggit.models import Tag

        tag = Tag.objects.get(name="rome-statute")
        prefix = "documents_taggeddocument_items"
        item = tag.documents_taggeddocument_items.get()

        response = curator_client.post(
            reverse("admin:taggit_tag_change", args=[tag.pk]),
            {
                "name": "Renamed",
                "slug": "renamed",
                f"{prefix}-TOTAL_FORMS": "1",
                f"{prefix}-INITIAL_FORMS": "1",
                f"{prefix}-0-id": str(item.pk),
                f"{prefix}-0-tag": str(tag.pk),
                f"{prefix}-0-content_object": str(tagged.pk),
                "_save": "Save",
            },
        )

        assert response.status_code == 302
        tag.refresh_from_db()
        assert (tag.name, tag.slug) == ("rome-statute", "rome-statute")


class TestTextRevisions:
    """History, diff, revert and the refusal of a stale edit, as a curator meets them in the admin."""

    TEXT = "The delicate mosaic may be shattered."

    @pytest.fixture
    def document(self, curator):

        document = DocumentFactory(slug="signature", text=self.TEXT)
        document.text = self.TEXT.replace("may", "might")
        text_changes.save_document(document, by=curator, summary="Checked against the source.")
        return document

    def test_the_form_carries_the_revision_it_was_opened_at(self, curator_client, document):
        response = curator_client.get(change_url(document))

        assert '<input type="hidden" name="base_revision" value="2"' in response.content.decode()
        assert "History of the text" in response.content.decode()

    def test_a_change_summary_is_kept_with_the_revision_and_the_report_counts_outcomes(
        self, curator_client, curator, document, user
    ):
        from documents.annotations.services import create_annotation
        from documents.annotations.writes import Target

        create_annotation(author=user, document=document, target=Target(exact="mosaic"))
        response = curator_client.post(
            change_url(document),
            document_form(
                slug="signature", text="A delicate mosaic.", base_revision="2", change_summary="Shorter."
            ),
            follow=True,
        )

        latest = document.revisions.first()
        assert (latest.number, latest.summary, latest.author) == (3, "Shorter.", curator)
        assert "Revision 3 saved; annotations: 0 unchanged, 1 moved, 0 changed, 0 orphaned" in (
            response.content.decode()
        )

    def test_a_stale_edit_is_refused_with_what_changed_and_the_curators_text_kept(
        self, curator_client, document
    ):
        response = curator_client.post(
            change_url(document),
            document_form(slug="signature", text="My own correction.", base_revision="1"),
        )

        errors = form_errors(response)
        page = response.content.decode()
        assert "Someone else saved revision 2" in errors["text"][0]
        assert "My own correction." in page
        assert '<del><span class="visually-hidden">[removed: </span>may' in page
        assert '<ins><span class="visually-hidden">[added: </span>might' in page
        document.refresh_from_db()
        assert (document.revision, document.text) == (2, self.TEXT.replace("may", "might"))

    def test_two_curators_saving_the_revision_they_opened_one_wins_the_other_is_told_who_and_when(
        self, client, curator, document
    ):
        """The form's refusal is the service's check (``text_changes.lock_for_edit``): the second
        save keeps its text in the form, names who saved meanwhile and when, and loses nothing."""
        ada, ben = CuratorFactory(username="ada"), CuratorFactory(username="ben")
        for who in (ada, ben):
            client.force_login(who)
            assert 'name="base_revision" value="2"' in client.get(change_url(document)).content.decode()

        client.force_login(ada)
        won = client.post(
            change_url(document),
            document_form(
                slug="signature", text="The delicate mosaic could be shattered.", base_revision="2"
            ),
        )
        client.force_login(ben)
        refused = client.post(
            change_url(document),
            document_form(slug="signature", text="The delicate mosaic will be shattered.", base_revision="2"),
        )

        assert won.status_code == 302
        [error] = form_errors(refused)["text"]
        saved = document.revisions.get(number=3).created
        when = f"{date_format(saved, 'j F Y')} at {date_format(saved, 'H:i')}"
        assert error.startswith(
            f"Someone else saved revision 3 of this text after you opened revision 2 (by ada, on {when})."
        )
        assert "The delicate mosaic will be shattered." in refused.content.decode()
        assert "[added: </span>could" in refused.content.decode()
        document.refresh_from_db()
        assert (document.revision, document.text) == (3, "The delicate mosaic could be shattered.")
        assert list(document.revisions.values_list("number", "author__username")) == [
            (3, "ada"),
            (2, curator.username),
            (1, None),
        ]

    def test_the_history_and_revert_are_for_staff_with_the_documents_permissions(self, client, document):
        history = reverse("admin:documents_document_revisions", args=[document.pk])
        revert = reverse("admin:documents_document_revert", args=[document.pk, 1])
        reader = UserFactory(is_staff=True)
        reader.user_permissions.add(Permission.objects.get(codename="view_document"))

        client.force_login(UserFactory())
        assert "/admin/login/" in client.get(history)["Location"]
        client.force_login(UserFactory(is_staff=True))
        assert client.get(history).status_code == 403
        client.force_login(reader)
        assert client.get(history).status_code == 200
        assert "Revert to this revision" not in client.get(history).content.decode()
        assert client.post(revert, {"base_revision": "2"}).status_code == 403
        document.refresh_from_db()
        assert document.revision == 2

    def test_the_history_shows_a_diff_between_any_two_revisions(self, curator_client, document):
        url = reverse("admin:documents_document_revisions", args=[document.pk])

        page = curator_client.get(url, {"a": "1", "b": "2"}).content.decode()

        assert "Checked against the source." in page
        assert "Changes from revision 1 to revision 2" in page
        assert "[added: </span>might" in page

    def test_revert_asks_then_makes_a_new_revision(self, curator_client, document):
        url = reverse("admin:documents_document_revert", args=[document.pk, 1])

        assert "Revert to revision 1" in curator_client.get(url).content.decode()
        response = curator_client.post(url, {"base_revision": "2"}, follow=True)

        document.refresh_from_db()
        assert (document.revision, document.text) == (3, self.TEXT)
        assert document.revisions.first().summary == "Reverted to revision 1."
        assert "Revision 3 saved; annotations:" in response.content.decode()

    def test_a_stale_revert_is_refused(self, curator_client, document):
        url = reverse("admin:documents_document_revert", args=[document.pk, 1])

        response = curator_client.post(url, {"base_revision": "1"}, follow=True)

        document.refresh_from_db()
        assert document.revision == 2
        assert "Someone else saved revision 2" in response.content.decode()

    def test_the_history_of_an_unknown_document_is_404(self, curator_client):
        url = reverse("admin:documents_document_revisions", args=[999999])

        assert curator_client.get(url).status_code == 404


class TestLivePassagePreview:
    url = reverse("admin:documents_document_passages_preview")

    def test_the_text_field_is_large_and_names_the_preview(self, curator_client):
        html = curator_client.get(ADD_URL).content.decode()

        assert 'rows="30"' in html
        assert f'data-passage-preview-url="{self.url}"' in html
        assert "documents/js/passage-preview.js" in html

    def test_the_preview_splits_the_text_as_saving_will(self, curator_client):
        response = curator_client.post(self.url, {"text": "# Title\n\nOne <b>passage</b>.\n\n> Quoted"})

        assert response.status_code == 200
        assert response.json() == {
            "passages": [
                {"n": 1, "kind": "heading", "text": "Title"},
                {"n": 2, "kind": "paragraph", "text": "One <b>passage</b>."},
                {"n": 3, "kind": "quotation", "text": "Quoted"},
            ]
        }

    def test_broken_markup_is_a_400_naming_the_line(self, curator_client):
        response = curator_client.post(self.url, {"text": "Fine.\n\n# "})

        assert response.status_code == 400
        assert response.json()["error"].startswith("Line 3:")

    def test_only_curators_may_ask_and_only_by_post(self, client, user, curator_client):
        assert curator_client.get(self.url).status_code == 405
        client.force_login(user)
        response = client.post(self.url, {"text": "x"})
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    ("lost_words", "expected"),
    [
        (
            ["beta"],
            "1 moved with its quote; 0 follow changed words and show their authors both wordings; "
            "1 could not be found again and is listed as orphaned.",
        ),
        (
            ["beta", "gamma"],
            "1 moved with its quote; 0 follow changed words and show their authors both "
            "wordings; 2 could not be found again and are listed as orphaned.",
        ),
    ],
    ids=["one", "two"],
)
def test_the_reanchoring_report_agrees_in_number(curator_client, user, lost_words, expected):
    from documents.annotations.services import create_annotation
    from documents.annotations.writes import Target

    document = DocumentFactory(slug="signature", text="Alpha beta gamma.\n\nDelta epsilon zeta.")
    create_annotation(author=user, document=document, target=Target(exact="epsilon"), visibility="public")
    for words in lost_words:
        create_annotation(author=user, document=document, target=Target(exact=words), visibility="public")

    response = curator_client.post(
        change_url(document),
        document_form(slug="signature", status="published", text="A new opening.\n\nDelta epsilon zeta."),
        follow=True,
    )

    assert expected in response.content.decode()


def test_the_admin_is_headed_with_the_archives_name(curator_client, settings):
    settings.ARCHIVE_NAME = "Presidential Papers"

    page = curator_client.get(reverse("admin:index")).content.decode()

    assert "Django" not in page
    assert '<a href="/admin/">Presidential Papers</a>' in page
    assert "| Presidential Papers administration</title>" in page


def test_the_admin_writes_times_on_the_24_hour_clock_as_the_site_does(curator_client):
    document = DocumentFactory()
    curator_client.post(change_url(document), document_form(slug=document.slug, title="Retitled"))
    evening = datetime.datetime(2026, 3, 4, 18, 9, tzinfo=datetime.UTC)
    Document.objects.filter(pk=document.pk).update(modified=evening)

    changelist = curator_client.get(CHANGELIST_URL).content.decode()
    history = curator_client.get(reverse("admin:documents_document_history", args=[document.pk]))

    assert "18:09" in changelist
    assert "p.m." not in changelist and "a.m." not in changelist
    assert "p.m." not in history.content.decode() and "a.m." not in history.content.decode()
