"""Chicago, MLA and APA are what citeproc-js, the processor Zotero uses, makes from the same CSL-JSON
with the same official styles, character for character (docs/reading-and-annotating.md, "Cite this").

citeproc-js runs in Node (tests/csl/render.js, with the ``citeproc`` package that package.json pins);
the tests skip, saying why, where Node or the package is missing.
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from documents.archive.citations import csl, reference_managers, styles
from documents.models import Document
from tests.factories import DocumentFactory
from tests.html import parse

ROOT = Path(__file__).resolve().parents[3]
RENDER = ROOT / "tests" / "csl" / "render.js"
NODE = shutil.which("node")
CITEPROC_JS = ROOT / "node_modules" / "citeproc"

pytestmark = pytest.mark.skipif(
    NODE is None or not CITEPROC_JS.is_dir(),
    reason="citeproc-js is needed to compare with: install Node.js, then `npm install` in the repository",
)

URL = "https://archive.example.org/documents/statement/"
ACCESSED = {"date-parts": [[2025, 5, 1]]}
ARCHIVE = "Documents Archive"


def citeproc_js(items: list[dict], style: str) -> list[dict[str, str]]:
    """Each item's bibliography entry as citeproc-js makes it: {"text": ..., "html": ...}."""
    result = subprocess.run(
        [NODE, str(RENDER), str(csl.STYLES_DIR / f"{csl.STYLES[style]}.csl"), str(csl.LOCALE_FILE)],
        input=json.dumps(items),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    rendered = json.loads(result.stdout)
    pairs = zip(rendered["text"], rendered["html"], strict=True)
    return [{"text": text, "html": html_} for text, html_ in pairs]


def item(**fields) -> dict:
    values = {
        "id": "statement",
        "type": "document",
        "title": "Statement on Signature of the International Criminal Court Treaty",
        "URL": URL,
        "accessed": ACCESSED,
        "archive": ARCHIVE,
        "author": [{"family": "Clinton", "given": "William J."}],
        "issued": {"date-parts": [[2000, 12, 31]]},
        "language": "en",
    }
    values.update(fields)
    return {key: value for key, value in values.items() if value is not None}


TRICKY = {
    "seed": item(note="Quoted on the AMICC web page “Clinton Administration”."),
    "no creator, no date": item(author=None, issued=None),
    "corporate author, a web page": item(
        type="webpage",
        title="Clinton Administration",
        author=[{"literal": "AMICC"}],
        issued=None,
        publisher="AMICC (A Program of\u00a0Columbia University Institute for the Study of Human Rights)",
    ),
    "corporate author, a report": item(
        type="report", author=[{"literal": "United Nations General Assembly"}], publisher="United Nations"
    ),
    "a date as written": item(author=[{"family": "Zola", "given": "Émile"}], issued={"literal": "c. 1850"}),
    "non-ASCII, a question": item(
        title="Why did President Clinton sign the Rome Statute?",
        author=[{"family": "O’Brien", "given": "Seán"}],
        publisher="The White House",
    ),
    "several authors": item(
        author=[
            {"family": "Clinton", "given": "William J."},
            {"family": "Albright", "given": "Madeleine K."},
            {"family": "Scheffer", "given": "David J."},
        ]
    ),
    "initials, a speech": item(type="speech", author=[{"family": "Tolkien", "given": "J.R.R."}]),
    "markup characters": item(title="Rights & <duties>", author=[{"family": "Sartre", "given": "Jean-Paul"}]),
    "a passage": styles.passage_item(item(), 3),
    "a letter": item(type="personal_communication", title="Letter to the Secretary-General"),
    "quotation marks in a title": item(title="On the “object and purpose” of the treaty"),
    "straight quotes and apostrophes": item(title='Clinton\'s "object and purpose" and Rome’s statute'),
    "hyphens and a colon": item(title="U.S. policy on the ICC: an anti-war view of state-of-the-art courts"),
}
TRICKY = {name: {**one, "id": name} for name, one in TRICKY.items()}


@pytest.mark.parametrize("style", list(csl.STYLES))
def test_our_entries_are_citeproc_js_entries_character_for_character(style):
    items = list(TRICKY.values())
    expected = citeproc_js(items, style)
    ours = [csl.bibliography_entry(one, style) for one in items]
    for name, want, got in zip(TRICKY, expected, ours, strict=True):
        assert got.text == want["text"], name
        # citeproc-js writes & as &#38;, we as &amp;: the same HTML.
        assert html.unescape(got.html) == html.unescape(want["html"]), name
        assert html.unescape(got.html.replace("<i>", "").replace("</i>", "")) == got.text, name


def test_titles_are_italic_in_html_where_the_style_says():
    apa = csl.bibliography_entry(TRICKY["seed"], "apa")
    assert "<i>Statement on Signature of the International Criminal Court Treaty</i>" in apa.html
    assert "<i>" not in apa.text
    web_page = csl.bibliography_entry(TRICKY["corporate author, a web page"], "mla")
    assert "<i>Clinton Administration</i>" in web_page.html


def test_markup_in_a_title_is_escaped_in_the_html():
    entry = csl.bibliography_entry(TRICKY["markup characters"], "chicago")
    assert "“Rights &amp; &lt;duties&gt;.”" in entry.html
    assert "“Rights & <duties>.”" in entry.text


def seed_document(**fields) -> Document:
    values = {
        "title": "Statement on Signature of the International Criminal Court Treaty",
        "slug": "statement",
        "creator": "William J. Clinton",
        "date": date(2000, 12, 31),
        "type": Document.Type.STATEMENT,
        "source": "Quoted on the AMICC web page “Clinton Administration”.",
        "language": "en",
    }
    values.update(fields)
    return DocumentFactory(**values)


@pytest.mark.django_db
def test_the_reading_view_shows_what_citeproc_js_makes_from_the_pages_own_csl_json(client):
    document = seed_document()
    (item_,) = json.loads(client.get(reverse("document-citation", args=[document.slug, "csl.json"])).content)
    passage = styles.passage_item(item_, 2)
    section = parse(client.get(document.get_absolute_url())).find("section", **{"class": "cite"})
    for style in csl.STYLES:
        whole, second = citeproc_js([item_, {**passage, "id": "passage"}], style)
        assert section.find("p", id=f"cite-{style}").text_content == whole["text"]
        template = section.find("template", **{"data-passage-citation-for": f"cite-{style}"})
        assert template.text_content.replace(styles.PASSAGE_PLACEHOLDER, "2") == second["text"]
    assert section.find("p", id="cite-chicago").text_content == (
        "Clinton, William J. “Statement on Signature of the International Criminal Court Treaty.” "
        "December 31, 2000. Documents Archive. http://testserver/documents/statement/."
    )


@pytest.mark.django_db
def test_tricky_documents_csl_json_renders_alike_in_both_processors():
    documents = [
        seed_document(slug="anonymous", creator="", date=None),
        seed_document(
            slug="amicc", creator="AMICC", type=Document.Type.WEB_PAGE, date=None, publisher="AMICC"
        ),
        seed_document(slug="zola", creator="Émile Zola", date=date(1850, 1, 1), date_display="c. 1850"),
        seed_document(slug="speech", type=Document.Type.SPEECH, publisher="The White House"),
    ]
    items = [
        reference_managers.csl_json(document, url=URL, accessed=date(2025, 5, 1), archive=ARCHIVE)[0]
        for document in documents
    ]
    for style in csl.STYLES:
        expected = citeproc_js(items, style)
        assert [csl.bibliography_entry(one, style).text for one in items] == [e["text"] for e in expected]
