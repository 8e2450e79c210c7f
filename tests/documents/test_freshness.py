"""What cached pages read before anything else (``documents.freshness``), one query each.

``visible_document`` and ``visible_annotation`` run ``visible_to`` as Django builds and compiles
it on every call: for every reader and every kind of note they must answer as the plain
QuerySet does, and name what the page's validator needs; on PostgreSQL the server prepares them
(docs/performance.md, "Reading at scale").
"""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.auth.models import User as UserModel
from django.db import connection
from django.db.backends.postgresql.base import ServerBindingCursor

from documents import freshness
from documents.annotations import moderation, services
from documents.models import CURATORS, Annotation, Document, is_curator
from tests.factories import (
    AnnotationFactory,
    CollectionFactory,
    CuratorFactory,
    DocumentFactory,
    UserFactory,
    make_group,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    author, other, member, moderator = (UserFactory(username=name) for name in ["a", "o", "m", "mod"])
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    staff_not_curator = UserFactory(username="staff", is_staff=True)
    readers = {
        "anonymous": AnonymousUser(),
        "author": author,
        "other": other,
        "curator": CuratorFactory(),
        "superuser": superuser,
        "staff, not a curator": staff_not_curator,
        "group member": member,
        "group moderator": moderator,
    }
    published = DocumentFactory(slug="published", text="Alpha beta gamma delta.")
    draft = DocumentFactory(slug="draft", text="Alpha beta gamma delta.", status=Document.Status.DRAFT)
    seminar = make_group(moderator, author, member)
    notes = {
        "public": AnnotationFactory(document=published, author=author, visibility="public"),
        "private": AnnotationFactory(document=published, author=author, visibility="private"),
        "hidden": AnnotationFactory(document=published, author=author, visibility="public", hidden=True),
        "on a draft": AnnotationFactory(document=draft, author=author, visibility="public"),
        "group": AnnotationFactory(document=published, author=author, visibility="group", group=seminar),
        "hidden group": AnnotationFactory(
            document=published, author=author, visibility="group", group=seminar
        ),
    }
    moderation.hide_group_note(
        group=seminar, by=moderator, annotation_id=notes["hidden group"].pk, reason="No"
    )
    notes["reply under hidden"] = services.create_annotation(
        author=author, parent=notes["hidden"], comment="Re."
    )
    return readers, {"published": published, "draft": draft}, notes


READERS = [
    "anonymous",
    "author",
    "other",
    "curator",
    "superuser",
    "staff, not a curator",
    "group member",
    "group moderator",
]
NOTES = ["public", "private", "hidden", "on a draft", "group", "hidden group", "reply under hidden"]


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("note", NOTES)
def test_an_annotation_is_found_exactly_when_visible_to_lets_the_reader_see_it(world, reader, note):
    readers, _, notes = world
    user, annotation = readers[reader], notes[note]

    found = freshness.visible_annotation(user, annotation.pk)

    expected = Annotation.objects.visible_to(user).filter(pk=annotation.pk).exists()
    assert (found is not None) == expected
    if found is not None:
        seen, document = found
        assert (seen.pk, seen.author_id) == (annotation.pk, annotation.author_id)
        whole = Document.objects.get(pk=annotation.document_id)
        for who in (None, user):
            assert freshness.document_state(document, who) == freshness.document_state(whole, who)


def test_the_matrix_is_not_empty_either_way(world):
    readers, _, notes = world
    answers = {
        freshness.visible_annotation(readers[reader], notes[note].pk) is not None
        for reader in READERS
        for note in NOTES
    }
    assert answers == {True, False}


def test_no_such_annotation_is_none(world):
    readers, _, _ = world
    for reader in READERS:
        assert freshness.visible_annotation(readers[reader], uuid.uuid4()) is None


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("slug", ["published", "draft", "no-such-document"])
def test_a_document_is_found_exactly_when_the_reader_may_read_it(world, reader, slug):
    readers, _, _ = world
    user = readers[reader]

    for labels in [False, True]:
        state = freshness.visible_document(user, slug, labels=labels)

        expected = Document.objects.visible_to(user).filter(slug=slug).first()
        assert (state is not None) == (expected is not None)
        if state is not None:
            for who in (None, user):
                assert freshness.document_state(state, who) == freshness.document_state(expected, who)


@pytest.mark.parametrize("reader", READERS)
def test_each_lookup_is_one_query(world, reader, django_assert_num_queries):
    readers, _, notes = world
    user = readers[reader]
    is_curator(user)  # kept on the user for the request, as the reading view asks it first

    with django_assert_num_queries(1):
        freshness.visible_document(user, "published", labels=True)
    with django_assert_num_queries(1):
        freshness.visible_annotation(user, notes["group"].pk)


def test_its_labels_are_listed_and_follow_every_change(world):
    _, documents, _ = world
    document = documents["published"]
    anonymous = AnonymousUser()

    def labels():
        state = freshness.visible_document(anonymous, document.slug, labels=True)
        return state.tags_listed, state.collections_listed

    assert labels() == (None, None)
    collection = CollectionFactory(title="Treaties", slug="treaties")
    document.tags.add("Rome")
    document.collections.add(collection)
    first = labels()
    assert "Rome" in first[0] and "Treaties" in first[1]

    seen = {first}
    tag = document.tags.get()
    for change in [
        lambda: (setattr(tag, "name", "Rome Statute"), tag.save()),
        lambda: (setattr(tag, "slug", "rome-statute"), tag.save()),
        lambda: (setattr(collection, "title", "Treaties and statutes"), collection.save()),
        lambda: (setattr(collection, "slug", "treaties-and-statutes"), collection.save()),
        lambda: (setattr(collection, "order", 4), collection.save()),
        lambda: document.tags.add("jurisdiction"),
        lambda: document.collections.add(CollectionFactory()),
        lambda: document.tags.remove("jurisdiction"),
    ]:
        change()
        now = labels()
        assert now not in seen
        seen.add(now)


def test_a_reader_who_becomes_a_curator_reads_drafts_at_once(world):
    readers, _, _ = world
    other = UserModel.objects.get(pk=readers["other"].pk)
    assert freshness.visible_document(other, "draft") is None

    other.is_staff = True
    other.save()
    other.groups.add(Group.objects.get(name=CURATORS))
    other = UserModel.objects.get(pk=other.pk)
    assert freshness.visible_document(other, "draft") is not None


def _server_prepared() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return {statement for (statement,) in cursor.fetchall()}


def _lookups(world) -> None:
    readers, _, notes = world
    assert freshness.visible_document(readers["anonymous"], "planned", labels=True) is not None
    assert freshness.visible_annotation(readers["other"], notes["public"].pk) is not None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares statements")
def test_postgresql_prepares_the_lookups_and_django_still_logs_them(world, django_assert_num_queries):
    DocumentFactory(slug="planned")

    with django_assert_num_queries(6):
        for _ in range(3):
            _lookups(world)
    prepared = _server_prepared()
    assert [s for s in prepared if '"documents_document"."slug" = $' in s]
    assert [s for s in prepared if '"documents_annotation"."id" = $' in s]
    assert not [statement for statement in prepared if "planned" in statement]  # a parameter
    assert connection.connection.cursor_factory is not ServerBindingCursor  # Django's own again


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares statements")
def test_switched_off_postgresql_prepares_nothing(world):
    DocumentFactory(slug="planned")
    connection.ensure_connection()
    # What DATABASE_PREPARED_STATEMENTS=false leaves: Django's default, no threshold.
    threshold, connection.connection.prepare_threshold = connection.connection.prepare_threshold, None
    try:
        before = _server_prepared()
        for _ in range(3):
            _lookups(world)
        assert _server_prepared() == before
    finally:
        connection.connection.prepare_threshold = threshold


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "labels"), [("documents", False), ("documents", True), ("annotations", False)]
)
def test_the_anonymous_lookups_kept_between_requests_compile_as_visible_to_builds_them_now(kind, labels):
    kept = freshness._seen_by_anyone(kind, labels)
    fresh = freshness._documents(None, labels) if kind == "documents" else freshness._annotations(None)
    assert freshness._seen_by_anyone(kind, labels) is kept
    assert str(kept.filter(pk=1).query) == str(fresh.filter(pk=1).query)
    assert kept._result_cache is None  # never run itself: every lookup runs a copy
