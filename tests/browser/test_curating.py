"""Curating in a real browser: the document form (its text field, the one preview of its passages, which
splits as saving does), the admin's diffs, the 404 page under DEBUG, and the admin's pages under axe."""

from __future__ import annotations

import importlib
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, Permission
from django.test import override_settings
from playwright.sync_api import expect

from documents.annotations import text_changes
from documents.archive import text as text_module
from documents.models import CURATORS, Document, Flag
from tests.browser.conftest import log_in
from tests.factories import AnnotationFactory, CuratorFactory, DocumentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
PREVIEW = "Passages as readers will see them"

# Markup where a second splitter would most likely disagree with text.parse: markers, escapes, quotation
# lines, blank lines holding spaces and tabs, CRLF and lone CR line ends, non-breaking spaces.
TRICKY = (
    "# A heading \r\n\r\nThe first\r\nparagraph, on two lines.\r\n \t \r\n"
    "> A quotation\n> on two lines\n>\n> after a bare marker\n\n"
    "- An item\n  - not a second item\n\n-not an item\n\n\\# Not a heading\n\n\\\\# A backslash\n\n"
    "  Indented\u00a0text with a non\u2011breaking space  \n \u00a0\n\n"
    '"Quoted" words and \u00ab guillemets \u00bb\r\rAfter a lone CR.\n\n#\nA heading marker alone.'
)


@pytest.fixture
def curator(db):
    """A curator, with the Curators group made again (the browser tests' database is flushed)."""
    groups = importlib.import_module("documents.migrations.0002_groups")
    group, _ = Group.objects.get_or_create(name=CURATORS)
    for app_label, codenames in groups.CURATOR_PERMISSIONS.items():
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
    return CuratorFactory()


def preview_rows(desk):
    return [
        tuple(row.locator("td").all_text_contents())
        for row in desk.get_by_role("region", name=PREVIEW).locator("tbody tr").all()
    ]


def test_the_document_text_shows_its_passages_live_before_saving(new_page, curator):
    desk = new_page()
    desk.set_viewport_size(DESKTOP)
    log_in(desk, curator, next_url="/admin/documents/document/add/")
    preview = desk.get_by_role("region", name=PREVIEW)
    expect(preview.get_by_text("No passages yet")).to_be_visible()

    desk.get_by_role("textbox", name="Text:").fill("# A heading\n\nThe first passage.\n\n> A <quotation>")

    rows = preview.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(2)).to_contain_text("quotation")
    expect(rows.nth(2)).to_contain_text("A <quotation>")
    expect(preview.get_by_text("No passages yet")).to_be_hidden()

    desk.get_by_role("textbox", name="Text:").fill("Fine.\n\n# ")
    expect(preview.get_by_text("Line 3:")).to_be_visible()
    expect(preview.get_by_role("table")).to_be_hidden()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("page_kind", ["add", "change"])
def test_the_text_field_is_wide_and_tall_with_one_preview_of_its_passages(
    new_page, curator, viewport, page_kind
):
    long_passage = "A passage long enough to fill a wide table cell, and then some more words. " * 8
    document = DocumentFactory(text=f"# Heading\n\n{long_passage}")
    path = (
        "/admin/documents/document/add/"
        if page_kind == "add"
        else f"/admin/documents/document/{document.pk}/change/"
    )
    desk = new_page()
    desk.set_viewport_size(viewport)
    log_in(desk, curator, next_url=path)
    field = desk.get_by_role("textbox", name="Text:")
    if page_kind == "add":
        field.fill(document.text)
    expect(desk.get_by_role("region", name=PREVIEW).locator("tbody tr")).to_have_count(2)
    form_width = desk.locator("#document_form").bounding_box()["width"]

    box = field.bounding_box()
    assert box["width"] >= 0.5 * form_width
    assert box["height"] >= 400
    expect(desk.get_by_role("region", name=re.compile("Passages"))).to_have_count(1)
    expect(desk.get_by_text("Passages as readers will see them:")).to_have_count(0)
    if page_kind == "change":
        assert preview_rows(desk) == [("1", "heading", "Heading"), ("2", "paragraph", long_passage.strip())]
    source = desk.get_by_role("textbox", name="Source:").bounding_box()
    assert source["width"] >= min(0.5 * form_width, 600)


def test_the_live_preview_splits_as_saving_does(new_page, curator):
    desk = new_page()
    desk.set_viewport_size(DESKTOP)
    log_in(desk, curator, next_url="/admin/documents/document/add/")
    expected = [(str(p.n), p.kind, p.text) for p in text_module.parse(TRICKY)]
    assert len(expected) == 11

    desk.get_by_role("textbox", name="Title:").fill("Tricky")
    desk.get_by_role("textbox", name="Text:").fill(TRICKY)
    expect(desk.get_by_role("region", name=PREVIEW).locator("tbody tr")).to_have_count(len(expected))
    shown = preview_rows(desk)
    desk.get_by_role("button", name="Save", exact=True).click()
    expect(desk.get_by_text("was added successfully")).to_be_visible()

    assert shown == expected
    saved = Document.objects.get(title="Tricky")
    assert [(str(p.n), p.kind, p.text) for p in saved.passages] == shown


@pytest.mark.parametrize("markup", ["Fine.\n\n# ", "A control \x01 character.", "One.\n\n-\n\nTwo."])
def test_the_live_preview_refuses_markup_as_saving_does(new_page, curator, markup):
    desk = new_page()
    log_in(desk, curator, next_url="/admin/documents/document/add/")
    with pytest.raises(text_module.MarkupError) as refused:
        text_module.parse(markup)

    desk.get_by_role("textbox", name="Text:").fill(markup)

    expect(desk.get_by_role("region", name=PREVIEW).locator(".passage-preview-error")).to_have_text(
        str(refused.value)
    )


def test_the_admins_diff_keeps_passages_apart(new_page, curator):
    document = DocumentFactory(text="The first passage ends here.\n\nThe second passage starts here.")
    document.text = "The first passage ends there.\n\nThe second passage begins here."
    text_changes.save_document(document, by=curator, summary="Two words.")
    desk = new_page()
    desk.set_viewport_size(DESKTOP)
    log_in(desk, curator, next_url=f"/admin/documents/document/{document.pk}/revisions/")

    shown = desk.locator(".diff-text").inner_text()

    assert ".\n\nThe second passage" in shown


@override_settings(DEBUG=True)
def test_under_debug_a_page_you_may_not_see_is_the_sites_own_404(new_page):
    DocumentFactory(slug="draft-doc", status="draft")
    reader = new_page()

    response = reader.goto("/documents/draft-doc/")

    assert response.status == 404
    expect(reader.get_by_role("heading", name="Not found", level=1)).to_be_visible()
    expect(reader.get_by_role("search")).to_be_visible()


def test_the_document_form_history_and_moderation_pages_have_no_accessibility_violations(new_page, curator):
    note = AnnotationFactory(
        document=DocumentFactory(text="Words here."), visibility="public", comment="Rude"
    )
    Flag.objects.create(annotation=note, flagger=UserFactory(), reason="Insults.")
    desk = new_page()
    desk.set_viewport_size(DESKTOP)
    log_in(desk, curator, next_url="/admin/documents/annotation/?flagged=yes")
    axe = Axe()

    found = {}
    for path in (
        "/admin/documents/document/add/",
        f"/admin/documents/document/{note.document.pk}/change/",
        "/admin/documents/annotation/?flagged=yes",
        f"/admin/documents/annotation/{note.pk}/change/",
        f"/admin/documents/annotation/{note.pk}/hide/",
        f"/admin/documents/document/{note.document.pk}/revisions/",
        f"/admin/documents/document/{note.document.pk}/revisions/1/revert/",
    ):
        desk.goto(path)
        found[path] = [violation["id"] for violation in axe.run(desk).response["violations"]]

    assert found == {path: [] for path in found}
