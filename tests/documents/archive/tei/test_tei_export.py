"""``/documents/<slug>/tei.xml``: valid TEI P5 (tei_all), the metadata in the header, the passages
as p/head/quote/item, the public notes as stand-off annotations pointing at their words."""

import re

import pytest
from lxml import etree

from documents.annotations import moderation, text_changes
from documents.annotations.anchoring import Selector
from documents.annotations.services import create_annotation
from documents.archive import text as text_module
from documents.archive.models import Document
from tests.factories import CuratorFactory, DocumentFactory, UserFactory, make_group

pytestmark = pytest.mark.django_db

TEI = {"tei": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
TEXT = (
    "An opening paragraph with a non-breaking\u00a0space and 𝔘nicode.\n\n"
    "# The council\n\n"
    "The council met at noon.\n\n"
    "> We shall build the canal.\n\n"
    "- Item one\n\n"
    "- Item two\n\n"
    "# Second part\n\n"
    "Closing words © 2001."
)


def _tei(client, slug="minutes", **headers):
    answer = client.get(f"/documents/{slug}/tei.xml", **headers)
    assert answer.status_code == 200, answer.content
    assert answer["Content-Type"] == "application/tei+xml; charset=utf-8"
    return answer, etree.fromstring(answer.content)


def _resolve(root, target: str, passages) -> str:
    """The words a string-range pointer names, counted in code points as TEI does."""

    def one(match):
        element = root.xpath(f"//*[@xml:id='{match['id']}']")[0]
        offset, length = int(match["offset"]), int(match["length"])
        return element.text[offset : offset + length], element

    ranges = list(re.finditer(r"string-range\((?P<id>p-\d+),(?P<offset>\d+),(?P<length>\d+)\)", target))
    if len(ranges) == 1:
        return one(ranges[0])[0]
    (first, first_element), (last, last_element) = one(ranges[0]), one(ranges[1])
    between = passages[int(first_element.get(XML_ID)[2:]) : int(last_element.get(XML_ID)[2:]) - 1]
    return text_module.PASSAGE_SEPARATOR.join([first, *(p.text for p in between), last])


@pytest.fixture
def minutes():
    return DocumentFactory(
        slug="minutes",
        title="Minutes of the Council",
        creator="Jane Clerk",
        date="1850-03-01",
        date_display="Spring 1850",
        description="What the council decided.",
        source="City archive, box 4",
        publisher="The City",
        rights="Public domain",
        language="en",
        identifier="CA-4-12",
        type=Document.Type.REPORT,
        text=TEXT,
        tags=["canals"],
    )


def test_the_tei_is_valid_against_tei_all_with_every_kind_of_note(client, minutes, tei_all):
    ada, bob = UserFactory(username="ada"), UserFactory(username="bob")
    create_annotation(
        author=ada,
        document=minutes,
        target=Selector(exact="council met"),
        comment="Which?",
        visibility="public",
        tags=["Governance"],
    )
    spanning = create_annotation(
        author=ada, document=minutes, target=Selector(exact="canal.\n\nItem"), visibility="public"
    )
    create_annotation(author=bob, parent=spanning, comment="Indeed.")
    create_annotation(
        author=bob, document=minutes, target=Selector(), comment="On the whole.", visibility="public"
    )
    create_annotation(
        author=bob,
        document=minutes,
        target=Selector(exact="Closing"),
        comment="Soon gone.",
        visibility="public",
    )
    minutes.text = TEXT.replace("Closing words", "Final words")
    text_changes.save_document(minutes, summary="Reworded the close.")

    _, root = _tei(client)

    assert tei_all.validate(root), tei_all.error_log
    annotations = root.findall(".//tei:standOff/tei:listAnnotation/tei:annotation", TEI)
    assert len(annotations) == 5
    targets = [a.get("target") for a in annotations]
    assert "#text" in targets, "the page note points at the whole text"
    assert any(t.endswith("/documents/minutes/revisions/1/") for t in targets), (
        "the orphan points at its revision"
    )
    assert any(t.startswith("#note-") for t in targets), "the reply points at its note"


def test_the_header_carries_the_dublin_core_metadata(client, minutes):
    _, root = _tei(client)
    header = root.find("tei:teiHeader", TEI)

    def text(path):
        return header.findtext(path, namespaces=TEI)

    assert text("tei:fileDesc/tei:titleStmt/tei:title") == "Minutes of the Council"
    assert text("tei:fileDesc/tei:titleStmt/tei:author") == "Jane Clerk"
    assert (
        text("tei:fileDesc/tei:publicationStmt/tei:idno[@type='URI']")
        == "http://testserver/documents/minutes/"
    )
    assert text("tei:fileDesc/tei:publicationStmt/tei:availability/tei:licence") == "Public domain"
    bibl = header.find("tei:fileDesc/tei:sourceDesc/tei:bibl", TEI)
    assert bibl.find("tei:date", TEI).get("when") == "1850-03-01"
    assert bibl.findtext("tei:date", namespaces=TEI) == "Spring 1850"
    assert bibl.findtext("tei:publisher", namespaces=TEI) == "The City"
    assert bibl.findtext("tei:idno", namespaces=TEI) == "CA-4-12"
    assert bibl.findtext("tei:note[@type='source']", namespaces=TEI) == "City archive, box 4"
    assert text("tei:profileDesc/tei:abstract/tei:p") == "What the council decided."
    assert header.find("tei:profileDesc/tei:langUsage/tei:language", TEI).get("ident") == "en"
    assert text("tei:profileDesc/tei:textClass/tei:keywords/tei:term[@type='type']") == "report"
    assert text("tei:profileDesc/tei:textClass/tei:keywords/tei:term[@type='tag']") == "canals"
    assert header.find("tei:revisionDesc/tei:change", TEI).get("n") == "1"


def test_passages_are_p_head_quote_and_item_with_their_exact_text(client, minutes):
    _, root = _tei(client)
    elements = root.xpath("//tei:text//*[@xml:id]", namespaces=TEI)
    passages = minutes.passages
    assert [(etree.QName(e).localname, e.get(XML_ID), e.text) for e in elements] == [
        (
            {"paragraph": "p", "heading": "head", "quotation": "quote", "item": "item"}[p.kind],
            f"p-{p.n}",
            p.text,
        )
        for p in passages
    ]


def test_each_note_points_at_exactly_its_words(client, minutes):
    ada = UserFactory(username="ada")
    for exact in ("non-breaking\u00a0space and 𝔘nicode", "met at noon", "canal.\n\nItem one\n\nItem", "©"):
        create_annotation(author=ada, document=minutes, target=Selector(exact=exact), visibility="public")
    _, root = _tei(client)
    found = sorted(
        _resolve(root, a.get("target"), minutes.passages) for a in root.findall(".//tei:annotation", TEI)
    )
    assert found == sorted(
        ["non-breaking\u00a0space and 𝔘nicode", "met at noon", "canal.\n\nItem one\n\nItem", "©"]
    )


def test_only_public_notes_are_in_the_tei(client, minutes):
    ada, bob, curator = UserFactory(username="ada"), UserFactory(username="bob"), CuratorFactory()
    group = make_group(ada, bob)
    create_annotation(
        author=ada,
        document=minutes,
        target=Selector(exact="council met"),
        comment="Public.",
        visibility="public",
    )
    create_annotation(author=ada, document=minutes, target=Selector(exact="noon"), comment="Private.")
    create_annotation(
        author=ada,
        document=minutes,
        target=Selector(exact="canal"),
        comment="Group.",
        visibility="group",
        group=group,
    )
    hidden = create_annotation(
        author=bob,
        document=minutes,
        target=Selector(exact="Item one"),
        comment="Hidden.",
        visibility="public",
    )
    moderation.hide_annotation(hidden, by=curator, reason="Spam.")

    client.force_login(ada)
    _, root = _tei(client)
    comments = [n.text for n in root.findall(".//tei:annotation/tei:note[@type='comment']", TEI)]
    assert comments == ["Public."]


def test_a_draft_is_404_except_for_curators(client, tei_all):
    DocumentFactory(slug="plan", status="draft", text="A plan.")
    assert client.get("/documents/plan/tei.xml").status_code == 404
    client.force_login(UserFactory())
    assert client.get("/documents/plan/tei.xml").status_code == 404
    client.force_login(CuratorFactory())
    _, root = _tei(client, "plan")
    assert tei_all.validate(root), tei_all.error_log


def test_an_unchanged_file_answers_304_and_a_new_public_note_changes_it(client, minutes):
    answer, _ = _tei(client)
    etag = answer["ETag"]
    assert client.get("/documents/minutes/tei.xml", HTTP_IF_NONE_MATCH=etag).status_code == 304
    create_annotation(author=UserFactory(), document=minutes, target=Selector(exact="noon"), comment="Mine.")
    assert client.get("/documents/minutes/tei.xml", HTTP_IF_NONE_MATCH=etag).status_code == 304, (
        "a private note changes nothing"
    )
    create_annotation(
        author=UserFactory(), document=minutes, target=Selector(exact="noon"), visibility="public"
    )
    assert client.get("/documents/minutes/tei.xml", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_the_reading_view_links_the_tei(client, minutes):
    page = client.get("/documents/minutes/").content.decode()
    assert '<link rel="alternate" type="application/tei+xml" href="/documents/minutes/tei.xml"' in page
    assert 'href="/documents/minutes/tei.xml" type="application/tei+xml"' in page


def test_a_document_without_text_is_still_valid(client, tei_all):
    DocumentFactory(slug="empty", text="")
    _, root = _tei(client, "empty")
    assert tei_all.validate(root), tei_all.error_log
