"""Real mail servers on loopback, and the task queue's worker, for the notification e-mail tests.

docs/reading-and-annotating.md, "Notifications": mail goes from the queue, so a test enqueues through a
request or a
service, then runs the database queue's worker (its batch mode: every task that is due, then
return) in this process, as `manage.py db_worker --batch` would.
"""

from __future__ import annotations

import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from aiosmtpd.controller import Controller
from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from tests.servers import free_port

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def run_worker() -> None:
    """Run every task that is due on the database queue, then return.

    On committed data (``transaction=True`` tests) this is the worker's own loop in batch mode.
    Inside a test's transaction it is the same claim and run per task without that loop, which
    closes the connection between tasks and so would end the test's transaction.
    """
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=uuid.uuid4().hex,
        excluded_queue_names=[],
    )
    if not connection.in_atomic_block:
        worker.run()
        return
    while (due := DBTaskResult.objects.ready().get_locked()) is not None:
        due.claim(worker.worker_id)
        worker.run_task(due)


@contextmanager
def silent_smtp_server() -> Iterator[tuple[int, list[socket.socket]]]:
    """A mail server that accepts every connection and never says a word.

    Yields its port and the connections it holds, so a test can tell whether anyone called.
    """
    listener = socket.create_server(("127.0.0.1", 0), backlog=32)
    listener.settimeout(0.05)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                accepted, _ = listener.accept()
            except TimeoutError:
                continue
            held.append(accepted)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], held
    finally:
        stop.set()
        thread.join()
        for each in held:
            each.close()
        listener.close()


class _Inbox:
    def __init__(self):
        self.received: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_sink() -> Iterator[tuple[int, list[tuple[list[str], str]]]]:
    """A mail server that takes every message; yields its port and what it received (recipients, text)."""
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, inbox.received
    finally:
        controller.stop()
