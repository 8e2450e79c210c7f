"""axe-core on the main pages: no serious or critical violations, logged out and logged in."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import log_in
from tests.factories import AnnotationFactory, CollectionFactory, DocumentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.fixture
def archive(db):
    """A small archive: a collection, tagged documents, annotations of several kinds."""
    collection = CollectionFactory(title="International Criminal Court", slug="icc")
    document = DocumentFactory(
        slug="signing",
        title="Statement on signature of the Rome Statute",
        text="# Signing\n\nThe United States signed on December 31, 2000.\n\n> A quotation with a "
        "non-breaking\u00a0space.\n\n- An item\n\n- Another item",
        tags=["ICC", "Treaties"],
        collections=[collection],
    )
    DocumentFactory.create_batch(3, collections=[collection])
    author = UserFactory(username="ada")
    public = AnnotationFactory(document=document, author=author, start=10, end=30, visibility="public")
    public.tags.add("signature")
    AnnotationFactory(document=document, author=author, start=20, end=45)
    AnnotationFactory(
        document=document,
        author=UserFactory(username="brook"),
        start=0,
        end=7,
        visibility="public",
        anchor="orphaned",
    )
    AnnotationFactory(  # a page note, on the whole document
        document=document,
        author=author,
        start=None,
        end=None,
        exact="",
        prefix="",
        suffix="",
        visibility="public",
    )
    reply = AnnotationFactory(document=document, author=UserFactory(username="cy"), visibility="public")
    reply.parent = reply.root = public
    reply.save()
    return {"document": document, "author": author}


def serious_violations(axe, page) -> list[str]:
    results = axe.run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
    ]


@pytest.mark.parametrize(
    "path", ["/", "/documents/", "/documents/signing/", "/accounts/login/", "/tags/icc/"]
)
def test_pages_have_no_serious_violations_for_anonymous_readers(axe, page, archive, path):
    page.goto(path)
    violations = serious_violations(axe, page)
    assert not violations, "\n".join(violations)


def test_reading_view_with_annotations_and_open_forms_has_no_serious_violations(axe, page, archive):
    document = archive["document"]
    log_in(page, archive["author"], next_url=document.get_absolute_url())
    page.locator(".annotation[data-editable] button[data-action='edit']").first.click()
    page.get_by_role("form", name="Edit annotation").wait_for()
    page.locator("button[data-action='delete']").first.click()
    page.evaluate(
        """() => {
          const text = document.querySelector('#p-5 .passage-text').firstChild;
          const range = document.createRange();
          range.setStart(text, 0);
          range.setEnd(text, 7);
          document.getSelection().removeAllRanges();
          document.getSelection().addRange(range);
        }"""
    )
    page.get_by_role("button", name="Annotate", exact=True).click()
    page.get_by_role("form", name="New annotation").wait_for()
    violations = serious_violations(axe, page)
    assert not violations, "\n".join(violations)


def test_tag_suggestions_the_looks_like_hint_a_kept_draft_and_the_legend_have_no_serious_violations(
    axe, page, archive
):
    document = archive["document"]
    log_in(page, archive["author"], next_url=document.get_absolute_url())
    page.locator("#p-2 .annotate-passage").click()
    form = page.get_by_role("form", name="New annotation")
    form.get_by_label("Comment").fill("A draft.")
    form.get_by_label("Tags").press_sequentially("Signature")
    form.get_by_role("option", name="signature").wait_for()
    form.locator("[data-tag-like]").get_by_role("button").wait_for()
    page.get_by_role("list", name="Highlights in the text:").wait_for()
    violations = serious_violations(axe, page)
    assert not violations, "\n".join(violations)

    form.get_by_label("Tags").press("Escape")
    form.get_by_label("Comment").press("Escape")
    page.get_by_role("button", name="Resume draft").wait_for()
    violations = serious_violations(axe, page)
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize(
    "size", [{"width": 1366, "height": 900}, {"width": 390, "height": 844}], ids=["1366x900", "390x844"]
)
def test_reading_view_with_page_notes_and_the_page_note_form_has_no_serious_violations(
    axe, page, archive, size
):
    document = archive["document"]
    page.set_viewport_size(size)
    log_in(page, archive["author"], next_url=document.get_absolute_url())
    page.get_by_role("button", name="Page note", exact=True).click()
    page.get_by_role("form", name="New page note").wait_for()
    page.evaluate(
        """() => {
          const text = document.querySelector('#p-5 .passage-text').firstChild;
          const range = document.createRange();
          range.setStart(text, 0);
          range.setEnd(text, 7);
          document.getSelection().removeAllRanges();
          document.getSelection().addRange(range);
        }"""
    )
    page.locator("[data-cite-passage]").wait_for()
    violations = serious_violations(axe, page)
    assert not violations, "\n".join(violations)


def test_import_result_with_notes_already_there_has_no_serious_violations(axe, page, archive, tmp_path):
    author = archive["author"]
    log_in(page, author, next_url="/accounts/profile/")
    with page.expect_download() as download:
        page.get_by_role("link", name="JSON-LD").first.click()
    exported = tmp_path / "mine.jsonld"
    download.value.save_as(exported)
    page.get_by_label("Annotations file (W3C JSON-LD)").set_input_files(str(exported))
    page.get_by_role("button", name="Import").click()
    page.get_by_role("heading", name="Already in the archive").wait_for()
    violations = serious_violations(axe, page)
    assert not violations, "\n".join(violations)
