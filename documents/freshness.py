"""What a page about one document depends on, as short digests: cache keys and entity tags.

A reading view or a document's annotation container changes only when the
document does (its ``modified`` time and ``revision``), when one of its
annotations does (its ``annotations_version``, bumped by every such write in
the same transaction), or with the reader (``reader_key``). So both can be
keyed, and answered 304, before anything is rendered (README, "Performance").
"""

from __future__ import annotations

import hashlib
import json

from documents.models import Document, Membership, is_curator


def digest(*parts) -> str:
    """A short, stable digest of JSON-serialisable ``parts`` (dates and keys as text)."""
    return hashlib.sha256(json.dumps(parts, default=str, sort_keys=True).encode()).hexdigest()[:32]


def reader_key(user) -> list:
    """Everything about the reader that changes what they see: who they are, what they may do, and
    their groups with their role in each (``reader_groups``), so joining, leaving, a removal or a new
    role changes every key at once (README, "Groups")."""
    if user is None or not user.is_authenticated:
        return ["anonymous"]
    return ["user", user.pk, user.get_username(), user.is_active, is_curator(user), reader_groups(user)]


def reader_groups(user) -> list[tuple[int, str, str, str]]:
    """``(group id, role, slug, name)`` for each group ``user`` is in, by name, in one query.

    Kept on the user object for the rest of the request: the reading view's key and its
    Visibility select's "Group: <name>" options read the same rows.
    """
    if user is None or not user.is_authenticated:
        return []
    rows = getattr(user, "_reader_groups", None)
    if rows is None:
        rows = list(
            Membership.objects.filter(user=user)
            .order_by("group__name", "group_id")
            .values_list("group_id", "role", "group__slug", "group__name")
        )
        user._reader_groups = rows
    return rows


def annotations_state(document: Document) -> list:
    """The document as its annotations' pages see it. Its creation time joins its key, which SQLite
    may give again to a later document; ``annotations_version`` only moves forward."""
    return [document.pk, document.created, document.annotations_version, document.status, document.slug]


DOCUMENT_STATE = ("id", "created", "annotations_version", "status", "slug", "modified", "revision")
"""The document's fields ``document_state`` reads, for queries that load only those."""


def document_state(document: Document) -> list:
    """``annotations_state`` and the document itself (its title and other fields move ``modified``):
    what a page about the document's annotations shows of it, such as the container's label."""
    return [*annotations_state(document), document.modified, document.revision]
