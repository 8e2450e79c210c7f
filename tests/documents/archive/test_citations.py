"""Citations and schema.org data are built from a document's metadata alone (no database)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from documents.archive.citations import csl, embedded, names, reference_managers, styles
from documents.models import Document

URL = "https://archive.example.org/documents/statement-on-signature/"
ACCESSED = date(2025, 5, 1)
ARCHIVE = "Documents Archive"
CITE = {"url": URL, "accessed": ACCESSED, "archive": ARCHIVE}


def statement(**fields) -> Document:
    values = {
        "title": "Statement on Signature of the International Criminal Court Treaty",
        "slug": "statement-on-signature",
        "creator": "Clinton, William J.",
        "date": date(2000, 12, 31),
        "type": Document.Type.STATEMENT,
        "publisher": "The White House",
        "language": "en",
    }
    values.update(fields)
    return Document(**values)


def test_bibtex_entry_for_a_person_with_publisher_and_exact_date():
    assert reference_managers.bibtex(statement(), **CITE) == (
        "@misc{statement-on-signature,\n"
        "  author = {Clinton, William J.},\n"
        "  title = {Statement on Signature of the International Criminal Court Treaty},\n"
        "  year = {2000},\n"
        "  month = dec,\n"
        "  publisher = {The White House},\n"
        "  howpublished = {Documents Archive},\n"
        "  url = {https://archive.example.org/documents/statement-on-signature/},\n"
        "  urldate = {2025-05-01},\n"
        "  note = {Accessed May 1, 2025},\n"
        "}"
    )


def test_bibtex_without_creator_publisher_or_date_leaves_them_out():
    bibtex = reference_managers.bibtex(statement(creator="", publisher="", date=None), **CITE)
    assert "author" not in bibtex
    assert "year" not in bibtex
    assert "publisher" not in bibtex


def test_an_organisation_is_literal_in_csl_json_and_double_braced_in_bibtex():
    document = statement(creator="United Nations General Assembly")
    (item,) = reference_managers.csl_json(document, **CITE)
    assert item["author"] == [{"literal": "United Nations General Assembly"}]
    assert "  author = {{United Nations General Assembly}},\n" in reference_managers.bibtex(document, **CITE)


def test_a_person_written_in_natural_order_is_inverted_in_bibtex_and_split_in_csl_json():
    document = statement(creator="William J. Clinton")
    (item,) = reference_managers.csl_json(document, **CITE)
    assert item["author"] == [{"family": "Clinton", "given": "William J."}]
    assert "  author = {Clinton, William J.},\n" in reference_managers.bibtex(document, **CITE)


@pytest.mark.parametrize(
    ("creator", "name"),
    [
        ("William J. Clinton", ("Clinton", "William J.")),
        ("Clinton, William J.", ("Clinton", "William J.")),
        ("Bill  Clinton", ("Clinton", "Bill")),
        ("Émile Zola", ("Zola", "Émile")),
        ("Sean O’Brien", ("O’Brien", "Sean")),
        ("Jean-Paul Sartre", ("Sartre", "Jean-Paul")),
        ("J.R.R. Tolkien", ("Tolkien", "J.R.R.")),
        ("AMICC", None),
        ("United Nations General Assembly", None),
        ("Human Rights Watch", None),
        ("President of the United States", None),
        ("The White House", None),
        ("", None),
    ],
)
def test_person_name_tells_people_from_bodies(creator, name):
    assert names.person_name(creator) == name


def test_a_date_written_for_people_is_used_as_written():
    document = statement(date=date(1850, 1, 1), date_display="c. 1850", publisher="")
    (item,) = reference_managers.csl_json(document, **CITE)
    assert item["issued"] == {"literal": "c. 1850"}
    bibtex = reference_managers.bibtex(document, **CITE)
    assert "  year = {1850},\n" in bibtex
    assert "month" not in bibtex


def test_a_date_known_only_as_written_goes_into_the_bibtex_year():
    document = statement(date=None, date_display="Spring 2000")
    assert "  year = {Spring 2000},\n" in reference_managers.bibtex(document, **CITE)


def test_bibtex_escapes_latex_specials():
    document = statement(title="Rights & duties: 100% of #1_cases {draft} ~ ^ \\", publisher="Smith & Sons")
    bibtex = reference_managers.bibtex(document, **CITE)
    assert (
        r"  title = {Rights \& duties: 100\% of \#1\_cases \{draft\} \textasciitilde{} "
        r"\textasciicircum{} \textbackslash{}},"
    ) in bibtex
    assert r"  publisher = {Smith \& Sons}," in bibtex


def _braces_balance(text: str) -> bool:
    depth = 0
    escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


@given(
    title=st.text(min_size=1, max_size=80).filter(str.strip),
    creator=st.text(max_size=40),
    publisher=st.text(max_size=40),
)
def test_bibtex_braces_always_balance(title, creator, publisher):
    document = statement(title=title, creator=creator, publisher=publisher)
    assert _braces_balance(reference_managers.bibtex(document, **CITE))


def test_schema_org_describes_every_filled_field():
    document = statement(
        date_display="31 December 2000",
        description="President Clinton on signing the Rome Statute.",
        source="Quoted on https://example.org/clinton",
        rights="© 2017 AMICC",
        identifier="amicc-clinton-1",
        type=Document.Type.LETTER,
    )
    data = embedded.schema_org(
        document,
        url=URL,
        archive=ARCHIVE,
        archive_url="https://archive.example.org/",
        keywords=["ICC", "Rome Statute"],
        collections=[("The ICC", "https://archive.example.org/collections/icc/")],
    )
    assert data == {
        "@context": "https://schema.org",
        "@type": "Message",
        "@id": URL,
        "url": URL,
        "name": "Statement on Signature of the International Criminal Court Treaty",
        "genre": "Letter",
        "inLanguage": "en",
        "isAccessibleForFree": True,
        "provider": {"@type": "Organization", "name": ARCHIVE, "url": "https://archive.example.org/"},
        "author": {
            "@type": "Person",
            "name": "William J. Clinton",
            "familyName": "Clinton",
            "givenName": "William J.",
        },
        "dateCreated": "2000-12-31",
        "temporalCoverage": "31 December 2000",
        "description": "President Clinton on signing the Rome Statute.",
        "publisher": "The White House",
        "copyrightNotice": "© 2017 AMICC",
        "isBasedOn": "Quoted on https://example.org/clinton",
        "identifier": "amicc-clinton-1",
        "keywords": ["ICC", "Rome Statute"],
        "isPartOf": [
            {"@type": "Collection", "name": "The ICC", "url": "https://archive.example.org/collections/icc/"}
        ],
    }


def test_schema_org_leaves_out_empty_fields_and_gives_an_organisation_as_text():
    document = statement(creator="AMICC", publisher="", date=None, type=Document.Type.SPEECH)
    data = embedded.schema_org(
        document, url=URL, archive=ARCHIVE, archive_url="/", keywords=[], collections=[]
    )
    assert data["author"] == "AMICC"
    assert data["@type"] == "CreativeWork"
    for key in ("publisher", "dateCreated", "temporalCoverage", "keywords", "isPartOf", "description"):
        assert key not in data


def test_citation_type_tables_are_keyed_by_document_types():
    for types in (embedded.SCHEMA_ORG_TYPES, reference_managers.ITEM_TYPES):
        assert set(types) <= set(Document.Type.values)


# Zotero's item types (zotero/zotero-schema, schema.json version 29). Zotero keeps an rft.type or DC.type
# only when it is one of them (utilities openurl.js: itemTypeExists); otherwise a COinS is a web page.
ZOTERO_ITEM_TYPES = {
    "artwork",
    "audioRecording",
    "bill",
    "blogPost",
    "book",
    "bookSection",
    "case",
    "computerProgram",
    "conferencePaper",
    "dataset",
    "dictionaryEntry",
    "document",
    "email",
    "encyclopediaArticle",
    "film",
    "forumPost",
    "hearing",
    "instantMessage",
    "interview",
    "journalArticle",
    "letter",
    "magazineArticle",
    "manuscript",
    "map",
    "newspaperArticle",
    "patent",
    "podcast",
    "preprint",
    "presentation",
    "radioBroadcast",
    "report",
    "standard",
    "statute",
    "thesis",
    "tvBroadcast",
    "videoRecording",
    "webpage",
}


def test_every_zotero_type_we_name_is_an_item_type_zotero_knows():
    kinds = [*reference_managers.ITEM_TYPES.values(), reference_managers.DOCUMENT]
    assert {kind.zotero for kind in kinds} <= ZOTERO_ITEM_TYPES


def test_a_statement_is_a_csl_document_and_a_zotero_document():
    document = statement(source="Quoted on the AMICC web page “Clinton Administration”.")
    (item,) = reference_managers.csl_json(document, **CITE)
    assert item["type"] == "document"
    assert dict(embedded.citation_meta(document, url=URL))["DC.type"] == "document"
    assert "rft.type=document&" in embedded.coins(document, url=URL)
    assert reference_managers.ris(document, **CITE).startswith("TY  - GEN\r\n")


def test_a_treaty_is_a_csl_document_because_zotero_saves_and_prints_it_as_one():
    """Zotero has no treaty type: it imports a CSL treaty as a Document and exports it as CSL
    "document", so a CSL treaty in Cite this would print otherwise than Zotero does."""
    document = statement(type=Document.Type.TREATY, creator="United Nations Diplomatic Conference")
    (item,) = reference_managers.csl_json(document, **CITE)
    assert item["type"] == "document"
    assert dict(embedded.citation_meta(document, url=URL))["DC.type"] == "document"


def test_the_provenance_sentence_is_a_note_not_the_csl_source():
    document = statement(source="Quoted on the AMICC web page “Clinton Administration”.")
    (item,) = reference_managers.csl_json(document, **CITE)
    assert "source" not in item
    assert item["note"] == "Quoted on the AMICC web page “Clinton Administration”."
    assert item["archive"] == ARCHIVE
    assert "rft.source" not in embedded.coins(document, url=URL)
    assert "N1  - Quoted on the AMICC web page “Clinton Administration”.\r\n" in reference_managers.ris(
        document, **CITE
    )


def test_csl_json_gives_a_person_family_and_given_names_and_exact_dates():
    document = statement(creator="William J. Clinton", description="On signing.")
    assert reference_managers.csl_json(document, **CITE) == [
        {
            "id": "statement-on-signature",
            "type": "document",
            "title": "Statement on Signature of the International Criminal Court Treaty",
            "URL": URL,
            "accessed": {"date-parts": [[2025, 5, 1]]},
            "archive": ARCHIVE,
            "author": [{"family": "Clinton", "given": "William J."}],
            "issued": {"date-parts": [[2000, 12, 31]]},
            "publisher": "The White House",
            "language": "en",
            "abstract": "On signing.",
        }
    ]


def test_csl_json_gives_an_organisation_and_a_date_written_for_people_literally():
    document = statement(creator="AMICC", date_display="c. 2001", type=Document.Type.REPORT)
    (item,) = reference_managers.csl_json(document, **CITE)
    assert item["author"] == [{"literal": "AMICC"}]
    assert item["issued"] == {"literal": "c. 2001"}
    assert item["type"] == "report"


def test_ris_record_has_crlf_lines_an_inverted_author_and_ends_with_er():
    document = statement(creator="William J. Clinton", title="A title\nover two lines")
    record = reference_managers.ris(document, **CITE)
    assert record.split("\r\n") == [
        "TY  - GEN",
        "AU  - Clinton, William J.",
        "TI  - A title over two lines",
        "PY  - 2000",
        "DA  - 2000/12/31",
        "PB  - The White House",
        "LA  - en",
        f"DB  - {ARCHIVE}",
        f"UR  - {URL}",
        "Y2  - 2025/05/01",
        "ER  - ",
        "",
    ]


def test_citation_meta_tags_name_the_author_inverted_and_the_date_with_slashes():
    document = statement(creator="William J. Clinton")
    assert embedded.citation_meta(document, url=URL) == [
        ("citation_title", "Statement on Signature of the International Criminal Court Treaty"),
        ("citation_author", "Clinton, William J."),
        ("citation_publication_date", "2000/12/31"),
        ("citation_publisher", "The White House"),
        ("citation_language", "en"),
        ("citation_public_url", URL),
        ("DC.type", "document"),
        ("DC.title", "Statement on Signature of the International Criminal Court Treaty"),
        ("DC.creator", "Clinton, William J."),
        ("DC.date", "2000-12-31"),
        ("DC.publisher", "The White House"),
        ("DC.language", "en"),
        ("DC.identifier", URL),
    ]


def test_a_date_written_for_people_is_only_a_year_in_the_highwire_date():
    """Zotero's Embedded Metadata takes citation_publication_date over DC.date: a full date would
    give it a day the curator did not vouch for (RIS's PY and BibTeX's year give the year too)."""
    meta = dict(embedded.citation_meta(statement(date=date(1850, 1, 1), date_display="c. 1850"), url=URL))
    assert meta["citation_publication_date"] == "1850"
    assert meta["DC.date"] == "c. 1850"


def test_coins_is_a_dublin_core_context_object_naming_zoteros_item_type():
    from urllib.parse import parse_qsl

    document = statement(creator="William J. Clinton", type=Document.Type.SPEECH)
    fields = dict(parse_qsl(embedded.coins(document, url=URL)))
    assert fields == {
        "ctx_ver": "Z39.88-2004",
        "rft_val_fmt": "info:ofi/fmt:kev:mtx:dc",
        "rft.type": "presentation",
        "rft.title": document.title,
        "rft.creator": "Clinton, William J.",
        "rft.date": "2000-12-31",
        "rft.publisher": "The White House",
        "rft.language": "en",
        "rft.identifier": URL,
    }


def test_coins_gives_a_body_as_a_corporate_author_kept_whole():
    from urllib.parse import parse_qsl

    fields = dict(parse_qsl(embedded.coins(statement(creator="United Nations General Assembly"), url=URL)))
    assert fields["rft.aucorp"] == "United Nations General Assembly"
    assert "rft.creator" not in fields


def test_a_passage_item_links_the_passage_and_names_it_as_the_location_in_the_archive():
    (item,) = reference_managers.csl_json(statement(), **CITE)
    passage = styles.passage_item(item, 3)
    assert passage["URL"] == f"{URL}#p-3"
    assert passage["archive_location"] == "par. 3"
    assert item["URL"] == URL


def test_the_passage_placeholder_leaves_the_rest_of_the_citation_as_it_is():
    (item,) = reference_managers.csl_json(statement(), **CITE)
    for citation in styles.citations(item):
        with_placeholder = citation.passage_entry.text.replace(styles.PASSAGE_PLACEHOLDER, "3")
        assert with_placeholder == csl.bibliography_entry(styles.passage_item(item, 3), citation.key).text


def test_chicago_mla_and_apa_for_the_seed_statement():
    document = statement(publisher="", source="Quoted on the AMICC web page “Clinton Administration”.")
    (item,) = reference_managers.csl_json(document, **CITE)
    entries = {citation.key: citation.entry.text for citation in styles.citations(item)}
    title = "Statement on Signature of the International Criminal Court Treaty"
    assert entries == {
        "chicago": f"Clinton, William J. “{title}.” December 31, 2000. Documents Archive. {URL}.",
        "mla": f"Clinton, William J. “{title}.” 31 Dec. 2000, Documents Archive, {URL}.",
        "apa": f"Clinton, W. J. (2000, December 31). {title}. Documents Archive. {URL}",
    }


@pytest.mark.parametrize(
    "fields",
    [
        {"publisher": "", "source": "Quoted on the AMICC web page “Clinton Administration”."},
        {"creator": "AMICC", "type": Document.Type.WEB_PAGE, "date": None},
        {"creator": "", "type": Document.Type.SPEECH},
    ],
)
def test_csl_json_ris_bibtex_coins_and_meta_tags_agree(fields):
    """Type, title, author, date, publisher, URL and access date: the same in every format."""
    from urllib.parse import parse_qsl

    document = statement(**fields)
    (item,) = reference_managers.csl_json(document, **CITE)
    ris: dict[str, list[str]] = {}
    for line in reference_managers.ris(document, **CITE).split("\r\n")[:-2]:
        tag, value = line.split("  - ", 1)
        ris.setdefault(tag, []).append(value)
    bibtex = dict(
        (name.strip(), value.strip().rstrip(",").strip("{}"))
        for name, value in (
            line.split(" = ", 1) for line in reference_managers.bibtex(document, **CITE).split("\n")[1:-1]
        )
    )
    coins = dict(parse_qsl(embedded.coins(document, url=URL)))
    meta = dict(embedded.citation_meta(document, url=URL))
    kind = reference_managers.item_type(document)

    assert kind.csl == item["type"] and kind.zotero == meta["DC.type"] == coins["rft.type"]
    assert ris["TY"] == [kind.ris]
    title = item["title"]
    assert ris["TI"] == [title] and bibtex["title"] == title
    assert coins["rft.title"] == meta["citation_title"] == meta["DC.title"] == title
    if "author" in item:
        (author,) = item["author"]
        name = author.get("literal") or f"{author['family']}, {author['given']}"
        assert ris["AU"] == [name] and bibtex["author"].strip("{}") == name
        assert meta["citation_author"] == meta["DC.creator"] == name
        assert coins.get("rft.creator", coins.get("rft.aucorp")) == name
    else:
        assert "AU" not in ris and "author" not in bibtex and "citation_author" not in meta
    if "issued" in item:
        year, month, day = item["issued"]["date-parts"][0]
        assert ris["DA"] == [f"{year}/{month:02}/{day:02}"] and bibtex["year"] == str(year)
        assert coins["rft.date"] == meta["DC.date"] == f"{year}-{month:02}-{day:02}"
    else:
        assert "DA" not in ris and "year" not in bibtex and "rft.date" not in coins
    assert ris.get("PB") == ([item["publisher"]] if "publisher" in item else None)
    assert bibtex.get("publisher") == item.get("publisher") == meta.get("DC.publisher")
    assert ris["UR"] == [item["URL"]] and bibtex["url"] == item["URL"] == coins["rft.identifier"]
    assert meta["citation_public_url"] == meta["DC.identifier"] == item["URL"]
    assert item["accessed"] == {"date-parts": [[2025, 5, 1]]}
    assert ris["Y2"] == ["2025/05/01"] and bibtex["urldate"] == "2025-05-01"
    assert ris["DB"] == [item["archive"]] and bibtex["howpublished"] == item["archive"]
