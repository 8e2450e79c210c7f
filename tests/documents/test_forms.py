"""The forms outside the admin: what each accepts and what it says about the rest."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.accounts.forms import SignUpForm
from documents.annotations.forms import ImportForm
from documents.annotations.models import DOCUMENT_SORTS
from documents.archive.forms import SORTS, DocumentFilterForm
from documents.models import Document
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def test_the_list_page_offers_every_order_of_documents_by_its_label():
    assert SORTS.keys() == DOCUMENT_SORTS.keys()
    assert DocumentFilterForm({}, documents=Document.objects.all()).fields["sort"].choices == [
        ("-date", "Newest first"),
        ("date", "Oldest first"),
        ("title", "Title A–Z"),
        ("most-annotated", "Most annotated"),
        ("recently-annotated", "Recently annotated"),
    ]


def test_the_filter_form_orders_by_the_chosen_sort_and_ignores_what_is_invalid():
    old = DocumentFactory(title="Old", date=date(1990, 1, 1))
    new = DocumentFactory(title="New", date=date(2000, 1, 1))
    documents = Document.objects.all()

    valid = DocumentFilterForm({"sort": "date"}, documents=documents)
    invalid = DocumentFilterForm({"sort": "random", "year": "nineteen"}, documents=documents)

    assert valid.is_valid()
    assert list(valid.apply(documents)) == [old, new]
    assert not invalid.is_valid()
    assert set(invalid.errors) == {"sort", "year"}
    assert list(invalid.apply(documents)) == [new, old]


def test_the_filter_form_takes_years_as_a_range_open_at_either_end():
    for year in (1989, 1990, 1995, 2000, 2001):
        DocumentFactory(title=str(year), date=date(year, 1, 1))
    documents = Document.objects.all()

    def titles(data):
        form = DocumentFilterForm(data, documents=documents)
        assert form.is_valid(), form.errors
        return [d.title for d in form.apply(documents)]

    assert titles({"year_from": "1990", "year_to": "2000"}) == ["2000", "1995", "1990"]
    assert titles({"year_from": "2000"}) == ["2001", "2000"]
    assert titles({"year_to": " 1990 "}) == ["1990", "1989"]
    assert titles({"year": "1995", "year_from": "1990"}) == ["1995"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"year_from": "1990s"},
            "year_from",
            "“1990s” is not a year (1 to 9999, such as 1848); showing every year.",
        ),
        (
            {"year_to": "99999"},
            "year_to",
            "“99999” is not a year (1 to 9999, such as 1848); showing every year.",
        ),
        ({"year_from": "0"}, "year_from", "“0” is not a year (1 to 9999, such as 1848); showing every year."),
        (
            {"year_from": "2000", "year_to": "1990"},
            "year_to",
            "The years end (1990) before they begin (2000); showing every year.",
        ),
    ],
)
def test_the_filter_form_says_what_is_wrong_with_a_range_and_lists_every_year(data, field, message):
    DocumentFactory(date=date(1995, 1, 1))
    documents = Document.objects.all()
    form = DocumentFilterForm(data, documents=documents)
    assert not form.is_valid()
    assert form.errors == {field: [message]}
    assert form.active() == {}
    assert form.apply(documents).count() == 1


def test_the_range_inputs_say_which_years_the_documents_span():
    DocumentFactory(date=date(1848, 1, 1))
    DocumentFactory(date=date(1990, 1, 1))
    form = DocumentFilterForm({}, documents=Document.objects.all())
    for name, shown in (("year_from", "1848"), ("year_to", "1990")):
        html = str(form[name])
        assert 'type="number"' in html and 'min="1848"' in html and 'max="1990"' in html
        assert f'placeholder="{shown}"' in html


def test_sign_up_refuses_an_address_another_account_uses(user):
    form = SignUpForm(
        {
            "username": "newcomer",
            "email": user.email.upper(),
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
        }
    )

    assert not form.is_valid()
    assert form.errors["email"] == [
        "An account already uses this email address. If it is yours, reset its password instead."
    ]


def test_the_import_form_says_a_file_that_is_not_utf8_cannot_be_read():
    upload = SimpleUploadedFile("notes.jsonld", "[]".encode("utf-16"), content_type="application/ld+json")

    form = ImportForm({}, {"file": upload})

    assert not form.is_valid()
    assert form.errors["file"] == ["The file is not UTF-8 text; export it again as JSON-LD."]
