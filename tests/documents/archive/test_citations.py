"""Citations and schema.org data are built from a document's metadata alone (no database)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from documents.archive.citations import embedded, names, reference_managers, styles
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


def test_chicago_entry_for_a_person_with_publisher_and_exact_date():
    assert styles.chicago(statement(), **CITE) == (
        "Clinton, William J. “Statement on Signature of the International Criminal Court Treaty.” "
        "The White House, December 31, 2000. Documents Archive. Accessed May 1, 2025. "
        "https://archive.example.org/documents/statement-on-signature/."
    )


def test_mla_entry_for_a_person_with_publisher_and_exact_date():
    assert styles.mla(statement(), **CITE) == (
        "Clinton, William J. “Statement on Signature of the International Criminal Court Treaty.” "
        "The White House, 31 Dec. 2000. "
        "Documents Archive, archive.example.org/documents/statement-on-signature/. Accessed 1 May 2025."
    )


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


def test_entries_without_creator_publisher_or_date_start_with_the_title():
    document = statement(creator="", publisher="", date=None)
    assert styles.chicago(document, **CITE) == (
        "“Statement on Signature of the International Criminal Court Treaty.” Documents Archive. "
        "Accessed May 1, 2025. https://archive.example.org/documents/statement-on-signature/."
    )
    assert styles.mla(document, **CITE) == (
        "“Statement on Signature of the International Criminal Court Treaty.” "
        "Documents Archive, archive.example.org/documents/statement-on-signature/. Accessed 1 May 2025."
    )
    bibtex = reference_managers.bibtex(document, **CITE)
    assert "author" not in bibtex
    assert "year" not in bibtex
    assert "publisher" not in bibtex


def test_an_organisation_is_cited_as_written_and_double_braced_in_bibtex():
    document = statement(creator="United Nations General Assembly")
    assert styles.chicago(document, **CITE).startswith("United Nations General Assembly. “Statement")
    assert styles.mla(document, **CITE).startswith("United Nations General Assembly. “Statement")
    assert "  author = {{United Nations General Assembly}},\n" in reference_managers.bibtex(document, **CITE)


def test_a_person_written_in_natural_order_is_inverted_in_chicago_mla_and_bibtex():
    document = statement(creator="William J. Clinton")
    assert styles.chicago(document, **CITE).startswith("Clinton, William J. “Statement")
    assert styles.mla(document, **CITE).startswith("Clinton, William J. “Statement")
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
    assert "“Statement on Signature of the International Criminal Court Treaty.” c. 1850. Documents" in (
        styles.chicago(document, **CITE)
    )
    assert "Treaty.” c. 1850. Documents Archive," in styles.mla(document, **CITE)
    bibtex = reference_managers.bibtex(document, **CITE)
    assert "  year = {1850},\n" in bibtex
    assert "month" not in bibtex


def test_a_date_known_only_as_written_goes_into_the_bibtex_year():
    document = statement(date=None, date_display="Spring 2000")
    assert "  year = {Spring 2000},\n" in reference_managers.bibtex(document, **CITE)


def test_a_title_ending_in_a_question_mark_gets_no_extra_period():
    document = statement(title="Why did President Clinton sign the Rome Statute?")
    assert "“Why did President Clinton sign the Rome Statute?” The White House" in (
        styles.chicago(document, **CITE)
    )
    assert "“Why did President Clinton sign the Rome Statute?” The White House" in styles.mla(
        document, **CITE
    )


def test_quotation_marks_inside_a_title_become_single():
    document = statement(title='On the "object and purpose" of the “treaty”')
    assert "“On the ‘object and purpose’ of the ‘treaty’.”" in styles.chicago(document, **CITE)


def test_mla_abbreviates_months_its_way():
    document = statement(date=date(2001, 9, 4))
    assert "The White House, 4 Sept. 2001." in styles.mla(document, **CITE)
    assert "Accessed 1 May 2025." in styles.mla(document, **CITE)


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
    from documents.models import Document

    for types in (embedded.SCHEMA_ORG_TYPES, reference_managers.CSL_TYPES, reference_managers.RIS_TYPES):
        assert set(types) <= set(Document.Type.values)


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
    ]


def test_coins_is_a_dublin_core_context_object():
    from urllib.parse import parse_qsl

    document = statement(creator="William J. Clinton")
    fields = dict(parse_qsl(embedded.coins(document, url=URL)))
    assert fields["ctx_ver"] == "Z39.88-2004"
    assert fields["rft_val_fmt"] == "info:ofi/fmt:kev:mtx:dc"
    assert fields["rft.title"] == document.title
    assert fields["rft.creator"] == "Clinton, William J."
    assert fields["rft.date"] == "2000-12-31"
    assert fields["rft.identifier"] == URL


def test_citing_a_passage_names_it_and_links_its_permalink():
    document = statement()
    chicago = styles.chicago(document, **CITE, passage=3)
    assert f"{ARCHIVE}, par. 3. Accessed May 1, 2025. {URL}#p-3." in chicago
    mla = styles.mla(document, **CITE, passage=3)
    assert f"{ARCHIVE}, archive.example.org/documents/statement-on-signature/#p-3, par. 3. Accessed" in mla


def test_the_passage_placeholder_leaves_the_rest_of_the_citation_as_it_is():
    document = statement()
    template = styles.chicago(document, **CITE, passage=styles.PASSAGE_PLACEHOLDER)
    assert template.replace(styles.PASSAGE_PLACEHOLDER, "3") == styles.chicago(document, **CITE, passage=3)
