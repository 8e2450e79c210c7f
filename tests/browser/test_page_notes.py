"""Page notes in a real browser, and the count of annotations following each change without a reload.

Checked at a desktop size (1366x900) and a phone size (390x844).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from documents.annotations import services
from documents.annotations.writes import Target
from documents.models import Annotation
from tests.browser.conftest import log_in
from tests.factories import AnnotationFactory, DocumentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SIZES = pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366x900", "390x844"])

TEXT = "# The signing\n\nThe United States signed the Rome Statute.\n\nA second passage about the treaty."


@pytest.fixture
def document(db):
    return DocumentFactory(slug="signing", title="The signing", text=TEXT)


@pytest.fixture
def author(db):
    return UserFactory(username="ada")


def panel(page):
    return page.get_by_role("region", name="Annotations")


@SIZES
def test_a_page_note_is_saved_and_shown_at_the_top_then_after_a_reload(page, document, author, size):
    AnnotationFactory(document=document, visibility="public", start=14, end=27)
    page.set_viewport_size(size)
    log_in(page, author, next_url=document.get_absolute_url())

    page.get_by_role("button", name="Page note", exact=True).click()
    form = page.get_by_role("form", name="New page note")
    expect(form).to_be_in_viewport()
    expect(form.get_by_label("Comment")).to_be_focused()
    expect(form.locator("blockquote")).to_be_hidden()
    form.get_by_label("Comment").fill("The whole *statement* matters.")
    form.get_by_label("Tags").fill("overview")
    form.get_by_label("Visibility").select_option(label="Public")
    form.get_by_role("button", name="Save").click()

    expect(form).to_have_count(0)
    note = Annotation.objects.get(author=author)
    assert (note.start, note.end, note.exact, note.visibility) == (None, None, "", "public")
    notes = panel(page).locator(".page-notes")
    expect(notes.get_by_role("heading", name="Page notes")).to_be_visible()
    expect(notes.locator(f"#annotation-{note.pk} .annotation-comment em")).to_have_text("statement")
    expect(page.locator(f'mark[data-annotation-id="{note.pk}"]')).to_have_count(0)
    expect(page.locator(f"#annotation-{note.pk}")).to_be_focused()
    first_entry = panel(page).locator(".annotation").first
    expect(first_entry).to_have_attribute("id", f"annotation-{note.pk}")

    page.reload()
    expect(panel(page).locator(".annotation").first).to_have_attribute("id", f"annotation-{note.pk}")
    expect(panel(page).locator(".page-notes").get_by_text("The whole statement matters.")).to_be_visible()


def test_escape_closes_the_page_note_form_and_gives_the_focus_back_to_the_button(page, document, author):
    log_in(page, author, next_url=document.get_absolute_url())

    button = page.get_by_role("button", name="Page note", exact=True)
    button.click()
    page.keyboard.press("Escape")

    expect(page.get_by_role("form", name="New page note")).to_have_count(0)
    expect(button).to_be_focused()


def test_an_empty_page_note_is_refused_beside_the_form_and_nothing_is_lost(page, document, author):
    log_in(page, author, next_url=document.get_absolute_url())

    page.get_by_role("button", name="Page note", exact=True).click()
    form = page.get_by_role("form", name="New page note")
    form.get_by_role("button", name="Save").click()

    expect(form.get_by_role("alert")).to_contain_text("A page note needs a comment or a tag")
    assert not Annotation.objects.exists()


@SIZES
def test_the_counts_follow_a_save_and_a_delete_without_a_reload(page, document, author, size):
    AnnotationFactory(document=document, visibility="public", start=14, end=27)
    page.set_viewport_size(size)
    log_in(page, author, next_url=document.get_absolute_url())
    jump = page.locator(".annotations-jump")
    expect(jump).to_have_text("Annotations (1)")
    expect(panel(page).locator(".annotations-count")).to_have_text("1 annotation")

    page.get_by_role("button", name="Page note", exact=True).click()
    form = page.get_by_role("form", name="New page note")
    form.get_by_label("Comment").fill("Counted.")
    form.get_by_role("button", name="Save").click()

    expect(panel(page).locator(".annotations-count")).to_have_text("2 annotations")
    expect(jump).to_have_text("Annotations (2)")

    note = Annotation.objects.get(author=author)
    page.locator(f"#annotation-{note.pk}").get_by_role("button", name="Delete").click()
    page.locator(f"#annotation-{note.pk}").get_by_role("button", name="Delete").click()

    expect(panel(page).locator(".annotations-count")).to_have_text("1 annotation")
    expect(jump).to_have_text("Annotations (1)")
    assert not Annotation.objects.filter(author=author).exists()


def test_a_page_note_is_edited_in_place_and_stays_a_page_note(page, document, author):
    note = services.create_annotation(
        author=author, document=document, target=Target(), comment="First thoughts.", visibility="public"
    )
    log_in(page, author, next_url=document.get_absolute_url())

    entry = page.locator(f"#annotation-{note.pk}")
    entry.get_by_role("button", name="Edit").click()
    form = entry.get_by_role("form", name="Edit annotation")
    form.get_by_label("Comment").fill("Second thoughts.")
    page.keyboard.press("Control+Enter")

    expect(panel(page).locator(".page-notes")).to_contain_text("Second thoughts.")
    note.refresh_from_db()
    assert (note.comment, note.is_page_note) == ("Second thoughts.", True)
