"""TEI in: ``manage.py import_tei`` reads the header into the metadata and the text into passages,
reports what the archive cannot hold, and a round trip through ``tei.xml`` keeps the canonical text."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from documents.archive import text as text_module
from documents.archive.models import Document
from documents.archive.tei.reading import read_tei
from tests.factories import DocumentFactory

TEI_FILE = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>A Letter   from
        the Harbour</title><author>Ann Writer</author><author>Bo Clerk</author></titleStmt>
      <publicationStmt><publisher>Some Press</publisher>
        <availability><licence>CC BY 4.0</licence></availability></publicationStmt>
      <sourceDesc><bibl><title>A Letter</title><publisher>Harbour Board</publisher>
        <date when="1851-06">June 1851</date><idno>HB-7</idno></bibl></sourceDesc>
    </fileDesc>
    <encodingDesc><p>Transcribed by hand.</p></encodingDesc>
    <profileDesc>
      <abstract><p>A letter about the canal.</p></abstract>
      <langUsage><language ident="fr">French</language></langUsage>
      <textClass><keywords><term type="type">letter</term><term>canals</term></keywords></textClass>
    </profileDesc>
  </teiHeader>
  <text>
    <front><p>Front matter.</p></front>
    <body>
      <head>Dear <persName>Sir</persName>,</head>
      <p>I write <hi rend="italic">in haste</hi>:<note>a later hand adds “sic”</note> the
         canal\u00a0is <lb/>finished.</p>
      <table><row><cell>1</cell></row></table>
      <div><head>Postscript</head>
        <quote>Nothing is lost.</quote>
        <list><item>Bricks</item><item>Mortar</item></list>
        <figure><graphic url="canal.png"/></figure>
      </div>
    </body>
  </text>
</TEI>
"""


def _import(tmp_path, content: str, name="letter.xml", *extra) -> str:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    out = StringIO()
    call_command("import_tei", str(path), *extra, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_header_becomes_the_metadata_and_the_text_the_passages(tmp_path):
    _import(tmp_path, TEI_FILE)
    document = Document.objects.get(slug="letter")
    assert (document.title, document.creator, document.publisher) == (
        "A Letter from the Harbour",
        "Ann Writer; Bo Clerk",
        "Harbour Board",
    )
    assert (document.date, document.date_display) == (None, "June 1851")
    assert (document.rights, document.identifier, document.language) == ("CC BY 4.0", "HB-7", "fr")
    assert (document.description, document.type) == ("A letter about the canal.", "letter")
    assert list(document.tags.names()) == ["canals"]
    assert document.status == Document.Status.DRAFT, (
        "a curator reviews an imported document before publishing"
    )
    assert [(p.kind, p.text) for p in document.passages] == [
        ("heading", "Dear Sir,"),
        ("paragraph", "I write in haste: the canal\u00a0is finished."),
        ("heading", "Postscript"),
        ("quotation", "Nothing is lost."),
        ("item", "Bricks"),
        ("item", "Mortar"),
    ]
    assert document.revisions.get().summary == "Imported."


@pytest.mark.django_db
def test_what_the_archive_cannot_hold_is_reported_by_name(tmp_path):
    output = _import(tmp_path, TEI_FILE)
    assert (
        "not imported, with their words: figure ×1, front ×1, lb ×1, note ×1, table ×1, "
        "teiHeader/encodingDesc/p ×1" in output
    )
    assert "kept as plain text, their markup dropped: hi ×1, persName ×1" in output


@pytest.mark.django_db
def test_a_round_trip_through_tei_keeps_the_canonical_text_and_metadata(client, tmp_path):
    original = DocumentFactory(
        slug="minutes",
        title="Minutes",
        creator="Jane Clerk",
        date=datetime.date(1850, 3, 1),
        publisher="The City",
        rights="Public domain",
        identifier="CA-4",
        source="City archive",
        description="What was decided.",
        text=(
            "# The council\n\n\\# 1 is a number\n\nMet at noon\u00a0©.\n\n"
            "> We shall build 𝔘.\n\n- One\n\n- Two"
        ),
        tags=["canals", "Harbour"],
    )
    exported = client.get("/documents/minutes/tei.xml").content
    text, fields = original.canonical_text, {n: getattr(original, n) for n in Document.METADATA_FIELDS}
    original.delete()

    _import(tmp_path, exported.decode(), "anything.xml")

    restored = Document.objects.get(slug="minutes")
    assert restored.canonical_text == text
    assert {n: getattr(restored, n) for n in Document.METADATA_FIELDS} == fields
    assert sorted(restored.tags.names()) == ["Harbour", "canals"]


@pytest.mark.django_db
def test_importing_again_updates_the_text_as_a_new_revision(tmp_path):
    _import(tmp_path, TEI_FILE)
    _import(tmp_path, TEI_FILE.replace("Nothing is lost.", "Everything is kept."))
    document = Document.objects.get(slug="letter")
    assert document.revision == 2
    assert "Everything is kept." in document.canonical_text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<TEI xmlns='http://www.tei-c.org/ns/1.0'><teiHeader>", "not well-formed XML"),
        ("<html/>", "not TEI's <TEI>"),
        (
            TEI_FILE.replace("<title>A Letter   from", "<foo>").replace("the Harbour</title>", "</foo>"),
            "no title",
        ),
        (TEI_FILE.replace('when="1851-06"', 'when="1851-02-30"'), "does not exist"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_reason_and_nothing_is_written(
    tmp_path, content, message
):
    with pytest.raises(CommandError, match=message):
        _import(tmp_path, content)
    assert not Document.objects.exists()


def test_entities_are_not_expanded():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>&b;</title>'
        "</titleStmt></fileDesc></teiHeader><text><body><p>x</p></body></text></TEI>"
    )
    assert "aaaaa" not in read_tei(bomb.encode()).values.get("title", "")


passage_texts = (
    st.tuples(
        st.sampled_from(["", "# ", "> ", "- ", "#", ">", "-", "\\", "\\# ", "\\\\- "]),
        st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("#>-\\ \u00a0")),
    )
    .map(lambda parts: re.sub(r"[ \t]+", " ", "".join(parts)).strip(" "))
    .filter(bool)
)


@given(st.lists(st.tuples(st.sampled_from(text_module.KINDS), passage_texts), min_size=1, max_size=6))
def test_markup_is_the_inverse_of_parse(passages):
    parsed = text_module.parse(text_module.markup(passages))
    expected = [(kind, text_module.normalise(content)) for kind, content in passages]
    assert [(p.kind, p.text) for p in parsed] == expected


@pytest.mark.django_db
def test_a_type_the_archive_does_not_have_is_reported(tmp_path):
    output = _import(
        tmp_path, TEI_FILE.replace('<term type="type">letter</term>', '<term type="type">poem</term>')
    )
    assert "the type “poem”" in output
    assert Document.objects.get(slug="letter").type == Document.Type.OTHER
