"""The archive's forms outside the admin: signing up, API tokens, the document list's filters,
the upload of an annotations file, and the reading groups' forms.

Forms are presentation: they read what a person typed and say what is wrong
with it beside the field. The rules they apply (orders of documents, limits of
an import) belong to the layers below and are imported from there.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.db.models.functions import Lower
from taggit.models import Tag

from documents import annotation_rules, groups, jsonld, tokens
from documents.models import (
    NEWEST_FIRST,
    Annotation,
    Collection,
    Document,
    Group,
    NotificationSettings,
    VisibleTag,
)


class SignUpForm(UserCreationForm):
    """A new reader's account.

    The e-mail address is required because it is the only way back into an
    account whose password is forgotten, and it must not belong to another
    account: a reset link sent to a shared address would open both.
    """

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="For a link if you forget your password, and for notifications if you ask for them.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self._meta.model.objects.normalize_email(self.cleaned_data["email"])
        if self._meta.model.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                "An account already uses this email address. If it is yours, reset its password instead.",
                code="duplicate_email",
            )
        return email


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=tokens.MAX_NAME_LENGTH,
        required=False,
        label="Token name",
        help_text="What the token is for, e.g. “export script on my laptop”.",
    )


SORTS = {
    "-date": "Newest first",
    "date": "Oldest first",
    "title": "Title A–Z",
    "most-annotated": "Most annotated",
    "recently-annotated": "Recently annotated",
}
"""The label of each order in ``DOCUMENT_SORTS``, as the list page offers them."""


def tags_used_by(documents: QuerySet[Document]) -> QuerySet[Tag]:
    """Tags carried by at least one of ``documents``, by name: the list page's tag filter.

    Tags whose name has no letters or digits may have an empty slug (tags made
    before slugs came from names) and no page of their own, so they are left
    out of the lists that link to tag pages.
    """
    return (
        VisibleTag.objects.carried_by(documents, Annotation.objects.none())
        .exclude(slug="")
        .order_by(Lower("name"), "pk")
    )


class YearField(forms.ChoiceField):
    """A year among the given choices; text that is not a year gets its own message."""

    def validate(self, value):
        if value and not (value.isascii() and value.isdigit()):
            raise ValidationError(
                "“%(value)s” is not a year; showing every year.", code="invalid", params={"value": value}
            )
        super().validate(value)


class DocumentFilterForm(forms.Form):
    """The list page's filters and sort order, read from the query string.

    A value that matches nothing is reported beside its field and that filter
    is ignored, so a stale or mistyped link still lists documents rather than
    failing. The choices come from ``documents``, so a reader is never offered
    a tag or a year that only drafts have.
    """

    collection = forms.ChoiceField(
        required=False,
        error_messages={"invalid_choice": "There is no collection “%(value)s”; showing every collection."},
    )
    tag = forms.ChoiceField(
        required=False,
        error_messages={"invalid_choice": "No document is tagged “%(value)s”; showing every tag."},
    )
    type = forms.ChoiceField(
        required=False,
        choices=[("", "Any type"), *Document.Type.choices],
        error_messages={"invalid_choice": "“%(value)s” is not a document type; showing every type."},
    )
    year = YearField(
        required=False,
        error_messages={"invalid_choice": "There are no documents from %(value)s; showing every year."},
    )
    sort = forms.ChoiceField(
        required=False,
        label="Sort by",
        choices=list(SORTS.items()),
        error_messages={"invalid_choice": "“%(value)s” is not a sort order; showing the newest first."},
    )

    LOOKUPS = {"collection": "collections__slug", "tag": "tags__slug", "type": "type", "year": "date__year"}
    FILTERS = tuple(LOOKUPS)

    def __init__(self, data, *, documents: QuerySet[Document]):
        super().__init__(data)
        self.fields["collection"].choices = [
            ("", "Any collection"),
            *Collection.objects.values_list("slug", "title"),
        ]
        self.fields["tag"].choices = [("", "Any tag"), *tags_used_by(documents).values_list("slug", "name")]
        years = [str(day.year) for day in documents.dates("date", "year", order="DESC")]
        self.fields["year"].choices = [("", "Any year"), *((year, year) for year in years)]

    def active(self) -> dict[str, str]:
        """The filters that apply: field name -> the value's label. Call after ``is_valid()``."""
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name: dict(self.fields[name].choices)[cleaned[name]] for name in self.FILTERS if cleaned.get(name)
        }

    def apply(self, documents: QuerySet[Document]) -> QuerySet[Document]:
        """``documents`` narrowed by the valid filters and put in the chosen order."""
        cleaned = getattr(self, "cleaned_data", {})
        for name, lookup in self.LOOKUPS.items():
            if cleaned.get(name):
                documents = documents.filter(**{lookup: cleaned[name]})
        return documents.sorted_by(cleaned.get("sort") or NEWEST_FIRST)


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


class NotificationSettingsForm(forms.ModelForm):
    """The reader's choice of notifications by e-mail (docs/reading-and-annotating.md, "Notifications")."""

    class Meta:
        model = NotificationSettings
        fields = ("email",)


class GroupForm(forms.Form):
    """A new reading group; the rules (lengths, a name that makes a slug) are ``documents.groups``'."""

    name = forms.CharField(
        max_length=Group.MAX_NAME_LENGTH,
        label="Group name",
        help_text="Shown to its members, and in the Visibility menu as “Group: <name>”.",
    )
    description = forms.CharField(
        required=False,
        max_length=groups.MAX_DESCRIPTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the group reads together; only its members see it.",
    )

    def clean_name(self) -> str:
        try:
            return groups.check_name(self.cleaned_data["name"])
        except groups.GroupError as error:
            raise ValidationError(error.message) from None


class InvitationForm(forms.Form):
    lifetime = forms.ChoiceField(
        label="Link works",
        choices=[("", "Until revoked"), ("1", "For 1 day"), ("7", "For 7 days"), ("30", "For 30 days")],
        required=False,
    )

    def clean_lifetime(self):
        return groups.INVITATION_LIFETIMES[self.cleaned_data["lifetime"]]
