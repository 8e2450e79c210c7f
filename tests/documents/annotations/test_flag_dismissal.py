"""Flags keep what was flagged, and curators dismiss unfounded ones (docs/curators.md, "Curators").

A flag keeps the note's quote, comment and tags as the reader saw them; the queue and the note's page show
that text, and the current one too when the author edited it since. Dismissing records who and when,
takes the flag out of the open queue and keeps it in the note's history; two curators dismissing at once
leave one dismissal, and the other is told.
"""

from __future__ import annotations

from functools import partial

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from documents.annotations import moderation, services
from documents.models import Flag
from tests.documents.api.test_concurrency import (
    CSRF,
    curators_group,
    request,
    server_errors,
    session,
    together,
)
from tests.factories import AnnotationFactory, CuratorFactory, UserFactory
from tests.html import parse

__all__ = ["curators_group"]  # the live-server test below needs the Curators group made again

pytestmark = pytest.mark.django_db


@pytest.fixture
def note(document, other_user):
    return AnnotationFactory(
        document=document, author=other_user, visibility="public", comment="Rude words", tags=["rude"]
    )


def flag(note, reason="Insults a person.", user=None) -> Flag:
    flag, _ = moderation.flag_annotation(annotation_id=note.pk, user=user or UserFactory(), reason=reason)
    return flag


def queue(client) -> list[list[str]]:
    response = client.get(reverse("admin:documents_annotation_changelist"), {"flagged": "yes"})
    assert response.status_code == 200
    tables = parse(response).find_all("table", id="result_list")  # none when the queue is empty
    rows = tables[0].find("tbody").find_all("tr") if tables else []
    return [[" ".join(cell.text_content.split()) for cell in row.find_all("td")] for row in rows]


def note_page(client, note) -> str:
    response = client.get(reverse("admin:documents_annotation_change", args=[note.pk]))
    assert response.status_code == 200
    return " ".join(parse(response).text_content.split())


def dismiss_url(flag) -> str:
    return reverse("admin:documents_annotation_dismiss_flag", args=[flag.annotation_id, flag.pk])


def test_a_flag_keeps_the_text_as_it_was_flagged(note):
    flagged = flag(note)
    services.update_annotation(note, comment="Polite words", tags=["calm"])

    flagged.refresh_from_db()
    assert (flagged.flagged_quote, flagged.flagged_comment, flagged.flagged_tags) == (
        note.exact,
        "Rude words",
        ["rude"],
    )


def test_the_queue_and_the_note_show_what_was_flagged_and_that_it_was_edited_since(client, curator, note):
    flag(note)
    services.update_annotation(note, comment="Polite words")
    client.force_login(curator)

    [row] = queue(client)
    assert row[1] == "Rude words (edited since flagged)"
    page = note_page(client, note)
    assert "Comment: Rude words" in page
    assert "Tags: rude" in page
    assert "Edited since flagged; now: Polite words" in page


def test_an_unedited_flag_says_nothing_of_edits(client, curator, note):
    flag(note)
    client.force_login(curator)

    assert queue(client)[0][1] == "Rude words"
    assert "Edited since flagged" not in note_page(client, note)


def test_a_curator_dismisses_a_flag_and_it_leaves_the_queue_but_stays_in_history(client, curator, note):
    flagged = flag(note)
    client.force_login(curator)

    response = client.post(dismiss_url(flagged))

    assert response["Location"] == reverse("admin:documents_annotation_change", args=[note.pk])
    flagged.refresh_from_db()
    assert flagged.dismissed_by == curator
    assert flagged.dismissed_at is not None
    assert queue(client) == []
    page = note_page(client, note)
    assert "Insults a person." in page
    assert f"Dismissed by {curator.get_username()}" in page


def test_dismissing_twice_keeps_the_first_and_says_so(client, curator, note):
    flagged = flag(note)
    first = CuratorFactory()
    moderation.dismiss_flag(flag_id=flagged.pk, by=first)
    client.force_login(curator)

    response = client.post(dismiss_url(flagged), follow=True)

    assert f"already dismissed by {first.get_username()}" in response.content.decode()
    flagged.refresh_from_db()
    assert flagged.dismissed_by == first


def test_the_queues_action_dismisses_the_open_flags_of_the_selected_notes(client, curator, note):
    flag(note)
    flag(note, reason="Spam")
    client.force_login(curator)

    response = client.post(
        reverse("admin:documents_annotation_changelist") + "?flagged=yes",
        {"action": "dismiss_flags", "_selected_action": [str(note.pk)], "index": "0"},
        follow=True,
    )

    assert "Dismissed 2 flags." in response.content.decode()
    assert set(Flag.objects.values_list("dismissed_by", flat=True)) == {curator.pk}
    assert queue(client) == []
    logged = LogEntry.objects.filter(object_id=str(note.pk), change_message__startswith="Dismissed the flag")
    reasons = sorted(entry.change_message.rsplit(": ", 1)[1] for entry in logged)
    assert reasons == ["Insults a person.", "Spam"]


def test_flagging_again_after_a_dismissal_opens_a_new_flag(curator, user, note):
    old = flag(note, user=user)
    moderation.dismiss_flag(flag_id=old.pk, by=curator)

    new = flag(note, reason="Still rude", user=user)

    assert new.pk != old.pk
    assert Flag.objects.filter(dismissed_at__isnull=True).get() == new
    assert Flag.objects.count() == 2


def test_only_curators_dismiss(client, user, note):
    flagged = flag(note)
    client.force_login(user)
    client.post(dismiss_url(flagged))
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.post(dismiss_url(flagged)).status_code == 403
    flagged.refresh_from_db()
    assert flagged.dismissed_at is None


def test_a_dismissal_is_a_post(client, curator, note):
    flagged = flag(note)
    client.force_login(curator)
    assert client.get(dismiss_url(flagged)).status_code == 405


def test_a_note_its_author_made_private_leaves_the_queue_and_its_flags_are_404(client, curator, note):
    flagged = flag(note)
    services.update_annotation(note, visibility="private")
    client.force_login(curator)

    assert queue(client) == []
    assert client.post(dismiss_url(flagged)).status_code == 404
    flagged.refresh_from_db()
    assert flagged.dismissed_at is None


@pytest.mark.django_db(transaction=True)
def test_curators_dismissing_at_once_leave_one_dismissal(live_server):
    note = AnnotationFactory(visibility="public", comment="Rude words")
    flagged = flag(note)
    curators = CuratorFactory.create_batch(4)
    url = live_server.url + dismiss_url(flagged)
    posts = [
        partial(request, url, "POST", form={"csrfmiddlewaretoken": CSRF}, headers=session(curator))
        for curator in curators
    ]

    answers = together(*posts)

    assert server_errors(answers) == []
    assert {answer.status for answer in answers} == {302}
    flagged.refresh_from_db()
    assert flagged.dismissed_by in curators
    logged = LogEntry.objects.filter(change_message__startswith="Dismissed the flag")
    assert list(logged.values_list("user", flat=True)) == [flagged.dismissed_by.pk]  # the others were told
