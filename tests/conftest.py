"""Fixtures shared by every test module."""

import pytest
from hypothesis import settings

from tests.factories import AnnotationFactory, CuratorFactory, DocumentFactory, UserFactory

# Property tests check behaviour, not speed: a per-example deadline only fails them when CI is busy.
settings.register_profile("archive", deadline=None)
settings.load_profile("archive")


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def curator(db):
    return CuratorFactory()


@pytest.fixture
def document(db):
    return DocumentFactory()


@pytest.fixture
def draft(db):
    return DocumentFactory(status="draft")


@pytest.fixture
def annotation_factory(db):
    return AnnotationFactory
