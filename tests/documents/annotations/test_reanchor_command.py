"""``manage.py reanchor``: the same re-anchoring and report as a save, on demand."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from documents.annotations import services
from documents.annotations.writes import Target
from documents.models import Annotation, Document
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("reanchor", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def stale(user):
    """A note whose document's text was changed behind the services' back (as a raw SQL fix would)."""
    document = DocumentFactory(slug="mosaic", text="The delicate mosaic may be shattered.")
    note = services.create_annotation(
        author=user, document=document, target=Target(exact="delicate mosaic may be shattered")
    )
    Document.objects.filter(pk=document.pk).update(text="Now: the delicate mosaic might be shattered.")
    return note


def test_it_reports_per_document_and_writes(stale):
    DocumentFactory(slug="other")

    output = run()

    stale.refresh_from_db()
    assert "mosaic: annotations: 0 unchanged, 0 moved, 1 changed, 0 orphaned" in output
    assert "other: annotations: 0 unchanged, 0 moved, 0 changed, 0 orphaned" in output
    assert (stale.anchor, stale.exact, stale.original_exact) == (
        "changed",
        "delicate mosaic might be shattered",
        "delicate mosaic may be shattered",
    )


def test_a_dry_run_writes_nothing(stale):
    output = run("--document", "mosaic", "--dry-run")

    stale.refresh_from_db()
    assert "Dry run, nothing written. Would leave annotations: 0 unchanged, 0 moved, 1 changed" in output
    assert stale.anchor == Annotation.Anchor.ANCHORED


def test_an_unknown_slug_is_refused():
    with pytest.raises(CommandError, match="no document with the slug “nope”"):
        run("--document", "nope")
