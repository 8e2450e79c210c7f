"""Passage permalinks in a real browser: a click copies the address and says so."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import DocumentFactory

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
