"""The curators' admin of annotations and tags: moderating public notes (hide and restore with a
reason, never edit), flags (read what was flagged, dismiss), and merging tags. Hiding, restoring,
dismissing and merging are staff screens of their own (``annotations.views.moderating``), routed and
offered as actions from here.

Taggit registers a Tag admin itself; ours replaces it.
"""

from django import forms
from django.contrib import admin
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from taggit.models import Tag

from documents.annotations import rules as annotation_rules
from documents.annotations.models import Annotation, Flag, VisibleTag, tag_use_counts
from documents.annotations.tags import by_name, tags_named
from documents.annotations.views import moderating
from documents.archive.models import TaggedDocument

admin.site.unregister(Tag)


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
    """The flags on a note, open ones first: each with its reason, the text as it was flagged (and the
    text now, when the author edited it since), and Dismiss, or who dismissed it and when.

    Stacked rather than a table: Django's tabular inline has a header cell with no text,
    which accessibility checkers report."""

    model = Flag
    fields = ["reason", "flagger", "created", "flagged_text", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("flagger", "dismissed_by", "annotation")
            .prefetch_related("annotation__tags")
            .order_by(F("dismissed_at").desc(nulls_first=True), "-created")
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        """Whoever moderates a note reads its flags; the Curators group needs no extra permission."""
        return request.user.has_perm("documents.moderate_annotation")

    @admin.display(description="Flagged text")
    def flagged_text(self, flag):
        if flag.flagged_comment is None:
            return "Not kept: flagged before the archive kept the flagged text."
        tags = ", ".join(flag.flagged_tags) or "none"
        quote = f"“{flag.flagged_quote}”" if flag.flagged_quote else "(on the whole document)"
        shown = format_html("Quote: {}<br>Comment: {}<br>Tags: {}", quote, flag.flagged_comment, tags)
        if not flag.edited_since():
            return shown
        note = flag.annotation
        now = ", ".join(tag.name for tag in by_name(note.tags.all())) or "none"
        return format_html(
            "{}<br><strong>Edited since flagged; now:</strong> {}<br>Tags now: {}", shown, note.comment, now
        )

    @admin.display(description="Status")
    def status(self, flag):
        if not flag.is_open:
            when = date_format(timezone.localtime(flag.dismissed_at), "SHORT_DATETIME_FORMAT")
            return f"Dismissed by {flag.dismissed_by or 'a former curator'} on {when}"
        # The note's page is one form (Django's, read-only here); the button submits it to the dismissal.
        return format_html(
            '<button type="submit" class="button" formaction="{}" formnovalidate>Dismiss</button>',
            reverse("admin:documents_annotation_dismiss_flag", args=[flag.annotation_id, flag.pk]),
        )


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
    actions = ["hide", "restore", "dismiss_flags"]
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
        """A note's own Hide, Restore and Dismiss (a flag) (``annotations.views.moderating``), at the admin's
        addresses."""
        return [
            path("<path:object_id>/hide/", moderating.hide, name="documents_annotation_hide"),
            path("<path:object_id>/restore/", moderating.restore, name="documents_annotation_restore"),
            path(
                "<path:object_id>/flags/<int:flag_id>/dismiss/",
                moderating.dismiss_flag,
                name="documents_annotation_dismiss_flag",
            ),
            *super().get_urls(),
        ]

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
        context["curators_moderate"] = (
            obj is not None and Annotation.objects.moderated_by_curators().filter(pk=obj.pk).exists()
        )
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    def get_queryset(self, request):
        queryset = (
            Annotation.objects.visible_to(request.user)
            .select_related("author", "document")
            .annotate(
                flag_total=Count("flags", filter=Q(flags__dismissed_at__isnull=True), distinct=True),
                flagged_comment=Subquery(
                    Flag.objects.open()
                    .filter(annotation=OuterRef("pk"))
                    .order_by("created")
                    .values("flagged_comment")[:1]
                ),
            )
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
        """The comment; for a flagged note its author edited since, the text its oldest open flag was made
        on, marked so (the note's page shows both)."""
        flagged = annotation.flagged_comment
        edited = flagged is not None and flagged != annotation.comment
        text = " ".join((flagged if edited else annotation.comment).split())
        text = text if len(text) <= 80 else text[:79] + "…"
        return f"{text} (edited since flagged)" if edited else text

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
        return moderating.hide_selected(request, queryset)

    @admin.action(description="Restore selected hidden annotations", permissions=["moderate"])
    def restore(self, request, queryset):
        return moderating.restore_selected(request, queryset)

    @admin.action(description="Dismiss the open flags on the selected annotations", permissions=["moderate"])
    def dismiss_flags(self, request, queryset):
        return moderating.dismiss_selected(request, queryset)


class TaggedDocumentInline(admin.TabularInline):
    model = TaggedDocument
    autocomplete_fields = ["content_object"]
    extra = 0
    verbose_name = "document with this tag"
    verbose_name_plural = "documents with this tag"


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


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """Taggit's Tag admin, limited to the tags a curator may see, without its "merge" action.

    Listed, searched and opened are only the tags on documents or on
    annotations the curator may see (``VisibleTag.objects.visible_to``); a tag
    used only on private notes is named to no one but their author, and the
    list's counts of documents and notes count only what the curator may see. Tags are
    made by ``documents.annotations.tags.tags_named``, so a slug is a function of the name;
    neither changes afterwards, so a tag page's address is a permalink and a
    scholar's tag is never renamed under them. Taggit's "merge" moves only its
    own generic tagged items and would drop our documents' and annotations' tags,
    so ours (``services.merge_tags``) replaces it.
    """

    form = TagForm
    inlines = [TaggedDocumentInline]
    actions = ["merge"]
    list_display = ["name", "slug", "document_count", "note_count"]
    ordering = ["name"]
    search_fields = ["name"]

    def get_queryset(self, request):
        visible = VisibleTag.objects.visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(pk__in=visible).annotate(**tag_use_counts(request.user))

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

    @admin.display(description="Notes", ordering="note_count")
    def note_count(self, tag):
        """Notes the curator may see (``tag_use_counts``); others' private and group notes are not counted."""
        return tag.note_count

    @admin.action(description="Merge selected tags into one…", permissions=["change"])
    def merge(self, request, queryset):
        return moderating.merge_selected(request, queryset)
