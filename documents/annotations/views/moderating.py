"""A curator's moderation screens: hiding a public note with a reason and restoring it, from the note's
own page or for the notes selected in the list, dismissing flags, and merging tags (docs/curators.md,
"Curators").

Staff views (``documents.staff``) at the admin's addresses, which ``AnnotationModerationAdmin`` routes
here; the list's actions (Hide, Restore, Dismiss flags, Merge) call the ``*_selected`` screens. Their
templates extend the admin's base. Curators moderate public notes only (``moderated_by_curators``: a
group's are its moderators'), and a note they may not see is 404 here as everywhere
(docs/reading-and-annotating.md, "Privacy").
"""

from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import ngettext
from taggit.models import Tag

from documents.annotations import moderation, services
from documents.annotations import rules as annotation_rules
from documents.annotations.forms import HideForm, MergeTagsForm
from documents.annotations.models import Annotation, Flag
from documents.staff import admin_frame, log_change, staff_screen

MODERATE = "documents.moderate_annotation"


@staff_screen(MODERATE)
def hide(request, object_id):
    """Hide from the note's own page: the reason form (GET), then the hiding (POST)."""
    annotation = _seen_or_404(request, object_id)
    change_url = reverse("admin:documents_annotation_change", args=[annotation.pk])
    if annotation.hidden or not _curators_moderate(annotation):
        messages.warning(request, "Only a public note that is not hidden can be hidden.")
        return HttpResponseRedirect(change_url)
    form = HideForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            _hide(annotation, by=request.user, reason=reason)
        except Annotation.DoesNotExist:
            raise Http404("No such annotation.") from None
        except annotation_rules.AnnotationError as error:
            form.add_error("reason", error.message)
        else:
            log_change(request, annotation, f"Hidden: {reason}")
            messages.success(request, "Hid this annotation; its author sees your reason.")
            return HttpResponseRedirect(change_url)
    context = admin_frame(
        request,
        Annotation,
        title="Hide this annotation",
        form=form,
        annotations=[annotation],
        original=annotation,
        cancel_url=change_url,
    )
    return TemplateResponse(request, "admin/documents/annotation/hide.html", context)


@staff_screen(MODERATE)
def restore(request, object_id):
    """Restore from the note's own page (POST only: it changes what readers see)."""
    annotation = _seen_or_404(request, object_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not _curators_moderate(annotation):
        messages.warning(request, "Only a public note can be restored here.")
    elif annotation.hidden:
        try:
            _restore(annotation, by=request.user)
        except Annotation.DoesNotExist:
            raise Http404("No such annotation.") from None
        log_change(request, annotation, "Restored.")
        messages.success(request, "Restored this annotation.")
    return HttpResponseRedirect(reverse("admin:documents_annotation_change", args=[annotation.pk]))


@staff_screen(MODERATE)
def dismiss_flag(request, object_id, flag_id):
    """Dismiss one flag from the note's own page (POST only); back to that page, saying who dismissed it
    first if another curator did."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    annotation = _seen_or_404(request, object_id)
    try:
        flag = moderation.dismiss_flag(flag_id=flag_id, by=request.user)
    except Flag.DoesNotExist:
        raise Http404("No such flag.") from None
    except moderation.FlagAlreadyDismissed as already:
        dismissed = already.flag
        messages.warning(
            request,
            f"This flag was already dismissed by {dismissed.dismissed_by or 'a former curator'} "
            f"on {date_format(timezone.localtime(dismissed.dismissed_at), 'SHORT_DATETIME_FORMAT')}.",
        )
    else:
        log_change(request, annotation, f"Dismissed the flag by {flag.flagger}: {flag.reason}")
        messages.success(request, "Dismissed the flag; it stays in this note’s history.")
    return HttpResponseRedirect(reverse("admin:documents_annotation_change", args=[annotation.pk]))


def dismiss_selected(request, queryset) -> None:
    """The queue's Dismiss flags: every open flag on the notes selected, each written in its note's
    history as a single Dismiss is. For the admin's action."""
    dismissed = moderation.dismiss_flags(annotations=queryset, by=request.user)
    for flag in dismissed:
        log_change(request, flag.annotation, f"Dismissed the flag by {flag.flagger}: {flag.reason}")
    count = len(dismissed)
    messages.success(request, ngettext("Dismissed %d flag.", "Dismissed %d flags.", count) % count)


def hide_selected(request, queryset):
    """The list's Hide: asks for a reason on an intermediate page, then hides the public notes selected.

    For the admin's action, which has checked the permission; None sends the curator back to the list.
    """
    queryset = queryset.moderated_by_curators()
    form = HideForm(request.POST if "reason" in request.POST else None)
    if form.is_bound and form.is_valid():
        reason = form.cleaned_data["reason"]
        count = 0
        for annotation in queryset:
            try:
                _hide(annotation, by=request.user, reason=reason)
            except Annotation.DoesNotExist:
                continue  # its author deleted or moved it meanwhile
            log_change(request, annotation, f"Hidden: {reason}")
            count += 1
        messages.success(request, ngettext("Hid %d annotation.", "Hid %d annotations.", count) % count)
        return None
    context = admin_frame(
        request,
        Annotation,
        title="Hide annotations",
        form=form,
        annotations=queryset,
        action_checkbox_name=helpers.ACTION_CHECKBOX_NAME,
    )
    return TemplateResponse(request, "admin/documents/annotation/hide.html", context)


def restore_selected(request, queryset) -> None:
    """The list's Restore: the hidden public notes selected are shown again. For the admin's action."""
    count = 0
    for annotation in queryset.moderated_by_curators().filter(hidden=True):
        try:
            _restore(annotation, by=request.user)
        except Annotation.DoesNotExist:
            continue  # its author deleted it meanwhile
        log_change(request, annotation, "Restored.")
        count += 1
    messages.success(request, ngettext("Restored %d annotation.", "Restored %d annotations.", count) % count)


def merge_selected(request, queryset):
    """The tag list's Merge: asks which of the selected tags to keep, then moves every use of the others
    to it (``services.merge_tags``). For the admin's action; None sends the curator back to the list."""
    tags = list(queryset.order_by("name"))
    form = MergeTagsForm(request.POST if "into" in request.POST else None, tags=tags)
    if len(tags) < 2:
        messages.warning(request, "Select two or more tags to merge.")
        return None
    if form.is_bound and form.is_valid():
        into = form.cleaned_data["into"]
        count = services.merge_tags(into=into, tags=tags)
        log_change(request, into, f"Merged {count} tag(s) into it.")
        messages.success(
            request,
            ngettext("Merged %(count)d tag into “%(name)s”.", "Merged %(count)d tags into “%(name)s”.", count)
            % {"count": count, "name": into.name},
        )
        return None
    context = admin_frame(
        request,
        Tag,
        title="Merge tags",
        form=form,
        tags=tags,
        action_checkbox_name=helpers.ACTION_CHECKBOX_NAME,
    )
    return TemplateResponse(request, "admin/taggit/tag/merge.html", context)


def _seen_or_404(request, object_id) -> Annotation:
    """The note, if the curator may see it (docs/reading-and-annotating.md, "Privacy"); 404 otherwise."""
    try:
        annotation = (
            Annotation.objects.visible_to(request.user)
            .select_related("author", "document")
            .filter(pk=object_id)
            .first()
        )
    except (ValidationError, ValueError):
        annotation = None
    if annotation is None:
        raise Http404("No such annotation.")
    return annotation


def _curators_moderate(annotation: Annotation) -> bool:
    return Annotation.objects.moderated_by_curators().filter(pk=annotation.pk).exists()


def _hide(annotation: Annotation, *, by, reason: str) -> None:
    moderation.hide_annotation(
        annotation, by=by, reason=reason, among=Annotation.objects.moderated_by_curators()
    )


def _restore(annotation: Annotation, *, by) -> None:
    moderation.restore_annotation(annotation, by=by, among=Annotation.objects.moderated_by_curators())
