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
