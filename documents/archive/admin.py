"""The curators' admin of documents and collections: editing, publishing, a text's history and reverts."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext

from documents.annotations import text_changes
from documents.annotations.tags import tags_named
from documents.archive import diffs
from documents.archive import text as text_module
from documents.archive.models import Collection, Document


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
        self.stale: text_changes.StaleRevision | None = None
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
                self.stale = text_changes.StaleRevision(
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
        report = text_changes.save_document(
            obj,
            by=request.user,
            summary=form.cleaned_data.get("change_summary", ""),
            base_revision=form.cleaned_data.get("base_revision"),
        )
        if report is not None:
            self.report_reanchoring(request, obj, report)

    def report_reanchoring(self, request, document, report: text_changes.ReanchorReport) -> None:
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
            except text_changes.StaleRevision:
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
                report = text_changes.revert_document(
                    document,
                    to=number,
                    by=request.user,
                    base_revision=_number(request.POST.get("base_revision")),
                )
            except text_changes.StaleRevision as stale:
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
            if text_changes.set_document_status(document, status):
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
