"""The admin's tag list counts the documents and the notes a curator may see, and the merge asks with
those counts (docs/curators.md, "Curators"): uses on notes the curator may not see are neither counted
nor named, and the list costs the same queries whatever its length."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag

from tests.factories import AnnotationFactory, DocumentFactory, UserFactory, make_group
from tests.html import parse

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:taggit_tag_changelist"


def counts(client) -> dict[str, tuple[str, str]]:
    """Each listed tag's (Documents, Notes) cells."""
    page = parse(client.get(reverse(CHANGELIST)))
    rows = page.find("table", id="result_list").find("tbody").find_all("tr")
    found = {}
    for row in rows:
        cells = {cell.attrs["class"].split()[0]: cell.text_content.strip() for cell in row.find_all("td")}
        name = row.find("th").text_content.strip()
        found[name] = (cells["field-document_count"], cells["field-note_count"])
    return found


def test_notes_are_counted_beside_documents(client, curator, document, user):
    DocumentFactory(tags=["treaty"])
    AnnotationFactory.create_batch(2, document=document, author=user, visibility="public", tags=["treaty"])
    AnnotationFactory(document=document, author=user, visibility="public", tags=["only-notes"])
    client.force_login(curator)

    assert counts(client) == {"only-notes": ("0", "1"), "treaty": ("1", "2")}


def test_notes_the_curator_may_not_see_are_not_counted(client, curator, document, user, other_user):
    group = make_group(other_user, name="Closed circle")
    AnnotationFactory(document=document, author=user, visibility="public", tags=["shared"])
    AnnotationFactory(document=document, author=other_user, visibility="private", tags=["shared", "secret"])
    AnnotationFactory(document=document, author=other_user, visibility="group", group=group, tags=["shared"])
    AnnotationFactory(document=document, author=curator, visibility="private", tags=["mine"])
    client.force_login(curator)

    listed = counts(client)

    assert listed == {"mine": ("0", "1"), "shared": ("0", "1")}
    assert "secret" not in client.get(reverse(CHANGELIST)).content.decode()


def test_the_list_costs_the_same_queries_for_two_tags_or_twenty(client, curator, document, user):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(CHANGELIST)).status_code == 200
        return len(captured)

    client.force_login(curator)
    for n in range(2):
        AnnotationFactory(document=document, author=user, visibility="public", tags=[f"tag {n}"])
    few = queries()
    for n in range(2, 20):
        AnnotationFactory(document=document, author=user, visibility="public", tags=[f"tag {n}"])
        DocumentFactory(tags=[f"tag {n}"])

    assert queries() == few


def test_the_merge_question_shows_each_tags_counts(client, curator, document, other_user):
    DocumentFactory(tags=["icc", "international-criminal-court"])
    AnnotationFactory(document=document, author=UserFactory(), visibility="public", tags=["icc"])
    AnnotationFactory(document=document, author=other_user, visibility="private", tags=["icc"])
    icc, long = Tag.objects.get(name="icc"), Tag.objects.get(name="international-criminal-court")
    client.force_login(curator)

    ask = client.post(
        reverse(CHANGELIST), {"action": "merge", ACTION_CHECKBOX_NAME: [str(icc.pk), str(long.pk)]}
    )

    choices = [
        " ".join(label.text_content.split())
        for label in parse(ask).find_all("label")
        if label.find_all("input")
    ]
    assert choices == ["icc (1 document, 1 note)", "international-criminal-court (1 document, 0 notes)"]
