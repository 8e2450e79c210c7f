"""Hiding and restoring notes, flags and their dismissal: what curators do to public notes and a group's
moderators to the group's notes (docs/curators.md, "Curators").

A hidden note's branch is hidden with it; hiding and restoring re-read the note among the notes
the acting authority moderates, under the note's row, so a move and a hide never cross. Both run
in ``writes.writing``, which re-renders the panels and tells the note's author.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from documents.annotations.models import Annotation, Flag
from documents.annotations.rules import AnnotationError
from documents.annotations.tags import by_name
from documents.annotations.writes import writing
from documents.groups.models import Group, Membership
from documents.groups.services import lock_group

HIDDEN_FIELDS = ["hidden", "hidden_by", "hidden_at", "hidden_reason"]


def hide_annotation(annotation: Annotation, *, by, reason: str, among=None) -> Annotation:
    """A curator hides a public annotation (or a group's moderator one of its notes,
    ``groups.hide_group_note``), and the replies below it, from everyone but their authors
    and whoever may hide them (``visible_to``).

    Runs under its thread's lock, so a reply written meanwhile sees the hiding and
    starts hidden. ``among`` is what ``by`` moderates in this act
    (``moderated_by_curators()`` or ``moderated_by_group(group)``), read again under that
    lock, which moves take too: a note its author moved out of it meanwhile is not hidden
    under an authority that is no longer its own. Raises Annotation.DoesNotExist when it
    was deleted, or left ``among``, meanwhile.
    """
    reason = reason.strip()
    if not reason:
        raise AnnotationError("Give a reason for hiding; the author will see it.", field="reason")
    with writing(actor=by) as write:
        annotation = write.hold_annotation(annotation, among=among, related=False, thread=True)
        annotation.hidden = True
        annotation.hidden_by = by
        annotation.hidden_at = timezone.now()
        annotation.hidden_reason = reason
        annotation.save(force_update=True, update_fields=HIDDEN_FIELDS)
        _mark_hidden_branches(annotation)
        write.hidden(annotation)  # docs/reading-and-annotating.md, "Notifications"
    return annotation


def restore_annotation(annotation: Annotation, *, by=None, among=None) -> Annotation:
    """Undo a hiding (by the curator or moderator ``by``, who is not notified of it).

    ``among`` is what ``by`` moderates in this act, as for ``hide_annotation``; a hidden
    thread never moves (``check_move``), so the authority that hid a note is the one that
    finds it there. Raises Annotation.DoesNotExist when it was deleted meanwhile.
    """
    with writing(actor=by) as write:
        annotation = write.hold_annotation(annotation, among=among, related=False, thread=True)
        was_hidden = annotation.hidden
        annotation.hidden = False
        annotation.hidden_by = None
        annotation.hidden_at = None
        annotation.hidden_reason = ""
        annotation.save(force_update=True, update_fields=HIDDEN_FIELDS)
        _mark_hidden_branches(annotation)
        if was_hidden:
            write.restored(annotation)  # docs/reading-and-annotating.md, "Notifications"
        else:
            write.changed(annotation)
    return annotation


def hides_its_replies(annotation: Annotation) -> bool:
    """Whether a reply to ``annotation`` starts hidden: it or one of its ancestors is, as now stored."""
    hidden, above = Annotation.objects.values_list("hidden", "ancestor_hidden").get(pk=annotation.pk)
    return hidden or above


def _mark_hidden_branches(annotation: Annotation) -> None:
    """Recompute ``ancestor_hidden`` for every reply in ``annotation``'s thread.

    The thread is read in one query and the flags are written in at most two,
    whatever its depth, so that ``visible_to`` stays a filter on the row itself.
    A reply stays hidden while any annotation above it is hidden, so restoring
    one annotation does not reveal a branch a curator hid further down.
    """
    root_id = annotation.root_id or annotation.pk
    rows = Annotation.objects.filter(Q(pk=root_id) | Q(root_id=root_id)).values_list(
        "pk", "parent_id", "hidden", "ancestor_hidden"
    )
    children: dict = {}
    stored: dict = {}
    hidden: dict = {}
    for pk, parent_id, is_hidden, ancestor_hidden in rows:
        children.setdefault(parent_id, []).append(pk)
        stored[pk], hidden[pk] = ancestor_hidden, is_hidden
    wanted = {root_id: False}
    pending = [root_id]
    while pending:
        pk = pending.pop()
        for child in children.get(pk, ()):
            wanted[child] = wanted[pk] or hidden[pk]
            pending.append(child)
    for flag in (True, False):
        changed = [pk for pk, value in wanted.items() if value is flag and stored.get(pk) is not flag]
        if changed:
            Annotation.objects.filter(pk__in=changed).update(ancestor_hidden=flag)


@transaction.atomic
def flag_annotation(*, annotation_id, user, reason: str) -> tuple[Flag, bool]:
    """A reader flags someone else's public note with a reason; (the flag, whether it is new).

    The note is looked up through ``visible_to``, so one the reader may not see raises
    Annotation.DoesNotExist (a 404, docs/reading-and-annotating.md, "Privacy"); so does a note that is not
    public,
    since only public notes are the archive's to moderate. The flag keeps the note's quote,
    comment and tags as the reader sees them now, for the curator who reads it after an edit.
    Flagging the same note again replaces the reason and that text: one open flag per reader
    and note, kept so by the unique constraint (``update_or_create`` locks an existing flag,
    and a concurrent first flag loses the insert and is read again). A dismissed flag stays
    as it was, and flagging again opens a new one.
    """
    reason = reason.strip()
    annotation = Annotation.objects.visible_to(user).get(
        pk=annotation_id, visibility=Annotation.Visibility.PUBLIC
    )
    if annotation.author_id == user.pk:
        raise AnnotationError(
            "This is your own note: edit or delete it instead of flagging it.", field="reason"
        )
    if not reason:
        raise AnnotationError("Say what is wrong with this note, so a curator can judge it.", field="reason")
    if len(reason) > Flag.MAX_REASON_LENGTH:
        raise AnnotationError(
            f"The reason has {len(reason):,} characters; the limit is {Flag.MAX_REASON_LENGTH:,}.",
            field="reason",
        )
    flagged = {
        "reason": reason,
        "flagged_quote": annotation.exact,
        "flagged_comment": annotation.comment,
        "flagged_tags": [tag.name for tag in by_name(annotation.tags.all())],
    }
    flag, created = Flag.objects.update_or_create(
        annotation=annotation, flagger=user, dismissed_at=None, defaults=flagged
    )
    return flag, created


class FlagAlreadyDismissed(Exception):
    """Another curator dismissed the flag first; ``flag`` says who and when."""

    def __init__(self, flag: Flag):
        super().__init__(f"Flag {flag.pk} is already dismissed")
        self.flag = flag


def flags_moderated_by(curator):
    """The flags ``curator`` may read and dismiss: those on public notes they may see (``visible_to``),
    so a note made private or moved to a group after it was flagged leaves the queue."""
    return Flag.objects.filter(annotation__in=Annotation.objects.visible_to(curator).moderated_by_curators())


def dismiss_flag(*, flag_id, by) -> Flag:
    """A curator dismisses an open flag: it leaves the queue and stays in the note's history.

    One conditional UPDATE, so two curators at once leave one dismissal: the row's lock orders them
    (on PostgreSQL the second re-reads the row and finds it dismissed; SQLite runs one writer at a
    time), and the second gets FlagAlreadyDismissed naming the first. Flag.DoesNotExist for a flag
    ``by`` may not see (``flags_moderated_by``).
    """
    flags = flags_moderated_by(by).filter(pk=flag_id)
    if flags.open().update(dismissed_by=by, dismissed_at=timezone.now()):
        return Flag.objects.select_related("dismissed_by", "flagger").get(pk=flag_id)
    flag = flags.select_related("dismissed_by").get()
    raise FlagAlreadyDismissed(flag)


def dismiss_flags(*, annotations, by) -> list[Flag]:
    """A curator dismisses every open flag on ``annotations`` (the queue's action); the flags dismissed.

    The open flags are held first (on SQLite the transaction holds the write lock from its start), so
    a flag another curator dismisses meanwhile is neither dismissed again nor returned."""
    now = timezone.now()
    with transaction.atomic():
        flags = list(
            flags_moderated_by(by)
            .filter(annotation__in=annotations)
            .open()
            .select_for_update(of=("self",))
            .select_related("flagger", "annotation")
        )
        Flag.objects.filter(pk__in=[flag.pk for flag in flags]).update(dismissed_by=by, dismissed_at=now)
    for flag in flags:
        flag.dismissed_by, flag.dismissed_at = by, now
    return flags


def moderated_note(*, group: Group, by, annotation_id) -> Annotation:
    """A note of ``group`` that ``by`` may hide or restore as its moderator; Annotation.DoesNotExist else."""
    moderated = Membership.objects.filter(user=by, role=Membership.Role.MODERATOR).values("group")
    return (
        Annotation.objects.visible_to(by).moderated_by_group(group).get(pk=annotation_id, group__in=moderated)
    )


@transaction.atomic
def hide_group_note(*, group: Group, by, annotation_id, reason: str) -> Annotation:
    """A group's moderator hides one of its notes with a reason, as curators hide public ones
    (``services.hide_annotation``: the branch below it is hidden too, the panels re-rendered)."""
    lock_group(group.pk)
    return hide_annotation(
        moderated_note(group=group, by=by, annotation_id=annotation_id),
        by=by,
        reason=reason,
        among=Annotation.objects.moderated_by_group(group),
    )


@transaction.atomic
def restore_group_note(*, group: Group, by, annotation_id) -> Annotation:
    lock_group(group.pk)
    return restore_annotation(
        moderated_note(group=group, by=by, annotation_id=annotation_id),
        by=by,
        among=Annotation.objects.moderated_by_group(group),
    )
