"""Notification e-mail goes from the task queue, never from the request (docs/reading-and-annotating.md,
"Notifications").

Real parts: the database queue the archive runs by default and its worker (tests/mail.py), Django's
SMTP backend, and on loopback a mail server that accepts connections and never answers, or one
that takes the mail. The worker runs in this process on committed data, hence transaction=True.
"""

from __future__ import annotations

import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from documents.accounts import notifications
from documents.annotations import services
from documents.annotations.writes import Target
from documents.models import Notification, NotificationSettings
from tests.factories import DocumentFactory, UserFactory
from tests.mail import SMTP, run_worker, silent_smtp_server, smtp_sink
from tests.servers import free_port

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "The delicate mosaic may be shattered.\n\nWe reaffirm our strong support."
Mail = Notification.Mail


def opted_in_reader(username):
    reader = UserFactory(username=username, email=f"{username}@example.org")
    NotificationSettings.objects.create(user=reader, email=True)
    return reader


def post_note(client, document, comment):
    return client.post(
        "/api/annotations/",
        {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "type": "Annotation",
            "bodyValue": comment,
            "target": {
                "source": f"http://testserver{document.get_absolute_url()}",
                "selector": {"type": "TextQuoteSelector", "exact": "delicate mosaic"},
            },
            "visibility": "public",
        },
        content_type="application/ld+json",
    )


def mention(author, *readers, visibility="public"):
    return services.create_annotation(
        author=author,
        document=DocumentFactory(text=TEXT),
        target=Target(exact="delicate mosaic"),
        comment=" ".join(f"@{reader.username}" for reader in readers),
        visibility=visibility,
    )


def mail_states():
    return sorted(Notification.objects.values_list("mail", flat=True))


def smtp_at(port, **more):
    return override_settings(EMAIL_BACKEND=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=port, **more)


def test_a_note_mentioning_six_readers_returns_without_waiting_on_a_silent_mail_server(client):
    """The report: six readers who chose e-mail and a mail server that never answers. The note is
    saved at once, nothing in the request calls the mail server, and the worker delivers all six
    once a server answers."""
    document = DocumentFactory(text=TEXT)
    readers = [opted_in_reader(f"reader{n}") for n in range(6)]
    client.force_login(UserFactory(username="writer"))

    with silent_smtp_server() as (port, called), smtp_at(port, EMAIL_TIMEOUT=5):
        started = time.monotonic()
        response = post_note(client, document, " ".join(f"@{reader.username}" for reader in readers))
        elapsed = time.monotonic() - started

    assert response.status_code == 201, response.content
    assert called == []
    assert elapsed < 5  # EMAIL_TIMEOUT: a single silent conversation would take this long
    assert Notification.objects.filter(kind="mention").count() == 6
    assert mail_states() == [Mail.QUEUED] * 6
    assert DBTaskResult.objects.ready().count() == 6

    with smtp_sink() as (port, received), smtp_at(port):
        run_worker()
        run_worker()  # nothing left: each mail goes once

    assert sorted(to for to, _ in received) == sorted([reader.email] for reader in readers)
    assert all("writer mentioned you" in text for _, text in received)
    assert mail_states() == [Mail.SENT] * 6


def test_a_silent_mail_server_holds_the_worker_no_longer_than_EMAIL_TIMEOUT_and_the_mail_is_retried():
    reader = opted_in_reader("bob")
    mention(UserFactory(username="ann"), reader)

    with silent_smtp_server() as (port, called), smtp_at(port, EMAIL_TIMEOUT=1, EMAIL_RETRY_SECONDS=60):
        started = time.monotonic()
        run_worker()
        elapsed = time.monotonic() - started

    assert len(called) == 1
    assert elapsed < 4  # EMAIL_TIMEOUT (1 s), and the worker's own bookkeeping on a busy machine
    assert mail_states() == [Mail.QUEUED]
    (retry,) = DBTaskResult.objects.filter(status="READY")  # not yet due
    assert retry.args_kwargs == {"args": [Notification.objects.get().pk, 2], "kwargs": {}}
    assert timedelta(seconds=55) < retry.run_after - timezone.now() <= timedelta(seconds=60)

    with smtp_sink() as (port, received), smtp_at(port):
        run_worker()
        assert received == []  # not due yet
        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
        run_worker()

    assert [to for to, _ in received] == [[reader.email]]
    assert mail_states() == [Mail.SENT]


def test_a_delivery_that_fails_every_time_is_given_up_after_EMAIL_ATTEMPTS_logged_and_recorded(caplog):
    reader = opted_in_reader("bob")
    mention(UserFactory(username="ann"), reader)

    with smtp_at(free_port(), EMAIL_ATTEMPTS=3, EMAIL_RETRY_SECONDS=0):  # nothing listens there
        run_worker()

    assert mail_states() == [Mail.FAILED]
    tries = DBTaskResult.objects.order_by("enqueued_at")
    assert [task.status for task in tries] == ["SUCCESSFUL", "SUCCESSFUL", "FAILED"]
    assert tries.last().exception_class_path == "builtins.ConnectionRefusedError"
    assert "A notification e-mail to bob@example.org failed 3 times; given up" in caplog.text


def test_mail_is_queued_when_the_write_commits_and_not_at_all_when_it_rolls_back():
    reader = opted_in_reader("bob")
    ann = UserFactory(username="ann")

    with transaction.atomic():
        mention(ann, reader)
        assert not DBTaskResult.objects.exists()
    assert DBTaskResult.objects.count() == 1

    with pytest.raises(RuntimeError), transaction.atomic():
        mention(ann, reader)
        raise RuntimeError("the write fails after its notification was made")
    assert DBTaskResult.objects.count() == 1
    assert Notification.objects.count() == 1


def test_a_delivery_queued_twice_sends_once():
    reader = opted_in_reader("bob")
    mention(UserFactory(username="ann"), reader)
    notifications.deliver_mail.enqueue(Notification.objects.get().pk)

    with smtp_sink() as (port, received), smtp_at(port):
        run_worker()

    assert len(received) == 1
    assert sorted(task.return_value for task in DBTaskResult.objects.all()) == ["not queued", "sent"]


def test_a_note_made_private_before_its_mail_goes_is_not_mailed():
    reader = opted_in_reader("bob")
    note = mention(UserFactory(username="ann"), reader)
    services.update_annotation(note, visibility="private")

    with smtp_sink() as (port, received), smtp_at(port):
        run_worker()

    assert received == []
    assert mail_states() == [Mail.NONE]


def test_requeue_mail_sends_what_lost_its_delivery_and_with_failed_what_was_given_up():
    """A delivery can be lost between the commit and the queue (the queue was down); the command
    finds such mail by its state and age, and sends it once."""
    waiting, given_up, recent = (opted_in_reader(name) for name in ["bob", "cat", "dan"])
    ann = UserFactory(username="ann")
    mention(ann, waiting)
    mention(ann, given_up)
    DBTaskResult.objects.all().delete()
    Notification.objects.filter(recipient=given_up).update(mail=Mail.FAILED)
    Notification.objects.update(created=timezone.now() - timedelta(hours=2))
    mention(ann, recent)  # still has its own delivery

    call_command("requeue_mail", stdout=StringIO())
    with smtp_sink() as (port, received), smtp_at(port):
        run_worker()
    assert sorted(to for to, _ in received) == [[waiting.email], [recent.email]]

    out = StringIO()
    call_command("requeue_mail", "--failed", stdout=out)
    with smtp_sink() as (port, received), smtp_at(port):
        run_worker()
    assert [to for to, _ in received] == [[given_up.email]]
    assert "1 notification e-mail queued again" in out.getvalue()
    assert mail_states() == [Mail.SENT] * 3
