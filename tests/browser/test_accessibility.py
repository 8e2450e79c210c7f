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
