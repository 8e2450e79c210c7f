"""Reading groups (documents.groups and the group visibility): membership, invitations, moving notes.

Who sees a group's notes is ``Annotation.objects.visible_to``; the route-by-route matrix is in
test_permissions.py. Here: the rules of joining, leaving and moderating, and the services'
checks of group notes.
"""

import itertools
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from documents import freshness
from documents.accounts import services as account_services
from documents.annotations import moderation, services
from documents.annotations.rules import NOT_YOUR_GROUP, AnnotationError
from documents.annotations.writes import Target
from documents.groups import services as groups
from documents.models import Annotation, Document, Group, Invitation, Membership
from tests.factories import CuratorFactory, DocumentFactory, UserFactory, make_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return {name: UserFactory(username=name) for name in ["ada", "ben", "cy", "dee"]}


@pytest.fixture
def seminar(people):
    """ada moderates; ben is a member."""
    return make_group(people["ada"], people["ben"], name="Rome seminar")


def note(author, group, document=None, comment="A group note.", **kwargs):
    return services.create_annotation(
        author=author,
        document=document or DocumentFactory(),
        target=Target(exact="first passage"),
        comment=comment,
        visibility="group",
        group=group,
        **kwargs,
    )


def visible(user):
    return set(Annotation.objects.visible_to(user).values_list("pk", flat=True))


def role(group, user):
    return Membership.objects.filter(group=group, user=user).values_list("role", flat=True).first()


class TestCreating:
    def test_the_creator_is_the_first_moderator(self, people):
        group = groups.create_group(by=people["ada"], name="  Rome   seminar ", description="We read.")

        assert (group.name, group.slug, group.description) == ("Rome seminar", "rome-seminar", "We read.")
        assert role(group, people["ada"]) == "moderator"

    def test_a_taken_name_gets_the_next_free_slug(self, people):
        first = groups.create_group(by=people["ada"], name="Seminar")
        second = groups.create_group(by=people["ben"], name="Seminar")

        assert (first.slug, second.slug) == ("seminar", "seminar-2")

    @pytest.mark.parametrize(
        ("name", "message"),
        [("   ", "Give the group a name."), ("x" * 101, "the limit is 100"), ("!!!", "letter or digit")],
    )
    def test_a_name_that_cannot_be_one_is_refused(self, people, name, message):
        with pytest.raises(groups.GroupError, match=message):
            groups.create_group(by=people["ada"], name=name)
        assert not Group.objects.exists()


class TestChanging:
    def test_a_moderator_renames_the_group_and_its_address_and_links_stay(self, people, seminar):
        link = groups.create_invitation(group=seminar, by=people["ada"])
        document = DocumentFactory()
        note(people["ben"], seminar, document=document)
        version = Document.objects.get(pk=document.pk).annotations_version

        changed = groups.change_group(
            group=seminar, by=people["ada"], name="  Reading   circle ", description=" Weekly. "
        )

        assert (changed.name, changed.slug, changed.description) == (
            "Reading circle",
            "rome-seminar",
            "Weekly.",
        )
        assert Group.objects.get(pk=seminar.pk).name == "Reading circle"
        assert groups.invitation("rome-seminar", link.token).is_valid()
        # Cached panels that name the group move on (docs/performance.md, "Reading at scale").
        assert Document.objects.get(pk=document.pk).annotations_version > version

    def test_saving_the_same_name_and_description_changes_nothing(self, people, seminar):
        document = DocumentFactory()
        note(people["ben"], seminar, document=document)
        version = Document.objects.get(pk=document.pk).annotations_version

        groups.change_group(group=seminar, by=people["ada"], name="Rome seminar", description="")

        assert Document.objects.get(pk=document.pk).annotations_version == version

    def test_a_member_who_does_not_moderate_may_not(self, people, seminar):
        with pytest.raises(Membership.DoesNotExist):
            groups.change_group(group=seminar, by=people["ben"], name="Mine now", description="")
        with pytest.raises(Membership.DoesNotExist):
            groups.change_group(group=seminar, by=people["cy"], name="Mine now", description="")
        assert Group.objects.get(pk=seminar.pk).name == "Rome seminar"

    @pytest.mark.parametrize(
        ("name", "description", "message"),
        [("   ", "", "Give the group a name."), ("!!!", "", "letter or digit"), ("Ok", "x" * 2001, "limit")],
    )
    def test_what_create_refuses_change_refuses(self, people, seminar, name, description, message):
        with pytest.raises(groups.GroupError, match=message):
            groups.change_group(group=seminar, by=people["ada"], name=name, description=description)
        assert Group.objects.get(pk=seminar.pk).name == "Rome seminar"


class TestInvitations:
    def test_a_valid_link_lets_someone_in_as_a_member(self, people, seminar):
        link = groups.create_invitation(group=seminar, by=people["ada"])

        membership, created = groups.join_group(slug=seminar.slug, token=link.token, user=people["cy"])

        assert created and membership.role == "member"

    def test_following_a_link_again_changes_nothing(self, people, seminar):
        link = groups.create_invitation(group=seminar, by=people["ada"])

        _, created = groups.join_group(slug=seminar.slug, token=link.token, user=people["ada"])

        assert not created and role(seminar, people["ada"]) == "moderator"

    def test_a_revoked_link_no_longer_works(self, people, seminar):
        link = groups.create_invitation(group=seminar, by=people["ada"])
        groups.revoke_invitation(group=seminar, by=people["ada"], invitation_id=link.pk)

        with pytest.raises(groups.InvitationClosed):
            groups.join_group(slug=seminar.slug, token=link.token, user=people["cy"])
        assert role(seminar, people["cy"]) is None

    def test_an_expired_link_no_longer_works(self, people, seminar):
        link = groups.create_invitation(group=seminar, by=people["ada"], lifetime=timedelta(days=1))
        Invitation.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

        with pytest.raises(groups.InvitationClosed):
            groups.join_group(slug=seminar.slug, token=link.token, user=people["cy"])

    def test_an_unknown_link_or_another_groups_token_is_not_found(self, people, seminar):
        other = make_group(people["dee"], name="Other")
        link = groups.create_invitation(group=other, by=people["dee"])

        for slug, token in [(seminar.slug, "nope"), (seminar.slug, link.token), ("nope", link.token)]:
            with pytest.raises(Invitation.DoesNotExist):
                groups.join_group(slug=slug, token=token, user=people["cy"])

    def test_a_link_reused_after_a_removal_does_not_let_the_removed_person_back(self, people, seminar):
        link = groups.create_invitation(group=seminar, by=people["ada"])
        groups.join_group(slug=seminar.slug, token=link.token, user=people["cy"])
        groups.remove_member(group=seminar, by=people["ada"], member=people["cy"])

        with pytest.raises(groups.InvitationClosed):
            groups.join_group(slug=seminar.slug, token=link.token, user=people["cy"])
        # The link still works for everyone else, and a link made after the removal lets them back.
        assert groups.join_group(slug=seminar.slug, token=link.token, user=people["dee"])[1]
        fresh = groups.create_invitation(group=seminar, by=people["ada"])
        assert groups.join_group(slug=seminar.slug, token=fresh.token, user=people["cy"])[1]

    def test_only_a_moderator_makes_or_revokes_links(self, people, seminar):
        link = groups.create_invitation(group=seminar, by=people["ada"])

        with pytest.raises(Membership.DoesNotExist):
            groups.create_invitation(group=seminar, by=people["ben"])
        with pytest.raises(Membership.DoesNotExist):
            groups.revoke_invitation(group=seminar, by=people["ben"], invitation_id=link.pk)
        with pytest.raises(Membership.DoesNotExist):
            groups.create_invitation(group=seminar, by=people["cy"])


class TestLeavingAndRemoving:
    def test_a_member_leaves(self, people, seminar):
        groups.leave_group(group=seminar, user=people["ben"])

        assert role(seminar, people["ben"]) is None

    def test_a_sole_moderator_cannot_leave_while_others_remain(self, people, seminar):
        with pytest.raises(groups.GroupError, match="only moderator"):
            groups.leave_group(group=seminar, user=people["ada"])

        groups.make_moderator(group=seminar, by=people["ada"], member=people["ben"])
        groups.leave_group(group=seminar, user=people["ada"])
        assert role(seminar, people["ben"]) == "moderator"

    def test_the_last_member_leaves_an_empty_group_whose_links_are_revoked(self, people):
        group = make_group(people["ada"])
        link = groups.create_invitation(group=group, by=people["ada"])
        kept = note(people["ada"], group)

        groups.leave_group(group=group, user=people["ada"])

        assert Group.objects.filter(pk=group.pk).exists()
        assert not Invitation.objects.valid().filter(pk=link.pk).exists()
        assert kept.pk in visible(people["ada"])  # an author keeps their own words

    def test_a_moderator_removes_a_member_but_not_themselves(self, people, seminar):
        with pytest.raises(groups.GroupError, match="Leave group"):
            groups.remove_member(group=seminar, by=people["ada"], member=people["ada"])

        groups.remove_member(group=seminar, by=people["ada"], member=people["ben"])

        assert role(seminar, people["ben"]) is None

    def test_a_member_cannot_remove_or_promote(self, people, seminar):
        groups.join_group(
            slug=seminar.slug,
            token=groups.create_invitation(group=seminar, by=people["ada"]).token,
            user=people["cy"],
        )
        with pytest.raises(Membership.DoesNotExist):
            groups.remove_member(group=seminar, by=people["ben"], member=people["cy"])
        with pytest.raises(Membership.DoesNotExist):
            groups.make_moderator(group=seminar, by=people["ben"], member=people["cy"])


class TestGroupNotes:
    def test_a_group_note_is_read_by_current_members_only(self, people, seminar):
        written = note(people["ben"], seminar)
        curator = CuratorFactory()

        assert written.group == seminar
        assert {who: written.pk in visible(people[who]) for who in people} == {
            "ada": True,
            "ben": True,
            "cy": False,
            "dee": False,
        }
        assert written.pk not in visible(curator)
        assert written.pk not in visible(None)

    def test_a_reader_in_several_groups_gets_each_note_once(self, people, seminar):
        second = make_group(people["ada"], people["ben"], name="Second")
        written = [note(people["ada"], group) for group in [seminar, second, seminar]]

        listed = list(Annotation.objects.visible_to(people["ben"]).values_list("pk", flat=True))

        assert sorted(listed) == sorted(annotation.pk for annotation in written)

    def test_a_removed_member_stops_seeing_the_groups_notes_at_once(self, people, seminar):
        written = note(people["ada"], seminar)
        assert written.pk in visible(people["ben"])

        groups.remove_member(group=seminar, by=people["ada"], member=people["ben"])

        assert written.pk not in visible(people["ben"])

    def test_a_note_in_a_group_one_is_not_in_is_refused_as_if_the_group_did_not_exist(self, people, seminar):
        for group in [seminar, seminar.slug, "no-such-group"]:
            with pytest.raises(AnnotationError) as refused:
                note(people["cy"], group)
            assert (refused.value.field, refused.value.message) == ("group", NOT_YOUR_GROUP)
        assert not Annotation.objects.exists()

    @pytest.mark.parametrize(("visibility", "group"), [("group", None), ("public", "rome-seminar")])
    def test_group_and_visibility_go_together(self, people, seminar, visibility, group):
        with pytest.raises(AnnotationError) as refused:
            services.create_annotation(
                author=people["ada"],
                document=DocumentFactory(),
                target=Target(exact="first passage"),
                visibility=visibility,
                group=group,
            )
        assert refused.value.field == "group"

    def test_the_database_refuses_a_group_without_the_group_visibility(self, people, seminar):
        written = note(people["ada"], seminar)

        with pytest.raises(IntegrityError), transaction.atomic():
            Annotation.objects.filter(pk=written.pk).update(visibility="public")

    def test_a_reply_takes_its_threads_group_and_needs_its_author_in_it(self, people, seminar):
        root = note(people["ada"], seminar)
        own = note(people["ben"], seminar, comment="ben's")

        reply = services.create_annotation(author=people["ben"], parent=root, comment="Agreed.")

        assert (reply.visibility, reply.group) == ("group", seminar)
        groups.leave_group(group=seminar, user=people["ben"])
        # ben still reads his own note, but no longer writes in the group, even below it.
        assert own.pk in visible(people["ben"])
        with pytest.raises(AnnotationError, match="not a group you belong to"):
            services.create_annotation(author=people["ben"], parent=own, comment="Still here?")

    def test_a_moderator_hides_and_restores_a_group_note_with_a_reason(self, people, seminar):
        written = note(people["ben"], seminar)
        reply = services.create_annotation(author=people["ada"], parent=written, comment="Hmm.")
        version = Document.objects.get(pk=written.document_id).annotations_version

        moderation.hide_group_note(
            group=seminar, by=people["ada"], annotation_id=written.pk, reason="Off topic"
        )

        written.refresh_from_db()
        assert (written.hidden, written.hidden_reason, written.hidden_by) == (
            True,
            "Off topic",
            people["ada"],
        )
        assert Document.objects.get(pk=written.document_id).annotations_version > version
        assert written.pk in visible(people["ben"])  # its author
        assert written.pk in visible(people["ada"])  # a moderator
        groups.join_group(
            slug=seminar.slug,
            token=groups.create_invitation(group=seminar, by=people["ada"]).token,
            user=people["cy"],
        )
        assert not {written.pk, reply.pk} & visible(people["cy"])  # a member

        moderation.restore_group_note(group=seminar, by=people["ada"], annotation_id=written.pk)
        assert {written.pk, reply.pk} <= visible(people["cy"])

    def test_only_the_groups_moderators_hide_its_notes(self, people, seminar):
        written = note(people["ada"], seminar)
        curator = CuratorFactory()
        other = make_group(people["cy"], name="Other")

        for who, group in [(people["ben"], seminar), (curator, seminar), (people["cy"], other)]:
            with pytest.raises((Annotation.DoesNotExist, Group.DoesNotExist, Membership.DoesNotExist)):
                moderation.hide_group_note(group=group, by=who, annotation_id=written.pk, reason="No")
        written.refresh_from_db()
        assert not written.hidden


class TestMovingNotes:
    def test_the_author_moves_a_thread_between_visibilities_and_it_follows(self, people, seminar):
        root = services.create_annotation(
            author=people["ada"], document=DocumentFactory(), target=Target(exact="first passage")
        )
        reply = services.create_annotation(author=people["ada"], parent=root, comment="To myself.")
        document = root.document
        versions = [document.annotations_version]

        for visibility, group, ben_sees, cy_sees in [
            ("group", seminar, True, False),
            ("public", None, True, True),
            ("group", seminar.slug, True, False),
            ("private", None, False, False),
        ]:
            services.update_annotation(root, visibility=visibility, group=group)
            document.refresh_from_db()
            versions.append(document.annotations_version)
            stored = {a.pk: (a.visibility, a.group_id) for a in Annotation.objects.filter(document=document)}
            expected = (visibility, seminar.pk if visibility == "group" else None)
            assert stored == {root.pk: expected, reply.pk: expected}
            assert ({root.pk, reply.pk} <= visible(people["ben"])) is ben_sees
            assert bool({root.pk, reply.pk} & visible(people["cy"])) is cy_sees
        assert versions == sorted(set(versions))  # each move bumped the panels' version

    def test_moving_into_a_group_one_is_not_in_is_refused_and_nothing_changes(self, people, seminar):
        root = services.create_annotation(
            author=people["cy"], document=DocumentFactory(), target=Target(exact="first passage")
        )

        with pytest.raises(AnnotationError, match="not a group you belong to"):
            services.update_annotation(root, visibility="group", group=seminar)

        root.refresh_from_db()
        assert (root.visibility, root.group_id) == ("private", None)


class TestReaderKey:
    def test_the_readers_key_changes_with_every_membership_change(self, people, seminar):
        def key():
            return freshness.reader_key(type(people["ben"]).objects.get(pk=people["ben"].pk))

        keys = [key()]
        groups.make_moderator(group=seminar, by=people["ada"], member=people["ben"])
        keys.append(key())
        groups.leave_group(group=seminar, user=people["ben"])
        keys.append(key())
        groups.join_group(
            slug=seminar.slug,
            token=groups.create_invitation(group=seminar, by=people["ada"]).token,
            user=people["ben"],
        )
        keys.append(key())

        assert all(before != after for before, after in itertools.pairwise(keys))
        # Back as a member, he sees what a member sees: the key may be the one he had.
        assert keys[-1] == keys[0]


def test_deleting_a_sole_moderators_account_hands_the_group_to_its_longest_standing_member(people):
    group = make_group(people["ada"], people["ben"], people["cy"], name="Heirs")
    other = make_group(people["ada"], people["dee"], name="Shared")
    groups.make_moderator(group=other, by=people["ada"], member=people["dee"])

    account_services.delete_account(people["ada"])

    assert role(group, people["ben"]) == "moderator"
    assert role(group, people["cy"]) == "member"
    assert role(other, people["dee"]) == "moderator"
