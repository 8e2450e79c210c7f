"""Annotating with the keyboard alone: Annotate passage, narrowing to words, Ctrl+Enter, Escape."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from documents.models import Annotation
from tests.browser.conftest import log_in
from tests.factories import DocumentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = (
    "# The signing\n\n"
    "The United States signed the Rome Statute on December 31, 2000.\n\n"
    "> A scroll \U0001f4dc sits before a non-breaking\u00a0space in this quotation."
)

BODY_TEXT = "document.querySelector('[data-document-body]').textContent"

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SIZES = pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366x900", "390x844"])

# Where the focus is: the passage id of a focused Annotate passage button, or the focused
# element's accessible name as far as a test needs it.
FOCUSED_PASSAGE_BUTTON = """
() => {
  const focused = document.activeElement;
  if (!focused || !focused.matches('button[aria-label="Annotate passage"]')) return null;
  const passage = focused.closest('.passage') || focused.parentElement.querySelector('.passage');
  return passage ? passage.id : null;
}
"""


@pytest.fixture
def document(db):
    return DocumentFactory(slug="signing", title="The signing", text=TEXT)


@pytest.fixture
def author(db):
    return UserFactory(username="ada")


def tab_to_passage_button(page, passage_id: str, *, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_PASSAGE_BUTTON) == passage_id:
            return
    pytest.fail(f"Tab never reached the Annotate passage button of #{passage_id}")


def test_every_passage_has_an_annotate_passage_button_that_adds_no_text(page, document, author):
    log_in(page, author, next_url=document.get_absolute_url())

    expect(page.get_by_role("button", name="Annotate passage", exact=True)).to_have_count(3)
    assert page.evaluate(BODY_TEXT) == document.canonical_text
    box = page.locator("#p-2 + .annotate-passage, #p-2 .annotate-passage").first.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24


def test_anonymous_readers_get_no_annotate_passage_button(page, document):
    page.goto(document.get_absolute_url())

    expect(page.get_by_role("link", name="Log in to annotate")).to_be_visible()
    expect(page.get_by_role("button", name="Annotate passage")).to_have_count(0)


@SIZES
def test_keyboard_only_reader_annotates_words_inside_a_passage(page, document, author, size):
    page.set_viewport_size(size)
    log_in(page, author, next_url=document.get_absolute_url())

    tab_to_passage_button(page, "p-2")
    page.keyboard.press("Enter")
    form = page.get_by_role("form", name="New annotation")
    expect(form.locator("blockquote")).to_have_text(document.passages[1].text)
    expect(form.get_by_label("Comment")).to_be_focused()

    page.keyboard.press("Shift+Tab")
    expect(form.get_by_label("Last word")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("4")
    page.keyboard.press("Shift+Tab")
    expect(form.get_by_label("First word")).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(form.locator("blockquote")).to_have_text("United States signed")

    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(form.get_by_label("Comment")).to_be_focused()
    page.keyboard.type("Who signed.")
    page.keyboard.press("Control+Enter")

    expect(form).to_have_count(0)
    expect(page.get_by_role("region", name="Annotations").locator(".annotation")).to_have_count(1)
    annotation = Annotation.objects.get()
    assert annotation.exact == "United States signed"
    assert annotation.start == document.canonical_text.index("United States signed")
    assert annotation.comment == "Who signed."
    assert annotation.visibility == "private"
    focused_mark = page.evaluate("() => document.activeElement.dataset.annotationId")
    assert focused_mark == str(annotation.pk)


def test_a_whole_passage_with_a_character_outside_the_bmp_is_annotated_as_it_is(page, document, author):
    log_in(page, author, next_url=document.get_absolute_url())

    tab_to_passage_button(page, "p-3")
    page.keyboard.press("Enter")
    page.keyboard.type("The scroll.")
    page.keyboard.press("Control+Enter")

    expect(page.get_by_role("region", name="Annotations").locator(".annotation")).to_have_count(1)
    annotation = Annotation.objects.get()
    quotation = document.passages[2]
    assert (annotation.start, annotation.end) == (quotation.start, quotation.end)
    assert annotation.exact == quotation.text


@SIZES
def test_escape_closes_the_form_and_returns_focus_to_the_passage_button(page, document, author, size):
    page.set_viewport_size(size)
    log_in(page, author, next_url=document.get_absolute_url())

    tab_to_passage_button(page, "p-2")
    page.keyboard.press("Enter")
    form = page.get_by_role("form", name="New annotation")
    expect(form.get_by_label("Comment")).to_be_focused()
    page.keyboard.type("Changed my mind")
    page.keyboard.press("Escape")

    expect(form).to_have_count(0)
    assert page.evaluate(FOCUSED_PASSAGE_BUTTON) == "p-2"
    assert not Annotation.objects.exists()


def test_ctrl_enter_saves_an_edit(page, document, author):
    log_in(page, author, next_url=document.get_absolute_url())
    tab_to_passage_button(page, "p-2")
    page.keyboard.press("Enter")
    page.keyboard.type("First thought.")
    page.keyboard.press("Control+Enter")
    expect(page.get_by_role("region", name="Annotations").locator(".annotation")).to_have_count(1)

    page.get_by_role("button", name="Edit").click()
    edit = page.get_by_role("form", name="Edit annotation")
    edit.get_by_label("Comment").fill("Second thought.")
    edit.get_by_label("Comment").press("Control+Enter")

    expect(edit).to_have_count(0)
    expect(page.locator(".annotation-comment")).to_have_text("Second thought.")


def test_preview_shows_the_comment_as_the_server_will_store_it(page, document, author):
    log_in(page, author, next_url=document.get_absolute_url())
    page.get_by_role("button", name="Annotate passage").first.click()
    form = page.get_by_role("form", name="New annotation")
    form.get_by_label("Comment").fill("Note the *spacing* <script>x</script>")

    form.get_by_role("button", name="Preview").click()

    preview = form.get_by_role("region", name="Preview")
    expect(preview.locator("em")).to_have_text("spacing")
    expect(preview).to_contain_text("<script>x</script>")
    expect(preview.locator("script")).to_have_count(0)
    form.get_by_label("Comment").press("End")
    form.get_by_label("Comment").type(" more")
    expect(preview).to_be_hidden()
    expect(form.get_by_role("button", name="Preview")).to_have_attribute("aria-expanded", "false")
