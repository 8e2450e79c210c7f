"""Fixtures of the JSON-LD tests: a document and annotations with fixed dates."""

import pytest

from documents.models import Annotation
from tests.documents.annotations.jsonld.builders import CREATED, MODIFIED
from tests.factories import AnnotationFactory, DocumentFactory, UserFactory


@pytest.fixture(autouse=True)
def archive_name(settings):
    settings.ARCHIVE_NAME = "Test Archive"


@pytest.fixture
def ada(db):
    return UserFactory(username="ada")


@pytest.fixture
def gettysburg(db):
    return DocumentFactory(slug="gettysburg")


@pytest.fixture
def root(ada, gettysburg):
    """A public comment with two tags on “The first passage” (code points 11 to 28)."""
    return AnnotationFactory(
        document=gettysburg,
        author=ada,
        visibility=Annotation.Visibility.PUBLIC,
        motivation=Annotation.Motivation.COMMENTING,
        start=11,
        end=28,
        comment="A *note*.",
        created=CREATED,
        modified=MODIFIED,
        tags=["Rhetoric", "democracy"],
    )


@pytest.fixture
def three(ada, gettysburg):
    return [
        AnnotationFactory(document=gettysburg, author=ada, start=start, created=CREATED, modified=MODIFIED)
        for start in (0, 11, 30)
    ]
