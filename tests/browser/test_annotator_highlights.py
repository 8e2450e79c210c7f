"""Highlights in a real browser: the buttons by a selection hide none of its lines, one click
saves a private highlight, the words of an open form stay painted, and each kind of highlight
(mine and private, mine and public, a group's, someone else's) looks different beyond colour."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from documents.models import Annotation
from tests.browser.conftest import log_in
from tests.browser.test_annotator import at, entry, marked_text, select
from tests.factories import AnnotationFactory, DocumentFactory, UserFactory, make_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = " ".join(["The United States signed the Rome Statute on December 31, 2000."] * 6)
TEXT = f"# The signing\n\n{LONG}\n\nA second passage about accountability."

# The client rectangles of the selection's lines, and of the line after it (the selection's
# last line moved down by one line height).
LINES = """
() => {
  const range = document.getSelection().getRangeAt(0);
  const rects = [...range.getClientRects()].filter((rect) => rect.width > 0);
  const lineHeight = parseFloat(getComputedStyle(range.startContainer.parentElement).lineHeight);
  const last = rects[rects.length - 1];
  const box = (r) => ({top: r.top, bottom: r.bottom, left: r.left, right: r.right});
  const next = {top: last.bottom, bottom: last.bottom + lineHeight, left: 0, right: 1e6};
  return {lines: rects.map(box), next};
}
"""


def overlaps(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )


@pytest.fixture
def document(db):
    return DocumentFactory(slug="signing", title="The signing", text=TEXT)


@pytest.fixture
def author(db):
    return UserFactory(username="ada")


def test_the_buttons_hide_neither_the_selected_lines_nor_the_next(page, document, author):
    log_in(page, author, next_url=document.get_absolute_url())
    page.locator("#p-2").scroll_into_view_if_needed()
    page.mouse.wheel(0, 200)
    select(page, "p-2", "Rome Statute on December 31, 2000. The United States")
    popover = page.locator("[data-annotate-popover]")
    expect(popover).to_be_visible()
    expect(page.get_by_role("button", name="Highlight", exact=True)).to_be_visible()

    lines = page.evaluate(LINES)
    box = popover.bounding_box()
    popover_box = {
        "top": box["y"],
        "bottom": box["y"] + box["height"],
        "left": box["x"],
        "right": box["x"] + box["width"],
    }
    assert len(lines["lines"]) >= 1
    for line in [*lines["lines"], lines["next"]]:
        assert not overlaps(popover_box, line), (popover_box, line)


def test_highlight_saves_a_private_highlight_at_once(page, document, author):
    log_in(page, author, next_url=document.get_absolute_url())
    select(page, "p-3", "accountability")
    page.get_by_role("button", name="Highlight", exact=True).click()

    expect(page.get_by_role("status")).to_have_text("Highlight saved; only you can see it.")
    annotation = Annotation.objects.get()
    assert (annotation.exact, annotation.visibility, annotation.motivation) == (
        "accountability",
        "private",
        "highlighting",
    )
    assert (annotation.comment, list(annotation.tags.names())) == ("", [])
    assert marked_text(page, annotation.pk) == "accountability"
    expect(page.locator(f'mark[data-annotation-id="{annotation.pk}"]').first).to_be_focused()
    expect(page.get_by_role("form", name="New annotation")).to_have_count(0)


PAINTED = """() => CSS.highlights.has('annotation-pending')
  ? [...CSS.highlights.get('annotation-pending')].map(String).join('') : null"""


def test_the_words_of_an_open_form_stay_painted_until_it_closes(page, document, author):
    log_in(page, author, next_url=document.get_absolute_url())
    select(page, "p-3", "second passage")
    page.get_by_role("button", name="Annotate", exact=True).click()
    form = page.get_by_role("form", name="New annotation")
    form.get_by_label("Comment").fill("Typing moves the focus away from the text.")

    assert page.evaluate("document.getSelection().toString()") in ("", "second passage")
    assert page.evaluate(PAINTED) == "second passage"
    form.get_by_role("button", name="Save").click()
    expect(form).to_have_count(0)
    assert page.evaluate(PAINTED) is None

    select(page, "p-3", "accountability")
    page.get_by_role("button", name="Annotate", exact=True).click()
    assert page.evaluate(PAINTED) == "accountability"
    page.get_by_label("Comment").press("Escape")
    assert page.evaluate(PAINTED) is None


STYLE = """(mark) => {
  const style = getComputedStyle(mark);
  return [style.borderBottomStyle, style.borderBottomColor, mark.title];
}"""


def test_each_kind_of_highlight_has_its_own_underline_and_the_legend_names_it(page, document, author):
    other = UserFactory(username="brook")
    group = make_group(other, author, name="Seminar")
    notes = {
        "private": AnnotationFactory(document=document, author=author, **at(document, "The United")),
        "mine": AnnotationFactory(
            document=document, author=author, visibility="public", **at(document, "signed")
        ),
        "group": AnnotationFactory(
            document=document, author=other, visibility="group", group=group, **at(document, "Rome")
        ),
        "public": AnnotationFactory(
            document=document, author=other, visibility="public", **at(document, "December")
        ),
    }
    log_in(page, author, next_url=document.get_absolute_url())

    styles = {
        kind: page.locator(f'mark[data-annotation-id="{note.pk}"]').first.evaluate(STYLE)
        for kind, note in notes.items()
    }
    assert styles == {
        "private": ["dotted", "rgb(118, 83, 0)", "Yours, only you"],
        "mine": ["double", "rgb(107, 45, 134)", "Yours, public"],
        "group": ["dashed", "rgb(0, 105, 92)", "A group’s"],
        "public": ["solid", "rgb(26, 79, 138)", "Others’, public"],
    }
    legend = page.get_by_role("list", name="Highlights in the text:")
    expect(legend.get_by_role("listitem")).to_have_text(
        ["abc Yours, only you", "abc Yours, public", "abc A group’s", "abc Others’, public"]
    )
    for kind in notes:
        sample = legend.locator(f".highlight-sample.highlight-{kind}")
        assert sample.evaluate(STYLE)[:2] == styles[kind][:2]
    expect(entry(page, notes["group"])).to_be_visible()


def test_on_a_phone_the_form_leaves_the_painted_words_in_sight(page, document, author):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, author, next_url=document.get_absolute_url())
    page.locator("#p-3").scroll_into_view_if_needed()
    select(page, "p-3", "accountability")
    page.get_by_role("button", name="Annotate", exact=True).click()
    form = page.get_by_role("form", name="New annotation")
    expect(form).to_be_visible()

    words = page.evaluate(
        "() => [...CSS.highlights.get('annotation-pending')][0].getBoundingClientRect().toJSON()"
    )
    sheet = form.bounding_box()
    assert words["top"] >= 0 and words["bottom"] <= sheet["y"], (words, sheet)
