"""Flag to hide, in a real browser: a reader flags a public note, a curator hides it from the queue."""

from __future__ import annotations

import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from documents.annotations import moderation, services
from documents.models import CURATORS, Annotation, Flag
from tests.browser.conftest import log_in
from tests.browser.test_groups import violations
from tests.factories import AnnotationFactory, CuratorFactory, DocumentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def curator(db):
    """A curator, with the Curators group made again: a browser test's database is flushed
    between tests, which empties the groups the data migration made."""
    groups = importlib.import_module("documents.migrations.0002_groups")
    group, _ = Group.objects.get_or_create(name=CURATORS)
    for app_label, codenames in groups.CURATOR_PERMISSIONS.items():
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
    return CuratorFactory()


@pytest.fixture
def document(db):
    return DocumentFactory(slug="signing", title="The signing", text="The United States signed the statute.")


def test_a_flagged_note_is_hidden_by_a_curator_from_the_queue(new_page, document, curator):
    author = UserFactory(username="ada")
    reader = UserFactory(username="brook")
    note = AnnotationFactory(document=document, author=author, visibility="public", comment="Rude words here")

    page = new_page()
    log_in(page, reader, next_url=document.get_absolute_url())
    entry = page.locator(f"#annotation-{note.pk}")
    entry.get_by_role("button", name="Flag").click()
    form = entry.get_by_role("form", name="Flag this note for the curators")
    form.get_by_role("button", name="Send flag").click()
    expect(form.get_by_role("alert")).to_have_text(
        "Say what is wrong with this note, so a curator can judge it."
    )
    form.get_by_label("Reason").fill("Insults a person.")
    form.get_by_role("button", name="Send flag").click()
    expect(form).to_have_count(0)
    expect(page.get_by_role("status")).to_have_text("Thank you: a curator will look at this note.")
    expect(entry.get_by_role("button", name="Flag")).to_be_focused()
    assert Flag.objects.get().reason == "Insults a person."

    desk = new_page()
    log_in(desk, curator, next_url="/admin/documents/annotation/?flagged=yes")
    row = desk.locator("#result_list tbody tr").filter(has_text="Rude words here")
    expect(row).to_have_count(1)
    expect(row.locator("td.field-flag_count")).to_have_text("1")
    row.locator("input.action-select").check()
    desk.locator("select[name=action]").select_option("hide")
    desk.get_by_role("button", name="Go").click()
    desk.get_by_label("Reason").fill("Personal attack")
    desk.get_by_role("button", name="Hide with this reason").click()
    expect(desk.locator(".messagelist")).to_contain_text("Hid 1 annotation.")
    assert Annotation.objects.get(pk=note.pk).hidden

    anonymous = new_page()
    anonymous.goto(document.get_absolute_url())
    expect(anonymous.locator(f"#annotation-{note.pk}")).to_have_count(0)


DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SIZES = pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366x900", "390x844"])
LONG = "A very long comment that goes on and on about the treaty and its signature " * 6


def test_the_queue_shows_comment_hidden_created_and_flags_within_1366_px(new_page, document, curator):
    for n in range(3):
        note = AnnotationFactory(
            document=document,
            visibility="public",
            comment=f"{n} {LONG}",
            exact="The United States signed the statute." * 3,
        )
        Flag.objects.create(annotation=note, flagger=UserFactory(), reason="Off topic.")

    desk = new_page()
    desk.set_viewport_size(DESKTOP)
    log_in(desk, curator, next_url="/admin/documents/annotation/?flagged=yes")

    for column in ("comment_excerpt", "flag_count", "hidden", "created"):
        header = desk.locator(f"#result_list thead th.column-{column}")
        expect(header).to_be_visible()
        box = header.bounding_box()
        assert box["x"] + box["width"] <= DESKTOP["width"], (column, box)
    assert desk.evaluate("() => document.documentElement.scrollWidth") <= DESKTOP["width"]


@SIZES
def test_a_flagged_note_is_hidden_and_restored_from_its_own_page(new_page, document, curator, size):
    author = UserFactory(username="ada")
    reader = UserFactory(username="brook")
    note = AnnotationFactory(document=document, author=author, visibility="public", comment="Rude words here")

    page = new_page()
    page.set_viewport_size(size)
    log_in(page, reader, next_url=document.get_absolute_url())
    entry = page.locator(f"#annotation-{note.pk}")
    entry.get_by_role("button", name="Flag").click()
    entry.get_by_label("Reason").fill("Insults a person.")
    entry.get_by_role("button", name="Send flag").click()
    expect(page.get_by_role("status")).to_have_text("Thank you: a curator will look at this note.")

    desk = new_page()
    desk.set_viewport_size(size)
    log_in(desk, curator, next_url="/admin/documents/annotation/?flagged=yes")
    desk.locator("#result_list tbody tr").filter(has_text="Rude words here").locator(
        "th a, td a"
    ).first.click()
    expect(desk.get_by_text("Insults a person.")).to_be_visible()
    desk.get_by_role("link", name="Hide", exact=True).click()
    desk.get_by_label("Reason").fill("Personal attack")
    desk.get_by_role("button", name="Hide with this reason").click()
    expect(desk.locator(".messagelist")).to_contain_text("Hid this annotation")
    assert Annotation.objects.get(pk=note.pk).hidden

    anonymous = new_page()
    anonymous.goto(document.get_absolute_url())
    expect(anonymous.locator(f"#annotation-{note.pk}")).to_have_count(0)

    desk.get_by_role("button", name="Restore", exact=True).click()
    expect(desk.locator(".messagelist")).to_contain_text("Restored this annotation.")
    assert not Annotation.objects.get(pk=note.pk).hidden
    anonymous.reload()
    expect(anonymous.locator(f"#annotation-{note.pk}")).to_have_count(1)


@SIZES
def test_a_curator_reads_what_was_flagged_and_dismisses_an_unfounded_flag(new_page, document, curator, size):
    author = UserFactory(username="ada")
    note = AnnotationFactory(document=document, author=author, visibility="public", comment="Sharp words")
    moderation.flag_annotation(annotation_id=note.pk, user=UserFactory(username="brook"), reason="Rude.")
    services.update_annotation(note, comment="Softer words")

    desk = new_page()
    desk.set_viewport_size(size)
    log_in(desk, curator, next_url="/admin/documents/annotation/?flagged=yes")
    row = desk.locator("#result_list tbody tr")
    expect(row.locator("td.field-comment_excerpt")).to_have_text("Sharp words (edited since flagged)")
    row.locator("th a, td a").first.click()
    flags = desk.locator(".inline-group")
    expect(flags).to_contain_text("Comment: Sharp words")
    expect(flags).to_contain_text("Edited since flagged; now: Softer words")
    assert violations(desk) == []
    flags.get_by_role("button", name="Dismiss").click()
    expect(desk.locator(".messagelist")).to_contain_text("Dismissed the flag")
    expect(flags).to_contain_text(f"Dismissed by {curator.get_username()}")
    expect(flags.get_by_role("button", name="Dismiss")).to_have_count(0)

    desk.goto("/admin/documents/annotation/?flagged=yes")
    expect(desk.locator("#result_list")).to_have_count(0)
