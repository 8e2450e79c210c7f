"""Search in a real browser: from the header box to a passage hit, landing on the highlighted passage."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.documents.search.test_search import STATEMENT, make_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAINTED = """() => {
  const painted = CSS.highlights.get("search-hit");
  if (!painted) return [];
  const passage = (range) => range.startContainer.parentElement.closest("[id^=p-]").id;
  return [...painted].map((range) => [range.toString(), passage(range)]);
}"""


def test_search_from_the_header_and_land_on_the_highlighted_passage(page):
    make_document(title="Statement on signing", slug="statement", text=STATEMENT)
    page.goto("/documents/")
    header_search = page.get_by_role("search", name="Site search")
    header_search.get_by_role("searchbox").fill("jurisdiction")
    header_search.get_by_role("searchbox").press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=jurisdiction$"))
    expect(page.get_by_role("heading", name="1 document")).to_be_visible()

    page.get_by_role("link", name="Passage 3").click()
    expect(page).to_have_url(re.compile(r"/documents/statement/\?highlight=jurisdiction#p-3$"))
    expect(page.locator(":target")).to_have_attribute("id", "p-3")
    page.wait_for_function("CSS.highlights.has('search-hit')")
    assert page.evaluate(PAINTED) == [["jurisdiction", "p-3"]]
    expect(page.locator("#p-3")).to_be_in_viewport()
    body_text = page.evaluate("document.querySelector('[data-document-body]').textContent")
    assert (
        "Court jurisdiction over our soldiers" in body_text
        and "<mark" not in page.locator("#p-3").inner_html()
    )


def test_the_header_search_box_is_laid_out_by_the_stylesheet(page):
    """The rules after the revision diffs' styles reach the page (tests/archive_site/test_stylesheets.py)."""
    page.goto("/documents/")
    box = page.get_by_role("search", name="Site search")
    assert box.evaluate("(form) => getComputedStyle(form).display") == "flex"
