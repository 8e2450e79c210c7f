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

from documents.models import Document, is_curator


def digest(*parts) -> str:
    """A short, stable digest of JSON-serialisable ``parts`` (dates and keys as text)."""
    return hashlib.sha256(json.dumps(parts, default=str, sort_keys=True).encode()).hexdigest()[:32]


def reader_key(user) -> list:
    """Everything about the reader that changes what they see: who they are, and what they may do."""
    if user is None or not user.is_authenticated:
        return ["anonymous"]
    return ["user", user.pk, user.get_username(), user.is_active, is_curator(user)]


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
