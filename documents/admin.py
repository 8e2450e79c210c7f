"""The curators' admin for documents, collections and tags.

Taggit registers a Tag admin itself; ours replaces it. Curators moderate public annotations
here: they hide and restore them with a reason, never edit them. Who may do
what comes from the Curators group's permissions (created by a data migration).
"""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext
from taggit.models import Tag

from documents import annotation_rules, diffs, services
from documents import text as text_module
from documents.models import Annotation, Collection, Document, Flag, TaggedDocument, VisibleTag, is_curator
from documents.tags import tags_named


class DocumentAdminForm(forms.ModelForm):
    """The document form, with the revision its text was opened at, so a stale edit is refused."""

    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_summary = forms.CharField(
        max_length=300,
        required=False,
        help_text="What you changed in the text and why, in a line; shown in the public history.",
    )

    class Meta:
        model = Document
        fields = [*Document.METADATA_FIELDS, "text", "status", "collections", "tags"]
        # Plain checkboxes, labelled and keyboard-ready; Django's two-box filter widget fails axe.
        widgets = {"collections": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "text" in self.fields:
            # A large editor with the live preview of its passages under it (docs/curators.md, "Curators").
            self.fields["text"].widget.attrs.update(
                {
                    "rows": 30,
                    "cols": 100,
                    "data-passage-preview": "true",
                    "data-passage-preview-url": reverse("admin:documents_document_passages_preview"),
                }
            )
        self.stale: services.StaleRevision | None = None
        if self.instance.pk:
            self.fields["base_revision"].initial = self.instance.revision

    def clean(self):
        """Refuse a new text written on a revision older than the stored one; the text stays in the form.

        The service checks again while holding the row (the admin retries the
        form once when it finds a race this check missed).
        """
        cleaned = super().clean()
        base = cleaned.get("base_revision")
        if self.instance.pk and base is not None:
            stored = Document.objects.get(pk=self.instance.pk)
            if stored.revision != base and cleaned.get("text") != stored.text:
                earlier = stored.revisions.filter(number=base).first()
                self.stale = services.StaleRevision(
                    base=base,
                    current=stored.revision,
                    changes=diffs.condensed(
                        diffs.word_diff(earlier.canonical_text if earlier else "", stored.canonical_text)
                    ),
                )
                self.add_error("text", self.stale.message)
        return cleaned


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    form = DocumentAdminForm
    change_form_template = "admin/documents/document/change_form.html"

    class Media:
        css = {"all": ["documents/css/admin.css"]}

    fieldsets = [
        (
            "Description",
            {
                "fields": [
                    "title",
                    "slug",
                    "creator",
                    ("date", "date_display"),
                    "type",
                    "description",
                    "language",
                ]
            },
        ),
        ("Provenance", {"fields": ["source", "publisher", "rights", "identifier"]}),
        ("Text", {"fields": ["text", "change_summary", "base_revision", "passage_preview", "revision"]}),
        ("Publication", {"fields": ["status", "published_at", "collections", "tags"]}),
    ]
    readonly_fields = ["passage_preview", "revision", "published_at"]
    list_display = ["title", "creator", "date", "type", "status", "revision", "modified"]
    list_filter = ["status", "type", "collections", ("tags", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "slug", "creator", "description", "identifier", "source"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "date"
    actions = ["publish", "unpublish"]

    def save_model(self, request, obj, form, change):
        """Saves through the service: a new text is a revision, and the annotations' outcomes are reported."""
        report = services.save_document(
            obj,
            by=request.user,
            summary=form.cleaned_data.get("change_summary", ""),
            base_revision=form.cleaned_data.get("base_revision"),
        )
        if report is not None:
            self.report_reanchoring(request, obj, report)

    def report_reanchoring(self, request, document, report: services.ReanchorReport) -> None:
        """The one message for a new text: the outcome of each annotation (docs/curators.md, "Revisions")."""
        self.message_user(
            request,
            f"Revision {document.revision} saved; {report.summary()}. "
            f"{report.moved} moved with their quotes; {report.changed} follow changed words and show "
            f"their authors both wordings; {report.orphaned} could not be found again and are listed "
            "as orphaned.",
            messages.WARNING if report.orphaned or report.changed else messages.INFO,
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A stale edit that raced past the form's check is shown again, now with the form's refusal.

        Each retry sees a newer stored revision, so its form check refuses the
        edit; only another save landing in that very moment sends it round again.
        """
        for _ in range(4):
            try:
                return super().changeform_view(request, object_id, form_url, extra_context)
            except services.StaleRevision:
                continue
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        history = [
            path(
                "<path:object_id>/revisions/",
                self.admin_site.admin_view(self.revisions_view),
                name="documents_document_revisions",
            ),
            path(
                "<path:object_id>/revisions/<int:number>/revert/",
                self.admin_site.admin_view(self.revert_view),
                name="documents_document_revert",
            ),
            path(
                "passages/preview/",
                self.admin_site.admin_view(self.passages_preview_view),
                name="documents_document_passages_preview",
            ),
        ]
        return history + super().get_urls()

    MAX_PREVIEW_CHARACTERS = 2_000_000

    def passages_preview_view(self, request):
        """The passages a text would make, as JSON, for the live preview under the editor.

        POST ``text``; answers ``{"passages": [{"n", "kind", "text"}]}``, or 400 with
        ``{"error": ...}`` naming the line at fault, by the same rules as saving
        (``text.parse``). Only curators who may add or change documents may ask.
        """
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        markup = request.POST.get("text", "")
        if len(markup) > self.MAX_PREVIEW_CHARACTERS:
            return JsonResponse({"error": "The text is too long to preview."}, status=400)
        try:
            passages = text_module.parse(markup)
        except text_module.MarkupError as error:
            return JsonResponse({"error": str(error)}, status=400)
        return JsonResponse({"passages": [{"n": p.n, "kind": p.kind, "text": p.text} for p in passages]})

    def _document_or_404(self, request, object_id) -> Document:
        document = self.get_object(request, object_id)
        if document is None or not self.has_view_or_change_permission(request, document):
            raise Http404("No such document.")
        return document

    def revisions_view(self, request, object_id):
        """Every revision of the text, and the word-level diff between any two (``?a=M&b=N``)."""
        document = self._document_or_404(request, object_id)
        revisions = list(document.revisions.select_related("author"))
        numbers = {revision.number: revision for revision in revisions}
        newer = numbers.get(_number(request.GET.get("b")), revisions[0] if revisions else None)
        older = numbers.get(_number(request.GET.get("a")))
        if older is None and newer is not None:
            older = next((r for r in revisions if r.number < newer.number), newer)
        changes = None
        if older is not None and newer is not None:
            changes = diffs.condensed(diffs.word_diff(older.canonical_text, newer.canonical_text))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"History of the text: {document}",
            "document": document,
            "revisions": revisions,
            "older": older,
            "newer": newer,
            "changes": changes,
            "has_changes": changes is not None and diffs.has_changes(changes),
            "can_revert": self.has_change_permission(request, document),
        }
        return TemplateResponse(request, "admin/documents/document/revisions.html", context)

    def revert_view(self, request, object_id, number):
        """Asks, then makes revision ``number``'s text the current one as a new revision, and reports."""
        document = self._document_or_404(request, object_id)
        if not self.has_change_permission(request, document):
            raise Http404("No such document.")
        target = document.revisions.filter(number=number).first()
        if target is None:
            raise Http404("This document has no such revision.")
        history = reverse("admin:documents_document_revisions", args=[document.pk])
        if request.method == "POST":
            try:
                report = services.revert_document(
                    document,
                    to=number,
                    by=request.user,
                    base_revision=_number(request.POST.get("base_revision")),
                )
            except services.StaleRevision as stale:
                self.message_user(request, stale.message, messages.ERROR)
                return HttpResponseRedirect(history)
            document.refresh_from_db()
            self.log_change(request, document, f"Reverted the text to revision {number}.")
            if report is None:
                self.message_user(request, f"The text already reads as revision {number}; nothing changed.")
            else:
                self.report_reanchoring(request, document, report)
            return HttpResponseRedirect(history)
        changes = diffs.condensed(diffs.word_diff(document.canonical_text, target.canonical_text))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Revert to revision {number}?",
            "document": document,
            "target": target,
            "changes": changes,
            "has_changes": diffs.has_changes(changes),
        }
        return TemplateResponse(request, "admin/documents/document/revert.html", context)

    def save_related(self, request, form, formsets, change):
        """Tags typed in the form are made as everywhere else (``tags_named``)."""
        if "tags" in form.cleaned_data:
            form.cleaned_data["tags"] = tags_named(form.cleaned_data["tags"])
        super().save_related(request, form, formsets, change)

    @admin.display(description="Passages as readers will see them")
    def passage_preview(self, document):
        """Shows how the saved text splits into numbered passages, the units annotations point into."""
        try:
            passages = document.passages
        except text_module.MarkupError as error:
            return f"The saved text cannot be shown: {error}"
        if not passages:
            return "No passages yet: the text is empty."
        rows = format_html_join(
            "\n", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", ((p.n, p.kind, p.text) for p in passages)
        )
        return format_html(
            "<table><thead><tr><th scope='col'>No.</th><th scope='col'>Kind</th>"
            "<th scope='col'>Text</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    @admin.action(description="Publish selected documents", permissions=["change"])
    def publish(self, request, queryset):
        published = self._set_status(request, queryset, Document.Status.PUBLISHED, "Published.")
        skipped = queryset.count() - published
        self.message_user(
            request,
            ngettext("Published %d document.", "Published %d documents.", published) % published,
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext("%d was already published.", "%d were already published.", skipped) % skipped,
                messages.INFO,
            )

    @admin.action(description="Unpublish selected documents (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        drafted = self._set_status(request, queryset, Document.Status.DRAFT, "Unpublished.")
        skipped = queryset.count() - drafted
        self.message_user(
            request,
            ngettext(
                "Unpublished %d document; it is a draft again.",
                "Unpublished %d documents; they are drafts again.",
                drafted,
            )
            % drafted,
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext("%d was already a draft.", "%d were already drafts.", skipped) % skipped,
                messages.INFO,
            )

    def _set_status(self, request, queryset, status, log_message) -> int:
        """Through the service, which stamps the first publication; logs each change in the history."""
        changed = 0
        for document in queryset.exclude(status=status):
            if services.set_document_status(document, status):
                self.log_change(request, document, log_message)
                changed += 1
        return changed


def _number(raw) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    fields = ["title", "slug", "description", "order"]
    list_display = ["title", "order", "document_count"]
    list_editable = ["order"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(document_count=Count("documents"))

    @admin.display(description="Documents", ordering="document_count")
    def document_count(self, collection):
        return collection.document_count


class HideForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="The author sees this reason beside the hidden annotation.",
    )


class FlaggedFilter(admin.SimpleListFilter):
    """The moderation queue: notes readers have flagged, the most flagged first."""

    title = "flags"
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [("yes", "Flagged"), ("no", "Not flagged")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(flag_total__gt=0)
        if self.value() == "no":
            return queryset.filter(flag_total=0)
        return queryset


class FlagInline(admin.StackedInline):
    """The flags on a note, with their reasons, for the curator deciding whether to hide it.

    Stacked rather than a table: Django's tabular inline has a header cell with no text,
    which accessibility checkers report."""

    model = Flag
    fields = ["reason", "flagger", "created"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        """Whoever moderates a note reads its flags; the Curators group needs no extra permission."""
        return request.user.has_perm("documents.moderate_annotation")


@admin.register(Annotation)
class AnnotationModerationAdmin(admin.ModelAdmin):
    """Moderation of public annotations; curators never see others' private ones.

    Annotations are the scholars' own words, so curators cannot edit them here:
    they hide them from the public with a reason, and restore them.
    """

    list_display = ["quote", "comment_excerpt", "flag_count", "author", "hidden", "created", "document"]
    list_filter = [
        FlaggedFilter,
        "hidden",
        "visibility",
        ("document", admin.RelatedOnlyFieldListFilter),
        ("author", admin.RelatedOnlyFieldListFilter),
        ("tags", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["author", "document"]
    search_fields = ["exact", "comment", "author__username", "document__title"]
    date_hierarchy = "created"
    actions = ["hide", "restore"]
    fields = [
        "document",
        "author",
        "visibility",
        "motivation",
        "exact",
        "comment",
        "answers",
        "anchor",
        "created",
        "modified",
        "hidden",
        "hidden_by",
        "hidden_at",
        "hidden_reason",
    ]
    readonly_fields = fields

    inlines = [FlagInline]
    change_form_template = "admin/documents/annotation/change_form.html"

    class Media:
        # Column widths that keep Comment, Hidden, Created and Flags on a 1,366 px screen (docs/curators.md,
        # "Curators").
        css = {"all": ["documents/css/admin.css"]}

    def get_urls(self):
        one = [
            path(
                "<path:object_id>/hide/",
                self.admin_site.admin_view(self.hide_view),
                name="documents_annotation_hide",
            ),
            path(
                "<path:object_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="documents_annotation_restore",
            ),
        ]
        return one + super().get_urls()

    def _moderated_or_404(self, request, object_id) -> Annotation:
        """A note the curator may see and moderate; 404 otherwise, as everywhere
        (docs/reading-and-annotating.md, "Privacy")."""
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        annotation = self.get_object(request, object_id)
        if annotation is None:
            raise Http404("No such annotation.")
        return annotation

    def _curators_moderate(self, annotation: Annotation) -> bool:
        return Annotation.objects.moderated_by_curators().filter(pk=annotation.pk).exists()

    def hide_view(self, request, object_id):
        """Hide from the note's own page: the reason form (GET), then the hiding (POST)."""
        annotation = self._moderated_or_404(request, object_id)
        change_url = reverse("admin:documents_annotation_change", args=[annotation.pk])
        if annotation.hidden or not self._curators_moderate(annotation):
            self.message_user(
                request, "Only a public note that is not hidden can be hidden.", messages.WARNING
            )
            return HttpResponseRedirect(change_url)
        form = HideForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            try:
                services.hide_annotation(
                    annotation,
                    by=request.user,
                    reason=reason,
                    among=Annotation.objects.moderated_by_curators(),
                )
            except Annotation.DoesNotExist:
                raise Http404("No such annotation.") from None
            except annotation_rules.AnnotationError as error:
                form.add_error("reason", error.message)
            else:
                self.log_change(request, annotation, f"Hidden: {reason}")
                self.message_user(
                    request, "Hid this annotation; its author sees your reason.", messages.SUCCESS
                )
                return HttpResponseRedirect(change_url)
        return TemplateResponse(
            request,
            "admin/documents/annotation/hide.html",
            {
                **self.admin_site.each_context(request),
                "title": "Hide this annotation",
                "opts": self.model._meta,
                "form": form,
                "annotations": [annotation],
                "original": annotation,
                "cancel_url": change_url,
            },
        )

    def restore_view(self, request, object_id):
        """Restore from the note's own page (POST only: it changes what readers see)."""
        annotation = self._moderated_or_404(request, object_id)
        change_url = reverse("admin:documents_annotation_change", args=[annotation.pk])
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self._curators_moderate(annotation):
            self.message_user(request, "Only a public note can be restored here.", messages.WARNING)
        elif annotation.hidden:
            try:
                services.restore_annotation(
                    annotation, by=request.user, among=Annotation.objects.moderated_by_curators()
                )
            except Annotation.DoesNotExist:
                raise Http404("No such annotation.") from None
            self.log_change(request, annotation, "Restored.")
            self.message_user(request, "Restored this annotation.", messages.SUCCESS)
        return HttpResponseRedirect(change_url)

    def get_object(self, request, object_id, from_field=None):
        """The note, with the one it answers only if the curator may see that too (``answers``).

        A reply stays its author's after they leave the group, or after the note
        it answers is hidden; that note is not theirs to read any more.
        """
        annotation = super().get_object(request, object_id, from_field)
        if annotation is not None:
            annotation.seen_parent = (
                Annotation.objects.visible_to(request.user).filter(pk=annotation.parent_id).first()
                if annotation.parent_id
                else None
            )
        return annotation

    @admin.display(description="Parent")
    def answers(self, annotation):
        parent = getattr(annotation, "seen_parent", None)
        if parent is None:
            return "-"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:documents_annotation_change", args=[parent.pk]), parent
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_moderate"] = self.has_moderate_permission(request)
        context["curators_moderate"] = obj is not None and self._curators_moderate(obj)
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    def get_queryset(self, request):
        queryset = (
            Annotation.objects.visible_to(request.user)
            .select_related("author", "document")
            .annotate(flag_total=Count("flags", distinct=True))
        )
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def get_ordering(self, request):
        """The queue (Flagged) puts the most flagged first; otherwise the newest first."""
        if request.GET.get(FlaggedFilter.parameter_name) == "yes":
            return ["-flag_total", "-created"]
        return super().get_ordering(request)

    @admin.display(description="Comment")
    def comment_excerpt(self, annotation):
        text = " ".join(annotation.comment.split())
        return text if len(text) <= 80 else text[:79] + "…"

    @admin.display(description="Flags", ordering="flag_total")
    def flag_count(self, annotation):
        return annotation.flag_total

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_moderate_permission(self, request):
        return request.user.has_perm("documents.moderate_annotation")

    @admin.display(description="Quote")
    def quote(self, annotation):
        if annotation.is_page_note:
            return "(on the whole document)"
        text = annotation.exact or annotation.comment
        return text if len(text) <= 60 else text[:59] + "…"

    @admin.action(description="Hide selected annotations from the public…", permissions=["moderate"])
    def hide(self, request, queryset):
        """Asks for a reason on an intermediate page, then hides."""
        queryset = queryset.moderated_by_curators()
        form = HideForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            count = 0
            for annotation in queryset:
                try:
                    services.hide_annotation(
                        annotation,
                        by=request.user,
                        reason=form.cleaned_data["reason"],
                        among=Annotation.objects.moderated_by_curators(),
                    )
                except Annotation.DoesNotExist:
                    continue  # its author deleted or moved it meanwhile
                self.log_change(request, annotation, f"Hidden: {form.cleaned_data['reason']}")
                count += 1
            self.message_user(
                request,
                ngettext("Hid %d annotation.", "Hid %d annotations.", count) % count,
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/documents/annotation/hide.html",
            {
                **self.admin_site.each_context(request),
                "title": "Hide annotations",
                "opts": self.model._meta,
                "form": form,
                "annotations": queryset,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description="Restore selected hidden annotations", permissions=["moderate"])
    def restore(self, request, queryset):
        count = 0
        for annotation in queryset.moderated_by_curators().filter(hidden=True):
            try:
                services.restore_annotation(
                    annotation, by=request.user, among=Annotation.objects.moderated_by_curators()
                )
            except Annotation.DoesNotExist:
                continue  # its author deleted it meanwhile
            self.log_change(request, annotation, "Restored.")
            count += 1
        self.message_user(
            request,
            ngettext("Restored %d annotation.", "Restored %d annotations.", count) % count,
            messages.SUCCESS,
        )


class TaggedDocumentInline(admin.TabularInline):
    model = TaggedDocument
    autocomplete_fields = ["content_object"]
    extra = 0
    verbose_name = "document with this tag"
    verbose_name_plural = "documents with this tag"


admin.site.unregister(Tag)


class TagForm(forms.ModelForm):
    """A tag's name, as services clean it; whether another tag has it is not the form's to say.

    Saying "a tag with this name already exists" would tell a curator about a
    tag used only on someone's private notes, so ``save_model`` reuses that tag
    instead (docs/reading-and-annotating.md, "Privacy").
    """

    class Meta:
        model = Tag
        fields = ["name"]

    def clean_name(self):
        (name,) = annotation_rules.clean_tags([self.cleaned_data["name"]])
        return name

    def validate_unique(self):
        pass


class MergeTagsForm(forms.Form):
    """Which of the selected tags the others become."""

    into = forms.ModelChoiceField(
        queryset=Tag.objects.none(),
        widget=forms.RadioSelect,
        label="Keep this tag",
        help_text="Every document and note with one of the other tags gets this one; the others are deleted.",
    )

    def __init__(self, *args, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = Tag.objects.filter(pk__in=[tag.pk for tag in tags]).order_by("name")


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """Taggit's Tag admin, limited to the tags a curator may see, without its "merge" action.

    Listed, searched and opened are only the tags on documents or on
    annotations the curator may see (``VisibleTag.objects.visible_to``); a tag
    used only on private notes is named to no one but their author. Tags are
    made by ``documents.tags.tags_named``, so a slug is a function of the name;
    neither changes afterwards, so a tag page's address is a permalink and a
    scholar's tag is never renamed under them. Taggit's "merge" moves only its
    own generic tagged items and would drop our documents' and annotations' tags,
    so ours (``services.merge_tags``) replaces it.
    """

    form = TagForm
    inlines = [TaggedDocumentInline]
    actions = ["merge"]
    list_display = ["name", "slug", "document_count"]
    ordering = ["name"]
    search_fields = ["name"]

    def get_queryset(self, request):
        visible = VisibleTag.objects.visible_to(request.user).values("pk")
        return (
            super()
            .get_queryset(request)
            .filter(pk__in=visible)
            .annotate(document_count=Count("documents_taggeddocument_items"))
        )

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj is None else ["name", "slug"]

    def save_model(self, request, obj, form, change):
        """A new name becomes the tag of that name, made or found by the one function that makes tags."""
        if change:
            return
        (tag,) = tags_named([obj.name])
        obj.pk, obj.slug = tag.pk, tag.slug
        obj._state.adding, obj._state.db = False, tag._state.db

    @admin.display(description="Documents", ordering="document_count")
    def document_count(self, tag):
        return tag.document_count

    @admin.action(description="Merge selected tags into one…", permissions=["change"])
    def merge(self, request, queryset):
        """Asks which of the selected tags to keep, then moves every use of the others to it."""
        tags = list(queryset.order_by("name"))
        form = MergeTagsForm(request.POST if "into" in request.POST else None, tags=tags)
        if len(tags) < 2:
            self.message_user(request, "Select two or more tags to merge.", messages.WARNING)
            return None
        if form.is_bound and form.is_valid():
            into = form.cleaned_data["into"]
            count = services.merge_tags(into=into, tags=tags)
            self.log_change(request, into, f"Merged {count} tag(s) into it.")
            self.message_user(
                request,
                ngettext(
                    "Merged %(count)d tag into “%(name)s”.", "Merged %(count)d tags into “%(name)s”.", count
                )
                % {"count": count, "name": into.name},
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/taggit/tag/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": "Merge tags",
                "opts": self.model._meta,
                "form": form,
                "tags": tags,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LoginAttemptAdmin(AccessAttemptAdmin):
    """django-axes' failed log-ins, for curators: deleting a locked row unlocks that user and address.

    Curators answer readers who locked themselves out, so they get this page without
    a permission of its own (the Curators group's are set by a migration; see docs/deployment.md, "Limits on
    abuse"). They may look and delete, never add or change.
    """

    def has_module_permission(self, request):
        return is_curator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_curator(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_curator(request.user)

    def has_change_permission(self, request, obj=None):
        return False


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class AccountAdmin(UserAdmin):
    """Django's user admin, saving and deleting through the services.

    A username shows on every annotation its owner wrote, so renaming or
    deleting an account renders those documents' cached panels again
    (docs/performance.md, "Reading at scale").
    """

    def save_model(self, request, obj, form, change):
        services.save_account(obj)

    def delete_model(self, request, obj):
        services.delete_account(obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            services.delete_account(user)
