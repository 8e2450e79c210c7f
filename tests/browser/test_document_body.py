"""The reading view's [data-document-body] as a W3C client sees it: its text content is the canonical text."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import AnnotationFactory, DocumentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = (
    "# The signing\n\n"
    "The United States signed on December 31, 2000 \u2013 the last day.\n\n"
    "> A scroll \U0001f4dc sits before a non-breaking\u00a0space in this quotation.\n\n"
    "- First item\n\n"
    "- Second item \u00a9 2017\n\n"
    "A closing paragraph."
)

BODY_TEXT = "document.querySelector('[data-document-body]').textContent"

# How a W3C client reads a TextPositionSelector in that element: code points of its text content.
QUOTE_AT = "([start, end]) => Array.from(" + BODY_TEXT + ").slice(start, end).join('')"


@pytest.fixture
def document(db):
    return DocumentFactory(slug="signing", title="The signing", text=TEXT)


def api_text(page, document) -> str:
    return page.request.get(f"/api/documents/{document.slug}/").json()["text"]


def test_the_body_text_content_is_the_apis_text(page, document):
    page.goto(document.get_absolute_url())

    assert page.evaluate(BODY_TEXT) == api_text(page, document) == document.canonical_text


def test_positions_the_server_gives_select_the_same_words_in_the_page(page, document):
    exact = "non-breaking\u00a0space"
    start = document.canonical_text.index(exact)
    annotation = AnnotationFactory(
        document=document, visibility="public", start=start, end=start + len(exact)
    )
    page.goto(document.get_absolute_url())
    page.locator(f'mark[data-annotation-id="{annotation.pk}"]').first.wait_for()

    assert page.evaluate(QUOTE_AT, [annotation.start, annotation.end]) == exact
    assert page.evaluate(BODY_TEXT) == api_text(page, document), "highlights must add no text"


def test_the_annotate_button_beside_a_selection_adds_no_text(page, document, user):
    log_in(page, user, next_url=document.get_absolute_url())
    page.evaluate(
        """() => {
          const text = document.querySelector('#p-2 .passage-text').firstChild;
          const range = document.createRange();
          range.setStart(text, 4);
          range.setEnd(text, 17);
          document.getSelection().removeAllRanges();
          document.getSelection().addRange(range);
        }"""
    )
    expect(page.get_by_role("button", name="Annotate", exact=True)).to_be_visible()

    assert page.evaluate(BODY_TEXT) == document.canonical_text
