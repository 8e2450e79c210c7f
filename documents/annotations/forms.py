"""The annotations' forms: the upload of an annotations file (and the reading of its items), and the
curators' moderation: a hiding's reason, the tag a merge keeps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import ngettext
from taggit.models import Tag

from documents.annotations import jsonld
from documents.annotations import rules as annotation_rules

"""The label of each order in ``DOCUMENT_SORTS``, as the list page offers them."""


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Annotations file (W3C JSON-LD)",
        help_text=(
            f"An export from this archive, or any file with a W3C AnnotationCollection or a JSON array "
            f"of annotations; at most {annotation_rules.MAX_IMPORT_ANNOTATIONS:,} annotations and "
            f"{annotation_rules.MAX_IMPORT_MEGABYTES} MB."
        ),
    )

    def __init__(self, *args, **kwargs):
        """No colon after the label, so its text is exactly the field's name (tests find it by label)."""
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_file(self):
        """The file's annotations as raw items, or a message saying what is wrong with the file."""
        upload = self.cleaned_data["file"]
        if upload.size > annotation_rules.MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / annotation_rules.MEGABYTE:.1f} MB; an import may be at most "
                f"{annotation_rules.MAX_IMPORT_MEGABYTES} MB. Split it into smaller files."
            )
        return read_items(upload.read())


def read_items(content: bytes) -> list[Any]:
    """The raw annotations in a JSON-LD file, or ValidationError saying what is wrong with it."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise forms.ValidationError("The file is not UTF-8 text; export it again as JSON-LD.") from error
    try:
        return jsonld.parse_many(jsonld.load_json(text, what="The file"))
    except jsonld.JsonLdError as error:
        raise forms.ValidationError(error.message) from error


class HideForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="The author sees this reason beside the hidden annotation.",
    )


def _with_counts(tag) -> str:
    documents = ngettext("%d document", "%d documents", tag.document_count) % tag.document_count
    notes = ngettext("%d note", "%d notes", tag.note_count) % tag.note_count
    return f"{tag.name} ({documents}, {notes})"


class MergeTagsForm(forms.Form):
    """Which of the selected tags the others become."""

    into = forms.ModelChoiceField(
        queryset=Tag.objects.none(),
        widget=forms.RadioSelect,
        label="Keep this tag",
        help_text="Every document and note with one of the other tags gets this one; the others are deleted.",
    )

    def __init__(self, *args, tags, **kwargs):
        """``tags``: the tags selected, each with the ``document_count`` and ``note_count`` the curator may
        see (``tag_use_counts``), which the choices show so the curator knows what each tag carries."""
        super().__init__(*args, **kwargs)
        counted = {tag.pk: tag for tag in tags}
        field = self.fields["into"]
        field.queryset = Tag.objects.filter(pk__in=counted).order_by("name")
        field.label_from_instance = lambda tag: _with_counts(counted[tag.pk])
