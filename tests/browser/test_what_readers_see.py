"""What a reader sees on each page, as the browser lays it out: boxes and computed styles, not only
that elements exist.

A stylesheet that stops applying after some point (an unclosed rule drops everything after it,
without an error anywhere) leaves every element in place and every other test green; here it
moves a box or changes a colour. Each page is loaded once and measured at a desktop size
(1366x900) and a phone size (390x844) by resizing the same page. The checks every page shares
(the header's search box, the footer at the bottom, the serif text) are in ``frame``.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from documents.annotations import services, text_changes
from documents.annotations.writes import Target
from tests.browser.conftest import log_in
from tests.factories import (
    CollectionFactory,
    DocumentFactory,
    UserFactory,
    make_group,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

# The stylesheet's colours (documents/static/documents/css/archive.css, :root), as browsers compute them.
MUTED = "rgb(90, 87, 80)"
BG_SOFT = "rgb(244, 241, 234)"
RULE = "rgb(217, 212, 200)"
LINK = "rgb(26, 79, 138)"
SEARCH_HIT = "rgb(255, 224, 102)"
TRANSPARENT = "rgba(0, 0, 0, 0)"

PARAGRAPH = (
    "The United States is today signing the Rome Treaty on the International Criminal Court, "
    "reaffirming a strong commitment to international accountability for the worst atrocities"
)
TEXT = "# Statement on the Rome Treaty\n\n" + "\n\n".join(
    f"{PARAGRAPH} (paragraph {n})." for n in range(1, 7)
)

LOOK = """
(probes) => Object.fromEntries(Object.entries(probes).map(([name, selector]) => {
  const element = document.querySelector(selector);
  if (!element) return [name, null];
  const r = element.getBoundingClientRect();
  const s = getComputedStyle(element);
  const style = {};
  for (const property of [
    "display", "color", "backgroundColor", "fontFamily", "fontWeight", "whiteSpace", "columnWidth",
    "borderLeftWidth", "borderBottomWidth", "borderBottomStyle", "borderBottomColor", "borderTopColor",
    "textDecorationLine", "gridTemplateColumns", "marginBottom", "maxWidth", "listStyleType",
  ]) style[property] = s[property];
  return [name, {
    left: r.left + scrollX, right: r.right + scrollX, top: r.top + scrollY, bottom: r.bottom + scrollY,
    width: r.width, height: r.height, style,
  }];
}))
"""

# About how many characters of the text's own font fit on one line of the document's body.
CHARACTERS_PER_LINE = """
() => {
  const text = document.querySelector("[data-document-body] .passage-text");
  const context = document.createElement("canvas").getContext("2d");
  const style = getComputedStyle(text);
  context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const sample = text.textContent.slice(0, 400);
  const width = document.querySelector("[data-document-body]").clientWidth;
  return width / (context.measureText(sample).width / sample.length);
}
"""


def look(page, **probes: str) -> dict:
    """Each probe's first element: its box in page coordinates and some of its computed style."""
    seen = page.evaluate(LOOK, probes)
    missing = [name for name, box in seen.items() if box is None]
    assert not missing, f"not on {page.url}: {missing}"
    return seen


def beside(left: dict, right: dict) -> bool:
    return left["right"] <= right["left"] and left["top"] < right["bottom"] and right["top"] < left["bottom"]


def below(upper: dict, lower: dict) -> bool:
    return upper["bottom"] <= lower["top"]


def frame(page, size: dict) -> None:
    """What every page shares: the header's search box laid out in a row, the main column
    centred, the serif text, and the footer at the bottom of the screen or of the page."""
    seen = look(
        page,
        site=".site-header",
        header=".site-header-inner",
        search="form.site-search",
        box="#site-search-q",
        button="form.site-search button",
        main="main",
        body="body",
        footer=".site-footer",
    )
    assert seen["header"]["style"]["display"] == "flex"
    assert seen["site"]["style"]["backgroundColor"] == BG_SOFT
    assert seen["search"]["style"]["display"] == "flex"
    assert beside(seen["box"], seen["button"]), (seen["box"], seen["button"])
    assert seen["box"]["width"] >= 150
    assert seen["body"]["style"]["fontFamily"].startswith("Charter")
    main = seen["main"]
    assert main["width"] <= min(size["width"], 76 * 16) + 0.5
    assert abs(main["left"] - (size["width"] - main["right"])) <= 1, "main is not centred"
    height = page.evaluate("document.documentElement.scrollHeight")
    footer = seen["footer"]
    assert footer["style"]["backgroundColor"] == BG_SOFT
    assert footer["bottom"] >= size["height"] - 1, (
        f"the footer floats at {footer['bottom']} of {size['height']}"
    )
    assert abs(footer["bottom"] - height) <= 1


def at_both_sizes(page, check) -> None:
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        frame(page, size)
        check(size)


@pytest.fixture
def archive(db):
    collection = CollectionFactory(
        slug="icc", title="International Criminal Court", description="Statements."
    )
    document = DocumentFactory(
        slug="statement",
        title="Statement on the Rome Treaty",
        text=TEXT,
        tags=["Treaties"],
        collections=[collection],
    )
    DocumentFactory(slug="letter", title="A letter on the treaty", text="A short letter about the treaty.")
    ada, brook = UserFactory(username="ada"), UserFactory(username="brook")
    note = services.create_annotation(
        author=ada,
        document=document,
        target=Target(exact="worst atrocities (paragraph 1)"),
        comment="Signed, never ratified.",
        tags=["Treaties"],
        visibility="public",
    )
    services.create_annotation(author=brook, document=document, parent=note, comment="Withdrawn in 2002.")
    return {"document": document, "collection": collection, "ada": ada, "brook": brook, "note": note}


def test_home_lists_collections_and_documents_in_ruled_rows(page, archive):
    page.goto("/")

    def check(size):
        seen = look(page, lede=".lede", item=".document-item", meta=".document-item-meta")
        assert seen["lede"]["style"]["color"] == MUTED
        assert seen["item"]["style"]["borderBottomColor"] == RULE
        assert seen["item"]["style"]["listStyleType"] == "none"
        assert seen["meta"]["style"]["fontFamily"].startswith("system-ui")

    at_both_sizes(page, check)


def test_document_list_filters_sit_in_a_tinted_box_in_columns_on_a_desktop(page, archive):
    page.goto("/documents/")

    def check(size):
        seen = look(page, filters="details.filters", fields=".filter-fields", year="#id_year_from")
        assert seen["filters"]["style"]["backgroundColor"] == BG_SOFT
        columns = len(seen["fields"]["style"]["gridTemplateColumns"].split())
        assert columns >= 3 if size is DESKTOP else columns == 1
        assert seen["year"]["height"] >= 40  # as tall as the selects beside it

    at_both_sizes(page, check)


def test_reading_view_text_is_a_readable_column_with_its_notes_beside_or_below(page, archive):
    page.goto(archive["document"].get_absolute_url())
    mark = f'mark[data-annotation-id="{archive["note"].pk}"]'
    expect(page.locator(mark)).to_have_count(1)

    def check(size):
        seen = look(
            page, text="[data-document-body]", side=".reading-side", mark=mark, count=".annotations-count"
        )
        characters = page.evaluate(CHARACTERS_PER_LINE)
        if size is DESKTOP:
            assert beside(seen["text"], seen["side"])
            assert 50 <= characters <= 90, characters
        else:
            assert below(seen["text"], seen["side"])
            assert characters >= 28, characters
        assert seen["mark"]["style"]["backgroundColor"] not in (TRANSPARENT, "rgb(253, 252, 249)")
        assert float(seen["mark"]["style"]["borderBottomWidth"][:-2]) >= 1
        assert seen["count"]["style"]["color"] == MUTED

    at_both_sizes(page, check)


def test_reading_view_without_notes_says_so_once_and_offers_no_exports(page, archive):
    page.goto("/documents/letter/")
    panel = page.get_by_role("region", name="Annotations")
    expect(panel.get_by_text("No annotations yet.")).to_be_visible()
    expect(panel).not_to_contain_text("0 annotations")
    expect(page.get_by_text("Export annotations")).to_have_count(0)

    def check(size):
        look(page, text="[data-document-body]", side=".reading-side")

    at_both_sizes(page, check)


def test_search_facets_sit_beside_the_results_on_a_desktop_and_below_on_a_phone(page, archive):
    page.goto("/search/?q=treaty")
    expect(page.get_by_role("heading", name="Narrow the results")).to_be_visible()

    def check(size):
        seen = look(page, results=".search-results", facets=".search-facets", hit="mark.search-hit")
        if size is DESKTOP:
            assert beside(seen["results"], seen["facets"])
        else:
            assert below(seen["results"], seen["facets"])
        assert seen["hit"]["style"]["backgroundColor"] == SEARCH_HIT

    at_both_sizes(page, check)


def test_search_words_are_painted_in_the_text(page, archive):
    page.goto("/documents/statement/?highlight=accountability#p-2")
    page.wait_for_function("CSS.highlights.has('search-hit')")
    painted = page.evaluate(
        "() => getComputedStyle(document.querySelector('#p-2 .passage-text'), '::highlight(search-hit)')"
        ".backgroundColor"
    )
    assert painted == SEARCH_HIT


def test_tag_pages_list_in_columns_and_ruled_rows(page, archive):
    page.goto("/tags/")

    def index(size):
        seen = look(page, index=".tag-index", count=".tag-count")
        assert seen["index"]["style"]["columnWidth"] == "256px"
        assert seen["count"]["style"]["color"] == MUTED

    at_both_sizes(page, index)
    page.goto("/tags/treaties/")

    def tag(size):
        seen = look(page, note=".tagged-annotation", title=".tagged-annotation-title")
        assert seen["note"]["style"]["borderBottomColor"] == RULE
        assert seen["title"]["style"]["marginBottom"] == "6.4px"

    at_both_sizes(page, tag)


def test_collection_pages_list_documents_in_ruled_rows(page, archive):
    page.goto("/collections/")

    def index(size):
        seen = look(page, item=".collection-item", count=".collection-item-count")
        assert seen["item"]["style"]["borderTopColor"] == RULE
        assert seen["count"]["style"]["color"] == MUTED

    at_both_sizes(page, index)
    page.goto("/collections/icc/")

    def collection(size):
        seen = look(page, eyebrow=".eyebrow", item=".document-item")
        assert seen["eyebrow"]["style"]["fontFamily"].startswith("system-ui")
        assert seen["item"]["style"]["borderBottomColor"] == RULE

    at_both_sizes(page, collection)


def test_a_members_pages_notifications_profile_and_group(page, archive):
    ada = archive["ada"]
    make_group(ada, UserFactory(username="cy"), name="Seminar")
    log_in(page, ada, next_url="/notifications/")

    def notifications(size):
        seen = look(page, unread=".notification-unread", link=".notifications-unread")
        assert seen["unread"]["style"]["borderLeftWidth"] == "4px"
        assert seen["unread"]["style"]["backgroundColor"] == BG_SOFT
        assert seen["link"]["style"]["fontWeight"] == "700"

    at_both_sizes(page, notifications)
    page.goto("/accounts/profile/")

    def profile(size):
        seen = look(page, section=".profile section", item=".annotation-item")
        assert seen["section"]["style"]["marginBottom"] == "40px"
        assert seen["item"]["style"]["borderTopColor"] == RULE

    at_both_sizes(page, profile)
    page.goto("/groups/seminar/")

    def group(size):
        seen = look(page, member=".group-members li", name=".group-members li .group-member-name")
        assert seen["member"]["style"]["display"] == "flex"
        assert seen["name"]["top"] - seen["member"]["top"] < 20

    at_both_sizes(page, group)


def test_sign_up_is_a_narrow_form_of_full_width_fields(page, archive):
    page.goto("/accounts/signup/")

    def check(size):
        seen = look(page, form=".account-form", field="#id_username", button=".account-form button")
        assert seen["form"]["width"] <= 32 * 16
        assert abs(seen["field"]["width"] - seen["form"]["width"]) <= 1
        assert seen["field"]["height"] >= 40
        assert seen["button"]["style"]["backgroundColor"] == LINK

    at_both_sizes(page, check)


def test_a_diff_marks_added_and_removed_words(page, archive):
    document = archive["document"]
    document.text = TEXT.replace("strong commitment", "lasting commitment", 1)
    text_changes.save_document(
        document, by=UserFactory(username="curator", is_staff=True), summary="Corrected."
    )
    page.goto("/documents/statement/revisions/2/?from=1")

    def check(size):
        seen = look(page, text=".diff-text", added=".diff ins", removed=".diff del")
        assert seen["text"]["style"]["whiteSpace"] == "pre-wrap"
        assert seen["added"]["style"]["backgroundColor"] == "rgb(230, 244, 234)"
        assert seen["removed"]["style"]["textDecorationLine"] == "line-through"

    at_both_sizes(page, check)
