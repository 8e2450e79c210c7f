"""The curators' admin of documents and collections: editing and publishing; a text's history and reverts
are staff views of their own (``archive.views.curating``), routed from here."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.urls import path, reverse
from django.utils.translation import ngettext

from documents.annotations import text_changes
from documents.annotations.tags import tags_named
from documents.archive import publication
from documents.archive import text as text_module
from documents.archive.models import Collection, Document
from documents.archive.views import curating


class TextWithPassages(forms.Textarea):
    """The document's text field with the passages it makes beside or under it: one component.

    The server renders the passages of the text the form holds (saved, or just
    posted); ``passage-preview.js`` then asks the server again (``curating.passages_preview``)
    as the curator types, so what is shown is always ``text.parse``'s answer, as saving
    will be (docs/curators.md, "The text markup").
    """

    template_name = "admin/documents/document/text_with_passages.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        try:
            context["passages"], context["markup_error"] = text_module.parse(value or ""), None
        except text_module.MarkupError as error:
            context["passages"], context["markup_error"] = [], str(error)
        return context


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
        widgets = {"collections": forms.CheckboxSelectMultiple, "text": TextWithPassages}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "text" in self.fields:
            self.fields["text"].widget.attrs.update(
                {"rows": 30, "data-passage-preview-url": reverse("admin:documents_document_passages_preview")}
            )
        self.stale: text_changes.StaleRevision | None = None
        if self.instance.pk:
            self.fields["base_revision"].initial = self.instance.revision

    def clean(self):
        """Refuse a new text written on a revision older than the stored one; the text stays in the form.

        The check is the service's (``text_changes.lock_for_edit``), made in the
        admin's transaction with the document's row held until the save, so the
        save finds what the form found.
        """
        cleaned = super().clean()
        if self.instance.pk and "text" in cleaned:
            try:
                text_changes.lock_for_edit(
                    self.instance, text=cleaned["text"], base_revision=cleaned.get("base_revision")
                )
            except text_changes.StaleRevision as stale:
                self.stale = stale
                self.add_error("text", stale.message)
        return cleaned


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    form = DocumentAdminForm
    change_form_template = "admin/documents/document/change_form.html"

    class Media:
        css = {"all": ["documents/css/admin.css", "documents/css/diff.css"]}

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
        ("Text", {"fields": ["text", "change_summary", "base_revision", "revision"]}),
        ("Publication", {"fields": ["status", "published_at", "collections", "tags"]}),
    ]
    readonly_fields = ["revision", "published_at"]
    list_display = ["title", "creator", "date", "type", "status", "revision", "modified"]
    list_filter = ["status", "type", "collections", ("tags", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "slug", "creator", "description", "identifier", "source"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "date"
    actions = ["publish", "unpublish"]

    def save_model(self, request, obj, form, change):
        """Saves through the service: a new text is a revision, and the annotations' outcomes are reported."""
        report = text_changes.save_document(
            obj,
            by=request.user,
            summary=form.cleaned_data.get("change_summary", ""),
            base_revision=form.cleaned_data.get("base_revision"),
        )
        if report is not None:
            curating.report_reanchoring(request, obj, report)

    def delete_model(self, request, obj):
        """Through the service, which records a published document as withdrawn for harvesters."""
        publication.delete_documents(Document.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        """The Delete action, through the same service as one document's Delete."""
        publication.delete_documents(queryset)

    def get_urls(self):
        """The text's own screens (``archive.views.curating``), at the admin's addresses."""
        return [
            path("<path:object_id>/revisions/", curating.history, name="documents_document_revisions"),
            path(
                "<path:object_id>/revisions/<int:number>/revert/",
                curating.revert,
                name="documents_document_revert",
            ),
            path("passages/preview/", curating.passages_preview, name="documents_document_passages_preview"),
            *super().get_urls(),
        ]

    def save_related(self, request, form, formsets, change):
        """Tags typed in the form are made as everywhere else (``tags_named``)."""
        if "tags" in form.cleaned_data:
            form.cleaned_data["tags"] = tags_named(form.cleaned_data["tags"])
        super().save_related(request, form, formsets, change)

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
            if text_changes.set_document_status(document, status):
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
