"""Sharing and citing in a real browser: Copy link on an entry, Copy citation in Cite this."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import AnnotationFactory, DocumentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLIPBOARD = "() => navigator.clipboard.readText()"
SIZES = pytest.mark.parametrize(
    "size", [{"width": 1366, "height": 900}, {"width": 390, "height": 844}], ids=["1366x900", "390x844"]
)


@pytest.fixture
def document(db):
    return DocumentFactory(
        slug="statement", title="Statement on signature", creator="William J. Clinton", text="Words to note."
    )


@pytest.fixture
def clipboard_page(page, live_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    return page


@SIZES
def test_copy_link_puts_the_annotations_permalink_on_the_clipboard_and_it_leads_back(
    clipboard_page, document, live_server, size
):
    page = clipboard_page
    page.set_viewport_size(size)
    annotation = AnnotationFactory(document=document, visibility="public", start=0, end=5)
    page.goto(document.get_absolute_url())

    page.locator(f"#annotation-{annotation.pk}").get_by_role("button", name="Copy link").click()

    expect(page.get_by_role("status").filter(has_text="Link copied")).to_have_count(1)
    link = page.evaluate(CLIPBOARD)
    assert link == f"{live_server.url}/annotations/{annotation.pk}/"
    page.goto(link)
    assert page.url.endswith(f"{document.get_absolute_url()}#annotation-{annotation.pk}")
    expect(page.locator(f"#annotation-{annotation.pk}")).to_have_class("annotation flash")


def test_copy_citation_copies_the_chicago_entry_with_the_name_inverted(clipboard_page, document):
    page = clipboard_page
    page.goto(document.get_absolute_url())
    cite = page.get_by_role("region", name="Cite this")

    cite.get_by_role("button", name="Copy citation").first.click()

    expect(page.get_by_role("status").filter(has_text="Citation copied")).to_have_count(1)
    copied = page.evaluate(CLIPBOARD)
    assert copied.startswith("Clinton, William J. “Statement on Signature.”")
    assert copied == page.locator("#cite-chicago").text_content()


def test_arriving_by_a_passages_permalink_cites_that_passage(clipboard_page, document, live_server):
    page = clipboard_page
    page.goto(f"{document.get_absolute_url()}#p-1")
    cite = page.get_by_role("region", name="Cite this")

    expect(cite).to_contain_text("cite passage 1, the one in the address")
    cite.get_by_role("button", name="Copy citation").nth(1).click()

    expect(page.get_by_role("status").filter(has_text="Citation copied")).to_have_count(1)
    copied = page.evaluate(CLIPBOARD)
    assert f"par. 1, {live_server.url}/documents/statement/#p-1." in copied
    assert copied.startswith("Clinton, William J. “Statement on Signature.”")

    page.evaluate("() => { window.location.hash = ''; }")
    expect(page.locator("#cite-mla")).not_to_contain_text("par. 1")


SELECT_WORDS = """
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


@SIZES
def test_selected_words_are_cited_by_their_passage_and_quoted(clipboard_page, live_server, size):
    DocumentFactory(
        slug="statement",
        title="Statement on signature",
        creator="William J. Clinton",
        text="First passage.\n\nThe second passage, with words to note.",
    )
    page = clipboard_page
    page.set_viewport_size(size)
    page.goto("/documents/statement/")
    cite = page.get_by_role("region", name="Cite this")

    page.evaluate(SELECT_WORDS, ["p-2", "words to note"])

    expect(cite).to_contain_text("cite passage 2, where the words you selected start: “words to note”")
    url = f"{live_server.url}/documents/statement/#p-2"
    expect(page.locator("#cite-mla")).to_contain_text(f"par. 2, {url}.")
    expect(page.locator("#cite-apa")).to_contain_text(f"Documents Archive (par. 2). {url}")
    expect(page.locator("#cite-apa i")).to_have_text("Statement on signature")  # APA: sentence case, italic
    cite.get_by_role("button", name="Copy citation").first.click()
    expect(page.get_by_role("status").filter(has_text="Citation copied")).to_have_count(1)
    copied = page.evaluate(CLIPBOARD)
    assert f"Par. 2. Documents Archive. {url}." in copied

    page.locator("#p-1 .passage-text").click()
    expect(page.locator("#cite-mla")).not_to_contain_text("par. 2")
    expect(page.locator("[data-cite-passage]")).to_be_hidden()
