"""Curators moderate public annotations in the admin: hide with a reason, restore."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

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


def test_the_admins_actions_never_reach_a_group_note_even_a_curators_own(curator_client, curator, document):
    """Group notes are their group's moderators' to hide and restore (README, "Groups")."""
    from documents import groups, services
    from tests.factories import make_group

    moderator = UserFactory()
    group = make_group(moderator, curator, name="Seminar")
    shown, hidden = (
        services.create_annotation(
            author=curator,
            document=document,
            target=services.Target(exact="first passage"),
            comment=comment,
            visibility="group",
            group=group,
        )
        for comment in ["Shown", "Hidden"]
    )
    groups.hide_group_note(group=group, by=moderator, annotation_id=hidden.pk, reason="Off topic")

    for action in ["hide", "restore"]:
        curator_client.post(
            reverse(CHANGELIST),
            {"action": action, ACTION_CHECKBOX_NAME: [str(shown.pk), str(hidden.pk)], "reason": "Mine"},
        )

    shown.refresh_from_db()
    hidden.refresh_from_db()
    assert (shown.hidden, hidden.hidden, hidden.hidden_reason) == (False, True, "Off topic")
