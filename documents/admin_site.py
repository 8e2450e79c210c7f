"""The admin site: Django's, with every page that names objects following what the reader may see.

A curator is a reader like any other where notes and groups are concerned
(docs/reading-and-annotating.md, "Privacy"): they read public notes and their own, and a group's notes,
members and (as its moderator) invitation links only while they are in it.
Django's admin checks only that its user is staff in three places that name
objects its model admins did not choose: the "view on site" redirect
(``/admin/r/<content type>/<id>/``, which sent any staff user to an
invitation's secret address), the delete confirmations (which listed every note
a deletion cascades to, with author and quote), and lookups in a changelist's
address (which may follow any one relation, so ``?annotations__isnull=False``
told which documents carry private notes). This site makes all three ask
``seen_by``, the admin's table of "what of this model may this user see",
which reads ``Annotation.objects.visible_to`` and the memberships as the public
pages do. Models it does not name are seen by no one here.

``documents.apps.ArchiveAdminConfig`` makes this the default site, so
``admin.site`` is this one and every admin registered on it, ours and other
apps', gets the same delete confirmations and lookups.
"""

from collections import Counter
from collections.abc import Callable
from functools import cache

from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import NestedObjects, quote
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as Role
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, router
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.urls.resolvers import URLPattern
from django.utils.html import format_html
from django.utils.text import capfirst

from documents.accounts.models import ApiToken, Notification, NotificationSettings
from documents.annotations.models import Annotation, Flag, TaggedAnnotation, VisibleTag
from documents.archive.models import Collection, Document, DocumentRevision, TaggedDocument
from documents.groups.models import Group, Invitation, Membership
from documents.search.models import SearchEntry

NOT_FOUND = "Nothing here, or nothing you may see."
UNLISTED = (
    "Not listed: anything here you may not see, such as others’ private notes and the notes of "
    "groups you are not in, and what depends on it. Deleting removes it all the same."
)


def _notes(user):
    return Annotation.objects.visible_to(user)


def _documents(user):
    return Document.objects.visible_to(user)


def _my_groups(user):
    return Membership.objects.filter(user=user).values("group")


def _groups_i_moderate(user):
    return Membership.objects.filter(user=user, role=Membership.Role.MODERATOR).values("group")


def _everything(model):
    return lambda user: model._default_manager.all()


User = get_user_model()

SEEN_BY: dict[type[models.Model], Callable] = {
    Annotation: _notes,
    TaggedAnnotation: lambda user: TaggedAnnotation.objects.filter(content_object__in=_notes(user)),
    Flag: lambda user: Flag.objects.filter(annotation__in=_notes(user)),
    Notification: lambda user: Notification.objects.filter(recipient=user),
    SearchEntry: lambda user: SearchEntry.objects.filter(
        Q(annotation__in=_notes(user)) | Q(annotation__isnull=True, document__in=_documents(user))
    ),
    Document: _documents,
    DocumentRevision: lambda user: DocumentRevision.objects.filter(document__in=_documents(user)),
    TaggedDocument: lambda user: TaggedDocument.objects.filter(content_object__in=_documents(user)),
    Document.collections.through: lambda user: Document.collections.through.objects.filter(
        document__in=_documents(user)
    ),
    VisibleTag: lambda user: VisibleTag.objects.visible_to(user),
    VisibleTag._meta.concrete_model: lambda user: VisibleTag.objects.visible_to(user),
    # A group, its members and its notes are its members' (docs/reading-and-annotating.md, "Groups"); its
    # links, its moderators'.
    Group: lambda user: Group.objects.filter(pk__in=_my_groups(user)),
    Membership: lambda user: Membership.objects.filter(group__in=_my_groups(user)),
    Invitation: lambda user: Invitation.objects.filter(group__in=_groups_i_moderate(user)),
    ApiToken: lambda user: ApiToken.objects.filter(user=user),
    NotificationSettings: lambda user: NotificationSettings.objects.filter(user=user),
    # Open to whoever the admin shows them to: shelves, the names on public notes, roles, failed log-ins.
    Collection: _everything(Collection),
    User: _everything(User),
    User.groups.through: _everything(User.groups.through),
    User.user_permissions.through: _everything(User.user_permissions.through),
    Role.permissions.through: _everything(Role.permissions.through),
    **{
        model: _everything(model)
        for model in (AccessAttempt, AccessAttemptExpiration, AccessLog, AccessFailureLog)
    },
}
# What a curator may see only some of: readers' notes and what hangs on them, tags, groups, accounts' own.
PERSONAL = {
    Annotation,
    TaggedAnnotation,
    Flag,
    Notification,
    SearchEntry,
    VisibleTag,
    VisibleTag._meta.concrete_model,
    Group,
    Membership,
    Invitation,
    ApiToken,
    NotificationSettings,
}


def seen_by(user, model: type[models.Model]) -> models.QuerySet:
    """The objects of ``model`` that ``user`` may see in the admin; none of a model the table lacks."""
    rule = SEEN_BY.get(model)
    return rule(user) if rule else model._default_manager.none()


def _seen(user, objects) -> set:
    """Those of ``objects`` (of any models) that ``user`` may see: one query per model."""
    by_model: dict[type[models.Model], list] = {}
    for obj in objects:
        by_model.setdefault(type(obj), []).append(obj)
    seen = set()
    for model, instances in by_model.items():
        keys = set(seen_by(user, model).filter(pk__in=[o.pk for o in instances]).values_list("pk", flat=True))
        seen.update(o for o in instances if o.pk in keys)
    return seen


@cache
def _may_reach_unseen(model: type[models.Model]) -> bool:
    """Whether deleting a ``model`` can delete (or untag) something ``PERSONAL``, whatever the rows.

    Read from the models alone, so saying so tells nothing of what a given deletion reaches."""
    pending, visited = [model], set()
    while pending:
        current = pending.pop()
        if current in visited:
            continue
        visited.add(current)
        for relation in current._meta.related_objects:
            target = relation.related_model
            if relation.many_to_many:
                target = relation.through if hasattr(relation, "through") else target
            elif getattr(relation, "on_delete", None) is not models.CASCADE:
                continue
            if target in PERSONAL or target not in SEEN_BY:
                return True
            pending.append(target)
        for field in current._meta.many_to_many:
            through = field.remote_field.through
            if through in PERSONAL or through not in SEEN_BY:
                return True
    return False


def deleted_objects(objs, request, admin_site):
    """Django's ``get_deleted_objects``, listing and counting only what the user may see.

    Whether the user may delete is decided on everything the deletion reaches,
    seen or not, so seeing less never lets anyone delete more; what they may not
    see is neither listed nor counted, and a line says, for every object of a
    model whose deletion can reach such things, that it is not listed.
    """
    try:
        first = objs[0]
    except IndexError:
        return [], {}, set(), []
    collector = NestedObjects(using=router.db_for_write(first._meta.model), origin=objs)
    collector.collect(objs)
    everything = [obj for instances in collector.model_objs.values() for obj in instances]
    # What the user chose came from their model admin's own list, so is theirs to see.
    seen = _seen(request.user, [*everything, *collector.protected]) | set(objs)

    perms_needed = set()
    for obj in everything:
        model = type(obj)
        if admin_site.is_registered(model) and not admin_site.get_model_admin(model).has_delete_permission(
            request, obj
        ):
            perms_needed.add(model._meta.verbose_name)

    def describe(obj):
        opts = obj._meta
        try:
            url = reverse(
                f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)]
            )
        except NoReverseMatch:
            return f"{capfirst(opts.verbose_name)}: {obj}"
        return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj)

    listed = Counter()
    done = set()

    def nested(obj):
        if obj in done or obj not in seen:
            return []
        done.add(obj)
        listed[obj._meta.verbose_name_plural] += 1
        children = [item for child in collector.edges.get(obj, ()) for item in nested(child)]
        return [describe(obj), children] if children else [describe(obj)]

    to_delete = [item for root in collector.edges.get(None, ()) for item in nested(root)]
    if _may_reach_unseen(first._meta.model):
        to_delete.append(UNLISTED)
    protected = [describe(obj) for obj in collector.protected if obj in seen]
    if len(protected) < len(collector.protected):
        protected.append(UNLISTED)
    return to_delete, dict(listed), perms_needed, protected


class ListsWhatTheyMaySee:
    """Given by ``ArchiveAdminSite`` to every model admin registered on it.

    Delete confirmations list what the user may see (``deleted_objects``), and a
    changelist's address may follow a relation only where the admin declares a
    filter on it: Django allows any one relation, and a filter through notes
    (``?annotations__isnull=False``, ``?annotations__gt=<uuid>``) would sort the
    rows by notes the user may not see.
    """

    def get_deleted_objects(self, objs, request):
        return deleted_objects(objs, request, self.admin_site)

    def lookup_allowed(self, lookup, value, request=None):
        if not super().lookup_allowed(lookup, value, request):
            return False
        first = lookup.split(LOOKUP_SEP)[0]
        try:
            field = self.model._meta.get_field(first)
        except FieldDoesNotExist:
            return True
        return not field.is_relation or first in self._declared_relations(request)

    def _declared_relations(self, request) -> set[str]:
        declared = {self.date_hierarchy} if self.date_hierarchy else set()
        for item in self.get_list_filter(request):
            path = item[0] if isinstance(item, (list, tuple)) else item
            if isinstance(path, str):
                declared.add(path)
        return {path.split(LOOKUP_SEP)[0] for path in declared}


def view_on_site(request, content_type_id, object_id):
    """Django's "view on site" (``/admin/r/<content type>/<id>/``), only to what ``seen_by`` allows.

    Anything else, an id its model cannot hold included, is a 404 that says no
    more than the public pages would; then Django's own redirect.
    """
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        found = model is not None and seen_by(request.user, model).filter(pk=object_id).exists()
    except (ContentType.DoesNotExist, ValueError, TypeError, ValidationError):
        found = False
    if not found:
        raise Http404(NOT_FOUND)
    return contenttype_views.shortcut(request, content_type_id, object_id)


def recent_actions(user, limit: int = 10) -> list[LogEntry]:
    """The index's "Recent actions": the user's own, less those on objects they may no longer see.

    A note a curator hid may since have been made private or moved to a group
    (its entry names its author and quote); deletions stay, as nothing remains.
    """
    entries = list(LogEntry.objects.filter(user=user).select_related("content_type")[: limit * 3])
    keep = {}
    for content_type_id in {e.content_type_id for e in entries if e.content_type_id and not e.is_deletion()}:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        ids = [e.object_id for e in entries if e.content_type_id == content_type_id]
        keep[content_type_id] = (
            {str(pk) for pk in seen_by(user, model).filter(pk__in=ids).values_list("pk", flat=True)}
            if model is not None
            else set()
        )
    return [e for e in entries if e.is_deletion() or e.object_id in keep.get(e.content_type_id, ())][:limit]


class ArchiveAdminSite(admin.AdminSite):
    """Django's admin site, with ``view_on_site``, ``recent_actions`` and ``ListsWhatTheyMaySee``
    for every model admin."""

    index_template = "admin/archive_index.html"

    # The archive's name (settings.ARCHIVE_NAME, docs/deployment.md), read when a page is made.
    site_header = property(lambda self: settings.ARCHIVE_NAME)
    site_title = property(lambda self: f"{settings.ARCHIVE_NAME} administration")
    index_title = property(lambda self: f"Curating {settings.ARCHIVE_NAME}")

    def index(self, request, extra_context=None):
        return super().index(
            request, {"recent_actions": recent_actions(request.user), **(extra_context or {})}
        )

    def get_urls(self):
        return [
            URLPattern(url.pattern, self.admin_view(view_on_site), name=url.name)
            if getattr(url, "name", None) == "view_on_site"
            else url
            for url in super().get_urls()
        ]

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, ListsWhatTheyMaySee):
            admin_class = type(
                admin_class.__name__,
                (ListsWhatTheyMaySee, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)
