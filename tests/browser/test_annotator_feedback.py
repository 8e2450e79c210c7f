"""What the annotator tells a reader and where it puts the focus: announcements after each
change, Escape and Cancel, a linked entry, and entries and highlights pointing at each other."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from documents.annotations import services
from documents.models import Annotation
from tests.browser.conftest import log_in
from tests.browser.test_annotator import at, entry, panel, select
from tests.factories import AnnotationFactory, DocumentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "# The signing\n\nThe United States signed the Rome Statute on December 31, 2000."


@pytest.fixture
def document(db):
    return DocumentFactory(slug="signing", title="The signing", text=TEXT)


@pytest.fixture
def author(db):
    return UserFactory(username="ada")


def status(page):
    return page.get_by_role("status")


def mark_of(page, annotation):
    return page.locator(f'mark[data-annotation-id="{annotation.pk}"]').first


def test_each_saved_change_is_announced_and_the_focus_follows_it(page, document, author):
    log_in(page, author, next_url=document.get_absolute_url())
    select(page, "p-2", "Rome Statute")
    page.get_by_role("button", name="Annotate", exact=True).click()
    page.get_by_role("form", name="New annotation").get_by_role("button", name="Save").click()
    expect(status(page)).to_have_text("Annotation saved.")
    annotation = Annotation.objects.get()
    expect(mark_of(page, annotation)).to_be_focused()

    entry(page, annotation).get_by_role("button", name="Edit").click()
    page.get_by_role("form", name="Edit annotation").get_by_role("button", name="Save").click()
    expect(status(page)).to_have_text("Annotation updated.")
    expect(entry(page, annotation)).to_be_focused()

    entry(page, annotation).get_by_role("button", name="Reply").click()
    form = page.get_by_role("form", name="Reply")
    form.get_by_label("Comment").fill("A reply.")
    form.get_by_role("button", name="Save").click()
    expect(status(page)).to_have_text("Reply saved.")
    reply = Annotation.objects.get(parent=annotation)
    expect(entry(page, reply)).to_be_focused()

    entry(page, reply).get_by_role("button", name="Edit").click()
    form = page.get_by_role("form", name="Edit reply")
    expect(form.get_by_label("Tags")).to_have_count(0)
    form.get_by_role("button", name="Save").click()
    expect(status(page)).to_have_text("Reply updated.")

    entry(page, annotation).get_by_role("button", name="Delete").first.click()
    confirmation = page.get_by_role("group", name="Delete this annotation?")
    expect(confirmation).to_contain_text("Its replies will be deleted with it.")
    confirmation.get_by_role("button", name="Delete").click()
    expect(status(page)).to_have_text("Annotation deleted.")
    expect(panel(page).get_by_role("heading", name="Annotations")).to_be_focused()


def test_deleting_an_annotation_deleted_elsewhere_says_so(page, document, author):
    annotation = AnnotationFactory(document=document, author=author, **at(document, "United States"))
    log_in(page, author, next_url=document.get_absolute_url())
    entry(page, annotation).get_by_role("button", name="Delete").click()
    confirmation = page.get_by_role("group", name="Delete this annotation?")
    expect(confirmation.get_by_role("button", name="Delete")).to_be_focused()
    services.delete_annotation(annotation)  # elsewhere: every deletion goes through the services
    confirmation.get_by_role("button", name="Delete").click()
    expect(status(page)).to_have_text("This annotation had already been deleted.")
    expect(entry(page, annotation)).to_have_count(0)


def test_a_panel_that_cannot_be_refreshed_is_announced_with_the_saved_change(page, document, author):
    log_in(page, author, next_url=document.get_absolute_url())
    page.route("**/annotations/panel/**", lambda route: route.abort())
    select(page, "p-2", "Rome Statute")
    page.get_by_role("button", name="Annotate", exact=True).click()
    page.get_by_role("form", name="New annotation").get_by_role("button", name="Save").click()
    expect(status(page)).to_have_text(
        "Annotation saved. The list of annotations could not be updated; reload the page to see it."
    )
    assert Annotation.objects.count() == 1


def test_escape_and_cancel_close_a_form_and_give_the_focus_back(page, document, author):
    annotation = AnnotationFactory(document=document, author=author, **at(document, "United States"))
    log_in(page, author, next_url=document.get_absolute_url())
    shown = entry(page, annotation)
    shown.get_by_role("button", name="Edit").click()
    form = page.get_by_role("form", name="Edit annotation")
    expect(form.get_by_label("Comment")).to_be_focused()
    page.keyboard.press("Escape")
    expect(form).to_have_count(0)
    expect(shown.get_by_role("button", name="Edit")).to_be_focused()

    shown.get_by_role("button", name="Reply").click()
    page.get_by_role("form", name="Reply").get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("form", name="Reply")).to_have_count(0)
    expect(shown.get_by_role("button", name="Reply")).to_be_focused()

    shown.get_by_role("button", name="Delete").click()
    expect(shown.get_by_role("button", name="Delete")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(shown.get_by_role("button", name="Delete")).to_be_focused()

    select(page, "p-2", "Rome Statute")
    expect(page.get_by_role("button", name="Annotate", exact=True)).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Annotate", exact=True)).to_be_hidden()

    select(page, "p-2", "Rome Statute")
    page.get_by_role("button", name="Annotate", exact=True).click()
    page.get_by_role("form", name="New annotation").get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("form", name="New annotation")).to_have_count(0)
    expect(panel(page).get_by_role("heading", name="Annotations")).to_be_focused()


def test_an_edit_that_cannot_load_explains_why_in_the_entry(page, document, author):
    annotation = AnnotationFactory(document=document, author=author, **at(document, "United States"))
    log_in(page, author, next_url=document.get_absolute_url())
    page.route(f"**/api/annotations/{annotation.pk}/", lambda route: route.abort())
    entry(page, annotation).get_by_role("button", name="Edit").click()
    expect(entry(page, annotation).get_by_role("alert")).to_contain_text("Could not reach the archive")
    expect(page.get_by_role("form", name="Edit annotation")).to_have_count(0)


def test_a_linked_entry_flashes_and_an_entry_lights_up_its_highlight(page, document, author):
    annotation = AnnotationFactory(
        document=document, author=author, **at(document, "United States"), visibility="public"
    )
    page.goto(f"{document.get_absolute_url()}#annotation-{annotation.pk}")
    expect(entry(page, annotation)).to_have_class("annotation flash")
    entry(page, annotation).hover()
    expect(mark_of(page, annotation)).to_have_class(re.compile(r"\bhighlight-active\b"))
    page.locator("h1").hover()
    expect(mark_of(page, annotation)).not_to_have_class(re.compile(r"\bhighlight-active\b"))
