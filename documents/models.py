"""Every model of the app, re-exported from the area that owns it, so Django finds them here.

Each area keeps its models in its own ``models.py`` (docs/architecture.md, "Layout"). Code inside
``documents`` imports a model from its area's module, never from here; this module exists for
Django's app registry and for the migrations, which name callables by their path in it.
"""

from documents.accounts.models import (
    ApiToken,
    ApiTokenQuerySet,
    Notification,
    NotificationQuerySet,
    NotificationSettings,
    unread_notification_count,
)
from documents.annotations.models import (
    DOCUMENT_SORTS,
    Annotation,
    AnnotationQuerySet,
    Flag,
    TaggedAnnotation,
    TagQuerySet,
    UUIDTaggableManager,
    VisibleTag,
)
from documents.archive.listing import NEWEST_FIRST
from documents.archive.models import (
    CURATORS,
    SCHOLARS,
    Collection,
    Document,
    DocumentQuerySet,
    DocumentRevision,
    TaggedDocument,
    UnrecordedTextChange,
    WithdrawnDocument,
    WithdrawnDocumentQuerySet,
    is_curator,
)
from documents.groups.models import Group, Invitation, InvitationQuerySet, Membership, Removal
from documents.search.models import SearchEntry

__all__ = [
    "CURATORS",
    "DOCUMENT_SORTS",
    "NEWEST_FIRST",
    "SCHOLARS",
    "Annotation",
    "AnnotationQuerySet",
    "ApiToken",
    "ApiTokenQuerySet",
    "Collection",
    "Document",
    "DocumentQuerySet",
    "DocumentRevision",
    "Flag",
    "Group",
    "Invitation",
    "InvitationQuerySet",
    "Membership",
    "Notification",
    "NotificationQuerySet",
    "NotificationSettings",
    "Removal",
    "SearchEntry",
    "TagQuerySet",
    "TaggedAnnotation",
    "TaggedDocument",
    "UUIDTaggableManager",
    "UnrecordedTextChange",
    "VisibleTag",
    "WithdrawnDocument",
    "WithdrawnDocumentQuerySet",
    "is_curator",
    "unread_notification_count",
]
