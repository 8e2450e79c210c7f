"""Moving a thread to another audience (docs/reading-and-annotating.md, "Groups" and "Privacy"), as an
attacker tried it.

A root note's author changes its visibility or group with Edit (a ``PUT`` in the API, which the
reading view's form sends). Two rules hold whatever the route:

- a reply's words never leave the readers they were written for without their writer's act, so a
  thread holding anyone else's reply does not move;
- a hide is lifted only by the authority that imposed it (curators for public notes, a group's
  moderators for its notes), so a thread holding a hidden note of its author does not move.

The hiding and restoring go through the curators' admin and the group's page, as people do it.
"""

import pytest
from django.urls import reverse

from documents.annotations import moderation, services
from documents.annotations.rules import THREAD_HAS_HIDDEN_NOTES, THREAD_HAS_OTHERS_REPLIES
from documents.annotations.writes import Target
from documents.groups import services as groups
from documents.models import Annotation
from tests.factories import CuratorFactory, DocumentFactory, UserFactory, make_group

pytestmark = pytest.mark.django_db

BASE = "http://testserver"


@pytest.fixture
def people(db):
    return {name: UserFactory(username=name) for name in ["ada", "ben", "mia", "zed"]}


@pytest.fixture
def seminar(people):
    """mia moderates; ada and ben are members."""
    return make_group(people["mia"], people["ada"], people["ben"], name="Rome seminar")


def group_iri(group):
    return f"{BASE}/groups/{group.slug}/"


def write(author, *, visibility, group=None, document=None):
    return services.create_annotation(
        author=author,
        document=document or DocumentFactory(),
        target=Target(exact="first passage"),
        comment="My note.",
        visibility=visibility,
        group=group,
    )


def reply(author, parent, comment="My reply."):
    return services.create_annotation(author=author, parent=parent, comment=comment)


def api_url(annotation):
    return reverse("api-annotation-detail", args=[annotation.pk])


def move(client, annotation, visibility, group=None):
    """The author's ``PUT`` of the note as read, with another visibility (and group)."""
    read = client.get(api_url(annotation), HTTP_ACCEPT="application/ld+json")
    assert read.status_code == 200
    sent = {key: value for key, value in read.json().items() if key != "group"}
    sent["visibility"] = visibility
    if group is not None:
        sent["group"] = group_iri(group)
    return client.put(api_url(annotation), sent, content_type="application/ld+json")


def audience(annotation):
    stored = Annotation.objects.get(pk=annotation.pk)
    return stored.visibility, stored.group_id


def sees(user, annotation):
    return Annotation.objects.visible_to(user).filter(pk=annotation.pk).exists()


def refused_with(response, message):
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == message
    assert response.json()["field"] == "visibility"


class TestOthersRepliesStay:
    def test_a_group_thread_with_a_members_reply_is_not_moved_to_public(self, client, people, seminar):
        root = write(people["ada"], visibility="group", group=seminar)
        answer = reply(people["ben"], root, "Between us: I disagree.")
        client.force_login(people["ada"])

        response = move(client, root, "public")

        refused_with(response, THREAD_HAS_OTHERS_REPLIES)
        assert audience(root) == audience(answer) == ("group", seminar.pk)
        assert not sees(None, answer)

    def test_after_the_authors_removal_the_thread_does_not_move_into_their_own_group(
        self, client, people, seminar
    ):
        root = write(people["ada"], visibility="group", group=seminar)
        groups.remove_member(group=seminar, by=people["mia"], member=people["ada"])
        later = reply(people["ben"], root, "Now that ada is gone: here is what we think.")
        own = make_group(people["ada"], people["zed"], name="Ada's own")
        client.force_login(people["ada"])

        into_own = move(client, root, "group", own)
        to_public = move(client, root, "public")

        refused_with(into_own, THREAD_HAS_OTHERS_REPLIES)
        refused_with(to_public, THREAD_HAS_OTHERS_REPLIES)
        assert audience(root) == audience(later) == ("group", seminar.pk)
        assert not sees(people["zed"], later) and not sees(people["ada"], later)

    def test_a_public_thread_with_a_readers_reply_is_not_made_private(self, client, people):
        root = write(people["ada"], visibility="public")
        answer = reply(people["ben"], root)
        client.force_login(people["ada"])

        refused_with(move(client, root, "private"), THREAD_HAS_OTHERS_REPLIES)
        assert audience(root) == audience(answer) == ("public", None)

    def test_a_reply_deeper_down_counts_too(self, people, seminar):
        root = write(people["ada"], visibility="group", group=seminar)
        mine = reply(people["ada"], root)
        reply(people["ben"], mine)

        with pytest.raises(services.AnnotationError, match="replied"):
            services.update_annotation(root, visibility="public")
        assert audience(root) == ("group", seminar.pk)

    def test_the_authors_own_replies_follow_and_the_words_may_still_change(self, client, people, seminar):
        lonely = write(people["ada"], visibility="group", group=seminar)
        to_myself = reply(people["ada"], lonely)
        answered = write(people["ada"], visibility="group", group=seminar)
        reply(people["ben"], answered)
        client.force_login(people["ada"])

        moved = move(client, lonely, "public")
        kept = move(client, answered, "group", seminar)

        assert moved.status_code == 200 and kept.status_code == 200
        assert audience(lonely) == audience(to_myself) == ("public", None)
        assert audience(answered) == ("group", seminar.pk)

    def test_a_removed_author_still_moves_a_note_nobody_else_answered(self, client, people, seminar):
        root = write(people["ada"], visibility="group", group=seminar)
        groups.remove_member(group=seminar, by=people["mia"], member=people["ada"])
        client.force_login(people["ada"])

        assert move(client, root, "private").status_code == 200
        assert audience(root) == ("private", None)


class TestHidesStay:
    """The attack: hidden, moved into a group the author moderates, restored there, moved back."""

    def test_a_curators_hide_is_not_undone_through_a_group_the_author_moderates(self, client, people):
        root = write(people["ada"], visibility="public")
        own = make_group(people["ada"], name="Ada's own")
        client.force_login(CuratorFactory())
        client.post(reverse("admin:documents_annotation_hide", args=[root.pk]), {"reason": "Personal attack"})
        client.force_login(people["ada"])

        into_own = move(client, root, "group", own)
        restored = client.post(reverse("group-restore-note", args=[own.slug, root.pk]))
        back = move(client, root, "public")

        refused_with(into_own, THREAD_HAS_HIDDEN_NOTES)
        assert restored.status_code == 404
        assert back.status_code == 200  # the same audience: no move
        stored = Annotation.objects.get(pk=root.pk)
        assert (stored.visibility, stored.hidden, stored.hidden_reason) == ("public", True, "Personal attack")
        assert not sees(None, root)
        assert client.logout() is None and client.get(api_url(root)).status_code == 404

    def test_a_group_moderators_hide_is_not_undone_through_another_group(self, client, people, seminar):
        root = write(people["ben"], visibility="group", group=seminar)
        client.force_login(people["mia"])
        client.post(reverse("group-hide-note", args=[seminar.slug, root.pk]), {"reason": "Off topic"})
        own = make_group(people["ben"], name="Ben's own")
        client.force_login(people["ben"])

        into_own = move(client, root, "group", own)
        restored = client.post(reverse("group-restore-note", args=[own.slug, root.pk]))
        back = move(client, root, "group", seminar)
        public = move(client, root, "public")

        refused_with(into_own, THREAD_HAS_HIDDEN_NOTES)
        assert restored.status_code == 404
        assert back.status_code == 200
        refused_with(public, THREAD_HAS_HIDDEN_NOTES)
        stored = Annotation.objects.get(pk=root.pk)
        assert (stored.visibility, stored.group_id, stored.hidden) == ("group", seminar.pk, True)
        assert not sees(people["ada"], root)

    def test_a_hidden_reply_of_the_authors_keeps_the_thread_where_it_is(self, client, people):
        root = write(people["ada"], visibility="public")
        own_reply = reply(people["ada"], root, "And more rude words.")
        own = make_group(people["ada"], name="Ada's own")
        moderation.hide_annotation(own_reply, by=CuratorFactory(), reason="Rude")
        client.force_login(people["ada"])

        refused_with(move(client, root, "group", own), THREAD_HAS_HIDDEN_NOTES)
        assert audience(root) == audience(own_reply) == ("public", None)
        assert Annotation.objects.get(pk=own_reply.pk).hidden

    def test_once_the_authority_restores_it_the_note_moves_again(self, client, people, seminar):
        root = write(people["ben"], visibility="group", group=seminar)
        moderation.hide_group_note(group=seminar, by=people["mia"], annotation_id=root.pk, reason="Later")
        moderation.restore_group_note(group=seminar, by=people["mia"], annotation_id=root.pk)
        client.force_login(people["ben"])

        assert move(client, root, "private").status_code == 200
