"""Tag suggestions in a real browser: the Tags field offers the tags a reader may see as they
type, takes one with the keyboard, and says when a new name looks like an existing tag."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from documents.models import Annotation
from tests.browser.conftest import log_in
from tests.browser.test_annotator import select
from tests.factories import AnnotationFactory, DocumentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "# The signing\n\nThe United States signed the Rome Statute on December 31, 2000."


@pytest.fixture
def document(db):
    return DocumentFactory(slug="signing", title="The signing", text=TEXT)


@pytest.fixture
def author(db):
    return UserFactory(username="ada")


def open_form(page, document, user):
    log_in(page, user, next_url=document.get_absolute_url())
    select(page, "p-2", "Rome Statute")
    page.get_by_role("button", name="Annotate", exact=True).click()
    return page.get_by_role("form", name="New annotation")


def test_typing_offers_visible_tags_most_used_first_and_the_keyboard_takes_one(page, document, author):
    other = UserFactory()
    for _ in range(2):
        AnnotationFactory(document=document, author=other, visibility="public", tags=["Rome Statute"])
    AnnotationFactory(document=document, author=other, visibility="public", tags=["Rome Conference"])
    AnnotationFactory(document=document, author=other, tags=["Rome secret"])
    form = open_form(page, document, author)
    tags = form.get_by_role("combobox", name="Tags")

    tags.press_sequentially("treaties, rom")

    options = form.get_by_role("listbox", name="Suggestions").get_by_role("option")
    expect(options).to_have_text(["Rome Statute", "Rome Conference"])
    expect(tags).to_have_attribute("aria-expanded", "true")
    tags.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(tags).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    tags.press("Enter")
    expect(tags).to_have_value("treaties, Rome Statute, ")
    expect(form).to_be_visible()
    expect(form.get_by_role("listbox", name="Suggestions")).to_be_hidden()

    tags.press_sequentially("rom")
    expect(options).to_have_text(["Rome Conference"]), "a tag already in the field is not offered again"
    tags.press("Escape")
    expect(form.get_by_role("listbox", name="Suggestions")).to_be_hidden()
    expect(form).to_be_visible(), "Escape closes the list first, not the form"


def test_a_name_like_an_existing_tag_gets_a_hint_with_its_spelling(page, document, author):
    AnnotationFactory(document=document, visibility="public", tags=["Rome Statute"])
    form = open_form(page, document, author)
    tags = form.get_by_label("Tags")

    tags.press_sequentially("rome-statute")

    hint = form.locator("[data-tag-like]")
    expect(hint).to_contain_text("“rome-statute” looks like the existing tag “Rome Statute”")
    assert hint.get_attribute("id") in tags.get_attribute("aria-describedby").split()
    hint.get_by_role("button", name="Use “Rome Statute”").click()
    expect(tags).to_have_value("Rome Statute, ")
    expect(hint).to_be_empty()
    form.get_by_role("button", name="Save").click()
    expect(form).to_have_count(0)
    assert list(Annotation.objects.get(author=author).tags.names()) == ["Rome Statute"]


def test_another_readers_private_tag_is_never_suggested(page, document, author):
    AnnotationFactory(document=document, author=UserFactory(), tags=["Rome secret"])
    form = open_form(page, document, author)

    with page.expect_response(lambda response: "/api/tags/" in response.url) as answered:
        form.get_by_label("Tags").press_sequentially("rome")
    assert answered.value.json()["tags"] == []
    expect(form.get_by_role("listbox", name="Suggestions")).to_be_hidden()
    expect(form.locator("[data-tag-like]")).to_be_empty()
