"""Curators' own screens: ordinary views that only staff with a permission reach, drawn in the admin's frame
and logged in its history.

A text's history, diff and revert (``archive.views.curating``) and hiding, restoring and merging tags
(``annotations.views.moderating``) are such views; the model admins only route the admin's addresses
to them (docs/curators.md, "Curators").
"""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.views.decorators.cache import never_cache


def staff_screen(*permissions: str):
    """A curator's screen: active staff only (anyone else is sent to the admin's log-in, as its own
    pages do), then 403 unless the user holds one of ``permissions``; never cached."""

    def decorate(view):
        @wraps(view)
        def permitted(request, *args, **kwargs):
            if not any(request.user.has_perm(permission) for permission in permissions):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return staff_member_required(never_cache(permitted))

    return decorate


def admin_frame(request, model, **context) -> dict:
    """The context the admin's base template reads (its header, the sidebar's apps), with ``model``'s
    options for the breadcrumbs, and ``context``."""
    return {**admin.site.each_context(request), "opts": model._meta, **context}


def log_change(request, obj, message: str) -> None:
    """The entry ``ModelAdmin.log_change`` makes: in the object's admin history and the index's "Recent
    actions"."""
    LogEntry.objects.log_actions(
        user_id=request.user.pk,
        queryset=[obj],
        action_flag=CHANGE,
        change_message=message,
        single_object=True,
    )
