"""Notifications: telling readers what happened to and around their notes (docs/reading-and-annotating.md,
"Notifications").

``notify_changes`` listens to every write of notes (``documents.annotations.writes``, registered in
``documents/apps.py``) and calls these inside the write's transaction, so a notification exists
exactly when its cause does:

- ``annotation_written``: a new reply tells the author of the note it answers
  and the author of its thread's first note; a comment's ``@username``
  mentions (``documents.accounts.mentions``) tell each mentioned reader once, when the
  note is written or later edited;
- ``quotes_struck``: a curator's edit changed or removed the words a note quotes;
- ``moderated``: a curator hid a note (with the reason) or restored it.

No one is told of their own doing, and no one is told of a note they may not
see: every recipient is checked against ``Annotation.objects.visible_to`` when
the notification is made, and the pages check again when they show it
(``Notification.objects.for_reader``). One author's mentions of one reader
notify at most ``MENTION_RATE_READER`` times.

E-mail goes only to readers who opted in (``NotificationSettings``), and never
from the request: the write marks the notification queued and, after commit,
enqueues ``deliver_mail`` on the task queue (Django's Tasks API), whose worker
sends it, retries it, or records its failure. It holds only what the recipient
may read on the site when it is sent; a mail server that fails or never answers
costs the write nothing.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from documents.accounts import rate_limits
from documents.accounts.mentions import mentioned_usernames
from documents.accounts.models import Notification, NotificationSettings
from documents.annotations.models import Annotation
from documents.annotations.writes import Changes

logger = logging.getLogger(__name__)

SNIPPET_LENGTH = 300
"""Characters of a note's comment or quote that a notification e-mail carries."""

Kind = Notification.Kind
CURATORS_DOING = {Kind.CHANGED, Kind.ORPHANED, Kind.HIDDEN, Kind.RESTORED}
MODERATORS_DOING = {Kind.HIDDEN, Kind.RESTORED}


@dataclass(frozen=True)
class _Wanted:
    recipient_id: int
    kind: str
    annotation: Annotation


def notify_changes(changes: Changes) -> None:
    """Tell whom a write concerns, unless it is an import or the seed (``changes.notify`` off):
    the authors a new reply answers and the readers a note newly mentions or newly reaches, the
    authors whose note a curator or moderator hid or restored, or whose quote a text edit struck."""
    if not changes.notify:
        return
    for annotation in changes.created:
        annotation_written(annotation, actor=changes.actor, new=True)
    for annotation in changes.readdressed:
        annotation_written(annotation, actor=changes.actor, new=False)
    for annotation in changes.hidden:
        moderated(annotation, actor=changes.actor, hidden=True)
    for annotation in changes.restored:
        moderated(annotation, actor=changes.actor, hidden=False)
    if changes.struck:
        quotes_struck(changes.struck, actor=changes.actor)


def annotation_written(annotation: Annotation, *, actor, new: bool) -> list[Notification]:
    """Notify about a note just created (``new``) or edited by ``actor``, its author.

    A new reply notifies the author of its parent and of its thread's root. A
    mention notifies the mentioned reader unless they already hold a reply or
    mention notification for this note: an edit tells only the newly mentioned,
    and a note whose mentions could not be seen (a private one) tells them when
    it becomes visible to them.
    """
    wanted: dict[int, str] = {}
    if new and annotation.parent_id is not None:
        for author_id in (annotation.parent.author_id, annotation.root.author_id):
            wanted.setdefault(author_id, Kind.REPLY)
    names = mentioned_usernames(annotation.comment)
    if names:
        mentioned = get_user_model().objects.filter(username__in=names, is_active=True)
        told = Notification.objects.filter(annotation=annotation, kind__in=[Kind.REPLY, Kind.MENTION]).values(
            "recipient"
        )
        for user_id in mentioned.exclude(pk__in=told).values_list("pk", flat=True):
            wanted.setdefault(user_id, Kind.MENTION)
    return _notify([_Wanted(user_id, kind, annotation) for user_id, kind in wanted.items()], actor=actor)


def quotes_struck(struck: Iterable[tuple[Annotation, str]], *, actor) -> list[Notification]:
    """Notify each author whose note's quote an edit changed or removed (outcome "changed" or "orphaned")."""
    kinds = {"changed": Kind.CHANGED, "orphaned": Kind.ORPHANED}
    return _notify(
        [_Wanted(annotation.author_id, kinds[outcome], annotation) for annotation, outcome in struck],
        actor=actor,
    )


def moderated(annotation: Annotation, *, actor, hidden: bool) -> list[Notification]:
    """Notify a note's author that a curator hid it (with the reason) or restored it."""
    kind = Kind.HIDDEN if hidden else Kind.RESTORED
    return _notify([_Wanted(annotation.author_id, kind, annotation)], actor=actor)


def _notify(wanted: list[_Wanted], *, actor) -> list[Notification]:
    """Store those of ``wanted`` whose recipient is not ``actor``, may see the note now and,
    for a mention, has not had too many from ``actor`` this hour (``MENTION_RATE_READER``).

    Those whose recipient opted in are marked for e-mail and queued after commit.
    """
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    wanted = [each for each in wanted if each.recipient_id != actor_id]
    if not wanted:
        return []
    recipients = (
        get_user_model()
        .objects.select_related("notification_settings")
        .in_bulk({each.recipient_id for each in wanted})
    )
    seen = _visible(wanted, recipients)
    wanted = [each for each in wanted if (each.recipient_id, each.annotation.pk) in seen]
    made = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=each.recipient_id,
                kind=each.kind,
                annotation=each.annotation,
                actor_id=actor_id,
                reason=each.annotation.hidden_reason if each.kind == Kind.HIDDEN else "",
                mail=Notification.Mail.QUEUED
                if _opted_in(recipients[each.recipient_id])
                else Notification.Mail.NONE,
            )
            for each in wanted
            if each.kind != Kind.MENTION or _mention_allowed(actor_id, each.recipient_id)
        ]
    )
    queued = [notification.pk for notification in made if notification.mail == Notification.Mail.QUEUED]
    if queued:
        transaction.on_commit(partial(_enqueue_mail, queued), robust=True)
    return made


def _mention_allowed(actor_id: int | None, recipient_id: int) -> bool:
    """Whether one more mention of this reader by this author may notify them
    (docs/reading-and-annotating.md, "Notifications").

    Counted per pair in the shared cache, like the other limits; one over the
    limit is dropped, the note itself untouched.
    """
    if actor_id is None:
        return True
    return rate_limits.hit(rate_limits.MENTION, f"{actor_id}:{recipient_id}") is None


def _visible(wanted: list[_Wanted], users: dict) -> set[tuple[int, object]]:
    """The (recipient, note) pairs of ``wanted`` that the recipient may see now: one query per recipient."""
    notes: dict[int, set] = defaultdict(set)
    for each in wanted:
        notes[each.recipient_id].add(each.annotation.pk)
    seen = set()
    for user_id, pks in notes.items():
        user = users.get(user_id)
        if user is None or not user.is_active:
            continue
        visible = Annotation.objects.visible_to(user).filter(pk__in=pks).values_list("pk", flat=True)
        seen.update((user_id, pk) for pk in visible)
    return seen


# --- E-mail ----------------------------------------------------------------------------------------


def describe(notification: Notification, *, actor_name: str) -> str:
    """What happened, in a sentence: "bob replied to your note", "A curator hid your note".

    Curators' moderation and edits are the archive's, not a person's, so they are not named,
    as on the note itself ("Hidden by a curator"); a group note is hidden and restored by its
    group's moderators (docs/reading-and-annotating.md, "Groups"), unnamed likewise.
    """
    if notification.kind not in CURATORS_DOING:
        who = actor_name or "Someone"
    elif notification.kind in MODERATORS_DOING and notification.annotation.group_id is not None:
        who = "A moderator of the group"
    else:
        who = "A curator"
    return f"{who} {notification.get_kind_display()}"


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET_LENGTH else text[: SNIPPET_LENGTH - 1] + "…"


def _message(notification: Notification, *, actor_name: str) -> tuple[str, str]:
    """The subject and plain-text body of one notification's e-mail, from the note as it is now."""
    annotation = notification.annotation
    headline = describe(notification, actor_name=actor_name)
    lines = [f"{headline} on “{annotation.document.title}”.", ""]
    if notification.kind in {Kind.REPLY, Kind.MENTION} and annotation.comment:
        lines += [_snippet(annotation.comment), ""]
    elif annotation.original_exact or annotation.exact:
        lines += [f"Your note quotes: “{_snippet(annotation.original_exact or annotation.exact)}”", ""]
    if notification.kind == Kind.HIDDEN and notification.reason:
        lines += [f"Reason: {_snippet(notification.reason)}", ""]
    url = settings.SITE_URL.rstrip("/") + annotation.get_absolute_url()
    lines += [
        f"Read it: {url}",
        "",
        "--",
        f"You receive this because you asked {settings.ARCHIVE_NAME} to e-mail your notifications.",
        f"Change that on {settings.SITE_URL.rstrip('/')}/notifications/",
    ]
    return f"{headline} · {settings.ARCHIVE_NAME}", "\n".join(lines)


def _opted_in(user) -> bool:
    try:
        return user.is_active and user.notification_settings.email and bool(user.email)
    except NotificationSettings.DoesNotExist:
        return False


def _enqueue_mail(notification_ids: list[int]) -> None:
    """One delivery per notification, queued after the write commits: a rolled-back write sends nothing."""
    with transaction.atomic():
        for notification_id in notification_ids:
            deliver_mail.enqueue(notification_id)


def requeue_mail(*, older_than: timedelta, failed: bool = False) -> int:
    """Queue a delivery again for mail still queued ``older_than`` after its notification was made
    and, with ``failed``, for mail given up; how many.

    For a delivery lost between the commit and the queue (the queue was down),
    or mail that failed while the server was misconfigured. Safe at any time:
    a delivery claims its mail first, so each is sent once however often it is
    queued; mail left "sending" by a killed worker is not touched.
    """
    states = [Notification.Mail.QUEUED, *([Notification.Mail.FAILED] if failed else [])]
    ids = list(
        Notification.objects.filter(mail__in=states, created__lt=timezone.now() - older_than).values_list(
            "pk", flat=True
        )
    )
    if ids:
        Notification.objects.filter(pk__in=ids).update(mail=Notification.Mail.QUEUED)
        transaction.on_commit(partial(_enqueue_mail, ids))
    return len(ids)


@task()
def deliver_mail(notification_id: int, attempt: int = 1) -> str:
    """Send one notification's e-mail, in the queue's worker; what became of it, in a word.

    Idempotent: the notification is claimed (queued -> sending) by one conditional
    update before the mail goes, so a second delivery of the same task, or a
    duplicate of it, finds nothing to do; a worker killed while the server talks
    leaves it "sending", never sent twice. The mail is written from the note as
    the recipient may read it now, and only if they still may and still want it.
    A failure (refused, timed out after ``EMAIL_TIMEOUT``, rejected) is tried again
    ``EMAIL_RETRY_SECONDS`` later, doubling, up to ``EMAIL_ATTEMPTS`` tries; the
    last marks it failed, is logged, and fails the task, so the queue's record
    (the admin's Task results, on the database queue) keeps the error.
    """
    pending = Notification.objects.filter(pk=notification_id)
    if not pending.filter(mail=Notification.Mail.QUEUED).update(mail=Notification.Mail.SENDING):
        return "not queued"
    notification = pending.select_related(
        "recipient__notification_settings", "annotation__document", "actor"
    ).first()
    if notification is None:
        return "not queued"
    recipient = notification.recipient
    if not (
        _opted_in(recipient)
        and Notification.objects.for_reader(recipient).filter(pk=notification_id).exists()
    ):
        pending.update(mail=Notification.Mail.NONE)
        return "withheld"
    subject, body = _message(
        notification, actor_name=notification.actor.get_username() if notification.actor else ""
    )
    try:
        send_mail(subject, body, None, [recipient.email])
    except Exception:
        if attempt >= settings.EMAIL_ATTEMPTS:
            pending.update(mail=Notification.Mail.FAILED)
            logger.exception(
                "A notification e-mail to %s failed %s times; given up (notification %s).",
                recipient.email,
                attempt,
                notification_id,
            )
            raise
        delay = settings.EMAIL_RETRY_SECONDS * 2 ** (attempt - 1)
        logger.warning(
            "A notification e-mail to %s could not be sent (try %s of %s); trying again in %s s.",
            recipient.email,
            attempt,
            settings.EMAIL_ATTEMPTS,
            delay,
            exc_info=True,
        )
        pending.update(mail=Notification.Mail.QUEUED)
        deliver_mail.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            notification_id, attempt + 1
        )
        return "retrying"
    pending.update(mail=Notification.Mail.SENT)
    return "sent"
