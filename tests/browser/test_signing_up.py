"""Signing up from a page: the reader comes back to it, a password's error sits under the password,
and the focus ring never looks like an error."""

from __future__ import annotations

import colorsys
import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_reading_on_phones import contrast
from tests.factories import DocumentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The focused field's outline, the invalid field's border and the page's background, as computed.
RING = """
() => {
  const field = document.activeElement;
  const invalid = document.querySelector("[aria-invalid=true]");
  const message = document.querySelector(".field-invalid .errorlist");
  return [getComputedStyle(field).outlineColor, getComputedStyle(field).outlineStyle,
          getComputedStyle(invalid).borderTopColor, getComputedStyle(message).color,
          getComputedStyle(document.body).backgroundColor];
}
"""


def sign_up(page, password: str, confirmation: str) -> None:
    page.get_by_label("Username").fill("newreader")
    page.get_by_label("Email address").fill("newreader@example.org")
    page.get_by_label("Password:", exact=True).fill(password)
    page.get_by_label("Password confirmation").fill(confirmation)
    page.get_by_role("button", name="Create account").click()


def test_a_reader_who_signs_up_from_a_document_returns_to_it(page):
    document = DocumentFactory(slug="statute", title="The statute")
    page.goto(document.get_absolute_url())
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Sign up").click()

    sign_up(page, "short", "short")
    password = page.get_by_label("Password:", exact=True)
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_accessible_description(re.compile("This password is too short"))
    expect(page.get_by_label("Password confirmation")).not_to_have_attribute("aria-invalid", "true")

    sign_up(page, "a rather longer passphrase, 1998", "a rather longer passphrase, 1998")
    page.wait_for_url(f"**{document.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("The statute")


def test_the_focus_ring_is_not_the_error_colour_and_stands_out(page):
    page.goto("/accounts/signup/")
    sign_up(page, "short", "short")
    page.get_by_label("Password:", exact=True).focus()

    ring, style, border, error, background = page.evaluate(RING)
    assert border == error, "an invalid field's border is the error colour"
    assert style == "solid"
    assert contrast(ring, background) >= 3
    assert hue_distance(ring, error) >= 90, f"the ring ({ring}) reads as the error's colour ({error})"


def hue_distance(a: str, b: str) -> float:
    """How far apart two colours' hues are on the colour wheel, in degrees (0 to 180)."""

    def hue(rgb: str) -> float:
        r, g, b = (int(part) / 255 for part in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3])
        return colorsys.rgb_to_hls(r, g, b)[0] * 360

    distance = abs(hue(a) - hue(b)) % 360
    return min(distance, 360 - distance)
