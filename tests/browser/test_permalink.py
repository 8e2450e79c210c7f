"""Passage permalinks in a real browser: a click copies the address and says so."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import AnnotationFactory, DocumentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def document(db):
    return DocumentFactory(slug="signing", title="The signing", text="# The signing\n\nThe text.")


def test_a_permalink_click_copies_the_canonical_address_and_announces_it(page, document, live_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    address = f"{live_server.url}{document.get_absolute_url()}"
    page.goto(f"{address}?q=anything")
    page.locator("#p-2 a.permalink").click()
    expect(page.get_by_role("status")).to_have_text("Link copied")
    expect(page).to_have_url(f"{address}?q=anything#p-2")
    assert page.evaluate("navigator.clipboard.readText()") == f"{address}#p-2"


def test_without_a_clipboard_the_announcement_points_to_the_address_bar(page, document):
    page.goto(document.get_absolute_url())
    page.evaluate("Object.defineProperty(navigator, 'clipboard', { value: undefined })")
    page.locator("#p-2 a.permalink").click()
    expect(page.get_by_role("status")).to_have_text("Could not copy the link; it is in the address bar.")


SIZES = pytest.mark.parametrize(
    "size", [{"width": 1366, "height": 900}, {"width": 390, "height": 844}], ids=["1366x900", "390x844"]
)
LONG_TEXT = "\n\n".join(
    ["# A long text"] + [f"Passage {n}: " + "words of the document, " * 30 for n in range(1, 30)]
)
IN_VIEW = """(element) => {
  const box = element.getBoundingClientRect();
  return box.bottom > 0 && box.top < window.innerHeight && box.right > 0 && box.left < window.innerWidth;
}"""


def in_view(locator) -> bool:
    return locator.evaluate(IN_VIEW)


@SIZES
def test_a_notes_permalink_shows_both_the_note_and_its_words(page, size):
    document = DocumentFactory(slug="long", text=LONG_TEXT)
    passage = document.passages[21]
    words = "Passage 21"
    start = document.canonical_text.index(words, passage.start)
    for earlier in document.passages[1:21]:  # notes above it, so its entry is far down the panel
        AnnotationFactory(document=document, visibility="public", start=earlier.start, end=earlier.start + 7)
    linked = AnnotationFactory(
        document=document,
        visibility="public",
        start=start,
        end=start + len(words),
        comment="The linked note.",
    )
    page.set_viewport_size(size)

    page.goto(f"/annotations/{linked.pk}/")

    entry = page.locator(f"#annotation-{linked.pk}")
    expect(entry).to_be_visible()
    page.wait_for_timeout(1000)  # the browser's own smooth scroll to the fragment ends
    assert in_view(entry.locator(".annotation-comment")), "the note"
    if size["width"] > 1000:
        mark = page.locator(f'mark[data-annotation-id="{linked.pk}"]').first
        assert in_view(mark), "its highlighted words, in the text beside the note"
    else:
        quote = entry.locator(".annotation-quote")
        expect(quote).to_have_text(words)
        assert in_view(quote), "its words, quoted in the note, in one column where the text is far above"


@SIZES
def test_a_passage_permalink_lands_below_the_windows_edge(page, size):
    document = DocumentFactory(slug="long", text=LONG_TEXT)
    page.set_viewport_size(size)

    page.emulate_media(reduced_motion="reduce")  # no smooth scrolling to wait for

    page.goto(f"{document.get_absolute_url()}#p-12")

    top = page.locator("#p-12").evaluate("(element) => element.getBoundingClientRect().top")
    assert 24 <= top <= 120, top
