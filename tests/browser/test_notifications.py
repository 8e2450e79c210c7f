"""Notifications in the browser: a reply reaches the note's author through the header's count
(docs/reading-and-annotating.md, "Notifications")."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from documents.annotations import services
from documents.annotations.writes import Target
from documents.models import Annotation
from tests.browser.conftest import log_in
from tests.factories import DocumentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "# Signing\n\nThe United States signed the Statute on December 31, 2000."


def test_a_reply_shows_in_the_authors_header_and_leads_to_the_note(new_page):
    document = DocumentFactory(slug="signing", title="The signing", text=TEXT)
    ada, brook = UserFactory(username="ada"), UserFactory(username="brook")
    note = services.create_annotation(
        author=ada,
        document=document,
        target=Target(exact="December 31"),
        comment="A date.",
        visibility="public",
    )

    replier = new_page()
    log_in(replier, brook, next_url=document.get_absolute_url())
    entry = replier.locator(f"#annotation-{note.pk}")
    entry.get_by_role("button", name="Reply").click()
    form = entry.get_by_role("form", name="Reply")
    form.get_by_label("Comment").fill("Signed, but never ratified.")
    form.get_by_role("button", name="Save").click()
    expect(entry.get_by_role("list", name="Replies")).to_contain_text("Signed, but never ratified.")
    reply = Annotation.objects.get(parent=note)

    author = new_page()
    log_in(author, ada, next_url="/")
    header = author.get_by_role("navigation", name="Account")
    link = header.get_by_role("link", name="Notifications (1) unread")
    expect(link).to_have_text("Notifications (1) unread")  # text content; " unread" is visually hidden
    hidden = link.locator(".visually-hidden")  # a sighted reader sees "Notifications (1)"
    expect(hidden).to_have_text(" unread")
    assert hidden.bounding_box()["width"] <= 1
    link.click()

    author.wait_for_url("**/notifications/")
    item = author.locator(".notification-unread")
    expect(item).to_contain_text("brook replied to your note")
    expect(item).to_contain_text("Signed, but never ratified.")
    violations = [
        v["id"] for v in Axe().run(author).response["violations"] if v["impact"] in {"serious", "critical"}
    ]
    assert not violations
    item.get_by_role("link", name="Open the note").click()

    author.wait_for_url(f"**/documents/signing/#annotation-{reply.pk}")
    expect(author.locator(f"#annotation-{reply.pk}")).to_contain_text("Signed, but never ratified.")
    expect(
        author.get_by_role("navigation", name="Account").get_by_role("link", name="Notifications")
    ).to_have_text("Notifications")
