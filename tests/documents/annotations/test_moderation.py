"""Curators moderate public annotations in the admin: hide with a reason, restore."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from documents.annotations import moderation, services, writes
from documents.models import Annotation
from tests.factories import AnnotationFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:documents_annotation_changelist"


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


def test_curators_see_public_annotations_but_never_others_private_ones(curator_client, document):
    public = AnnotationFactory(document=document, visibility="public", comment="Open words")
    private = AnnotationFactory(document=document, visibility="private", comment="Secret words")

    response = curator_client.get(reverse(CHANGELIST))

    shown = list(response.context["cl"].queryset)
    assert public in shown
    assert private not in shown
    assert (
        curator_client.get(reverse("admin:documents_annotation_change", args=[private.pk])).status_code == 302
    )
    assert b"Secret words" not in curator_client.get(reverse(CHANGELIST), {"q": "Secret"}).content


def test_hide_asks_for_a_reason_then_hides(curator_client, curator, document):
    annotation = AnnotationFactory(document=document, visibility="public")
    data = {"action": "hide", ACTION_CHECKBOX_NAME: [str(annotation.pk)]}

    ask = curator_client.post(reverse(CHANGELIST), data)
    assert ask.status_code == 200
    assert b"reason" in ask.content
    annotation.refresh_from_db()
    assert annotation.hidden is False

    done = curator_client.post(reverse(CHANGELIST), data | {"reason": "Personal attack"})
    assert done.status_code == 302
    annotation.refresh_from_db()
    assert (annotation.hidden, annotation.hidden_by, annotation.hidden_reason) == (
        True,
        curator,
        "Personal attack",
    )


def test_hidden_annotation_disappears_from_public_view_but_its_author_sees_why(
    client, curator_client, document
):
    author = UserFactory()
    annotation = AnnotationFactory(document=document, author=author, visibility="public", comment="Rude")
    curator_client.post(
        reverse(CHANGELIST), {"action": "hide", ACTION_CHECKBOX_NAME: [str(annotation.pk)], "reason": "Rude"}
    )
    client.logout()

    assert not Annotation.objects.visible_to(None).filter(pk=annotation.pk).exists()
    assert client.get(reverse("api-annotation-detail", args=[annotation.pk])).status_code == 404
    client.force_login(author)
    data = client.get(reverse("api-annotation-detail", args=[annotation.pk])).json()
    assert (data["hidden"], data["hiddenReason"]) == (True, "Rude")


def test_restore(curator_client, curator, document):
    annotation = AnnotationFactory(
        document=document, visibility="public", hidden=True, hidden_by=curator, hidden_reason="x"
    )

    curator_client.post(
        reverse(CHANGELIST), {"action": "restore", ACTION_CHECKBOX_NAME: [str(annotation.pk)]}
    )

    annotation.refresh_from_db()
    assert annotation.hidden is False


def test_filters_by_document_tag_author_and_hidden(curator_client, document):
    AnnotationFactory(document=document, visibility="public", tags=["law"])

    for params in ({"hidden__exact": "1"}, {"document__id__exact": document.pk}, {"visibility": "public"}):
        assert curator_client.get(reverse(CHANGELIST), params).status_code == 200


def test_curators_cannot_edit_or_delete_scholars_words(curator_client, document):
    annotation = AnnotationFactory(document=document, visibility="public")

    page = curator_client.get(reverse("admin:documents_annotation_change", args=[annotation.pk]))

    assert page.status_code == 200
    assert b'name="comment"' not in page.content
    assert (
        curator_client.get(reverse("admin:documents_annotation_delete", args=[annotation.pk])).status_code
        == 403
    )


def test_scholars_cannot_moderate(client, user, document):
    annotation = AnnotationFactory(document=document, visibility="public")
    client.force_login(user)

    response = client.post(
        reverse(CHANGELIST), {"action": "hide", ACTION_CHECKBOX_NAME: [str(annotation.pk)], "reason": "x"}
    )

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    annotation.refresh_from_db()
    assert annotation.hidden is False


class TestOnTheNotesOwnPage:
    """Hide and Restore on a note's admin page, not only as bulk actions (docs/curators.md, "Curators")."""

    def change(self, annotation):
        return reverse("admin:documents_annotation_change", args=[annotation.pk])

    def hide(self, annotation):
        return reverse("admin:documents_annotation_hide", args=[annotation.pk])

    def restore(self, annotation):
        return reverse("admin:documents_annotation_restore", args=[annotation.pk])

    def test_a_public_notes_page_offers_hide_and_a_hidden_ones_restore(
        self, curator_client, curator, document
    ):
        shown = AnnotationFactory(document=document, visibility="public")
        hidden = AnnotationFactory(
            document=document, visibility="public", hidden=True, hidden_by=curator, hidden_reason="x"
        )

        shown_page = curator_client.get(self.change(shown)).content.decode()
        hidden_page = curator_client.get(self.change(hidden)).content.decode()

        assert f'<a href="{self.hide(shown)}">Hide</a>' in shown_page
        assert "Restore</button>" not in shown_page
        assert f'action="{self.restore(hidden)}"' in hidden_page
        assert ">Restore</button>" in hidden_page
        assert f'href="{self.hide(hidden)}"' not in hidden_page

    def test_hide_asks_for_the_reason_then_hides_and_returns_to_the_note(
        self, curator_client, curator, document
    ):
        annotation = AnnotationFactory(document=document, visibility="public", comment="Rude words")

        ask = curator_client.get(self.hide(annotation))
        assert ask.status_code == 200
        assert b"Rude words" in ask.content and b'name="reason"' in ask.content
        refused = curator_client.post(self.hide(annotation), {"reason": "  "})
        assert refused.status_code == 200
        assert b"This field is required." in refused.content
        annotation.refresh_from_db()
        assert not annotation.hidden

        done = curator_client.post(self.hide(annotation), {"reason": "Personal attack"})

        assert done.status_code == 302 and done["Location"] == self.change(annotation)
        annotation.refresh_from_db()
        assert (annotation.hidden, annotation.hidden_by, annotation.hidden_reason) == (
            True,
            curator,
            "Personal attack",
        )
        assert annotation.document.annotations_version > 0

    def test_restore_is_a_post_that_restores(self, curator_client, curator, document):
        annotation = AnnotationFactory(
            document=document, visibility="public", hidden=True, hidden_by=curator, hidden_reason="x"
        )

        assert curator_client.get(self.restore(annotation)).status_code == 405
        done = curator_client.post(self.restore(annotation))

        assert done.status_code == 302
        annotation.refresh_from_db()
        assert (annotation.hidden, annotation.hidden_reason) == (False, "")

    def test_anothers_private_note_is_404_to_hide_and_restore(self, curator_client, document):
        private = AnnotationFactory(document=document, visibility="private", comment="Secret words")

        assert curator_client.get(self.hide(private)).status_code == 404
        assert curator_client.post(self.hide(private), {"reason": "x"}).status_code == 404
        assert curator_client.post(self.restore(private)).status_code == 404
        private.refresh_from_db()
        assert not private.hidden

    def test_scholars_cannot_hide_from_the_notes_page(self, client, user, document):
        annotation = AnnotationFactory(document=document, visibility="public")
        client.force_login(user)

        response = client.post(self.hide(annotation), {"reason": "x"})

        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        annotation.refresh_from_db()
        assert not annotation.hidden

    def test_the_list_shows_the_comment_hidden_created_and_flags(self, curator_client, document):
        AnnotationFactory(document=document, visibility="public", comment="Open words")

        html = curator_client.get(reverse(CHANGELIST)).content.decode()

        for column in ("quote", "comment_excerpt", "flag_count", "hidden", "created"):
            assert f"column-{column}" in html
        assert "documents/css/admin.css" in html


@pytest.fixture
def curators_group_notes(curator, document):
    """A curator's two notes in a group someone else moderates, the second hidden by that moderator."""
    from tests.factories import make_group

    moderator = UserFactory()
    group = make_group(moderator, curator, name="Seminar")
    shown, hidden = (
        services.create_annotation(
            author=curator,
            document=document,
            target=writes.Target(exact="first passage"),
            comment=comment,
            visibility="group",
            group=group,
        )
        for comment in ["Shown", "Hidden"]
    )
    moderation.hide_group_note(group=group, by=moderator, annotation_id=hidden.pk, reason="Off topic")
    return shown, hidden


def _untouched(shown, hidden):
    shown.refresh_from_db()
    hidden.refresh_from_db()
    return (shown.hidden, hidden.hidden, hidden.hidden_reason) == (False, True, "Off topic")


def test_the_admins_actions_never_reach_a_group_note_even_a_curators_own(
    curator_client, curators_group_notes
):
    """Group notes are their group's moderators' to hide and restore (docs/reading-and-annotating.md,
    "Groups")."""
    shown, hidden = curators_group_notes

    for action in ["hide", "restore"]:
        curator_client.post(
            reverse(CHANGELIST),
            {"action": action, ACTION_CHECKBOX_NAME: [str(shown.pk), str(hidden.pk)], "reason": "Mine"},
        )

    assert _untouched(shown, hidden)


def test_a_group_notes_own_admin_page_offers_no_hide_or_restore_and_refuses_both(
    curator_client, curators_group_notes
):
    """Hide and Restore on a note's page follow the bulk actions: public notes only
    (docs/reading-and-annotating.md, "Groups")."""
    shown, hidden = curators_group_notes

    for note in (shown, hidden):
        page = curator_client.get(reverse("admin:documents_annotation_change", args=[note.pk]))
        assert page.status_code == 200
        html = page.content.decode()
        assert reverse("admin:documents_annotation_hide", args=[note.pk]) not in html
        assert reverse("admin:documents_annotation_restore", args=[note.pk]) not in html
    curator_client.post(reverse("admin:documents_annotation_hide", args=[shown.pk]), {"reason": "Mine"})
    curator_client.post(reverse("admin:documents_annotation_restore", args=[hidden.pk]))

    assert _untouched(shown, hidden)
