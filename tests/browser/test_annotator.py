"""The annotator in a real browser: select, annotate, edit, reply, delete, and who sees what."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from documents.annotations import services
from documents.annotations.rules import THREAD_HAS_OTHERS_REPLIES
from documents.models import Annotation
from tests.browser.conftest import log_in
from tests.factories import AnnotationFactory, DocumentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = (
    "# The signing\n\n"
    "The United States signed the Rome Statute on December 31, 2000.\n\n"
    "> A scroll \U0001f4dc sits before a non-breaking\u00a0space in this quotation.\n\n"
    "- An item about accountability"
)
PHRASE = "non-breaking\u00a0space"

# Select `text` (its first occurrence) inside a passage's text, as a script or a keyboard
# would: the page only hears "selectionchange".
SELECT = """
([passage, text, endPassage, endText]) => {
  const locate = (id, needle, atEnd) => {
    const span = document.querySelector(`#${id} .passage-text`);
    const walker = document.createTreeWalker(span, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const index = walker.currentNode.data.indexOf(needle);
      if (index >= 0) return [walker.currentNode, atEnd ? index + needle.length : index];
    }
    throw new Error(`“${needle}” is not in #${id}`);
  };
  const range = document.createRange();
  range.setStart(...locate(passage, text, false));
  range.setEnd(...locate(endPassage || passage, endText || text, true));
  const selection = document.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}
"""

MARKED_TEXT = """
(id) => Array.from(document.querySelectorAll(`mark[data-annotation-id="${id}"]`))
  .map((mark) => mark.textContent).join("")
"""


@pytest.fixture
def document(db):
    return DocumentFactory(slug="signing", title="The signing", text=TEXT)


@pytest.fixture
def author(db):
    return UserFactory(username="ada")


@pytest.fixture
def reader(db):
    return UserFactory(username="brook")


def at(document, text: str) -> dict:
    """The factory arguments for an annotation on the first occurrence of ``text``."""
    start = document.canonical_text.index(text)
    return {"start": start, "end": start + len(text)}


def select(page, passage: str, text: str, *, end_passage: str = "", end_text: str = "") -> None:
    page.evaluate(SELECT, [passage, text, end_passage, end_text])


def marked_text(page, annotation_id) -> str:
    return page.evaluate(MARKED_TEXT, str(annotation_id))


def panel(page):
    return page.get_by_role("region", name="Annotations")


def entry(page, annotation):
    return page.locator(f"#annotation-{annotation.pk}")


def test_reader_annotates_a_phrase_with_a_non_breaking_space(page, document, author):
    log_in(page, author, next_url=document.get_absolute_url())
    select(page, "p-3", PHRASE)
    page.get_by_role("button", name="Annotate", exact=True).click()
    form = page.get_by_role("form", name="New annotation")
    expect(form.locator("blockquote")).to_have_text(PHRASE)
    form.get_by_label("Comment").fill("Note the *spacing*.")
    form.get_by_label("Tags").fill("typography, signing ")
    expect(form.get_by_label("Visibility")).to_have_value("private")
    form.get_by_label("Visibility").select_option(label="Public")
    form.get_by_role("button", name="Save").click()

    expect(form).to_have_count(0)
    expect(panel(page).locator(".annotation")).to_have_count(1)
    annotation = Annotation.objects.get()
    assert page.locator(f'mark[data-annotation-id="{annotation.pk}"]').count() >= 1
    assert marked_text(page, annotation.pk) == PHRASE
    assert annotation.exact == PHRASE
    assert (annotation.start, annotation.end) == (
        document.canonical_text.index(PHRASE),
        document.canonical_text.index(PHRASE) + len(PHRASE),
    )
    assert annotation.visibility == "public"
    assert annotation.comment == "Note the *spacing*."
    assert sorted(annotation.tags.names()) == ["signing", "typography"]

    page.reload()
    assert marked_text(page, annotation.pk) == PHRASE
    shown = entry(page, annotation)
    expect(shown.locator(".annotation-comment em")).to_have_text("spacing")
    expect(shown.get_by_role("link", name="typography")).to_have_attribute("href", "/tags/typography/")
    expect(shown.locator(".badge")).to_have_text("Public")
    for name in ("Edit", "Delete", "Reply"):
        expect(shown.get_by_role("button", name=name)).to_be_visible()


def test_a_selection_across_passages_quotes_the_canonical_text(page, document, author):
    log_in(page, author, next_url=document.get_absolute_url())
    select(page, "p-2", "December 31", end_passage="p-3", end_text="A scroll \U0001f4dc")
    page.get_by_role("button", name="Annotate", exact=True).click()
    page.get_by_role("button", name="Save").click()
    expect(panel(page).locator(".annotation")).to_have_count(1)
    annotation = Annotation.objects.get()
    assert annotation.exact == "December 31, 2000.\n\nA scroll \U0001f4dc"
    assert annotation.motivation == "highlighting"
    assert annotation.visibility == "private"
    assert marked_text(page, annotation.pk) == "December 31, 2000.A scroll \U0001f4dc"
    expect(entry(page, annotation).locator(".badge")).to_have_text("Only me")


def test_keyboard_reaches_the_annotate_button_after_the_selection(page, document, author):
    log_in(page, author, next_url=document.get_absolute_url())
    select(page, "p-2", "Rome Statute")
    button = page.get_by_role("button", name="Annotate", exact=True)
    expect(button).to_be_visible()
    for _ in range(3):
        page.keyboard.press("Tab")
        if button.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("Tab did not reach the Annotate button right after the selection")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Comment")).to_be_focused()
    page.keyboard.type("Keyboard only.")
    page.get_by_role("button", name="Save").click()
    expect(panel(page).locator(".annotation-comment")).to_have_text("Keyboard only.")
    assert Annotation.objects.get().exact == "Rome Statute"


def test_author_edits_an_annotation(page, document, author):
    annotation = AnnotationFactory(
        document=document,
        author=author,
        **at(document, "United States"),
        visibility="public",
        tags=["beta", "Alpha"],
    )
    log_in(page, author, next_url=document.get_absolute_url())
    entry(page, annotation).get_by_role("button", name="Edit").click()
    form = page.get_by_role("form", name="Edit annotation")
    expect(form.get_by_label("Comment")).to_have_value("A *note*.")
    expect(form.get_by_label("Tags")).to_have_value("Alpha, beta")
    expect(form.get_by_label("Visibility")).to_have_value("public")
    form.get_by_label("Comment").fill("A **better** note.")
    form.get_by_label("Tags").fill("gamma")
    form.get_by_label("Visibility").select_option(label="Only me")
    form.get_by_role("button", name="Save").click()

    expect(entry(page, annotation).locator(".annotation-comment strong")).to_have_text("better")
    expect(entry(page, annotation).locator(".badge")).to_have_text("Only me")
    annotation.refresh_from_db()
    assert annotation.comment == "A **better** note."
    assert annotation.visibility == "private"
    assert list(annotation.tags.names()) == ["gamma"]
    assert (annotation.start, annotation.end) == tuple(at(document, "United States").values())
    assert marked_text(page, annotation.pk) == annotation.exact


def test_an_edit_of_a_changed_annotation_says_to_reload_and_keeps_the_text(page, document, author):
    annotation = AnnotationFactory(document=document, author=author, **at(document, "United States"))
    log_in(page, author, next_url=document.get_absolute_url())
    entry(page, annotation).get_by_role("button", name="Edit").click()
    form = page.get_by_role("form", name="Edit annotation")
    expect(form.get_by_label("Comment")).to_have_value("A *note*.")
    services.update_annotation(annotation, comment="Changed in another tab.")
    form.get_by_label("Comment").fill("My version.")
    form.get_by_role("button", name="Save").click()
    expect(form.get_by_role("alert")).to_contain_text("changed elsewhere")
    expect(form.get_by_role("alert")).to_contain_text("Reload")
    expect(form.get_by_label("Comment")).to_have_value("My version.")
    annotation.refresh_from_db()
    assert annotation.comment == "Changed in another tab."


def test_a_note_others_answered_cannot_be_made_private_and_the_form_says_why(page, document, author, reader):
    annotation = AnnotationFactory(
        document=document, author=author, **at(document, "United States"), visibility="public"
    )
    services.create_annotation(author=reader, parent=annotation, comment="Everyone may read this.")
    log_in(page, author, next_url=document.get_absolute_url())
    entry(page, annotation).get_by_role("button", name="Edit").click()
    form = page.get_by_role("form", name="Edit annotation")
    form.get_by_label("Visibility").select_option(label="Only me")
    form.get_by_role("button", name="Save").click()

    expect(form.get_by_role("alert")).to_have_text(THREAD_HAS_OTHERS_REPLIES)
    expect(form.get_by_label("Visibility")).to_have_value("private")
    assert set(Annotation.objects.values_list("visibility", flat=True)) == {"public"}


def test_reader_replies_to_a_public_annotation(page, document, author, reader):
    annotation = AnnotationFactory(
        document=document, author=author, **at(document, "United States"), visibility="public"
    )
    log_in(page, reader, next_url=document.get_absolute_url())
    shown = entry(page, annotation)
    expect(shown.get_by_role("button", name="Edit")).to_have_count(0)
    expect(shown.get_by_role("button", name="Delete")).to_have_count(0)
    shown.get_by_role("button", name="Reply").click()
    form = shown.get_by_role("form", name="Reply")
    form.get_by_label("Comment").fill("I *agree*.")
    form.get_by_role("button", name="Save").click()

    replies = entry(page, annotation).get_by_role("list", name="Replies")
    expect(replies.locator(".annotation-comment")).to_have_text("I agree.")
    reply = Annotation.objects.get(parent=annotation)
    assert (reply.author, reply.root, reply.comment) == (reader, annotation, "I *agree*.")
    expect(entry(page, reply).get_by_role("button", name="Edit")).to_be_visible()


def test_an_empty_reply_shows_the_servers_reason_next_to_the_form(page, document, author):
    annotation = AnnotationFactory(document=document, author=author, visibility="public")
    log_in(page, author, next_url=document.get_absolute_url())
    entry(page, annotation).get_by_role("button", name="Reply").click()
    form = page.get_by_role("form", name="Reply")
    form.get_by_role("button", name="Save").click()
    expect(form.get_by_role("alert")).to_have_text("A reply needs a comment.")
    assert Annotation.objects.count() == 1


def test_author_deletes_an_annotation_after_confirming(page, document, author):
    annotation = AnnotationFactory(document=document, author=author, **at(document, "United States"))
    log_in(page, author, next_url=document.get_absolute_url())
    expect(page.locator("mark.highlight")).to_have_count(1)
    shown = entry(page, annotation)
    shown.get_by_role("button", name="Delete").click()
    confirmation = shown.get_by_role("group", name="Delete this annotation?")
    confirmation.get_by_role("button", name="Cancel").click()
    expect(confirmation).to_have_count(0)
    expect(shown.get_by_role("button", name="Delete")).to_be_focused()
    assert Annotation.objects.count() == 1

    shown.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("button", name="Delete")).to_have_count(1)
    confirmation.get_by_role("button", name="Delete").click()
    expect(page.locator(f"#annotation-{annotation.pk}")).to_have_count(0)
    expect(page.locator("mark.highlight")).to_have_count(0)
    expect(panel(page)).to_contain_text("No annotations yet.")
    assert not Annotation.objects.exists()
    assert page.evaluate("document.querySelector('#p-2 .passage-text').childNodes.length") == 1


def test_visibility_rules_for_a_second_reader_and_an_anonymous_one(new_page, document, author, reader):
    private = AnnotationFactory(
        document=document,
        author=author,
        **at(document, "United States"),
        comment="Private thought",
        comment_html="<p>Private thought</p>",
    )
    public = AnnotationFactory(
        document=document,
        author=author,
        **at(document, "Rome Statute"),
        visibility="public",
        comment="Public thought",
        comment_html="<p>Public thought</p>",
    )

    owner = new_page()
    log_in(owner, author, next_url=document.get_absolute_url())
    expect(panel(owner).locator(".annotation")).to_have_count(2)
    assert marked_text(owner, private.pk) == private.exact

    other = new_page()
    log_in(other, reader, next_url=document.get_absolute_url())
    expect(panel(other).locator(".annotation")).to_have_count(1)
    expect(panel(other)).to_contain_text("Public thought")
    expect(panel(other)).not_to_contain_text("Private thought")
    assert other.locator(f'mark[data-annotation-id="{private.pk}"]').count() == 0
    assert marked_text(other, public.pk) == public.exact

    anonymous = new_page()
    anonymous.goto(document.get_absolute_url())
    expect(panel(anonymous).locator(".annotation")).to_have_count(1)
    expect(panel(anonymous)).not_to_contain_text("Private thought")
    assert marked_text(anonymous, public.pk) == public.exact
    login = panel(anonymous).get_by_role("link", name="Log in to annotate")
    expect(login).to_have_attribute("href", re.compile(r"^/accounts/login/\?next=/documents/signing/$"))
    select(anonymous, "p-3", PHRASE)
    anonymous.wait_for_timeout(400)
    expect(anonymous.get_by_role("button", name="Annotate", exact=True)).to_have_count(0)
    for name in ("Edit", "Delete", "Reply"):
        expect(anonymous.get_by_role("button", name=name)).to_have_count(0)


def test_a_hostile_comment_runs_no_script(page, document, author):
    log_in(page, author, next_url=document.get_absolute_url())
    select(page, "p-2", "Rome Statute")
    page.get_by_role("button", name="Annotate", exact=True).click()
    page.get_by_label("Comment").fill(
        "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) done"
    )
    page.get_by_role("button", name="Save").click()
    comment = panel(page).locator(".annotation-comment")
    expect(comment).to_contain_text("done")
    page.reload()
    expect(comment).to_contain_text("done")
    page.wait_for_timeout(300)
    assert comment.locator("script, img, [onerror]").count() == 0
    for href in comment.locator("a").evaluate_all("links => links.map((link) => link.getAttribute('href'))"):
        assert href is None or not href.lower().startswith("javascript:")
    # The new_page fixture fails the test if any dialog opened.


def test_overlapping_highlights_nest_and_each_leads_to_its_entry(page, document, author):
    outer = AnnotationFactory(
        document=document, author=author, **at(document, "Rome Statute on December"), visibility="public"
    )
    inner = AnnotationFactory(
        document=document,
        author=author,
        **at(document, "December 31, 2000.\n\nA scroll"),
        visibility="public",
    )
    page.goto(document.get_absolute_url())
    assert marked_text(page, outer.pk) == outer.exact
    assert marked_text(page, inner.pk) == "December 31, 2000.A scroll"
    nested = page.locator(f'mark[data-annotation-id="{outer.pk}"] mark[data-annotation-id="{inner.pk}"]')
    expect(nested).to_have_count(1)
    assert page.evaluate("document.querySelector('#p-2 .passage-text').textContent") == (
        "The United States signed the Rome Statute on December 31, 2000."
    )

    page.locator(f'mark[data-annotation-id="{inner.pk}"]').last.click()
    expect(entry(page, inner)).to_be_focused()
    first_outer = page.locator(f'mark[data-annotation-id="{outer.pk}"]').first
    first_outer.focus()
    page.keyboard.press("Enter")
    expect(entry(page, outer)).to_be_focused()

    entry(page, inner).get_by_role("link", name="Show in text").click()
    expect(page.locator(f'mark[data-annotation-id="{inner.pk}"]').first).to_be_focused()


def test_a_rejected_annotation_shows_the_reason_and_keeps_what_was_typed(page, document, author):
    log_in(page, author, next_url=document.get_absolute_url())
    select(page, "p-2", "Rome Statute")
    page.get_by_role("button", name="Annotate", exact=True).click()
    tags = ", ".join(f"tag{n}" for n in range(21))
    page.get_by_label("Comment").fill("Too many tags.")
    page.get_by_label("Tags").fill(tags)
    page.get_by_role("button", name="Save").click()
    form = page.get_by_role("form", name="New annotation")
    expect(form.get_by_role("alert")).to_contain_text("at most 20 tags")
    expect(form.get_by_label("Comment")).to_have_value("Too many tags.")
    expect(form.get_by_label("Tags")).to_have_value(tags)
    assert not Annotation.objects.exists()


def test_a_network_failure_is_explained_and_keeps_what_was_typed(page, document, author):
    log_in(page, author, next_url=document.get_absolute_url())
    page.route("**/api/documents/signing/annotations/", lambda route: route.abort())
    select(page, "p-2", "Rome Statute")
    page.get_by_role("button", name="Annotate", exact=True).click()
    page.get_by_label("Comment").fill("Offline thought.")
    page.get_by_role("button", name="Save").click()
    form = page.get_by_role("form", name="New annotation")
    expect(form.get_by_role("alert")).to_contain_text("Could not reach the archive")
    expect(form.get_by_label("Comment")).to_have_value("Offline thought.")
    page.unroute("**/api/documents/signing/annotations/")
    form.get_by_role("button", name="Save").click()
    expect(form).to_have_count(0)
    assert Annotation.objects.get().comment == "Offline thought."


def test_an_orphaned_annotation_is_listed_but_not_highlighted(page, document, author):
    orphan = AnnotationFactory(
        document=document, author=author, visibility="public", anchor=Annotation.Anchor.ORPHANED
    )
    page.goto(document.get_absolute_url())
    expect(panel(page)).to_have_count(1)
    expect(panel(page).get_by_role("heading", name="Orphaned annotations")).to_be_visible()
    orphans = panel(page).locator(".orphans")
    expect(orphans.locator(f"#annotation-{orphan.pk} blockquote")).to_have_text(orphan.exact)
    expect(page.locator("mark.highlight")).to_have_count(0)


def test_a_selection_starting_outside_the_text_snaps_to_the_next_passage(page, document, author):
    log_in(page, author, next_url=document.get_absolute_url())
    page.evaluate(
        """() => {
          const range = document.createRange();
          range.setStartAfter(document.querySelector('#p-2 .passage-text'));
          const text = document.querySelector('#p-3 .passage-text').firstChild;
          range.setEnd(text, text.data.indexOf(' sits'));
          document.getSelection().removeAllRanges();
          document.getSelection().addRange(range);
        }"""
    )
    page.get_by_role("button", name="Annotate", exact=True).click()
    expect(page.get_by_role("form", name="New annotation").locator("blockquote")).to_have_text(
        "A scroll \U0001f4dc"
    )
    page.get_by_role("button", name="Save").click()
    expect(panel(page).locator(".annotation")).to_have_count(1)
    assert Annotation.objects.get().exact == "A scroll \U0001f4dc"


def test_forms_being_written_survive_a_refresh_of_the_panel(page, document, author):
    annotation = AnnotationFactory(
        document=document, author=author, **at(document, "United States"), visibility="public"
    )
    log_in(page, author, next_url=document.get_absolute_url())
    entry(page, annotation).get_by_role("button", name="Reply").click()
    entry(page, annotation).get_by_role("form", name="Reply").get_by_label("Comment").fill("Half a thought")
    select(page, "p-3", PHRASE)
    page.get_by_role("button", name="Annotate", exact=True).click()
    page.get_by_role("form", name="New annotation").get_by_role("button", name="Save").click()
    expect(panel(page).locator(".annotation")).to_have_count(2)
    reply_form = entry(page, annotation).get_by_role("form", name="Reply")
    expect(reply_form.get_by_label("Comment")).to_have_value("Half a thought")
    reply_form.get_by_role("button", name="Save").click()
    expect(entry(page, annotation).get_by_role("list", name="Replies")).to_contain_text("Half a thought")


def test_without_javascript_the_panel_still_reads_and_filters(browser, live_server, document, author, reader):
    AnnotationFactory(document=document, author=author, visibility="public", tags=["Law"])
    AnnotationFactory(
        document=document,
        author=reader,
        visibility="public",
        comment="Second",
        comment_html="<p>Second</p>",
        **at(document, "Rome Statute"),
    )
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(document.get_absolute_url())
        expect(panel(page).locator(".annotation")).to_have_count(2)
        assert page.locator("mark").count() == 0
        panel(page).get_by_text("Filter annotations").click()
        panel(page).get_by_label("Tag", exact=True).select_option("Law")
        panel(page).get_by_role("button", name="Filter").click()
        expect(panel(page).locator(".annotation")).to_have_count(1)
        assert "tag=Law" in page.url
        expect(panel(page).get_by_role("link", name="Log in to annotate")).to_be_visible()
    finally:
        context.close()


def test_a_triple_click_annotates_exactly_the_passage(page, document, author):
    log_in(page, author, next_url=document.get_absolute_url())
    page.locator("#p-2 .passage-text").click(click_count=3)
    page.get_by_role("button", name="Annotate", exact=True).click()
    page.get_by_role("button", name="Save").click()
    expect(panel(page).locator(".annotation")).to_have_count(1)
    assert Annotation.objects.get().exact == document.passages[1].text


def test_a_boundary_inside_a_surrogate_pair_takes_the_whole_character(page, document, author):
    log_in(page, author, next_url=document.get_absolute_url())
    page.evaluate(
        """() => {
          const text = document.querySelector('#p-3 .passage-text').firstChild;
          const scroll = text.data.indexOf('\\u{1F4DC}');
          const range = document.createRange();
          range.setStart(text, scroll + 1);
          range.setEnd(text, scroll + 1 + ' sits'.length + 1);
          document.getSelection().removeAllRanges();
          document.getSelection().addRange(range);
        }"""
    )
    page.get_by_role("button", name="Annotate", exact=True).click()
    page.get_by_role("button", name="Save").click()
    expect(panel(page).locator(".annotation")).to_have_count(1)
    annotation = Annotation.objects.get()
    assert annotation.exact == "\U0001f4dc sits"
    assert marked_text(page, annotation.pk) == "\U0001f4dc sits"
