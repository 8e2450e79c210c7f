"""Drafts of new notes in a real browser: Escape, Cancel and a reload keep what a reader typed,
per document and per account; Save and Discard draft (with Undo) end it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from documents.annotations import text_changes
from documents.models import Annotation
from tests.browser.conftest import log_in
from tests.browser.test_annotator import select
from tests.factories import DocumentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "# The signing\n\nThe United States signed the Rome Statute on December 31, 2000.\n\nA second passage."


@pytest.fixture
def document(db):
    return DocumentFactory(slug="signing", title="The signing", text=TEXT)


@pytest.fixture
def author(db):
    return UserFactory(username="ada")


def new_form(page):
    return page.get_by_role("form", name="New annotation")


def start_note(page, words: str = "Rome Statute", passage: str = "p-2"):
    select(page, passage, words)
    page.get_by_role("button", name="Annotate", exact=True).click()
    return new_form(page)


def test_escape_keeps_the_draft_says_so_and_annotate_brings_it_back_on_its_words(page, document, author):
    log_in(page, author, next_url=document.get_absolute_url())
    form = start_note(page)
    form.get_by_label("Comment").fill("Half a thought")
    form.get_by_label("Tags").fill("treaties")
    form.get_by_label("Visibility").select_option(label="Public")
    form.get_by_label("Comment").press("Escape")

    expect(form).to_have_count(0)
    expect(page.get_by_role("status")).to_contain_text("your draft is kept")
    expect(page.get_by_role("button", name="Resume draft")).to_be_visible()

    form = start_note(page, "December 31")
    expect(form.get_by_label("Comment")).to_have_value("Half a thought")
    expect(form.get_by_label("Tags")).to_have_value("treaties")
    expect(form.get_by_label("Visibility")).to_have_value("public")
    expect(form.locator("blockquote")).to_have_text("Rome Statute"), "the draft keeps its own words"
    form.get_by_role("button", name="Save").click()

    expect(form).to_have_count(0)
    annotation = Annotation.objects.get()
    assert (annotation.exact, annotation.comment, annotation.visibility) == (
        "Rome Statute",
        "Half a thought",
        "public",
    )
    page.reload()
    expect(page.get_by_role("button", name="Resume draft")).to_have_count(0)
    assert page.evaluate("Object.keys(localStorage).filter((key) => key.includes('draft'))") == []


def test_a_reload_offers_the_draft(page, document, author):
    log_in(page, author, next_url=document.get_absolute_url())
    start_note(page).get_by_label("Comment").fill("Not lost")

    page.reload()

    page.get_by_role("button", name="Resume draft").click()
    form = new_form(page)
    expect(form.get_by_label("Comment")).to_have_value("Not lost")
    expect(form.locator("blockquote")).to_have_text("Rome Statute")


def test_discard_draft_turns_to_the_new_selection_and_undo_brings_the_draft_back(page, document, author):
    log_in(page, author, next_url=document.get_absolute_url())
    start_note(page).get_by_label("Comment").fill("First idea")
    page.get_by_role("button", name="Cancel").click()

    form = start_note(page, "second passage", "p-3")
    expect(form.get_by_label("Comment")).to_have_value("First idea")
    form.get_by_role("button", name="Discard draft").click()

    expect(form.get_by_label("Comment")).to_have_value("")
    expect(form.locator("blockquote")).to_have_text("second passage")
    expect(page.get_by_role("status")).to_contain_text("Draft discarded")
    page.get_by_role("button", name="Undo").click()
    expect(new_form(page).get_by_label("Comment")).to_have_value("First idea")
    expect(new_form(page).locator("blockquote")).to_have_text("Rome Statute")


def test_discarding_the_only_draft_closes_the_form(page, document, author):
    log_in(page, author, next_url=document.get_absolute_url())
    start_note(page).get_by_label("Comment").fill("Never mind")
    new_form(page).get_by_role("button", name="Discard draft").click()

    expect(new_form(page)).to_have_count(0)
    expect(page.get_by_role("button", name="Undo")).to_be_focused()
    page.reload()
    expect(page.get_by_role("button", name="Resume draft")).to_have_count(0)


def test_drafts_are_kept_per_document_and_per_account(new_page, document, author):
    other_document = DocumentFactory(slug="other", text="# Other\n\nThe Rome Statute again.")
    page = new_page()
    log_in(page, author, next_url=document.get_absolute_url())
    start_note(page).get_by_label("Comment").fill("Ada's words")

    page.goto(other_document.get_absolute_url())
    expect(page.get_by_role("button", name="Resume draft")).to_have_count(0)
    form = start_note(page)
    expect(form.get_by_label("Comment")).to_have_value("")

    # Another account in the same browser (the same storage) never sees Ada's draft.
    page.context.clear_cookies()
    log_in(page, UserFactory(username="brook"), next_url=document.get_absolute_url())
    expect(page.get_by_role("button", name="Resume draft")).to_have_count(0)
    expect(start_note(page).get_by_label("Comment")).to_have_value("")
    assert any("Ada's words" in value for value in page.evaluate("Object.values(localStorage)"))


def test_a_draft_follows_its_words_when_an_edit_of_the_text_moved_them(page, document, author):
    log_in(page, author, next_url=document.get_absolute_url())
    start_note(page).get_by_label("Comment").fill("Kept across an edit")
    document.text = TEXT.replace("The United States signed", "On that day the United States signed")
    text_changes.save_document(document)

    page.reload()
    page.get_by_role("button", name="Resume draft").click()
    form = new_form(page)
    expect(form.locator("blockquote")).to_have_text("Rome Statute")
    painted = "() => [...CSS.highlights.get('annotation-pending')].map(String).join('')"
    assert page.evaluate(painted) == "Rome Statute", "the words painted in the text are the draft's"
    form.get_by_role("button", name="Save").click()

    expect(form).to_have_count(0)
    annotation = Annotation.objects.get()
    document.refresh_from_db()
    assert annotation.exact == "Rome Statute"
    assert annotation.start == document.canonical_text.index("Rome Statute")
