"""Curating in a real browser: the document admin's live passage preview; the document form, its history
and the moderation pages under axe."""

from __future__ import annotations

import importlib

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from documents.models import CURATORS, Flag
from tests.browser.conftest import log_in
from tests.factories import AnnotationFactory, CuratorFactory, DocumentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}


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


def test_the_document_text_shows_its_passages_live_before_saving(new_page, curator):
    desk = new_page()
    desk.set_viewport_size(DESKTOP)
    log_in(desk, curator, next_url="/admin/documents/document/add/")
    preview = desk.get_by_role("region", name="Passages as you type")

    desk.get_by_role("textbox", name="Text:").fill("# A heading\n\nThe first passage.\n\n> A <quotation>")

    rows = preview.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(2)).to_contain_text("quotation")
    expect(rows.nth(2)).to_contain_text("A <quotation>")
    box = desk.get_by_role("textbox", name="Text:").bounding_box()
    assert box["height"] >= 400

    desk.get_by_role("textbox", name="Text:").fill("Fine.\n\n# ")
    expect(preview).to_contain_text("Line 3:")


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
