"""Schemathesis against /api/schema/: no server error, no answer the schema does not describe.

Runs in CI, bounded: few examples per operation, derandomized so a failure
reproduces. Requests go through the WSGI app inside the test's transaction,
authenticated with the personal token of the author of the seeded annotations,
so writes (POST, PUT, DELETE) are exercised too, not only refused with 401.
"""

import uuid

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from archive_site.wsgi import application
from documents.accounts.tokens import issue_token
from documents.annotations import moderation, services
from tests.factories import AnnotationFactory, CuratorFactory, DocumentFactory, UserFactory

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)

SLUG = "fuzzed"
ANNOTATION_ID = uuid.UUID("0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0")
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]


@pytest.fixture
def token(db):
    """A document with public, tagged, hidden and reply annotations, and the author's token.

    Like Django's test client, requests must not close the connection that holds
    the test's transaction, so the close_old_connections handlers are off meanwhile.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    author = UserFactory(username="fuzzer")
    document = DocumentFactory(slug=SLUG)
    root = AnnotationFactory(
        id=ANNOTATION_ID, document=document, author=author, visibility="public", tags=["law"]
    )
    services.create_annotation(author=author, parent=root, comment="A reply.")
    hidden = AnnotationFactory(document=document, author=author, visibility="public", start=20)
    moderation.hide_annotation(hidden, by=CuratorFactory(), reason="Off topic.")
    _, key = issue_token(user=author)
    yield key
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_answers_as_its_schema_says(case, token):
    """Path parameters name the seeded document and annotation, so answers are not only 404s."""
    if "slug" in (case.path_parameters or {}):
        case.path_parameters["slug"] = SLUG
    if "id" in (case.path_parameters or {}):
        case.path_parameters["id"] = str(ANNOTATION_ID)
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
