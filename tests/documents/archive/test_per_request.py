"""Answers about the reader remembered for one request (documents/archive/per_request.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.functional import SimpleLazyObject

from documents.accounts.models import unread_notification_count
from documents.archive.models import CURATORS, is_curator
from documents.archive.per_request import forget, remembered
from tests.factories import UserFactory


class Reader:
    """A stand-in for a user object: anything that takes attributes will do."""


def counter(*answers):
    calls = []

    def compute():
        calls.append(None)
        return answers[len(calls) - 1]

    return compute, calls


def test_an_answer_is_computed_once_then_remembered():
    reader = Reader()
    compute, calls = counter(3, 4)

    assert remembered(reader, "count", compute) == 3
    assert remembered(reader, "count", compute) == 3
    assert len(calls) == 1


@pytest.mark.parametrize("answer", [None, False, 0, []])
def test_an_empty_answer_is_remembered_too(answer):
    reader = Reader()
    compute, calls = counter(answer, "asked again")

    remembered(reader, "answer", compute)

    assert remembered(reader, "answer", compute) == answer
    assert len(calls) == 1


def test_each_name_has_its_own_answer_and_each_reader_their_own():
    alice, bob = Reader(), Reader()

    assert remembered(alice, "is_curator", lambda: True) is True
    assert remembered(alice, "unread", lambda: 2) == 2
    assert remembered(bob, "is_curator", lambda: False) is False
    assert remembered(alice, "is_curator", lambda: False) is True


def test_forget_drops_the_named_answers_only():
    reader = Reader()
    remembered(reader, "a", lambda: 1)
    remembered(reader, "b", lambda: 1)

    forget(reader, "a")

    assert remembered(reader, "a", lambda: 2) == 2
    assert remembered(reader, "b", lambda: 2) == 1


def test_forget_without_names_drops_every_answer_and_is_safe_before_any():
    reader = Reader()
    forget(reader)
    remembered(reader, "a", lambda: 1)
    remembered(reader, "b", lambda: 1)

    forget(reader)

    assert (remembered(reader, "a", lambda: 2), remembered(reader, "b", lambda: 2)) == (2, 2)


def test_through_request_user_the_answers_live_on_the_user_itself():
    """``request.user`` is a SimpleLazyObject: what it remembers, the user it wraps remembers."""
    reader = Reader()
    lazy = SimpleLazyObject(lambda: reader)

    remembered(lazy, "is_curator", lambda: True)

    assert remembered(reader, "is_curator", lambda: False) is True


@pytest.mark.django_db
def test_is_curator_asks_the_database_once_per_user_object():
    staff = UserFactory(is_staff=True)

    with CaptureQueriesContext(connection) as queries:
        assert [is_curator(staff), is_curator(staff), is_curator(staff)] == [False, False, False]

    assert len(queries) == 1


@pytest.mark.django_db
def test_a_role_change_in_the_same_request_counts_once_forgotten():
    staff = UserFactory(is_staff=True)
    assert not is_curator(staff)
    staff.groups.add(Group.objects.get(name=CURATORS))

    assert not is_curator(staff), "remembered for the request, as the module's docstring says"
    forget(staff, "is_curator")
    assert is_curator(staff)
    fresh = type(staff).objects.get(pk=staff.pk)
    assert is_curator(fresh), "a fresh user object starts with nothing remembered"


@pytest.mark.django_db
def test_the_unread_count_asks_the_database_once_per_user_object():
    reader = UserFactory()

    with CaptureQueriesContext(connection) as queries:
        assert unread_notification_count(reader) == unread_notification_count(reader) == 0

    assert len(queries) == 1
