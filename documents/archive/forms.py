"""The document list's filters: the form the list page and its API share."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.forms.utils import ErrorDict
from taggit.models import Tag

from documents import filters
from documents.annotations.models import DOCUMENT_SORTS, Annotation, VisibleTag
from documents.archive.listing import NEWEST_FIRST
from documents.archive.models import Collection, Document

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


class DocumentFilterForm(forms.Form):
    """The list page's filters and sort order, read from the query string.

    A value that matches nothing is reported beside its field and that filter
    is ignored, so a stale or mistyped link still lists documents rather than
    failing. The choices come from ``documents``, so a reader is never offered
    a tag or a year that only drafts have.

    Years are a range, ``year_from`` to ``year_to`` (either end may be left
    open), since an archive may span centuries; ``year`` (one year) still
    filters, for the links that name one, and the page keeps it as a hidden
    field while it applies.
    """

    collection = forms.ChoiceField(required=False)
    tag = forms.ChoiceField(required=False)
    type = forms.ChoiceField(required=False, choices=[("", "Any type"), *Document.Type.choices])
    year = forms.ChoiceField(required=False, widget=forms.HiddenInput)
    year_from = forms.CharField(required=False, label="From year", widget=forms.NumberInput)
    year_to = forms.CharField(required=False, label="To year", widget=forms.NumberInput)
    sort = forms.ChoiceField(required=False, label="Sort by", choices=list(SORTS.items()))

    LOOKUPS = {
        "collection": "collections__slug",
        "tag": "tags__slug",
        "type": "type",
        "year": "date__year",
        "year_from": "date__year__gte",
        "year_to": "date__year__lte",
    }
    FILTERS = tuple(LOOKUPS)
    YEAR_DIGITS = 4

    def __init__(self, data, *, documents: QuerySet[Document]):
        super().__init__(data)
        self.fields["collection"].choices = [
            ("", "Any collection"),
            *Collection.objects.values_list("slug", "title"),
        ]
        self.fields["tag"].choices = [("", "Any tag"), *tags_used_by(documents).values_list("slug", "name")]
        years = [str(day.year) for day in documents.dates("date", "year", order="DESC")]
        self.fields["year"].choices = [("", "Any year"), *((year, year) for year in years)]
        if years:  # the inputs start from, and show, the first and last years that have documents
            span = {"min": years[-1], "max": years[0], "step": 1}
            self.fields["year_from"].widget.attrs.update(span, placeholder=years[-1])
            self.fields["year_to"].widget.attrs.update(span, placeholder=years[0])

    def full_clean(self):
        """Validate through ``documents.filters``, the one reader of list filters; each message it
        gives is an error of its field. The fields only present the choices."""
        self._errors = ErrorDict()
        self.cleaned_data = {}
        if not self.is_bound:
            return
        choices = {
            name: {str(value) for value, _ in field.choices}
            for name, field in self.fields.items()
            if isinstance(field, forms.ChoiceField)
        }
        found = filters.read(
            self.data,
            {
                "collection": filters.Choice(
                    choices["collection"], "There is no collection “{value}”; showing every collection."
                ),
                "tag": filters.Choice(choices["tag"], "No document is tagged “{value}”; showing every tag."),
                "type": filters.Choice(
                    choices["type"], "“{value}” is not a document type; showing every type."
                ),
                "year": filters.Year(
                    "“{value}” is not a year; showing every year.",
                    choices=choices["year"],
                    not_a_choice="There are no documents from {value}; showing every year.",
                ),
                "year_from": filters.Year(
                    "“{value}” is not a year (1 to 9999, such as 1848); showing every year.",
                    max_digits=self.YEAR_DIGITS,
                    minimum=1,
                    strip=True,
                ),
                "year_to": filters.Year(
                    "“{value}” is not a year (1 to 9999, such as 1848); showing every year.",
                    max_digits=self.YEAR_DIGITS,
                    minimum=1,
                    strip=True,
                ),
                "sort": filters.Choice(
                    choices["sort"], "“{value}” is not a sort order; showing the newest first."
                ),
            },
            ranges=[
                filters.Range(
                    "year_from",
                    "year_to",
                    key=int,
                    message="The years end ({high}) before they begin ({low}); showing every year.",
                )
            ],
        )
        self.cleaned_data = found.values
        for name, message in found.errors.items():
            self.add_error(name, ValidationError(message, code="invalid"))

    def active(self) -> dict[str, str]:
        """The filters that apply: field name -> the value's label. Call after ``is_valid()``."""
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name: dict(getattr(self.fields[name], "choices", ())).get(cleaned[name], cleaned[name])
            for name in self.FILTERS
            if cleaned.get(name)
        }

    def apply(self, documents: QuerySet[Document]) -> QuerySet[Document]:
        """``documents`` narrowed by the valid filters and put in the chosen order."""
        cleaned = getattr(self, "cleaned_data", {})
        for name, lookup in self.LOOKUPS.items():
            if cleaned.get(name):
                documents = documents.filter(**{lookup: cleaned[name]})
        return documents.order_by(*DOCUMENT_SORTS[cleaned.get("sort") or NEWEST_FIRST]())
