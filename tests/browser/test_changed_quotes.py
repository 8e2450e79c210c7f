"""Changed and orphaned notes as their author sees them in a real browser (docs/curators.md, "Revisions")."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from documents.annotations import services, text_changes
from documents.annotations.writes import Target
from documents.models import Annotation
from tests.browser.conftest import log_in
from tests.browser.test_annotator import marked_text, select
from tests.factories import DocumentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "The delicate mosaic may be shattered.\n\nWe reaffirm our strong support."


@pytest.fixture
def author():
    return UserFactory()


@pytest.fixture
def edited(author):
    document = DocumentFactory(slug="mosaic", title="The mosaic", text=TEXT)
    changed = services.create_annotation(
        author=author,
        document=document,
        target=Target(exact="delicate mosaic may be shattered"),
        comment="Image.",
    )
    orphan = services.create_annotation(
        author=author, document=document, target=Target(exact="strong support"), comment="Support."
    )
    document.text = "The delicate mosaic might be shattered."
    text_changes.save_document(document)
    return document, changed, orphan


def test_the_author_sees_both_wordings_accepts_the_new_one_and_reattaches_an_orphan(page, author, edited):
    document, changed, orphan = edited
    log_in(page, author, next_url=document.get_absolute_url())
    panel = page.get_by_role("region", name="Annotations")

    entry = panel.locator(f"#annotation-{changed.pk}")
    expect(entry).to_contain_text("You quoted")
    expect(entry).to_contain_text("delicate mosaic may be shattered")
    expect(entry).to_contain_text("the text now reads")
    expect(entry).to_contain_text("delicate mosaic might be shattered")
    expect(entry.get_by_role("link", name="Quoted from revision 1")).to_have_attribute(
        "href", "/documents/mosaic/revisions/1/"
    )
    expect(page.locator(f'mark[data-annotation-id="{changed.pk}"]').first).to_be_visible()

    orphans = panel.get_by_role("heading", name="Orphaned annotations")
    expect(orphans).to_be_visible()
    lost = panel.locator(f"#annotation-{orphan.pk}")
    expect(lost).to_contain_text("These words are no longer in the text.")

    entry.get_by_role("button", name="Accept the new wording").click()
    page.wait_for_url(f"**/documents/mosaic/#annotation-{changed.pk}")
    expect(page.locator(f"#annotation-{changed.pk}")).not_to_contain_text("You quoted")

    lost = page.locator(f"#annotation-{orphan.pk}")
    lost.get_by_label("Attach to these words instead").fill("delicate mosaic")
    lost.get_by_role("button", name="Re-attach", exact=True).click()
    page.wait_for_url(f"**/documents/mosaic/#annotation-{orphan.pk}")
    expect(page.get_by_role("heading", name="Orphaned annotations")).to_have_count(0)
    expect(page.locator(f'mark[data-annotation-id="{orphan.pk}"]').first).to_have_text("delicate mosaic")


def test_the_author_reattaches_an_orphan_to_the_words_selected(page, author, edited):
    document, _changed, orphan = edited
    log_in(page, author, next_url=document.get_absolute_url())
    lost = page.locator(f"#annotation-{orphan.pk}")
    button = lost.get_by_role("button", name="Re-attach to selection")

    button.click()
    expect(page.locator("[data-annotator-status]")).to_have_text(
        "Select the words to attach this note to, then press Re-attach to selection."
    )
    expect(page.get_by_role("heading", name="Orphaned annotations")).to_be_visible()

    select(page, "p-1", "mosaic might")
    button.click()

    expect(page.get_by_role("heading", name="Orphaned annotations")).to_have_count(0)
    expect(page.locator(f'mark[data-annotation-id="{orphan.pk}"]').first).to_be_visible()
    assert marked_text(page, orphan.pk) == "mosaic might"
    anchored = page.locator(f"#annotation-{orphan.pk}")
    expect(anchored).not_to_contain_text("These words are no longer in the text.")
    expect(anchored.locator(".annotation-quote")).to_have_text("mosaic might")
    expect(page.locator("[data-annotator-status]")).to_have_text("Annotation re-attached.")
    orphan.refresh_from_db()
    assert (orphan.anchor, orphan.exact, orphan.start, orphan.end) == ("anchored", "mosaic might", 13, 25)


def test_the_author_reattaches_a_changed_quote_to_the_words_selected(page, author, edited):
    document, changed, _orphan = edited
    log_in(page, author, next_url=document.get_absolute_url())

    select(page, "p-1", "be shattered")
    page.locator(f"#annotation-{changed.pk}").get_by_role("button", name="Re-attach to selection").click()

    entry = page.locator(f"#annotation-{changed.pk}")
    expect(entry).not_to_contain_text("You quoted")
    expect(entry.locator(".annotation-quote")).to_have_text("be shattered")
    expect(page.locator(f'mark[data-annotation-id="{changed.pk}"]').first).to_be_visible()
    assert marked_text(page, changed.pk) == "be shattered"


def test_only_the_author_is_offered_re_attach_to_selection(page, edited):
    document, changed, orphan = edited
    Annotation.objects.filter(pk__in=[changed.pk, orphan.pk]).update(visibility="public")
    log_in(page, UserFactory(), next_url=document.get_absolute_url())

    expect(page.locator(f"#annotation-{changed.pk}")).to_contain_text("The author quoted")
    expect(page.locator(f"#annotation-{orphan.pk}")).to_contain_text("These words are no longer in the text.")
    expect(page.get_by_role("button", name="Re-attach to selection")).to_have_count(0)
