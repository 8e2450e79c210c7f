"""Cite this for reference managers: CSL-JSON and RIS files, citation_* meta tags and COinS."""

from __future__ import annotations

import json
from io import StringIO
from urllib.parse import parse_qsl

import pytest
from django.core.management import call_command
from django.urls import reverse

from documents.models import Document
from tests.factories import DocumentFactory, UserFactory
from tests.html import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement(db):
    return DocumentFactory(slug="statement", title="Statement on signature", creator="William J. Clinton")


def test_the_csl_json_file_is_a_download_of_one_item(client, statement):
    response = client.get(reverse("document-citation", args=["statement", "csl.json"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="statement.json"'
    (item,) = json.loads(response.content)
    assert item["author"] == [{"family": "Clinton", "given": "William J."}]
    assert item["URL"] == "http://testserver/documents/statement/"


def test_the_ris_file_is_a_download_with_the_inverted_author(client, statement):
    response = client.get(reverse("document-citation", args=["statement", "ris"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="statement.ris"'
    assert "AU  - Clinton, William J.\r\n" in response.content.decode()


def test_an_unknown_citation_format_is_404(client, statement):
    assert client.get("/documents/statement/cite.docx").status_code == 404


def test_a_drafts_citation_is_404_except_for_curators(client, curator):
    DocumentFactory(slug="draft", status=Document.Status.DRAFT)
    url = reverse("document-citation", args=["draft", "ris"])
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(curator)
    assert client.get(url).status_code == 200


def test_the_reading_view_offers_both_files_and_copy_citation_buttons(client, statement):
    section = parse(client.get(statement.get_absolute_url())).find("section", **{"class": "cite"})
    links = {a.text_content: a.attrs["href"] for a in section.find_all("a")}
    assert links == {"RIS": "/documents/statement/cite.ris", "CSL-JSON": "/documents/statement/cite.csl.json"}
    buttons = section.find_all("button")
    assert [b.text_content for b in buttons] == ["Copy citation"] * 4
    assert [b.attrs["data-copy-citation"] for b in buttons] == [
        "cite-chicago",
        "cite-mla",
        "cite-apa",
        "cite-bibtex",
    ]
    assert section.find("p", id="cite-chicago").text_content.startswith("Clinton, William J. “Statement")


def test_the_reading_view_has_citation_meta_tags_and_a_coins_span(client, statement):
    tree = parse(client.get(statement.get_absolute_url()))
    meta = {m.attrs["name"]: m.attrs["content"] for m in tree.find_all("meta") if "name" in m.attrs}
    assert meta["citation_title"] == "Statement on signature"
    assert meta["citation_author"] == "Clinton, William J."
    assert meta["citation_public_url"] == "http://testserver/documents/statement/"
    span = tree.find("span", **{"class": "Z3988"})
    assert span.text_content == ""
    assert dict(parse_qsl(span.attrs["title"]))["rft.title"] == "Statement on signature"


def test_a_statement_is_saved_by_zotero_as_a_document_not_a_journal_article(client):
    """Zotero's Embedded Metadata translator takes DC.type when it names a Zotero item type (else
    citation_title makes it guess a journal article); its COinS reading takes rft.type, and takes
    rft.source as a web page's Website Title (zotero/utilities openurl.js parseContextObject)."""
    document = DocumentFactory(
        slug="signed",
        type=Document.Type.STATEMENT,
        source="Quoted on the AMICC web page “Clinton Administration”.",
    )
    tree = parse(client.get(document.get_absolute_url()))
    meta = {m.attrs["name"]: m.attrs["content"] for m in tree.find_all("meta") if "name" in m.attrs}
    assert meta["DC.type"] == "document"
    assert "citation_journal_title" not in meta
    assert not [m for m in tree.find_all("meta") if m.attrs.get("property") == "og:type"]
    schema = [link for link in tree.find_all("link") if link.attrs.get("rel") == "schema.DC"]
    assert [link.attrs["href"] for link in schema] == ["http://purl.org/dc/elements/1.1/"]
    coins = dict(parse_qsl(tree.find("span", **{"class": "Z3988"}).attrs["title"]))
    assert coins["rft.type"] == "document"
    assert "rft.source" not in coins and "rft.jtitle" not in coins


def test_titles_are_italic_where_the_style_says_and_markup_in_them_is_escaped(client):
    document = DocumentFactory(slug="marked", title="Rights & <b>duties</b>")
    response = client.get(document.get_absolute_url())
    assert b"<i>Rights &amp; &lt;b&gt;duties&lt;/b&gt;</i>" in response.content  # APA italicises the title
    section = parse(response).find("section", **{"class": "cite"})
    assert section.find("p", id="cite-apa").find_all("b") == []


def test_the_seed_statement_carries_exactly_what_zotero_saved_from_it(client):
    """docs/reading-and-annotating.md, "Checked with Zotero": Zotero runs its COinS translator
    (priority 310) before Embedded Metadata (320), so the page's one Z3988 span is the item it saves;
    a second span would make it offer a choice of items. It keeps rft.type only as one of its item
    types, splits rft.creator at the comma, and keeps rft.identifier as the URL only when it starts
    with http(s)://. The meta tags are what Embedded Metadata reads when chosen instead."""
    call_command("load_seed", stdout=StringIO())
    seed = Document.objects.get(slug="statement-on-signature-of-the-icc-treaty")
    url = f"http://testserver{seed.get_absolute_url()}"
    tree = parse(client.get(url))
    (span,) = tree.find_all("span", **{"class": "Z3988"})
    assert parse_qsl(span.attrs["title"]) == [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"),
        ("rft.type", "document"),
        ("rft.title", "Statement on Signature of the International Criminal Court Treaty"),
        ("rft.creator", "Clinton, William J."),
        ("rft.date", "2000-12-31"),
        ("rft.description", seed.description),
        ("rft.language", "en"),
        ("rft.identifier", url),
    ]
    meta = [(m.attrs["name"], m.attrs["content"]) for m in tree.find_all("meta") if "name" in m.attrs]
    assert [(name, content) for name, content in meta if name.startswith(("citation_", "DC."))] == [
        ("citation_title", "Statement on Signature of the International Criminal Court Treaty"),
        ("citation_author", "Clinton, William J."),
        ("citation_publication_date", "2000/12/31"),
        ("citation_language", "en"),
        ("citation_public_url", url),
        ("DC.type", "document"),
        ("DC.title", "Statement on Signature of the International Criminal Court Treaty"),
        ("DC.creator", "Clinton, William J."),
        ("DC.date", "2000-12-31"),
        ("DC.language", "en"),
        ("DC.identifier", url),
    ]


def test_a_list_of_documents_has_each_ones_coins_so_zotero_offers_them_to_save(client):
    """Two spans or more make Zotero's COinS translator offer the items to choose from, each saved
    from its span as the reading view's span would save it."""
    first = DocumentFactory(slug="first", title="First statement")
    second = DocumentFactory(slug="second", title="Second report", type=Document.Type.REPORT)
    reading_views = [parse(client.get(d.get_absolute_url())) for d in (first, second)]
    expected = sorted(tree.find("span", **{"class": "Z3988"}).attrs["title"] for tree in reading_views)
    for path in ("/documents/", "/"):
        spans = parse(client.get(path)).find_all("span", **{"class": "Z3988"})
        assert sorted(span.attrs["title"] for span in spans) == expected
