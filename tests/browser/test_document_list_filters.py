"""The document list's filters as a reader meets them: folded away on a phone, so the documents fill
the first screen; open on a wide screen or once a filter applies; years chosen as a range.

Checked at a desktop size (1366x900) and a phone size (390x844).
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.factories import DocumentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def archive(db):
    """Documents from two centuries, as a demo archive has: one a decade from 1800 to 2020."""
    return [
        DocumentFactory(slug=f"report-{year}", title=f"Report of {year}", date=datetime.date(year, 6, 1))
        for year in range(1800, 2021, 10)
    ]


def test_on_a_phone_the_filters_are_folded_and_the_documents_start_on_the_first_screen(page, archive):
    page.set_viewport_size(PHONE)
    page.goto("/documents/")

    disclosure = page.locator("details.filters")
    expect(disclosure).not_to_have_attribute("open", "")
    expect(page.get_by_label("Collection")).to_be_hidden()
    first = page.get_by_role("link", name="Report of 2020")
    box = first.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"], box

    page.get_by_text("Filter and sort").click()
    expect(page.get_by_label("Collection")).to_be_visible()


def test_on_a_wide_screen_the_filters_are_open(page, archive):
    page.set_viewport_size(DESKTOP)
    page.goto("/documents/")
    expect(page.get_by_label("Collection")).to_be_visible()
    expect(page.get_by_label("From year")).to_be_visible()


def test_on_a_phone_the_filters_stay_open_while_one_applies(page, archive):
    page.set_viewport_size(PHONE)
    page.goto("/documents/?type=statement")
    expect(page.get_by_label("Type")).to_be_visible()
    expect(page.get_by_label("Type")).to_have_value("statement")


def test_years_are_a_range_not_a_list_of_every_year(page, archive):
    page.set_viewport_size(DESKTOP)
    page.goto("/documents/")
    assert page.locator("select[name=year]").count() == 0
    page.get_by_label("From year").fill("1900")
    page.get_by_label("To year").fill("1925")
    page.get_by_role("button", name="Apply").click()

    expect(page.get_by_role("heading", name="3 documents")).to_be_visible()
    titles = page.locator(".document-item-title").all_inner_texts()
    assert titles == ["Report of 1920", "Report of 1910", "Report of 1900"]
    expect(page.get_by_label("From year")).to_have_value("1900")
    expect(page.get_by_role("link", name="Remove the filter From year: 1900")).to_be_visible()


def test_a_range_that_ends_before_it_begins_is_said_beside_the_field(page, archive):
    page.set_viewport_size(PHONE)
    response = page.goto("/documents/?year_from=2000&year_to=1900")
    assert response.status == 200
    message = "The years end (1900) before they begin (2000); showing every year."
    expect(page.get_by_text(message)).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"^23 documents"))).to_be_visible()


def test_a_single_year_in_the_address_still_filters(page, archive):
    page.set_viewport_size(DESKTOP)
    page.goto("/documents/?year=1850")
    expect(page.get_by_role("heading", name="1 document")).to_be_visible()
    expect(page.get_by_role("link", name="Remove the filter Year: 1850")).to_be_visible()
    # Applying the form again keeps it.
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("heading", name="1 document")).to_be_visible()
