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
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext
from taggit.models import Tag

from documents import services
from documents import text as text_module
from documents.models import Annotation, Collection, Document, TaggedDocument, VisibleTag, is_curator
from documents.tags import tags_named


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
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
        ("Text", {"fields": ["text", "passage_preview", "revision"]}),
        ("Publication", {"fields": ["status", "published_at", "collections", "tags"]}),
    ]
    readonly_fields = ["passage_preview", "revision", "published_at"]
    list_display = ["title", "creator", "date", "type", "status", "revision", "modified"]
    list_filter = ["status", "type", "collections", ("tags", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "slug", "creator", "description", "identifier", "source"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "date"
    filter_horizontal = ["collections"]
    actions = ["publish", "unpublish"]

    def save_model(self, request, obj, form, change):
        """Saves through the service so a text edit re-anchors the document's annotations."""
        report = services.save_document(obj)
        if report is not None and (report.moved or report.orphaned):
            self.message_user(
                request,
                f"The text changed: {report.moved} annotation(s) moved with their quotes, "
                f"{report.orphaned} could not be found again and are listed as orphaned.",
                messages.WARNING if report.orphaned else messages.INFO,
            )

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
        """Saves each document so Document.save stamps the first publication; logs it in the history."""
        changed = 0
        for document in queryset.exclude(status=status):
            document.status = status
            document.save(update_fields=["status", "published_at", "modified"])
            self.log_change(request, document, log_message)
            changed += 1
        return changed


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


@admin.register(Annotation)
class AnnotationModerationAdmin(admin.ModelAdmin):
    """Moderation of public annotations; curators never see others' private ones.

    Annotations are the scholars' own words, so curators cannot edit them here:
    they hide them from the public with a reason, and restore them.
    """

    list_display = ["quote", "author", "document", "visibility", "hidden", "created"]
    list_filter = [
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
        "parent",
        "anchor",
        "created",
        "modified",
        "hidden",
        "hidden_by",
        "hidden_at",
        "hidden_reason",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).select_related("author", "document")

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
        text = annotation.exact or annotation.comment
        return text if len(text) <= 60 else text[:59] + "…"

    @admin.action(description="Hide selected annotations from the public…", permissions=["moderate"])
    def hide(self, request, queryset):
        """Asks for a reason on an intermediate page, then hides."""
        queryset = queryset.filter(visibility=Annotation.Visibility.PUBLIC)
        form = HideForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            count = 0
            for annotation in queryset:
                try:
                    services.hide_annotation(annotation, by=request.user, reason=form.cleaned_data["reason"])
                except Annotation.DoesNotExist:
                    continue  # its author deleted it meanwhile
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
        for annotation in queryset.filter(hidden=True):
            try:
                services.restore_annotation(annotation)
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
    instead (README, Privacy).
    """

    class Meta:
        model = Tag
        fields = ["name"]

    def clean_name(self):
        (name,) = services.clean_tags([self.cleaned_data["name"]])
        return name

    def validate_unique(self):
        pass


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """Taggit's Tag admin, limited to the tags a curator may see, without its "merge" action.

    Listed, searched and opened are only the tags on documents or on
    annotations the curator may see (``VisibleTag.objects.visible_to``); a tag
    used only on private notes is named to no one but their author. Tags are
    made by ``documents.tags.tags_named``, so a slug is a function of the name;
    neither changes afterwards, so a tag page's address is a permalink and a
    scholar's tag is never renamed under them. Taggit's "merge" moves only its
    own generic tagged items and would drop our documents' and annotations' tags.
    """

    form = TagForm
    inlines = [TaggedDocumentInline]
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


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LoginAttemptAdmin(AccessAttemptAdmin):
    """django-axes' failed log-ins, for curators: deleting a locked row unlocks that user and address.

    Curators answer readers who locked themselves out, so they get this page without
    a permission of its own (the Curators group's are set by a migration; see README,
    "Limits on abuse"). They may look and delete, never add or change.
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
    (README, "Performance").
    """

    def save_model(self, request, obj, form, change):
        services.save_account(obj)

    def delete_model(self, request, obj):
        services.delete_account(obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            services.delete_account(user)
