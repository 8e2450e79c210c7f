"""``documents.prepared``: a QuerySet compiled once per database and shape, run with new values."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connections
from django.db.models import Q

from documents.models import Annotation, Document
from documents.prepared import INTEGER, TEXT, UUID, Prepared
from tests.factories import AnnotationFactory, DocumentFactory

pytestmark = pytest.mark.django_db


def test_it_answers_as_the_queryset_does_for_each_value_kind():
    first, second = DocumentFactory(slug="first"), DocumentFactory(slug="second")
    note = AnnotationFactory(document=second)
    by_slug = Prepared(
        lambda shape, slug: Document.objects.filter(slug=slug).values_list("pk", "created"), TEXT
    )
    by_pk = Prepared(
        lambda shape, pk: Annotation.objects.filter(pk=pk).values_list("pk", "document_id"), UUID
    )
    by_number = Prepared(lambda shape, pk: Document.objects.filter(pk=pk).values_list("slug"), INTEGER)

    for document in [first, second]:
        assert by_slug.first(None, document.slug) == (document.pk, document.created)
        assert by_number.first(None, document.pk) == (document.slug,)
    assert isinstance(by_slug.first(None, "first")[1], datetime.datetime)  # through the converters
    assert by_slug.first(None, "third") is None
    assert by_pk.first(None, note.pk) == (note.pk, second.pk)


def test_it_compiles_once_per_shape():
    DocumentFactory(slug="one")
    DocumentFactory(slug="two", status=Document.Status.DRAFT)
    built = []

    def build(shape, slug):
        built.append(shape)
        documents = Document.objects.published() if shape == "published" else Document.objects.all()
        return documents.filter(slug=slug).values_list("slug")

    prepared = Prepared(build, TEXT)
    for _ in range(3):
        assert prepared.first("published", "one") == ("one",)
        assert prepared.first("published", "two") is None
        assert prepared.first("any", "two") == ("two",)
    assert built == ["published", "any"]


def test_a_value_that_does_not_reach_the_sql_is_refused():
    ignoring = Prepared(lambda shape, slug: Document.objects.filter(slug="fixed").values_list("pk"), TEXT)

    with pytest.raises(ValueError, match="does not reach its SQL"):
        ignoring.first(None, "fixed")


def test_it_takes_as_many_values_as_it_names_kinds():
    prepared = Prepared(lambda shape, slug: Document.objects.filter(slug=slug).values_list("pk"), TEXT)

    with pytest.raises(TypeError):
        prepared.first(None, "a", "b")
    with pytest.raises(ValueError):
        Prepared(lambda shape, slug: Document.objects.none(), "date")


def test_a_value_used_twice_goes_to_both_places():
    DocumentFactory(slug="same", title="same")
    twice = Prepared(
        lambda shape, word: Document.objects.filter(slug=word, title=word).values_list("slug"), TEXT
    )

    assert twice.first(None, "same") == ("same",)
    DocumentFactory(slug="mixed", title="other")
    assert twice.first(None, "mixed") is None


def test_a_value_used_twice_once_through_a_lookup_that_transforms_it_reaches_both_places():
    # ``icontains`` sends ``%value%``, not the value: the stand-in must not stay in that place.
    DocumentFactory(slug="elsewhere", title="The Rome Statute")
    either = Prepared(
        lambda shape, word: Document.objects.filter(Q(slug=word) | Q(title__icontains=word)).values_list(
            "slug"
        ),
        TEXT,
    )

    assert either.first(None, "statute") == ("elsewhere",)
    assert Document.objects.filter(Q(slug="statute") | Q(title__icontains="statute")).exists()


@pytest.mark.django_db(transaction=True)
def test_each_thread_runs_it_on_its_own_connection():
    DocumentFactory(slug="threaded")
    prepared = Prepared(lambda shape, slug: Document.objects.filter(slug=slug).values_list("slug"), TEXT)
    assert prepared.first(None, "threaded") == ("threaded",)  # compiled on this thread's connection
    answers, connections_used = [], []

    def read():
        answers.append(prepared.first(None, "threaded"))
        connections_used.append(id(connections["default"]))
        connections["default"].close()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    assert answers == [("threaded",)]
    assert connections_used != [id(connections["default"])]


def _server_prepared() -> list[str]:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


@pytest.mark.skipif(connections["default"].vendor != "postgresql", reason="PostgreSQL prepares statements")
def test_postgresql_plans_it_once_per_connection_and_django_still_logs_it(django_assert_num_queries):
    DocumentFactory(slug="planned")
    prepared = Prepared(lambda _, slug: Document.objects.filter(slug=slug).values_list("slug"), TEXT)

    with django_assert_num_queries(3):
        for _ in range(3):
            assert prepared.first(None, "planned") == ("planned",)
    (compiled,) = prepared.compiled.values()
    assert _server_prepared().count(compiled.sql.replace("%s", "$1")) == 1
    assert not [statement for statement in _server_prepared() if "planned" in statement]  # a parameter


@pytest.mark.skipif(connections["default"].vendor != "postgresql", reason="PostgreSQL prepares statements")
def test_switched_off_postgresql_prepares_nothing(settings):
    settings.DATABASE_PREPARED_STATEMENTS = False
    DocumentFactory(slug="unplanned")
    before = _server_prepared()
    prepared = Prepared(lambda _, slug: Document.objects.filter(slug=slug).values_list("pk"), TEXT)

    for _ in range(3):
        assert prepared.first(None, "unplanned") is not None
    assert _server_prepared() == before
