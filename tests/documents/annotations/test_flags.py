"""Flags: readers report others' public notes; curators see them in the moderation queue."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from documents.annotations import moderation
from documents.models import Annotation, Flag
from tests.factories import AnnotationFactory, UserFactory
from tests.html import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_note(document, other_user):
    return AnnotationFactory(document=document, author=other_user, visibility="public", comment="Rude words")


def flag_url(annotation) -> str:
    return reverse("annotation-flag", args=[annotation.pk])


def test_a_reader_flags_someone_elses_public_note(client, user, public_note):
    client.force_login(user)
    response = client.post(flag_url(public_note), {"reason": "  Insults a person.  "})
    assert response.status_code == 201
    assert response.content.decode() == "Thank you: a curator will look at this note."
    flag = Flag.objects.get()
    assert (flag.annotation, flag.flagger, flag.reason) == (public_note, user, "Insults a person.")


def test_flagging_again_replaces_the_reason_and_keeps_one_flag(client, user, public_note):
    client.force_login(user)
    client.post(flag_url(public_note), {"reason": "First"})
    response = client.post(flag_url(public_note), {"reason": "Second"})
    assert response.status_code == 200
    assert list(Flag.objects.values_list("reason", flat=True)) == ["Second"]


def test_a_flag_needs_a_reason_within_the_limit(client, user, public_note):
    client.force_login(user)
    empty = client.post(flag_url(public_note), {"reason": "   "})
    assert empty.status_code == 400
    assert empty.content.decode() == "Say what is wrong with this note, so a curator can judge it."
    long = client.post(flag_url(public_note), {"reason": "x" * (Flag.MAX_REASON_LENGTH + 1)})
    assert long.status_code == 400
    assert "the limit is 1,000" in long.content.decode()
    assert not Flag.objects.exists()


def test_ones_own_note_cannot_be_flagged(client, other_user, public_note):
    client.force_login(other_user)
    response = client.post(flag_url(public_note), {"reason": "Oops"})
    assert response.status_code == 400
    assert not Flag.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_a_note_one_may_not_see_or_not_public_is_404(client, user, document, other_user, who):
    private = AnnotationFactory(document=document, author=other_user, visibility="private")
    if who == "reader":
        client.force_login(user)
    assert client.post(flag_url(private), {"reason": "Why"}).status_code == 404
    assert client.post(reverse("annotation-flag", args=[uuid.uuid4()]), {"reason": "Why"}).status_code == 404
    assert not Flag.objects.exists()


def test_the_service_raises_does_not_exist_for_a_private_note(user, document, other_user):
    private = AnnotationFactory(document=document, author=other_user, visibility="private")
    with pytest.raises(Annotation.DoesNotExist):
        moderation.flag_annotation(annotation_id=private.pk, user=user, reason="Why")


def test_flag_shows_on_others_public_notes_only(client, user, document, public_note):
    own = AnnotationFactory(document=document, author=user, visibility="public")
    client.force_login(user)
    tree = parse(client.get(document.get_absolute_url()))
    names = {
        article.attrs["data-annotation-id"]: [b.text_content for b in article.find_all("button")]
        for article in tree.find_all("article")
        if "data-annotation-id" in article.attrs
    }
    assert "Flag" in names[str(public_note.pk)]
    assert "Flag" not in names[str(own.pk)]


def test_the_moderation_queue_lists_flag_counts_and_comments_most_flagged_first(client, curator, document):
    once = AnnotationFactory(document=document, visibility="public", comment="Flagged once")
    twice = AnnotationFactory(document=document, visibility="public", comment="Flagged twice")
    AnnotationFactory(document=document, visibility="public", comment="Never flagged")
    for note, readers in ((once, 1), (twice, 2)):
        for _ in range(readers):
            moderation.flag_annotation(annotation_id=note.pk, user=UserFactory(), reason="Spam")
    client.force_login(curator)
    response = client.get(reverse("admin:documents_annotation_changelist"), {"flagged": "yes"})
    assert response.status_code == 200
    rows = parse(response).find("table", id="result_list").find("tbody").find_all("tr")
    cells = [[cell.text_content.strip() for cell in row.find_all("td")] for row in rows]
    assert [(row[1], row[2]) for row in cells] == [("Flagged twice", "2"), ("Flagged once", "1")]


def test_a_notes_admin_page_shows_its_flags_reasons(client, curator, user, public_note):
    moderation.flag_annotation(annotation_id=public_note.pk, user=user, reason="Insults a person.")
    client.force_login(curator)
    response = client.get(reverse("admin:documents_annotation_change", args=[public_note.pk]))
    assert response.status_code == 200
    assert "Insults a person." in response.content.decode()
