"""Exports of annotations as JSON-LD, CSV and Markdown: content, privacy and cost."""

import csv
import io
import re
from datetime import date

import pytest
from django.conf import settings as settings_module
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from documents.annotations import exports, jsonld, moderation, services, writes
from documents.annotations import rules as annotation_rules
from documents.annotations.writes import Target
from tests.factories import AnnotationFactory, CuratorFactory, DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
HEADER = (
    '"id","document","document_creator","document_date","document_url","passage","quote","comment","tags",'
    '"author","visibility","group","created","modified","permalink","in_reply_to"'
)
TEXT = "# Heading\n\nAlpha beta gamma delta.\n\nA second passage, with more words in it."


@pytest.fixture
def doc():
    return DocumentFactory(
        title="The Rome Statute",
        slug="rome",
        text=TEXT,
        creator="William J. Clinton",
        date=date(2000, 12, 31),
    )


def export_url(document, fmt):
    return reverse("document-annotations-export", args=[document.slug, fmt])


def my_export_url(fmt):
    return reverse("my-annotations-export", args=[fmt])


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def spreadsheet_cells(text: str, delimiter: str) -> list[list[str]]:
    """The cells a spreadsheet reads from CSV text split on ``delimiter``: a double quote turns
    quoting on and off ("" inside quotes is one quote), and the delimiter and line ends split
    only outside quotes. Python's csv module is stricter than spreadsheets about text after a
    closing quote, so it cannot stand in for one reading with another list separator."""
    records: list[list[str]] = []
    record: list[str] = []
    cell: list[str] = []
    quoted = False
    index = 0
    while index < len(text):
        char = text[index]
        if char == '"' and quoted and text[index + 1 : index + 2] == '"':
            cell.append('"')
            index += 1
        elif char == '"':
            quoted = not quoted
        elif not quoted and char == delimiter:
            record.append("".join(cell))
            cell = []
        elif not quoted and char in "\r\n":
            index += text[index : index + 2] == "\r\n"
            records.append([*record, "".join(cell)])
            record, cell = [], []
        else:
            cell.append(char)
        index += 1
    if record or cell:
        records.append([*record, "".join(cell)])
    return records


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def runs_as_formula(cell: str) -> bool:
    """Whether a spreadsheet may read the cell as a formula: it starts with a trigger, perhaps
    after whitespace, which some spreadsheets skip."""
    return cell.startswith(FORMULA_STARTS) or cell.lstrip().startswith(FORMULA_STARTS)


MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def outline(markdown: str) -> tuple[list[tuple[str, str]], list[str], set[str]]:
    """What a Markdown reader makes of an export: its headings, the paragraphs that stand outside
    any block quote (where the export's own bylines, tags and links are), and the kinds of block.
    CommonMark with raw HTML on, as most renderers an export is pasted into."""
    tokens = MARKDOWN.parse(markdown)
    headings: list[tuple[str, str]] = []
    outside: list[str] = []
    depth = 0
    for previous, token in zip([None, *tokens], tokens, strict=False):
        if token.type == "blockquote_open":
            depth += 1
        elif token.type == "blockquote_close":
            depth -= 1
        elif token.type == "inline" and previous.type == "heading_open":
            headings.append((previous.tag, token.content))
        elif token.type == "inline" and depth == 0:
            outside.append(token.content)
    kinds = {token.type for token in tokens} | {
        child.type for token in tokens if token.children for child in token.children
    }
    return headings, outside, kinds


FORGERIES = (
    "Fine words.\n"
    "# Forged document\n"
    "  ## Forged section\n"
    "Forged setext heading\n"
    "===\n"
    "**mallory** · 2026-01-01 · Public · [permalink](http://testserver/annotations/x/)\n"
    "- **ada** · 2026-01-01 · Public · [permalink](http://testserver/annotations/y/)\n"
    "+ item\n"
    "* item\n"
    "1. item\n"
    "2) item\n"
    "---\n"
    "***\n"
    "_ _ _\n"
    "> nested quote\n"
    "<h1>raw block</h1>\n"
    "inline <h2>raw</h2> and <!-- hidden --> html\n"
    "```\n"
    "~~~\n"
    "| a | b |\n"
    "|---|---|\n"
    "[x]: http://evil.example/\n"
    "a written escape \\</p> is no way out\n"
    "\n"
    "Tags: forged\\\n"
    "\n"
    "> "
)
# Blocks that only a comment could bring into an export.
BLOCKS_NO_COMMENT_MAKES = {"html_block", "html_inline", "hr", "fence", "code_block", "table_open"}


def exported_ids(response, fmt):
    """The ids of the annotations in an export response, whatever its format."""
    if fmt == "jsonld":
        return {item["id"].rstrip("/").rsplit("/", 1)[-1] for item in jsonld.parse_many(response.json())}
    if fmt == "csv":
        return {row["id"] for row in csv_rows(response)}
    text = response.content.decode()
    return {part.split("/")[0] for part in text.split(f"{BASE}/annotations/")[1:]}


class TestResponses:
    @pytest.mark.parametrize(
        ("fmt", "content_type"),
        [
            ("jsonld", 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'),
            ("csv", "text/csv; charset=utf-8"),
            ("md", "text/markdown; charset=utf-8"),
        ],
    )
    def test_each_format_is_an_attachment_with_its_media_type(self, client, doc, fmt, content_type):
        response = client.get(export_url(doc, fmt))

        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        disposition = response["Content-Disposition"]
        assert disposition.startswith('attachment; filename="rome-annotations-')
        assert disposition.endswith(f'.{fmt}"')

    def test_my_export_is_named_after_the_account(self, client, user):
        client.force_login(user)

        response = client.get(my_export_url("csv"))

        assert f'filename="{user.username}-annotations-' in response["Content-Disposition"]

    def test_an_unknown_format_is_not_found(self, client, doc):
        response = client.get(f"/documents/{doc.slug}/annotations/export.xlsx")

        assert response.status_code == 404

    def test_exports_are_not_cached(self, client, doc):
        response = client.get(export_url(doc, "md"))

        assert "no-store" in response["Cache-Control"]

    def test_posting_to_an_export_is_refused(self, client, doc):
        response = client.post(export_url(doc, "csv"))

        assert response.status_code == 405


class TestCsv:
    def test_header_is_exactly_the_documented_columns(self, client, doc):
        response = client.get(export_url(doc, "csv"))

        assert response.content.decode().splitlines()[0] == HEADER

    def test_a_row_holds_the_annotation_with_its_tags_joined_by_a_bar(self, client, doc, user):
        annotation = services.create_annotation(
            author=user,
            document=doc,
            target=Target(exact="beta gamma"),
            comment="Line one,\nline “two”.",
            tags=["law", "ICC", "rome statute"],
            visibility="public",
        )

        [row] = csv_rows(client.get(export_url(doc, "csv")))

        assert row == {
            "id": str(annotation.pk),
            "document": "The Rome Statute",
            "document_creator": "William J. Clinton",
            "document_date": "2000-12-31",
            "document_url": f"{BASE}/documents/rome/",
            "passage": "2",
            "quote": "beta gamma",
            "comment": "Line one,\nline “two”.",
            "tags": "ICC|law|rome statute",
            "author": user.username,
            "visibility": "public",
            "group": "",
            "created": annotation.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "modified": annotation.modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "permalink": f"{BASE}/annotations/{annotation.pk}/",
            "in_reply_to": "",
        }

    def test_passage_is_where_a_note_starts_and_blank_for_page_notes_replies_and_orphans(
        self, client, doc, user
    ):
        later = services.create_annotation(
            author=user, document=doc, target=Target(exact="more words"), visibility="public"
        )
        spanning = services.create_annotation(
            author=user, document=doc, target=Target(exact="delta.\n\nA second"), visibility="public"
        )
        page_note = services.create_annotation(
            author=user, document=doc, target=Target(), comment="All of it.", visibility="public"
        )
        reply = services.create_annotation(author=user, parent=later, comment="Yes.")
        orphan = AnnotationFactory(document=doc, visibility="public", start=2, end=7)
        orphan.anchor = orphan.Anchor.ORPHANED
        orphan.save(update_fields=["anchor"])

        rows = {row["id"]: row["passage"] for row in csv_rows(client.get(export_url(doc, "csv")))}

        assert rows == {
            str(later.pk): "3",
            str(spanning.pk): "2",
            str(page_note.pk): "",
            str(reply.pk): "",
            str(orphan.pk): "",
        }

    def test_a_date_as_written_is_exported_as_written(self, client, user):
        undated = DocumentFactory(slug="letter", creator="", date=None, date_display="c. 1850")
        AnnotationFactory(document=undated, visibility="public")

        [row] = csv_rows(client.get(export_url(undated, "csv")))

        assert (row["document_creator"], row["document_date"]) == ("", "c. 1850")

    def test_every_column_is_documented(self):
        guide = (settings_module.BASE_DIR / "docs" / "reading-and-annotating.md").read_text()
        csv_item = guide[guide.index("- **CSV** columns:") : guide.index("- **Markdown**")]
        items = re.findall(r"^  - (`[a-z_]+`(?:, `[a-z_]+`)*):", csv_item, flags=re.MULTILINE)
        documented = [name for item in items for name in re.findall(r"`([a-z_]+)`", item)]
        assert tuple(documented) == exports.CSV_COLUMNS

    @pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)"])
    def test_cells_a_spreadsheet_would_run_as_formulas_get_an_apostrophe(self, client, doc, dangerous):
        AnnotationFactory(document=doc, visibility="public", comment=dangerous, tags=[dangerous])

        [row] = csv_rows(client.get(export_url(doc, "csv")))

        assert row["comment"] == "'" + dangerous
        assert row["tags"] == "'" + dangerous

    def test_a_document_title_is_neutralised_too(self, client):
        document = DocumentFactory(title="=cmd|' /C calc'!A0", text=TEXT)
        AnnotationFactory(document=document, visibility="public")

        [row] = csv_rows(client.get(export_url(document, "csv")))

        assert row["document"] == "'=cmd|' /C calc'!A0"

    def test_neutralising_leaves_ordinary_text_alone(self):
        assert exports.neutralise_formula("A note = thought") == "A note = thought"
        assert exports.neutralise_formula("\tTAB") == "'\tTAB"
        assert exports.neutralise_formula("") == ""

    @pytest.mark.parametrize(
        "dangerous",
        [
            "\uff1d1+1",
            '\uff1dHYPERLINK("http://evil")',
            "\uff0b1+1",
            "\uff0d2+3",
            "\uff20SUM(A1)",
            " =1+1",
            "\u3000\uff1d1+1",
            "\n=1+1",
            "\r\n@SUM(A1)",
            "\xa0+1",
        ],
    )
    def test_full_width_triggers_and_triggers_after_whitespace_get_an_apostrophe(
        self, client, doc, dangerous
    ):
        AnnotationFactory(document=doc, visibility="public", comment=dangerous)

        [row] = csv_rows(client.get(export_url(doc, "csv")))

        assert row["comment"] == "'" + dangerous

    @pytest.mark.parametrize("delimiter", [",", ";", "\t"])
    def test_every_field_is_quoted_so_no_list_separator_splits_a_comment_into_a_formula(
        self, client, doc, delimiter
    ):
        """A spreadsheet whose locale separates lists with ";" reads a comma-separated file
        line by line on ";": text a reader wrote must never stand outside quotes there."""
        comment = 'see;=1+1;=HYPERLINK("http://evil","click")\t@SUM(A1),x;+1'
        AnnotationFactory(document=doc, visibility="public", comment=comment, tags=["a;=1+1"])

        text = client.get(export_url(doc, "csv")).content.decode()

        cells = spreadsheet_cells(text, delimiter)
        assert [cell for record in cells for cell in record if runs_as_formula(cell)] == []
        if delimiter != ",":
            assert all(len(record) == 1 for record in cells)
        else:
            assert cells == [list(row) for row in csv.reader(io.StringIO(text))]
            assert cells[1][exports.CSV_COLUMNS.index("comment")] == comment

    @settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        st.lists(
            st.text(st.sampled_from([*FORMULA_STARTS, " ", "\u3000", "\n", ";", ",", '"', "'", "a", "1"])),
            min_size=4,
            max_size=4,
        ),
        st.sampled_from([",", ";", "\t"]),
    )
    def test_no_exported_cell_starts_a_formula_whatever_was_written(self, doc, user, texts, delimiter):
        """A reader chooses a document's title (as its curator), a quote, a comment and a name;
        none of them opens a formula in any spreadsheet, whatever separator it splits on."""
        annotation = AnnotationFactory.build(document=doc, author=user, visibility="public")
        doc.title, annotation.exact, annotation.comment, user.username = texts
        annotation.save()

        text = exports.to_csv([annotation], base_url=BASE)

        cells = spreadsheet_cells(text, delimiter)
        assert [cell for record in cells for cell in record if runs_as_formula(cell)] == []
        if delimiter == ",":
            row = cells[1]
            assert row[1] in (texts[0], "'" + texts[0])
            assert row[exports.CSV_COLUMNS.index("comment")] in (texts[2], "'" + texts[2])
        annotation.delete()

    @given(
        st.text(st.one_of(st.sampled_from([*FORMULA_STARTS, " ", "\u3000", "\n", "\x0b"]), st.characters()))
    )
    def test_neutralising_a_cell_leaves_no_formula_and_keeps_the_text(self, cell):
        neutralised = exports.neutralise_formula(cell)

        assert not runs_as_formula(neutralised)
        assert neutralised in (cell, "'" + cell)

    def test_a_reply_has_no_quote(self, client, doc, user):
        root = AnnotationFactory(document=doc, author=user, visibility="public")
        reply = services.create_annotation(author=user, parent=root, comment="I agree.")

        rows = {row["id"]: row for row in csv_rows(client.get(export_url(doc, "csv")))}

        assert rows[str(reply.pk)]["quote"] == ""
        assert rows[str(root.pk)]["quote"] == root.exact

    def test_a_row_names_the_documents_address_and_what_a_reply_answers(self, client, doc, user):
        root = AnnotationFactory(document=doc, author=user, visibility="public")
        reply = services.create_annotation(author=user, parent=root, comment="I agree.")

        rows = {row["id"]: row for row in csv_rows(client.get(export_url(doc, "csv")))}

        assert rows[str(root.pk)]["document_url"] == f"{BASE}/documents/rome/"
        assert rows[str(root.pk)]["in_reply_to"] == ""
        assert rows[str(reply.pk)]["in_reply_to"] == f"{BASE}/annotations/{root.pk}/"

    def test_csv_for_excel_starts_with_the_utf8_byte_order_mark(self, client, doc, user):
        AnnotationFactory(document=doc, author=user, visibility="public", comment="Café ©")

        plain = client.get(export_url(doc, "csv")).content
        excel = client.get(export_url(doc, "csv") + "?bom=1").content

        assert not plain.startswith(b"\xef\xbb\xbf")
        assert excel == b"\xef\xbb\xbf" + plain
        assert excel.decode("utf-8-sig").splitlines()[0] == HEADER

    def test_a_page_note_has_an_empty_quote(self, client, doc, user):
        note = services.create_annotation(
            author=user, document=doc, target=Target(), comment="On all of it.", visibility="public"
        )

        rows = {row["id"]: row for row in csv_rows(client.get(export_url(doc, "csv")))}

        assert rows[str(note.pk)]["quote"] == ""
        assert rows[str(note.pk)]["comment"] == "On all of it."


class TestMarkdown:
    def test_a_document_names_its_creator_and_date_and_a_note_its_passage(self, client, doc, user):
        services.create_annotation(
            author=user, document=doc, target=Target(exact="more words"), comment="Here.", visibility="public"
        )

        text = client.get(export_url(doc, "md")).content.decode()

        assert text.startswith(
            "# The Rome Statute\n\nWilliam J. Clinton · December 31, 2000\n\n<http://testserver/documents/rome/>\n"
        )
        assert f" · [passage 3]({BASE}/documents/rome/#p-3) · " in text

    def test_a_page_note_is_on_the_whole_document_and_comes_first(self, doc, user):
        anchored = services.create_annotation(
            author=user, document=doc, target=Target(exact="Alpha"), comment="On Alpha."
        )
        note = services.create_annotation(author=user, document=doc, target=Target(), comment="Overall.")

        text = exports.to_markdown([anchored, note], base_url=BASE)

        assert "*On the whole document*\n\n" in text
        assert "\n\n> Overall.\n" in text
        assert text.index("Overall.") < text.index("> Alpha")

    def test_my_reply_goes_under_a_quotation_of_the_note_it_answers(self, client, doc, user, other_user):
        root = services.create_annotation(
            author=other_user,
            document=doc,
            target=Target(exact="beta gamma"),
            comment="Their point.",
            visibility="public",
        )
        services.create_annotation(author=user, parent=root, comment="My answer.")
        client.force_login(user)

        text = client.get(my_export_url("md")).content.decode()

        assert f"In reply to **{other_user.username}** ([permalink]({BASE}/annotations/{root.pk}/)):" in text
        assert "> > beta gamma" in text
        assert "> Their point." in text
        assert text.index("> Their point.") < text.index(f"- **{user.username}**") < text.index("My answer.")

    def test_a_note_the_reader_may_not_see_is_not_quoted_above_their_reply(
        self, client, doc, user, other_user
    ):
        root = services.create_annotation(
            author=other_user,
            document=doc,
            target=Target(exact="Alpha"),
            comment="Secret words.",
            visibility="public",
        )
        services.create_annotation(author=user, parent=root, comment="My answer.")
        moderation.hide_annotation(root, by=CuratorFactory(), reason="Spam.")
        client.force_login(user)

        text = client.get(my_export_url("md")).content.decode()

        assert "My answer." in text
        assert f"In reply to <{BASE}/annotations/{root.pk}/>:" in text
        assert "Secret words" not in text

    def test_annotations_are_grouped_under_their_document(self, client, user):
        first = DocumentFactory(title="A first document", text=TEXT)
        second = DocumentFactory(title="B second document", text=TEXT)
        services.create_annotation(
            author=user, document=second, target=Target(exact="second passage"), comment="On B."
        )
        services.create_annotation(
            author=user, document=first, target=Target(exact="Alpha beta"), comment="On A.", tags=["x", "y"]
        )
        client.force_login(user)

        text = client.get(my_export_url("md")).content.decode()

        assert text.index("# A first document") < text.index("On A.") < text.index("# B second document")
        assert text.index("# B second document") < text.index("> second passage") < text.index("On B.")
        assert f"<{BASE}/documents/{first.slug}/>" in text
        assert "Tags: x, y" in text

    def test_an_annotation_reads_as_quote_byline_comment_and_tags(self, doc, user):
        annotation = services.create_annotation(
            author=user,
            document=doc,
            target=Target(exact="beta gamma"),
            comment="Why *this*?",
            tags=["law"],
            visibility="public",
        )
        day = f"{annotation.created:%Y-%m-%d}"

        text = exports.to_markdown([annotation], base_url=BASE)

        assert text == (
            "# The Rome Statute\n\n"
            "William J. Clinton · December 31, 2000\n\n"
            f"<{BASE}/documents/rome/>\n\n"
            "> beta gamma\n\n"
            f"**{user.username}** · {day} · Public · [passage 2]({BASE}/documents/rome/#p-2)"
            f" · [permalink]({BASE}/annotations/{annotation.pk}/)\n\n"
            "> Why *this*?\n\n"
            "Tags: law\n"
        )

    def test_replies_are_a_nested_list_under_their_root(self, client, doc, user, other_user):
        root = services.create_annotation(
            author=user, document=doc, target=Target(exact="Alpha"), comment="Root.", visibility="public"
        )
        reply = services.create_annotation(author=other_user, parent=root, comment="First reply.\n\nMore.")
        services.create_annotation(author=user, parent=reply, comment="Answer to the reply.")

        text = client.get(export_url(doc, "md")).content.decode()

        lines = text.splitlines()
        first = lines.index(next(line for line in lines if line.startswith(f"- **{other_user.username}**")))
        assert lines[first + 1 : first + 6] == ["", "  > First reply.", "  >", "  > More.", ""]
        assert lines[first + 6].startswith(f"  - **{user.username}**")
        assert lines[first + 7 : first + 9] == ["", "    > Answer to the reply."]
        assert text.index("Root.") < text.index("First reply.")

    def test_a_reply_without_its_thread_links_to_what_it_answers_without_quoting_it(self, doc, user):
        root = AnnotationFactory(document=doc, visibility="public", comment="Not mine, secret words.")
        reply = services.create_annotation(author=user, parent=root, comment="Mine.")

        text = exports.to_markdown([reply], base_url=BASE)

        assert f"In reply to <{BASE}/annotations/{root.pk}/>:" in text
        assert "secret words" not in text
        assert root.exact not in text

    def test_quotes_and_titles_are_escaped_as_plain_text(self, user):
        document = DocumentFactory(title="Rules *and* [links]", text="1. Not a list *really*.")
        annotation = services.create_annotation(
            author=user, document=document, target=Target(start=0, end=23)
        )

        text = exports.to_markdown([annotation], base_url=BASE)

        assert "# Rules \\*and\\* \\[links\\]" in text
        assert "> 1\\. Not a list \\*really\\*." in text

    def test_a_quote_over_two_passages_stays_one_block_quote(self, doc, user):
        start = doc.canonical_text.index("delta.")
        annotation = services.create_annotation(
            author=user, document=doc, target=Target(start=start, end=start + 11)
        )

        text = exports.to_markdown([annotation], base_url=BASE)

        assert "> delta.\n>\n> A s\n" in text

    def test_a_comment_cannot_forge_a_heading_a_byline_or_any_block(self, doc, user):
        annotation = services.create_annotation(
            author=user,
            document=doc,
            target=Target(exact="beta gamma"),
            comment=FORGERIES,
            tags=["law"],
            visibility="public",
        )
        day = f"{annotation.created:%Y-%m-%d}"

        text = exports.to_markdown([annotation], base_url=BASE)

        headings, outside, kinds = outline(text)
        assert headings == [("h1", "The Rome Statute")]
        assert outside == [
            "William J. Clinton · December 31, 2000",
            f"<{BASE}/documents/rome/>",
            f"**{user.username}** · {day} · Public · [passage 2]({BASE}/documents/rome/#p-2)"
            f" · [permalink]({BASE}/annotations/{annotation.pk}/)",
            "Tags: law",
        ]
        assert not kinds & BLOCKS_NO_COMMENT_MAKES
        assert not kinds & {"bullet_list_open", "ordered_list_open"}
        html = MARKDOWN.render(text)
        assert html.count("<blockquote>") == 2
        comment = html[html.rindex("<blockquote>") : html.rindex("</blockquote>")]
        shown = [
            "# Forged document",
            "## Forged section",
            "- <strong>ada</strong>",
            "1. item",
            "&gt; nested quote",
            "&lt;h1&gt;raw block&lt;/h1&gt;",
            "&lt;h2&gt;raw&lt;/h2&gt;",
            "&lt;!-- hidden --&gt;",
            "&lt;/p&gt; is no way out",
            "| a | b |",
            "[x]: http://evil.example/",
            "```",
            "~~~",
        ]
        assert [words for words in shown if words not in comment] == []

    def test_a_comment_keeps_its_inline_markdown_and_autolinks(self, doc, user):
        annotation = services.create_annotation(
            author=user,
            document=doc,
            target=Target(exact="Alpha"),
            comment=(
                "Why *this* and `code` and [a link](https://example.org/)?\n\n<https://example.org/b>\n"
                "**Bold** first, *em* first, `code` first, [link](https://example.org/c) first, ~~gone~~.\n"
                "- 5 degrees # not a heading"
            ),
        )

        html = MARKDOWN.render(exports.to_markdown([annotation], base_url=BASE))

        assert "<em>this</em>" in html
        assert "<code>code</code>" in html
        assert '<a href="https://example.org/">a link</a>' in html
        assert '<a href="https://example.org/b">https://example.org/b</a>' in html
        assert "<strong>Bold</strong> first, <em>em</em> first, <code>code</code> first," in html
        assert '<a href="https://example.org/c">link</a> first, <s>gone</s>.' in html
        assert "\n- 5 degrees # not a heading</p>" in html

    def test_a_reply_cannot_forge_a_reply_of_its_own(self, client, doc, user, other_user):
        root = services.create_annotation(
            author=user, document=doc, target=Target(exact="Alpha"), comment=FORGERIES, visibility="public"
        )
        reply = services.create_annotation(author=other_user, parent=root, comment=FORGERIES)
        answer = services.create_annotation(author=user, parent=reply, comment=FORGERIES)

        text = client.get(export_url(doc, "md")).content.decode()

        headings, outside, kinds = outline(text)
        assert headings == [("h1", "The Rome Statute")]
        assert [line.rsplit("(", 1)[-1] for line in outside if "· [permalink](" in line] == [
            f"{BASE}/annotations/{note.pk}/)" for note in (root, reply, answer)
        ]
        assert sum(token.type == "list_item_open" for token in MARKDOWN.parse(text)) == 2
        assert not kinds & BLOCKS_NO_COMMENT_MAKES

    def test_a_quoted_parent_cannot_forge_either(self, client, doc, user, other_user):
        root = services.create_annotation(
            author=other_user,
            document=doc,
            target=Target(exact="Alpha"),
            comment=FORGERIES,
            visibility="public",
        )
        mine = services.create_annotation(author=user, parent=root, comment="My answer.")
        client.force_login(user)

        text = client.get(my_export_url("md")).content.decode()

        headings, outside, kinds = outline(text)
        assert headings == [("h1", "The Rome Statute")]
        assert [line.rsplit("(", 1)[-1] for line in outside if "· [permalink](" in line] == [
            f"{BASE}/annotations/{mine.pk}/)"
        ]
        assert sum(token.type == "list_item_open" for token in MARKDOWN.parse(text)) == 1
        assert not kinds & BLOCKS_NO_COMMENT_MAKES
        assert "Forged document" in text

    @pytest.mark.parametrize("title", ["Rome\r# Forged", "Rome\n===", "Rome\n\n# Forged"])
    def test_a_title_over_lines_is_one_heading(self, user, title):
        document = DocumentFactory(title=title, text=TEXT)
        annotation = services.create_annotation(author=user, document=document, target=Target(exact="Alpha"))

        headings, _, _ = outline(exports.to_markdown([annotation], base_url=BASE))

        assert headings == [("h1", " ".join(title.split()))]

    @settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        st.lists(
            st.one_of(
                st.sampled_from(
                    [*"#>-+*=_`~<|[]:!\\ \t\n\r", "1.", "2)", "<h1>", "<!--", "```", "---", "    "]
                ),
                st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
            ),
            max_size=40,
        ).map("".join)
    )
    def test_no_comment_changes_the_exports_structure(self, doc, user, comment):
        annotation = AnnotationFactory.build(document=doc, author=user, visibility="public", exact="Alpha")
        annotation.comment = comment
        annotation.save()

        headings, outside, kinds = outline(exports.to_markdown([annotation], base_url=BASE))

        assert headings == [("h1", "The Rome Statute")]
        byline = exports._byline(annotation, BASE, exports.passage_numbers([annotation])[annotation.pk])
        assert outside[:3] == ["William J. Clinton · December 31, 2000", f"<{BASE}/documents/rome/>", byline]
        assert outside[3:] == []
        assert not kinds & (BLOCKS_NO_COMMENT_MAKES | {"bullet_list_open", "ordered_list_open"})
        annotation.delete()

    def test_hidden_and_orphaned_annotations_say_so(self, doc, user):
        annotation = AnnotationFactory(
            document=doc, author=user, visibility="public", hidden=True, anchor="orphaned"
        )

        text = exports.to_markdown([annotation], base_url=BASE)

        assert "hidden by a curator" in text
        assert "no longer matches the text" in text


class TestJsonLd:
    def test_export_is_one_collection_that_the_import_reads_whole(self, client, doc, user):
        annotations = [
            AnnotationFactory(document=doc, author=user, visibility="public", start=n) for n in range(3)
        ]

        data = client.get(export_url(doc, "jsonld")).json()

        assert data["type"] == ["BasicContainer", "AnnotationCollection"]
        assert data["total"] == 3
        assert "next" not in data["first"]
        items = jsonld.parse_many(data)
        assert [item["id"] for item in items] == [
            f"{BASE}/api/annotations/{a.pk}/" for a in sorted(annotations, key=lambda a: (a.created, a.pk))
        ]
        for item in items:
            assert jsonld.parse_annotation(item, base_url=BASE).document_slug == doc.slug

    def test_an_empty_export_is_an_empty_collection(self, client, doc):
        data = client.get(export_url(doc, "jsonld")).json()

        assert data["total"] == 0
        assert jsonld.parse_many(data) == []


ROLES = ["anonymous", "author", "other", "curator"]
SEES = {
    "private": {"anonymous": False, "author": True, "other": False, "curator": False},
    "public": {"anonymous": True, "author": True, "other": True, "curator": True},
    "hidden": {"anonymous": False, "author": True, "other": False, "curator": True},
}


@pytest.fixture
def world(doc):
    author = UserFactory()
    annotations = {
        "private": AnnotationFactory(document=doc, author=author, visibility="private"),
        "public": AnnotationFactory(document=doc, author=author, visibility="public"),
        "hidden": AnnotationFactory(
            document=doc, author=author, visibility="public", hidden=True, hidden_reason="Off topic"
        ),
    }
    users = {"anonymous": None, "author": author, "other": UserFactory(), "curator": CuratorFactory()}
    return annotations, users


class TestPrivacy:
    @pytest.mark.parametrize("fmt", ["jsonld", "csv", "md"])
    @pytest.mark.parametrize("role", ROLES)
    def test_a_document_export_holds_what_the_reader_may_see(self, client, doc, world, role, fmt):
        annotations, users = world
        if users[role] is not None:
            client.force_login(users[role])

        found = exported_ids(client.get(export_url(doc, fmt)), fmt)

        assert found == {str(a.pk) for kind, a in annotations.items() if SEES[kind][role]}

    def test_a_draft_is_not_found_for_readers_and_exported_for_curators(self, client, draft, curator):
        AnnotationFactory(document=draft, author=curator, visibility="public")

        assert client.get(export_url(draft, "csv")).status_code == 404
        client.force_login(curator)
        assert len(csv_rows(client.get(export_url(draft, "csv")))) == 1

    def test_my_export_needs_a_login(self, client):
        response = client.get(my_export_url("jsonld"))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    @pytest.mark.parametrize("fmt", ["jsonld", "csv", "md"])
    def test_my_export_holds_my_annotations_private_and_hidden_ones_included(self, client, world, fmt):
        annotations, users = world
        AnnotationFactory(visibility="public")
        client.force_login(users["author"])

        found = exported_ids(client.get(my_export_url(fmt)), fmt)

        assert found == {str(a.pk) for a in annotations.values()}

    def test_my_export_leaves_out_annotations_on_a_document_back_in_draft(self, client, user, draft):
        AnnotationFactory(document=draft, author=user)
        client.force_login(user)

        assert csv_rows(client.get(my_export_url("csv"))) == []


class TestCost:
    @pytest.mark.parametrize("fmt", ["jsonld", "csv", "md"])
    def test_queries_do_not_grow_with_the_number_of_annotations(self, client, doc, user, fmt):
        client.force_login(user)

        def queries_for(count):
            for n in range(count):
                annotation = AnnotationFactory(
                    document=doc, author=user, visibility="public", start=n % 20, tags=[f"t{n % 3}"]
                )
                if n % 5 == 0:
                    services.create_annotation(author=user, parent=annotation, comment="A reply.")
            with CaptureQueriesContext(connection) as captured:
                assert client.get(export_url(doc, fmt)).status_code == 200
            with CaptureQueriesContext(connection) as mine:
                assert client.get(my_export_url(fmt)).status_code == 200
            return len(captured), len(mine)

        assert queries_for(10) == queries_for(90)


class TestTemplates:
    def test_document_links_name_the_three_formats(self, doc):
        html = render_to_string("documents/_document_exports.html", {"document": doc})

        assert "Export annotations:" in html
        assert f'href="{export_url(doc, "csv")}?bom=1" type="text/csv">CSV for Excel</a>' in html
        for fmt, name in (("jsonld", "JSON-LD"), ("csv", "CSV"), ("md", "Markdown")):
            assert f'href="{export_url(doc, fmt)}"' in html
            assert f">{name}</a>" in html

    def test_profile_section_links_my_exports_and_posts_the_upload(self, rf, user):
        request = rf.get("/accounts/profile/")
        request.user = user

        html = render_to_string("documents/_profile_exports.html", request=request)

        assert "Export and import" in html
        for fmt in ("jsonld", "csv", "md"):
            assert f'href="{my_export_url(fmt)}"' in html
        assert f'action="{reverse("my-annotations-import")}"' in html
        assert 'enctype="multipart/form-data"' in html
        assert 'name="csrfmiddlewaretoken"' in html
        assert '<label for="import-file">Annotations file (W3C JSON-LD)</label>' in html
        assert 'name="file"' in html
        assert ">Import</button>" in html
        assert f"{annotation_rules.MAX_IMPORT_ANNOTATIONS:,} annotations" in html
        assert f"{annotation_rules.MAX_IMPORT_BYTES // (1024 * 1024)} MB" in html


def test_reading_view_and_profile_link_the_exports_and_the_import(client, user, document):
    AnnotationFactory(document=document, visibility="public")  # with nothing to export, no links
    reading = client.get(document.get_absolute_url()).content.decode()
    client.force_login(user)
    profile = client.get(reverse("profile")).content.decode()

    for fmt in ("jsonld", "csv", "md"):
        assert reverse("document-annotations-export", args=[document.slug, fmt]) in reading
        assert reverse("my-annotations-export", args=[fmt]) in profile
    assert reverse("my-annotations-import") in profile


def test_a_group_notes_row_names_its_group(client, user):
    from tests.factories import make_group

    group = make_group(user, name="=Seminar")
    doc = DocumentFactory()
    services.create_annotation(
        author=user,
        document=doc,
        target=writes.Target(exact="first passage"),
        visibility="group",
        group=group,
    )
    client.force_login(user)

    [row] = csv_rows(client.get(export_url(doc, "csv")))

    assert (row["visibility"], row["group"]) == ("group", "'=Seminar")
