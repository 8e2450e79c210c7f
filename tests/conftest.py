"""Fixtures shared by every test module."""

import pytest

from tests.factories import AnnotationFactory, CuratorFactory, DocumentFactory, UserFactory


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
