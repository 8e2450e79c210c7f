"""Highlights that show, targets big enough to tap, and annotating on a phone without losing one's place.

Checked at a desktop size (1366x900) and a phone size (390x844).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from documents.models import Annotation
from tests.browser.conftest import log_in
from tests.factories import AnnotationFactory, DocumentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SIZES = pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366x900", "390x844"])

PARAGRAPH = "The United States signed the Rome Statute on December 31, 2000, after long talks in the capital."
TEXT = "# The signing\n\n" + "\n\n".join(f"{n}. {PARAGRAPH}" for n in range(1, 31))

# A mark's underline (width, style, colour) and the page's colour, as the browser computed them.
UNDERLINE = """
(id) => {
  const style = getComputedStyle(document.querySelector(`mark[data-annotation-id="${id}"]`));
  return [style.borderBottomWidth, style.borderBottomStyle, style.borderBottomColor,
          getComputedStyle(document.body).backgroundColor];
}
"""

SELECT = """
([id, needle]) => {
  const text = document.querySelector(`#${id} .passage-text`).firstChild;
  const index = text.data.indexOf(needle);
  const range = document.createRange();
  range.setStart(text, index);
  range.setEnd(text, index + needle.length);
  document.getSelection().removeAllRanges();
  document.getSelection().addRange(range);
}
"""


def luminance(rgb: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(part) for part in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3])
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    lighter, darker = sorted((luminance(a), luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.fixture
def document(db):
    return DocumentFactory(slug="signing", title="The signing", text=TEXT)


@pytest.fixture
def author(db):
    return UserFactory(username="ada")


def span_of(document, passage: int, words: str) -> dict:
    found = document.passages[passage - 1]
    start = found.start + found.text.index(words)
    return {"start": start, "end": start + len(words)}


@SIZES
def test_the_pilcrow_and_annotate_passage_are_at_least_24_px_square(page, document, author, size):
    page.set_viewport_size(size)
    log_in(page, author, next_url=document.get_absolute_url())

    for control in (page.locator("#p-3 .permalink"), page.locator("#p-3 .annotate-passage")):
        box = control.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, box


@SIZES
def test_a_highlight_is_underlined_at_3_to_1_and_overlaps_show_two_lines(page, document, size):
    outer = AnnotationFactory(
        document=document, visibility="public", **span_of(document, 2, "United States signed")
    )
    inner = AnnotationFactory(
        document=document, visibility="public", **span_of(document, 2, "signed the Rome")
    )
    page.set_viewport_size(size)
    page.goto(document.get_absolute_url())
    page.locator(f'mark[data-annotation-id="{inner.pk}"]').first.wait_for()

    width, style, edge, background = page.evaluate(UNDERLINE, str(outer.pk))
    assert (width, style) == ("3px", "solid"), "someone else's public note (docs/reading-and-annotating.md)"
    assert contrast(edge, background) >= 3
    outer_bottom = page.locator(f'mark[data-annotation-id="{outer.pk}"]').first.bounding_box()
    nested = page.locator(f'mark[data-annotation-id="{outer.pk}"] mark[data-annotation-id="{inner.pk}"]')
    inner_bottom = nested.bounding_box()
    assert inner_bottom["y"] + inner_bottom["height"] >= outer_bottom["y"] + outer_bottom["height"] + 2


def test_on_a_phone_the_panel_is_one_tap_away_with_its_count(page, document):
    AnnotationFactory(document=document, visibility="public", **span_of(document, 2, "Rome Statute"))
    page.set_viewport_size(PHONE)
    page.goto(document.get_absolute_url())

    jump = page.get_by_role("link", name="Annotations (1)")
    box = jump.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"]
    jump.click()
    expect(page.locator("#annotations-heading")).to_be_in_viewport()


def test_at_desktop_size_the_jump_is_not_shown(page, document):
    page.set_viewport_size(DESKTOP)
    page.goto(document.get_absolute_url())

    expect(page.locator(".annotations-jump")).to_be_hidden()


def test_on_a_phone_annotating_opens_a_sheet_in_view_and_keeps_the_readers_place(page, document, author):
    page.set_viewport_size(PHONE)
    log_in(page, author, next_url=document.get_absolute_url())
    page.locator("#p-12").scroll_into_view_if_needed()
    place = page.evaluate("() => window.scrollY")
    assert place > 1000

    page.evaluate(SELECT, ["p-12", "Rome Statute"])
    page.get_by_role("button", name="Annotate", exact=True).click()
    form = page.get_by_role("form", name="New annotation")
    expect(form).to_be_in_viewport(ratio=1)
    # The page moves no further than it takes to show the selected words above the sheet.
    assert abs(page.evaluate("() => window.scrollY") - place) < PHONE["height"] / 2
    words = page.evaluate(
        "() => [...CSS.highlights.get('annotation-pending')][0].getBoundingClientRect().bottom"
    )
    assert words <= form.bounding_box()["y"]
    form.get_by_label("Comment").fill("On a phone.")
    form.get_by_role("button", name="Save").click()

    expect(form).to_have_count(0)
    annotation = Annotation.objects.get()
    assert annotation.start == span_of(document, 12, "Rome Statute")["start"]
    expect(page.locator(f'mark[data-annotation-id="{annotation.pk}"]').first).to_be_in_viewport()
    assert abs(page.evaluate("() => window.scrollY") - place) < PHONE["height"]


@pytest.mark.parametrize("how", ["selection", "annotate passage"])
def test_on_a_phone_a_note_is_saved_from_the_sheet_and_the_panel_is_one_tap_away_with_its_count(
    page, document, author, how
):
    page.set_viewport_size(PHONE)
    log_in(page, author, next_url=document.get_absolute_url())
    jump = page.locator(".annotations-jump")
    expect(jump).to_have_text("Annotations (0)")
    page.locator("#p-8").scroll_into_view_if_needed()

    if how == "selection":
        page.evaluate(SELECT, ["p-8", "Rome Statute"])
        page.get_by_role("button", name="Annotate", exact=True).click()
    else:
        page.locator("#p-8 .annotate-passage").click()
    form = page.get_by_role("form", name="New annotation")
    expect(form).to_be_in_viewport(ratio=1)
    form.get_by_label("Comment").fill("Saved on a phone.")
    form.get_by_role("button", name="Save").click()

    expect(form).to_have_count(0)
    annotation = Annotation.objects.get()
    assert annotation.start >= document.passages[7].start
    expect(jump).to_have_text("Annotations (1)")
    page.evaluate("() => window.scrollTo(0, 0)")
    box = jump.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"]
    jump.click()
    expect(page.locator("#annotations-heading")).to_be_in_viewport()
    expect(page.locator(f"#annotation-{annotation.pk}")).to_contain_text("Saved on a phone.")
