"""The one write path of notes (``documents.annotations.writes``): no write can forget a step.

Every public function of the modules that write notes is either a write listed here, which is run
and must count its change on the document's versions and hand its ``Changes`` to the listeners,
or named as no write of notes with the reason. A new function that is neither fails the first
test; one that writes without ``writing`` fails the second. The listeners are real: a recording
one registered beside the search index and the notifications, as ``documents/apps.py`` does.
"""

import inspect

import pytest
from django.db import transaction
from taggit.models import Tag

from documents.accounts import notifications
from documents.accounts import services as account_services
from documents.annotations import moderation, services, text_changes, writes
from documents.annotations.writes import Target
from documents.models import Annotation, Document, Notification
from documents.search import index
from documents.search.models import SearchEntry
from tests.factories import CuratorFactory, DocumentFactory, UserFactory, make_group

pytestmark = pytest.mark.django_db

TEXT = "# Heading\n\nAlpha beta gamma delta.\n\nA second passage, with more words in it."

MODULES = {
    "services": services,
    "moderation": moderation,
    "text_changes": text_changes,
    "account_services": account_services,
}

NOT_WRITES = {
    "moderation.flag_annotation": "a flag changes no note: no panel, index or notification shows it",
    "moderation.dismiss_flag": "dismissing a flag changes no note, as flagging does not",
    "moderation.dismiss_flags": "dismissing flags changes no note, as flagging does not",
    "moderation.flags_moderated_by": "reads the flags a curator may see",
    "moderation.hides_its_replies": "reads whether a new reply starts hidden",
    "moderation.moderated_note": "reads the group note a moderator may act on",
    "text_changes.lock_for_edit": "holds a document's row and checks an edit is not stale; writes nothing",
    "text_changes.check_stale": "checks an edit against the stored revision; writes nothing",
}


class World:
    def __init__(self):
        self.document = DocumentFactory(text=TEXT)
        self.author = UserFactory(username="author")
        self.reader = UserFactory(username="reader")
        self.curator = CuratorFactory(username="curator")
        self.note = services.create_annotation(
            author=self.author,
            document=self.document,
            target=Target(exact="Alpha beta gamma delta"),
            comment="A note.",
            tags=["first"],
            visibility="public",
        )


def create_annotation(world):
    return lambda: services.create_annotation(author=world.reader, parent=world.note, comment="@author yes")


def update_annotation(world):
    return lambda: services.update_annotation(world.note, comment="Second thoughts, @reader.")


def delete_annotation(world):
    return lambda: services.delete_annotation(world.note)


def merge_tags(world):
    services.create_annotation(
        author=world.reader, document=world.document, target=Target(exact="delta"), tags=["second"]
    )
    first, second = Tag.objects.get(name="first"), Tag.objects.get(name="second")
    return lambda: services.merge_tags(into=first, tags=[second])


def hide_annotation(world):
    return lambda: moderation.hide_annotation(world.note, by=world.curator, reason="Off topic")


def restore_annotation(world):
    moderation.hide_annotation(world.note, by=world.curator, reason="Off topic")
    return lambda: moderation.restore_annotation(world.note, by=world.curator)


def group_note(world):
    group = make_group(world.reader, world.author)
    note = services.create_annotation(
        author=world.author,
        document=world.document,
        target=Target(exact="second passage"),
        comment="For the seminar.",
        visibility="group",
        group=group,
    )
    return group, note


def hide_group_note(world):
    group, note = group_note(world)
    return lambda: moderation.hide_group_note(
        group=group, by=world.reader, annotation_id=note.pk, reason="Off topic"
    )


def restore_group_note(world):
    group, note = group_note(world)
    moderation.hide_group_note(group=group, by=world.reader, annotation_id=note.pk, reason="No")
    return lambda: moderation.restore_group_note(group=group, by=world.reader, annotation_id=note.pk)


def reanchor_document(world):
    return lambda: text_changes.reanchor_document(world.document, everything=True)


def save_document(world):
    document = Document.objects.get(pk=world.document.pk)
    document.text = TEXT.replace("beta gamma", "beta gamma epsilon")
    return lambda: text_changes.save_document(document, by=world.curator)


def revert_document(world):
    save_document(world)()
    return lambda: text_changes.revert_document(world.document, to=1, by=world.curator)


def set_document_status(world):
    return lambda: text_changes.set_document_status(world.document, Document.Status.DRAFT)


def accept_changed_quote(world):
    document = Document.objects.get(pk=world.document.pk)
    document.text = TEXT.replace("gamma", "gamut")
    text_changes.save_document(document)
    assert Annotation.objects.get(pk=world.note.pk).quote_changed
    return lambda: text_changes.accept_changed_quote(world.note, by=world.author)


def save_account(world):
    world.author.username = "renamed"
    return lambda: account_services.save_account(world.author)


def delete_account(world):
    return lambda: account_services.delete_account(world.author)


# Each write, and what its ``Changes`` must say besides the document whose panels changed.
WRITES = {
    "services.create_annotation": (create_annotation, "created"),
    "services.update_annotation": (update_annotation, "readdressed"),
    "services.delete_annotation": (delete_annotation, "deleted"),
    "services.merge_tags": (merge_tags, "edited"),
    "moderation.hide_annotation": (hide_annotation, "hidden"),
    "moderation.restore_annotation": (restore_annotation, "restored"),
    "moderation.hide_group_note": (hide_group_note, "hidden"),
    "moderation.restore_group_note": (restore_group_note, "restored"),
    "text_changes.reanchor_document": (reanchor_document, "documents"),
    "text_changes.save_document": (save_document, "texts"),
    "text_changes.revert_document": (revert_document, "texts"),
    "text_changes.set_document_status": (set_document_status, "documents"),
    "text_changes.accept_changed_quote": (accept_changed_quote, "documents"),
    "account_services.save_account": (save_account, "documents"),
    "account_services.delete_account": (delete_account, "deleted"),
}


@pytest.fixture
def recorded():
    """Every ``Changes`` handed to the listeners while the test runs, in order."""
    told = []
    writes.listen(told.append)
    yield told
    writes.stop_listening(told.append)


def versions(document):
    return Document.objects.values_list("annotations_version", "public_annotations_version").get(
        pk=document.pk
    )


def test_every_public_function_that_writes_notes_is_a_write_tested_here_or_said_not_to_be():
    public = {
        f"{label}.{name}"
        for label, module in MODULES.items()
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__ and not name.startswith("_")
    }

    assert public == set(WRITES) | set(NOT_WRITES)
    assert not set(WRITES) & set(NOT_WRITES)


@pytest.mark.parametrize("name", list(WRITES))
def test_each_write_counts_its_change_and_tells_every_listener(name, recorded):
    scenario, said = WRITES[name]
    world = World()
    act = scenario(world)
    before = versions(world.document)
    recorded.clear()

    act()

    assert recorded, f"{name} told no listener"
    assert any(world.document.pk in changes.documents for changes in recorded)
    assert any(getattr(changes, said) for changes in recorded), said
    assert versions(world.document)[0] > before[0]


def test_the_listeners_are_the_search_index_then_the_notifications():
    assert writes.listeners()[:2] == (index.index_changes, notifications.notify_changes)


def test_a_write_that_fails_rolls_back_and_tells_nobody(recorded):
    world = World()
    recorded.clear()
    before = versions(world.document)

    with pytest.raises(ValueError), writes.writing(actor=world.reader) as write:
        note = write.hold_annotation(world.note)
        Annotation.objects.filter(pk=note.pk).update(comment="Never stored.")
        write.edited(note)
        raise ValueError

    assert not recorded
    assert versions(world.document) == before
    assert Annotation.objects.get(pk=world.note.pk).comment == "A note."


def test_rows_are_held_in_the_one_order_or_the_write_refuses():
    world = World()

    with pytest.raises(writes.LockOrderError), writes.writing() as write:
        write.hold_annotation(world.note)
        write.hold_thread(world.note)


def test_a_note_is_written_only_under_its_documents_row():
    world = World()

    with pytest.raises(writes.LockOrderError), writes.writing() as write:
        write.changed(world.note)


def test_a_private_note_leaves_the_anonymous_version_alone_and_a_public_one_moves_it():
    world = World()
    before = versions(world.document)

    services.create_annotation(
        author=world.reader, document=world.document, target=Target(exact="delta"), visibility="private"
    )
    private = versions(world.document)
    services.update_annotation(world.note, visibility="private")
    withdrawn = versions(world.document)

    assert private[0] > before[0] and private[1] == before[1]
    assert withdrawn[0] > private[0] and withdrawn[1] > private[1]


def test_the_listeners_work_in_the_writes_transaction():
    world = World()

    with pytest.raises(ValueError), transaction.atomic():
        services.create_annotation(author=world.reader, parent=world.note, comment="Agreed, @author.")
        assert Notification.objects.filter(recipient=world.author).exists()
        assert SearchEntry.objects.filter(annotation__comment="Agreed, @author.").exists()
        raise ValueError

    assert not Notification.objects.filter(recipient=world.author).exists()
    assert not SearchEntry.objects.filter(annotation__comment="Agreed, @author.").exists()
