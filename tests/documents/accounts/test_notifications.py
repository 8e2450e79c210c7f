"""Notifications: each event tells exactly the right reader, no one of their own doing, and
nothing anyone may not see (docs/reading-and-annotating.md, "Notifications")."""

import pytest
from django.core import mail
from django.test import override_settings

from documents.annotations import moderation, services, text_changes
from documents.annotations.writes import Target
from documents.groups import services as groups
from documents.models import Annotation, Notification, NotificationSettings, unread_notification_count
from tests.factories import CuratorFactory, DocumentFactory, UserFactory
from tests.mail import run_worker

pytestmark = pytest.mark.django_db

TEXT = "The delicate mosaic may be shattered.\n\nWe reaffirm our strong support."


@pytest.fixture
def doc():
    return DocumentFactory(slug="mosaic", text=TEXT)


@pytest.fixture
def ann(db):
    return UserFactory(username="ann")


@pytest.fixture
def bob(db):
    return UserFactory(username="bob")


@pytest.fixture
def cat(db):
    return UserFactory(username="cat")


def note(doc, author, *, comment="A note.", visibility="public", exact="delicate mosaic"):
    return services.create_annotation(
        author=author, document=doc, target=Target(exact=exact), comment=comment, visibility=visibility
    )


def reply(parent, author, comment="I agree."):
    return services.create_annotation(author=author, parent=parent, comment=comment)


def told(user):
    """What ``user`` was told, as (kind, annotation id, actor username) in the order it was made."""
    return [
        (n.kind, n.annotation_id, n.actor.username if n.actor else None)
        for n in Notification.objects.filter(recipient=user).order_by("created", "pk")
    ]


def listed(user):
    shown = Notification.objects.for_reader(user).order_by("created", "pk")
    return [(n.kind, n.annotation_id) for n in shown]


def opt_in(user):
    NotificationSettings.objects.create(user=user, email=True)


class TestReplies:
    def test_a_reply_tells_the_author_of_the_note_it_answers(self, doc, ann, bob):
        parent = note(doc, ann)

        answer = reply(parent, bob)

        assert told(ann) == [("reply", answer.pk, "bob")]
        assert told(bob) == []

    def test_a_reply_deeper_in_a_thread_tells_the_parent_and_the_root_author(self, doc, ann, bob, cat):
        root = note(doc, ann)
        middle = reply(root, bob)

        answer = reply(middle, cat)

        assert told(bob) == [("reply", answer.pk, "cat")]
        assert told(ann) == [("reply", middle.pk, "bob"), ("reply", answer.pk, "cat")]

    def test_answering_yourself_tells_no_one(self, doc, ann):
        root = note(doc, ann)

        reply(reply(root, ann), ann)

        assert not Notification.objects.exists()

    def test_a_reply_below_a_hidden_note_is_told_to_no_one_who_may_not_see_it(self, doc, ann, bob, curator):
        root = note(doc, ann)
        middle = reply(root, bob)
        moderation.hide_annotation(root, by=curator, reason="Off topic")

        # Curators read hidden branches and may answer in them; the reply starts hidden.
        answer = reply(middle, curator, comment="Please keep to the text.")

        assert Annotation.objects.get(pk=answer.pk).ancestor_hidden
        assert told(bob) == []
        assert [kind for kind, _, _ in told(ann)] == ["reply", "hidden"]

    def test_a_reply_that_mentions_the_parent_author_tells_them_once(self, doc, ann, bob):
        parent = note(doc, ann)

        answer = reply(parent, bob, comment="@ann, see the second passage.")

        assert told(ann) == [("reply", answer.pk, "bob")]


class TestMentions:
    def test_a_mention_in_a_public_note_tells_the_reader_named(self, doc, ann, bob):
        mentioning = note(doc, ann, comment="What do you think, @bob?")

        assert told(bob) == [("mention", mentioning.pk, "ann")]

    def test_a_mention_in_a_private_note_tells_no_one(self, doc, ann, bob):
        note(doc, ann, comment="Remind @bob about this.", visibility="private")

        assert not Notification.objects.exists()

    def test_mentioning_yourself_unknown_names_or_closed_accounts_tells_no_one(self, doc, ann, bob):
        bob.is_active = False
        bob.save()

        note(doc, ann, comment="@ann @nobody @bob")

        assert not Notification.objects.exists()

    def test_an_edit_tells_only_the_newly_mentioned(self, doc, ann, bob, cat):
        mentioning = note(doc, ann, comment="@bob")

        services.update_annotation(mentioning, comment="@bob and now @cat")
        services.update_annotation(mentioning, comment="@bob and now @cat, edited again")

        assert told(bob) == [("mention", mentioning.pk, "ann")]
        assert told(cat) == [("mention", mentioning.pk, "ann")]

    def test_a_private_note_made_public_tells_the_mentioned_then(self, doc, ann, bob):
        mentioning = note(doc, ann, comment="For @bob", visibility="private")
        assert told(bob) == []

        services.update_annotation(mentioning, visibility="public")

        assert told(bob) == [("mention", mentioning.pk, "ann")]

    def test_a_mention_in_a_note_on_a_draft_tells_no_reader(self, ann, bob, curator):
        draft = DocumentFactory(status="draft", text=TEXT)

        note(draft, curator, comment="@bob and @ann should read this once published")

        assert not Notification.objects.exists()

    def test_a_mention_in_code_tells_no_one(self, doc, ann, bob):
        note(doc, ann, comment="Type `@bob` to mention someone; write to bob@example.org.")

        assert not Notification.objects.exists()


class TestEdits:
    def test_a_curators_edit_tells_the_authors_whose_quote_changed_or_went(self, doc, ann, bob, curator):
        changed = note(doc, ann, exact="delicate mosaic may be shattered")
        orphaned = note(doc, bob, exact="strong support")
        untouched = note(doc, bob, exact="We reaffirm")

        doc.text = "The delicate mosaic might be shattered.\n\nWe reaffirm our position."
        text_changes.save_document(doc, by=curator)

        assert told(ann) == [("changed", changed.pk, curator.username)]
        assert told(bob) == [("orphaned", orphaned.pk, curator.username)]
        assert untouched.pk not in {n.annotation_id for n in Notification.objects.all()}

    def test_a_note_already_orphaned_is_not_reported_again(self, doc, ann, curator):
        orphaned = note(doc, ann, exact="strong support")
        doc.text = "The delicate mosaic may be shattered."
        text_changes.save_document(doc, by=curator)

        doc.text = "The delicate mosaic may be shattered, surely."
        text_changes.save_document(doc, by=curator)

        assert told(ann) == [("orphaned", orphaned.pk, curator.username)]

    def test_the_editor_is_not_told_of_their_own_notes(self, doc):
        curator = CuratorFactory()
        note(doc, curator, exact="strong support")

        doc.text = "The delicate mosaic may be shattered."
        text_changes.save_document(doc, by=curator)

        assert not Notification.objects.exists()

    def test_a_private_note_is_told_to_its_author(self, doc, ann, curator):
        private = note(doc, ann, exact="strong support", visibility="private")

        doc.text = "The delicate mosaic may be shattered."
        text_changes.save_document(doc, by=curator)

        assert told(ann) == [("orphaned", private.pk, curator.username)]


class TestModeration:
    def test_hiding_and_restoring_tell_the_author_with_the_reason(self, doc, ann, curator):
        hidden = note(doc, ann)

        moderation.hide_annotation(hidden, by=curator, reason="Personal attack")
        moderation.restore_annotation(hidden, by=curator)

        by = curator.username
        assert told(ann) == [("hidden", hidden.pk, by), ("restored", hidden.pk, by)]
        assert Notification.objects.get(kind="hidden").reason == "Personal attack"
        assert listed(ann) == [("hidden", hidden.pk), ("restored", hidden.pk)]

    def test_restoring_a_note_that_was_not_hidden_tells_no_one(self, doc, ann, curator):
        moderation.restore_annotation(note(doc, ann), by=curator)

        assert not Notification.objects.exists()


class TestShownOnlyWhileVisible:
    def test_a_note_made_private_afterwards_leaves_the_list_and_the_count(self, doc, ann, bob):
        mentioning = note(doc, ann, comment="@bob look")
        assert listed(bob) == [("mention", mentioning.pk)]
        assert unread_notification_count(UserFactory(username="bob")) == 1

        services.update_annotation(mentioning, visibility="private")

        assert told(bob) == [("mention", mentioning.pk, "ann")]  # kept, but not shown
        assert listed(bob) == []
        assert unread_notification_count(UserFactory(username="bob")) == 0

    def test_a_reply_hidden_afterwards_leaves_the_parent_authors_list(self, doc, ann, bob, curator):
        answer = reply(note(doc, ann), bob, comment="Something rude")

        moderation.hide_annotation(answer, by=curator, reason="Rude")

        assert listed(ann) == []
        assert [kind for kind, _ in listed(bob)] == ["hidden"]  # the author still sees their note

    def test_a_document_sent_back_to_draft_takes_its_notifications_out_of_the_list(self, doc, ann, bob):
        reply(note(doc, ann), bob)

        text_changes.set_document_status(doc, "draft")

        assert listed(ann) == []

    def test_a_deleted_note_takes_its_notifications_with_it(self, doc, ann, bob):
        answer = reply(note(doc, ann), bob)

        services.delete_annotation(answer)

        assert not Notification.objects.exists()

    def test_anonymous_readers_have_none(self):
        from django.contrib.auth.models import AnonymousUser

        assert list(Notification.objects.for_reader(AnonymousUser())) == []
        assert unread_notification_count(AnonymousUser()) == 0


class TestMentionLimit:
    """One author's mentions of one reader notify at most MENTION_RATE_READER times an hour."""

    @pytest.fixture(autouse=True)
    def two_an_hour(self, settings):
        settings.MENTION_RATE_READER = "2/hour"

    def test_mentions_past_the_limit_are_saved_and_tell_no_one(self, doc, ann, bob, cat):
        first, second = note(doc, ann, comment="@bob look"), note(doc, ann, comment="@bob again")
        third = note(doc, ann, comment="@bob @cat and again")

        assert Annotation.objects.get(pk=third.pk).comment == "@bob @cat and again"
        assert told(bob) == [("mention", first.pk, "ann"), ("mention", second.pk, "ann")]
        assert told(cat) == [("mention", third.pk, "ann")]

    def test_the_limit_is_per_author_and_leaves_replies_alone(self, doc, ann, bob, cat):
        for _ in range(3):
            note(doc, ann, comment="@bob look")
        by_cat = note(doc, cat, comment="@bob from cat")
        answer = reply(note(doc, bob), ann, comment="Answering @bob")

        assert told(bob)[2:] == [("mention", by_cat.pk, "cat"), ("reply", answer.pk, "ann")]


class TestImports:
    def test_an_import_tells_no_one(self, doc, ann, bob):
        from documents.importing.annotations import import_annotations

        parent = note(doc, ann)
        items = [
            {
                "@context": "http://www.w3.org/ns/anno.jsonld",
                "type": "Annotation",
                "motivation": "replying",
                "bodyValue": "Imported, @ann",
                "target": f"http://testserver/api/annotations/{parent.pk}/",
                "creator": {"id": f"acct:{bob.username}@testserver", "type": "Person"},
            }
        ]

        report = import_annotations(user=bob, items=items, base_url="http://testserver")

        assert report.refused == []
        assert len(report.imported) == 1
        assert Annotation.objects.filter(parent=parent).exists()
        assert not Notification.objects.exists()


class TestEmail:
    """What the mail says and to whom, delivered by the queue's worker (tests/mail.py) after commit."""

    def test_only_readers_who_opted_in_get_mail_and_only_after_commit(
        self, doc, ann, bob, cat, django_capture_on_commit_callbacks
    ):
        opt_in(ann)
        root = note(doc, ann, comment="First")
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            answer = reply(root, bob, comment="Agreed, and @cat should see this.")
        run_worker()
        assert mail.outbox == []  # nothing is queued before the write commits

        for callback in callbacks:
            callback()
        run_worker()

        assert told(cat) == [("mention", answer.pk, "bob")]  # told in the app; cat did not opt in
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == [ann.email]
        assert message.subject.startswith("bob replied to your note")
        assert "Agreed, and @cat should see this." in message.body
        assert f"/annotations/{answer.pk}/" in message.body
        assert "“First”" not in message.body

    def test_a_hidden_note_mails_its_author_the_reason_not_the_curators_name(
        self, doc, ann, curator, django_capture_on_commit_callbacks
    ):
        opt_in(ann)
        hidden = note(doc, ann)

        with django_capture_on_commit_callbacks(execute=True):
            moderation.hide_annotation(hidden, by=curator, reason="Off topic")
        run_worker()

        (message,) = mail.outbox
        assert message.subject.startswith("A curator hid your note")
        assert "Reason: Off topic" in message.body
        assert curator.username not in message.body

    def test_no_mail_for_what_the_reader_may_not_see(self, doc, ann, bob, django_capture_on_commit_callbacks):
        opt_in(bob)

        with django_capture_on_commit_callbacks(execute=True):
            note(doc, ann, comment="Secret plan for @bob", visibility="private")
        run_worker()

        assert mail.outbox == []

    def test_no_mail_without_an_address(self, doc, ann, bob, django_capture_on_commit_callbacks):
        opt_in(ann)
        ann.email = ""
        ann.save()

        with django_capture_on_commit_callbacks(execute=True):
            reply(note(doc, ann), bob)
        run_worker()

        assert mail.outbox == []
        assert len(told(ann)) == 1


@pytest.mark.django_db(transaction=True)
@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=9
)
def test_a_mail_server_that_refuses_does_not_fail_the_reply(client, caplog):
    """A real SMTP backend, pointed at a port where nothing listens: the reply is stored all the same,
    and the worker's failed try is logged and queued again
    (tests/documents/accounts/test_notification_mail.py)."""
    doc = DocumentFactory(text=TEXT)
    ann, bob = UserFactory(username="ann"), UserFactory(username="bob")
    opt_in(ann)
    parent = note(doc, ann)
    client.force_login(bob)

    response = client.post(
        "/api/annotations/",
        {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "type": "Annotation",
            "motivation": "replying",
            "bodyValue": "Stored even if the mail fails",
            "target": f"http://testserver/api/annotations/{parent.pk}/",
        },
        content_type="application/ld+json",
    )
    run_worker()

    assert response.status_code == 201
    assert told(ann) == [("reply", Annotation.objects.get(parent=parent).pk, "bob")]
    assert f"A notification e-mail to {ann.email} could not be sent (try 1 of" in caplog.text
    assert Notification.objects.get().mail == Notification.Mail.QUEUED


# The matrix (docs/reading-and-annotating.md, "Notifications"): a mention of a reader or a curator in a note
# in each state,
# written in that state (told or not), or written public and moved to that state later (shown or not).
STATES = ["public", "private", "hidden", "below a hidden note", "on a draft"]
READER_SEES = {"public"}
CURATOR_SEES = {"public", "hidden", "below a hidden note", "on a draft"}


def sees(who, state):
    return state in (READER_SEES if who == "reader" else CURATOR_SEES)


def named_reader(who):
    return UserFactory(username="named") if who == "reader" else CuratorFactory(username="named")


@pytest.mark.parametrize("who", ["reader", "curator"])
@pytest.mark.parametrize("state", [state for state in STATES if state != "hidden"])
def test_a_mention_is_told_only_where_the_named_may_see_the_note(doc, ann, who, state):
    """A note cannot be written hidden; a reply below a hidden note starts hidden, which covers it."""
    named = named_reader(who)
    if state == "below a hidden note":
        root = note(doc, ann, comment="The thread")
        moderation.hide_annotation(root, by=CuratorFactory(), reason="Off topic")
        reply(root, ann, comment="For @named")
    elif state == "on a draft":
        note(DocumentFactory(status="draft", text=TEXT), ann, comment="For @named")
    else:
        note(doc, ann, comment="For @named", visibility=state)

    assert bool(told(named)) is sees(who, state)
    assert bool(listed(named)) is sees(who, state)


@pytest.mark.parametrize("who", ["reader", "curator"])
@pytest.mark.parametrize("state", STATES)
def test_a_notification_is_shown_only_while_the_named_may_see_the_note(doc, ann, who, state):
    editor = CuratorFactory()
    named = named_reader(who)
    parent = note(doc, ann, comment="The thread") if state == "below a hidden note" else None
    written = reply(parent, ann, comment="For @named") if parent else note(doc, ann, comment="For @named")
    assert [kind for kind, _, _ in told(named)] == ["mention"]

    if state == "private":
        services.update_annotation(written, visibility="private")
    elif state == "hidden":
        moderation.hide_annotation(written, by=editor, reason="Off topic")
    elif state == "below a hidden note":
        moderation.hide_annotation(parent, by=editor, reason="Off topic")
    elif state == "on a draft":
        text_changes.set_document_status(doc, "draft")

    assert bool(listed(named)) is sees(who, state)
    assert unread_notification_count(type(named).objects.get(pk=named.pk)) == int(sees(who, state))


class TestGroups:
    """Group notes tell the group's current members alone (docs/reading-and-annotating.md, "Groups" and
    "Notifications")."""

    @pytest.fixture
    def seminar(self, ann, bob):
        from tests.factories import make_group

        return make_group(ann, bob, name="Seminar")

    def group_note(self, doc, author, group, comment):
        return services.create_annotation(
            author=author,
            document=doc,
            target=Target(exact="delicate mosaic"),
            comment=comment,
            visibility="group",
            group=group,
        )

    def test_a_mention_in_a_group_note_tells_members_and_no_one_else(self, doc, ann, bob, cat, seminar):
        mentioning = self.group_note(doc, ann, seminar, "@bob and @cat, read this")

        assert told(bob) == [("mention", mentioning.pk, "ann")]
        assert told(cat) == []

    def test_a_reply_in_a_group_thread_tells_the_author_it_answers(self, doc, ann, bob, seminar):
        answer = reply(self.group_note(doc, ann, seminar, "A group note."), bob)

        assert told(ann) == [("reply", answer.pk, "bob")]

    def test_a_removed_member_no_longer_sees_what_they_were_told(self, doc, ann, bob, seminar):

        mentioning = self.group_note(doc, ann, seminar, "@bob see here")
        assert listed(bob) == [("mention", mentioning.pk)]

        groups.remove_member(group=seminar, by=ann, member=bob)

        assert listed(bob) == []
        assert unread_notification_count(bob) == 0

    def test_a_group_moderator_hiding_a_note_is_a_moderator_of_the_group_not_a_curator(
        self, doc, ann, bob, seminar
    ):
        from documents.accounts.notifications import describe

        written = self.group_note(doc, bob, seminar, "Off topic")

        moderation.hide_group_note(group=seminar, by=ann, annotation_id=written.pk, reason="Off topic")

        hidden = Notification.objects.get(recipient=bob, kind="hidden")
        assert describe(hidden, actor_name="ann").startswith("A moderator of the group ")
