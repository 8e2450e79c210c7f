"""``import_documents``: front-matter and CSV files, all or nothing, re-import and dry run."""

import datetime
import textwrap
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from documents.annotations import services, writes
from documents.importing.document_files import ImportProblem, read_records
from documents.models import Document
from tests.factories import CollectionFactory, DocumentFactory

pytestmark = pytest.mark.django_db

STATEMENT = textwrap.dedent(
    """\
    ---
    title: Statement on Signature of the International Criminal Court Treaty
    slug: statement-on-signature
    creator: William J. Clinton
    date: 2000-12-31
    type: statement
    status: published
    collections: united-states-and-the-icc
    tags: rome-statute, united-states
    ---

    # Statement

    Signature will enhance our ability\u00a0to further protect U.S. officials.

    > But more must be done.
    """
)

CSV = (
    "title,slug,date,type,text\n"
    'A letter,a-letter,1998-07-17,letter,"First passage.\n\nSecond passage."\n'
    "A treaty,a-treaty,,treaty,The parties agree.\n"
)


def write(directory: Path, name: str, content: str, encoding: str = "utf-8") -> Path:
    path = directory / name
    path.write_text(content, encoding=encoding)
    return path


def run(*paths, dry_run: bool = False) -> str:
    out = StringIO()
    args = [str(path) for path in paths] + (["--dry-run"] if dry_run else [])
    call_command("import_documents", *args, stdout=out)
    return out.getvalue()


def import_error(*paths) -> str:
    with pytest.raises(CommandError) as error:
        run(*paths)
    return str(error.value)


@pytest.fixture
def collection(db):
    return CollectionFactory(slug="united-states-and-the-icc")


def test_markdown_file_with_front_matter_creates_a_document(tmp_path, collection):
    output = run(write(tmp_path, "statement.md", STATEMENT))

    document = Document.objects.get(slug="statement-on-signature")
    assert document.title == "Statement on Signature of the International Criminal Court Treaty"
    assert document.creator == "William J. Clinton"
    assert document.date == datetime.date(2000, 12, 31)
    assert document.type == Document.Type.STATEMENT
    assert document.is_published
    assert document.published_at is not None
    assert list(document.collections.all()) == [collection]
    assert sorted(document.tags.names()) == ["rome-statute", "united-states"]
    assert [(p.kind, p.text) for p in document.passages] == [
        ("heading", "Statement"),
        ("paragraph", "Signature will enhance our ability\u00a0to further protect U.S. officials."),
        ("quotation", "But more must be done."),
    ]
    assert output.splitlines() == [
        "created statement-on-signature",
        "Imported 1 document: 1 created, 0 updated.",
    ]


def test_csv_file_creates_one_document_per_row(tmp_path):
    output = run(write(tmp_path, "batch.csv", CSV))

    letter = Document.objects.get(slug="a-letter")
    assert letter.type == Document.Type.LETTER
    assert [p.text for p in letter.passages] == ["First passage.", "Second passage."]
    treaty = Document.objects.get(slug="a-treaty")
    assert treaty.date is None
    assert treaty.status == Document.Status.DRAFT
    assert "Imported 2 documents: 2 created, 0 updated." in output


def test_plain_text_and_markdown_files_in_one_run(tmp_path, collection):
    note = write(tmp_path, "note.txt", "---\ntitle: A note\nslug: a-note\n---\nJust one passage.\n")

    output = run(write(tmp_path, "statement.markdown", STATEMENT), note)

    assert set(Document.objects.values_list("slug", flat=True)) == {"statement-on-signature", "a-note"}
    assert "Imported 2 documents: 2 created, 0 updated." in output


def test_a_directory_imports_the_supported_files_inside_it(tmp_path, collection):
    write(tmp_path, "statement.md", STATEMENT)
    write(tmp_path, "batch.csv", CSV)
    write(tmp_path, "notes.docx", "ignored")

    run(tmp_path)

    assert Document.objects.count() == 3


def test_reimport_updates_the_document_and_counts_a_revision_only_for_new_text(tmp_path, collection):
    path = write(tmp_path, "statement.md", STATEMENT)
    run(path)
    write(tmp_path, "statement.md", STATEMENT.replace("creator: William J. Clinton", "creator: Bill Clinton"))

    output = run(path)

    document = Document.objects.get(slug="statement-on-signature")
    assert document.creator == "Bill Clinton"
    assert document.revision == 1
    assert output.splitlines() == [
        "updated statement-on-signature (fields: creator)",
        "Imported 1 document: 0 created, 1 updated.",
    ]

    write(tmp_path, "statement.md", STATEMENT.replace("more must be done", "more must be done now"))
    output = run(path)

    document.refresh_from_db()
    assert document.revision == 2
    assert "(fields: creator, text)" in output


def test_reimporting_the_same_file_changes_nothing(tmp_path, collection):
    path = write(tmp_path, "statement.md", STATEMENT)
    run(path)
    modified = Document.objects.get().modified

    output = run(path)

    document = Document.objects.get()
    assert document.modified == modified
    assert document.revision == 1
    assert output.splitlines() == [
        "unchanged statement-on-signature",
        "Imported 1 document: 0 created, 0 updated, 1 unchanged.",
    ]


def test_keys_a_file_leaves_out_keep_their_stored_values(tmp_path):
    DocumentFactory(slug="a-letter", creator="Kofi Annan", description="Kept.")

    run(write(tmp_path, "letter.md", "---\ntitle: A letter\nslug: a-letter\n---\nNew text.\n"))

    document = Document.objects.get(slug="a-letter")
    assert (document.creator, document.description, document.text) == ("Kofi Annan", "Kept.", "New text.")


def test_reimport_replaces_tags_and_collections(tmp_path, collection):
    path = write(tmp_path, "statement.md", STATEMENT)
    run(path)
    other = CollectionFactory(slug="treaties")
    write(
        tmp_path,
        "statement.md",
        STATEMENT.replace("collections: united-states-and-the-icc", "collections: treaties").replace(
            "tags: rome-statute, united-states", "tags: rome-statute"
        ),
    )

    output = run(path)

    document = Document.objects.get()
    assert list(document.collections.all()) == [other]
    assert list(document.tags.names()) == ["rome-statute"]
    assert "(fields: collections, tags)" in output


def test_dry_run_reports_what_would_change_and_writes_nothing(tmp_path, collection):
    DocumentFactory(slug="a-letter", title="A letter", text="Old text.", type="letter", date="1998-07-17")
    DocumentFactory(slug="a-treaty", title="A treaty", text="The parties agree.", type="treaty", date=None)
    statement = write(tmp_path, "statement.md", STATEMENT)
    batch = write(tmp_path, "batch.csv", CSV)

    output = run(statement, batch, dry_run=True)

    assert output.splitlines() == [
        "create statement-on-signature",
        "update a-letter (fields: text); annotations: 0 unchanged, 0 moved, 0 changed, 0 orphaned",
        "unchanged a-treaty",
        "Dry run: would import 3 documents: 1 created, 1 updated, 1 unchanged, "
        "annotations: 0 unchanged, 0 moved, 0 changed, 0 orphaned. Nothing was written.",
    ]
    assert not Document.objects.filter(slug="statement-on-signature").exists()
    assert Document.objects.get(slug="a-letter").text == "Old text."


def test_a_bad_file_stops_the_run_and_imports_nothing_from_the_good_ones(tmp_path, collection):
    good = write(tmp_path, "statement.md", STATEMENT)
    batch = write(tmp_path, "batch.csv", CSV)
    bad = write(tmp_path, "bad.md", "---\ntitle: Bad\nslug: bad\ndate: 2001-02-30\n---\nText.\n")

    message = import_error(good, batch, bad)

    assert message == f"{bad}, line 4: the date “2001-02-30” does not exist. Nothing was imported."
    assert not Document.objects.exists()


def test_a_bad_file_keeps_earlier_documents_unchanged(tmp_path, collection):
    DocumentFactory(slug="a-letter", title="A letter", text="Old text.")
    batch = write(tmp_path, "batch.csv", CSV)
    bad = write(tmp_path, "bad.md", "---\ntitle: Bad\nslug: bad\ntype: poem\n---\nText.\n")

    import_error(batch, bad)

    assert Document.objects.get(slug="a-letter").text == "Old text."
    assert not Document.objects.filter(slug="a-treaty").exists()


@pytest.mark.parametrize(
    ("content", "where", "reason"),
    [
        ("---\ntitle: T\nslug: s\ntitel: T\n---\n", "line 4", "unknown key “titel”"),
        ("---\nslug: s\n---\nText.\n", "line 1", "every document needs a title"),
        ("---\ntitle: T\n---\nText.\n", "line 1", "every document needs a slug"),
        ("---\ntitle: T\nslug: s\ndate: 31/12/2000\n---\n", "line 4", "is not written as YYYY-MM-DD"),
        ("---\ntitle: T\nslug: s\ntype: poem\n---\n", "line 4", "unknown type “poem”. Use one of: statement"),
        ("---\ntitle: T\nslug: s\nstatus: live\n---\n", "line 4", "unknown status “live”"),
        ("---\ntitle: T\nslug: not a slug\n---\n", "line 3", "slug: Enter a valid “slug”"),
        ("---\ntitle: T\nslug: s\nlanguage:\n---\n", "line 4", "language: This field cannot be blank."),
        (
            "---\ntitle: T\nslug: s\ncollections: missing\n---\n",
            "line 4",
            "no collection with the slug “missing”",
        ),
        ("---\ntitle: T\nslug: s\n---\n\nFine.\n\n#\n", "line 8", 'in the text: "#" starts a passage'),
        ("---\ntitle: T\nslug: s\n---\nA \x01 control.\n", "line 5", "in the text: contains the control"),
        ("title: T\nslug: s\n", "line 1", "starts with a front-matter block"),
        ("---\ntitle: T\nslug: s\n", "line 1", "never closed"),
        ("---\ntitle: T\nslug: s\njust words\n---\n", "line 4", "expected “key: value”"),
        ("---\ntitle: T\nslug: s\ntitle: U\n---\n", "line 4", "“title” is given twice (first on line 2)"),
    ],
    ids=[
        "unknown-key",
        "missing-title",
        "missing-slug",
        "date-format",
        "unknown-type",
        "unknown-status",
        "invalid-slug",
        "blank-language",
        "unknown-collection",
        "malformed-markup",
        "control-character",
        "no-front-matter",
        "unclosed-front-matter",
        "not-key-value",
        "duplicate-key",
    ],
)
def test_bad_markdown_file_names_file_line_and_reason(tmp_path, content, where, reason):
    path = write(tmp_path, "doc.md", content)

    message = import_error(path)

    assert message.startswith(f"{path}, {where}: ")
    assert reason in message
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("content", "where", "reason"),
    [
        ("title,slug,colour\nT,s,red\n", "line 1", "unknown column “colour”"),
        ("title,text\nT,Text.\n", "line 1", "the header has no “slug” column"),
        ("title,slug,title\nT,s,U\n", "line 1", "the column “title” appears twice"),
        ("title,slug\nT,s,extra\n", "line 2", "this row has 3 cells but the header has 2 columns"),
        ('title,slug,text\nA,a,"One.\n\nTwo."\nB,b,"Fine.\n\n>"\n', "line 5", "the text cell, its line 3"),
        ("title,slug\nT,\n", "line 2", "every document needs a slug"),
        ("title,slug,\nT,s,\n", "line 1", "a column without a name"),
    ],
    ids=[
        "unknown-column",
        "missing-column",
        "duplicate-column",
        "ragged-row",
        "malformed-markup",
        "empty-slug",
        "unnamed-column",
    ],
)
def test_bad_csv_file_names_file_line_and_reason(tmp_path, content, where, reason):
    path = write(tmp_path, "batch.csv", content)

    message = import_error(path)

    assert message.startswith(f"{path}, {where}: ")
    assert reason in message
    assert not Document.objects.exists()


def test_duplicate_slug_within_one_run_names_both_places(tmp_path):
    first = write(tmp_path, "a.md", "---\ntitle: A\nslug: same\n---\n")
    second = write(tmp_path, "b.csv", "title,slug\nB,other\nC,same\n")

    message = import_error(first, second)

    assert message.startswith(
        f"{second}, line 3: the slug “same” is already used in this import by {first}, line 3"
    )
    assert not Document.objects.exists()


def test_file_that_is_not_utf8_is_refused_with_its_line(tmp_path):
    path = write(tmp_path, "latin.md", "---\ntitle: Café\nslug: cafe\n---\n", encoding="latin-1")

    message = import_error(path)

    assert message.startswith(f"{path}, line 2: the file is not valid UTF-8 (byte 0xE9)")


def test_utf8_byte_order_mark_and_windows_line_endings_are_accepted(tmp_path):
    path = tmp_path / "windows.md"
    path.write_bytes("\ufeff---\r\ntitle: Windows\r\nslug: windows\r\n---\r\nOne.\r\n\r\nTwo.\r\n".encode())

    run(path)

    assert [p.text for p in Document.objects.get(slug="windows").passages] == ["One.", "Two."]


def test_unsupported_and_missing_files_are_refused(tmp_path):
    docx = write(tmp_path, "notes.docx", "text")

    assert "cannot import “.docx” files" in import_error(docx)
    assert f"{tmp_path / 'gone.md'}: no such file or directory." in import_error(tmp_path / "gone.md")


def test_values_keep_non_breaking_spaces_and_colons(tmp_path):
    path = write(tmp_path, "doc.md", '---\ntitle: "Rome: the\u00a0Statute"\nslug: rome\n---\n')

    (record,) = read_records(path=path)

    assert record.values["title"] == "Rome: the\u00a0Statute"


def test_read_records_does_not_touch_the_database(tmp_path, django_assert_num_queries):
    path = write(tmp_path, "batch.csv", CSV)

    with django_assert_num_queries(0):
        records = read_records(path=path)

    assert [(r.values["slug"], r.line) for r in records] == [("a-letter", 2), ("a-treaty", 5)]


def test_import_problem_without_a_line_names_the_file():
    assert str(ImportProblem(Path("docs/a.md"), None, "no such file or directory.")) == (
        "docs/a.md: no such file or directory."
    )


def front_matter(*lines: str, text: str = "Text.\n") -> str:
    return "\n".join(("---", "title: T", "slug: s", *lines, "---", text))


def test_tags_and_collections_may_be_yaml_lists(tmp_path, collection):
    CollectionFactory(slug="treaties")
    path = write(
        tmp_path,
        "doc.md",
        front_matter(
            "collections: [united-states-and-the-icc, treaties]",
            "tags:",
            "  - rome-statute",
            '  - "Clinton, William J."',
            "  -   united   states  ",
        ),
    )

    run(path)

    document = Document.objects.get()
    assert sorted(c.slug for c in document.collections.all()) == ["treaties", "united-states-and-the-icc"]
    assert sorted(document.tags.names()) == ["Clinton, William J.", "rome-statute", "united states"]


def test_a_comma_separated_string_still_lists_several_tags(tmp_path):
    (record,) = read_records(path=write(tmp_path, "doc.md", front_matter("tags: a,  b ,, c d")))

    assert record.values["tags"] == ("a", "b", "c d")


def test_quoted_values_keep_colons_hashes_quotes_and_escapes(tmp_path):
    path = write(
        tmp_path,
        "doc.md",
        front_matter(
            'creator: "Clinton: the #1 signer"',
            "publisher: 'O''Brien & Sons'",
            'description: "A\\u00a0non-breaking space"',
            "# a line of comment",
            "source: The archive # a comment, not part of the value",
        ),
    )

    (record,) = read_records(path=path)

    assert record.values["creator"] == "Clinton: the #1 signer"
    assert record.values["publisher"] == "O'Brien & Sons"
    assert record.values["description"] == "A\u00a0non-breaking space"
    assert record.values["source"] == "The archive"


def test_multi_line_values_are_folded_or_kept_as_yaml_says(tmp_path):
    path = write(
        tmp_path,
        "doc.md",
        front_matter(
            "description: >",
            "  A statement made on",
            "  the last day of 2000.",
            "rights: |",
            "  Public domain.",
            "  No rights reserved.",
            "creator: William",
            "  J. Clinton",
        ),
    )

    run(path)

    document = Document.objects.get()
    assert document.description == "A statement made on the last day of 2000."
    assert document.rights == "Public domain.\nNo rights reserved."
    assert document.creator == "William J. Clinton"


def test_values_are_kept_as_written_not_turned_into_yaml_numbers_or_booleans(tmp_path):
    path = write(
        tmp_path,
        "doc.md",
        front_matter("creator: 1984", "identifier: 0012", "language: no", "date_display: 1.50"),
    )

    run(path)

    document = Document.objects.get()
    assert (document.creator, document.identifier, document.language) == ("1984", "0012", "no")
    assert document.date_display == "1.50"


@pytest.mark.parametrize("date", ["2000-12-31", '"2000-12-31"', "2000-12-31 # signed that day"])
def test_a_yaml_date_becomes_the_document_date(tmp_path, date):
    run(write(tmp_path, "doc.md", front_matter(f"date: {date}")))

    assert Document.objects.get().date == datetime.date(2000, 12, 31)


def test_null_and_empty_values_clear_the_stored_value(tmp_path):
    DocumentFactory(slug="s", title="T", creator="Kofi Annan", date="1998-07-17", tags=["old"])

    run(write(tmp_path, "doc.md", front_matter("creator: ~", "date: null", "tags:")))

    document = Document.objects.get()
    assert (document.creator, document.date, list(document.tags.names())) == ("", None, [])


def test_yaml_cannot_construct_python_objects_or_run_anything(tmp_path):
    marker = tmp_path / "ran"
    path = write(
        tmp_path,
        "doc.md",
        front_matter(f"creator: !!python/object/apply:os.system ['touch {marker}']"),
    )

    message = import_error(path)

    assert message.startswith(f"{path}, line 4: creator: the YAML tag “!!python/object/apply:os.system”")
    assert not marker.exists()
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("lines", "where", "reason"),
    [
        (
            ["creator: Rome: the Statute"],
            "line 4",
            "found “creator: Rome: the Statute” (YAML: mapping values",
        ),
        (["creator: Rome: the Statute"], "line 4", "Put a value in double quotes if it contains “: ”"),
        (['creator: "never closed', "date: 2000-12-31"], "line 4", "while scanning a quoted scalar"),
        (["tags: [a, b", "date: 2000-12-31"], "line 4", "expected “key: value”"),
        (["\tdate: 2000-12-31"], "line 4", "found character '\\t' that cannot start any token"),
        (["creator: @someone"], "line 4", "found character '@' that cannot start any token"),
        (["- a list item"], "line 4", "found “- a list item”"),
        (["creator: [A, B]"], "line 4", "creator: give one value, not a list"),
        (["creator:", "  name: A"], "line 4", "creator: give one value, not a key: value mapping"),
        (["tags:", "  - a", "  - [b, c]"], "line 6", "tags: each item is one name"),
        (["tags: !custom a"], "line 4", "tags: the YAML tag “!custom” is not accepted"),
        (["tags: &t [a]", "collections: *u"], "line 5", "found undefined alias"),
        (
            ["creator: A", "publisher: B \x01 C"],
            "line 5",
            "the front matter contains the control character U+0001",
        ),
    ],
    ids=[
        "unquoted-colon",
        "unquoted-colon-advice",
        "unclosed-quote",
        "unclosed-flow-list",
        "tab-indent",
        "reserved-character",
        "not-a-mapping",
        "list-for-one-value",
        "mapping-for-one-value",
        "nested-list",
        "custom-tag",
        "undefined-alias",
        "control-character",
    ],
)
def test_malformed_yaml_names_file_line_and_reason(tmp_path, lines, where, reason):
    path = write(tmp_path, "doc.md", front_matter(*lines))

    message = import_error(path)

    assert message.startswith(f"{path}, {where}: ")
    assert reason in message
    assert not Document.objects.exists()


@pytest.mark.parametrize("dry_run", [True, False])
def test_reimporting_changed_text_reports_what_became_of_the_annotations(tmp_path, user, dry_run):

    DocumentFactory(slug="a-letter", title="A letter", text="Old passage.\n\nSecond passage.", type="letter")
    document = Document.objects.get(slug="a-letter")
    kept = services.create_annotation(author=user, document=document, target=writes.Target(exact="Second"))
    lost = services.create_annotation(author=user, document=document, target=writes.Target(exact="Old"))
    batch = write(tmp_path, "batch.csv", CSV)

    output = run(batch, dry_run=dry_run)

    assert "a-letter (fields: date, text); annotations: 0 unchanged, 1 moved, 0 changed, 1 orphaned" in output
    lost.refresh_from_db()
    kept.refresh_from_db()
    expected = ("anchored", "anchored") if dry_run else ("reanchored", "orphaned")
    assert (kept.anchor, lost.anchor) == expected


def test_the_curators_guides_example_updates_the_seed_statement_and_adds_no_second_document(tmp_path):
    guide = (Path(__file__).resolve().parents[3] / "docs" / "curators.md").read_text(encoding="utf-8")
    section = guide[guide.index("## Importing documents") :]
    example = section[
        section.index("```\n---\n") + 4 : section.index("\n```", section.index("```\n---\n") + 4)
    ]
    call_command("load_seed", stdout=StringIO())
    seed = Document.objects.get(slug="statement-on-signature-of-the-icc-treaty")
    before = (Document.objects.count(), seed.revision, seed.text)
    path = tmp_path / "statement.md"
    path.write_text(example + "\n", encoding="utf-8")

    call_command("import_documents", str(path), stdout=StringIO())

    seed.refresh_from_db()
    assert (Document.objects.count(), seed.revision, seed.text) == before
    assert sorted(seed.tags.names()) == ["rome-statute", "united-states"]
    assert Document.objects.filter(title=seed.title).count() == 1
