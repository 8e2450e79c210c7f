"""Annotations written out as files: W3C JSON-LD, CSV and Markdown.

Pure formatting: the views choose which annotations a reader may export
(``Annotation.objects.visible_to``) and load them with ``with_related()``;
these functions only read what that loaded. A reply whose parent is not in
the export is named by the parent's address; the Markdown quotes the parent
only when the view passes it in ``answered``, read through ``visible_to``, for
the parent may be one the reader cannot see.

``base_url`` is the site's origin without a path, as in ``documents.annotations.jsonld``.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from django.utils import timezone

from documents.annotations import jsonld
from documents.annotations.models import Annotation
from documents.annotations.tags import name_order
from documents.archive.models import Document
from documents.archive.text import passage_at

CSV_COLUMNS = (
    "id",
    "document",
    "document_creator",
    "document_date",
    "document_url",
    "passage",
    "quote",
    "comment",
    "tags",
    "author",
    "visibility",
    "group",
    "created",
    "modified",
    "permalink",
    "in_reply_to",
)
BYTE_ORDER_MARK = "\ufeff"
TAG_SEPARATOR = "|"
# A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV Injection"):
# =, +, - and @ start formulas, and a leading tab or carriage return can hide one. East Asian
# spreadsheets take the full-width forms (＝, ＋, －, ＠) as the same.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def to_jsonld(
    annotations: Sequence[Annotation], *, collection_url: str, label: str, base_url: str
) -> dict[str, Any]:
    """One AnnotationCollection with every annotation embedded in its first and only page.

    ``jsonld.parse_many`` reads it back whole (it refuses collections that
    continue on other pages), which is what makes an export importable.
    """
    return jsonld.collection_to_jsonld(
        container_url=collection_url,
        label=label,
        total=len(annotations),
        page_url=lambda number: f"{collection_url}#page-{number}",
        last_page=0,
        first_items=annotations,
        base_url=base_url,
        modified=max((annotation.modified for annotation in annotations), default=None),
    )


def to_csv(annotations: Sequence[Annotation], *, base_url: str, excel: bool = False) -> str:
    """A CSV table, one annotation a row, with the columns of CSV_COLUMNS.

    Tags are joined by "|", dates are UTC in ISO 8601. A reply's quote is
    empty: it answers an annotation, not the text; its ``in_reply_to`` is the
    permalink of the note it answers (empty for the others). A page note's quote
    is empty too: it is on the whole document; its ``passage``, as a reply's and
    an orphan's, too (``passage_numbers``). The document's date is as the archive
    shows it (``document_date``). Opening an export must not run
    what someone wrote, so every field is quoted, the header's too: a
    spreadsheet whose locale separates lists with ";" splits a comma-separated
    line on ";" but never inside quotes, so ``see;=1+1`` stays in its cell.
    And every cell that a spreadsheet would run as a formula gets a leading
    apostrophe (``neutralise_formula``). No byte-order mark, so the header is
    the first line exactly, unless ``excel``: Excel reads a CSV file as the
    system's legacy encoding unless it starts with UTF-8's BOM.
    """
    out = io.StringIO()
    if excel:
        out.write(BYTE_ORDER_MARK)
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_COLUMNS)
    passages = passage_numbers(annotations)
    for annotation in annotations:
        row = (
            str(annotation.pk),
            annotation.document.title,
            annotation.document.creator,
            document_date(annotation.document),
            base_url + annotation.document.get_absolute_url(),
            str(passages.get(annotation.pk, "")),
            "" if annotation.is_reply else annotation.exact,
            annotation.comment,
            TAG_SEPARATOR.join(_tag_names(annotation)),
            annotation.written_by,
            annotation.visibility,
            annotation.group.name if annotation.group_id else "",
            _timestamp(annotation.created),
            _timestamp(annotation.modified),
            _permalink(annotation, base_url),
            _permalink_of(annotation.parent_id, base_url) if annotation.is_reply else "",
        )
        writer.writerow([neutralise_formula(cell) for cell in row])
    return out.getvalue()


def passage_numbers(annotations: Sequence[Annotation]) -> dict[Any, int]:
    """The number of the passage where each note's quote starts, by note id.

    None for a page note or a reply (on no words) nor for an orphan, whose offsets
    are in the text of an older revision. Each document's text is parsed once.
    """
    passages: dict[int, list] = {}
    numbers: dict[Any, int] = {}
    for annotation in annotations:
        if annotation.is_reply or annotation.start is None or annotation.is_orphaned:
            continue
        if annotation.document_id not in passages:
            passages[annotation.document_id] = annotation.document.passages
        if (found := passage_at(passages[annotation.document_id], annotation.start)) is not None:
            numbers[annotation.pk] = found.n
    return numbers


def document_date(document: Document) -> str:
    """The date a citation gives: as written (``date_display``, "c. 1850") when the curator wrote
    one, else the date in ISO 8601, else ""."""
    return document.date_display or (document.date.isoformat() if document.date else "")


def neutralise_formula(cell: str) -> str:
    """The cell with an apostrophe in front when a spreadsheet would read it as a formula.

    That is when it starts with one of FORMULA_TRIGGERS, at once or after
    whitespace (some spreadsheets skip it, and a tab or a carriage return is
    itself a trigger). A cell such as "-5 degrees" then reads "'-5 degrees",
    the usual price of that protection; the rest of the text is kept as written.
    """
    return (
        "'" + cell
        if cell.startswith(FORMULA_TRIGGERS) or cell.lstrip().startswith(FORMULA_TRIGGERS)
        else cell
    )


def to_markdown(
    annotations: Sequence[Annotation], *, base_url: str, answered: Mapping[Any, Annotation] | None = None
) -> str:
    """Notes in Markdown, ready to paste: a section per document, then each annotation.

    A document is ``# <title>``, its creator and date, and its address; an
    annotation is its quote as a block quote (a page note says "On the whole
    document" instead), a byline with the passage it starts in and its
    permalink, its comment, then its tags; replies are a
    nested list under what they answer, each a byline and its comment. A
    reply whose parent is not in the export goes under a quotation of the
    parent when ``answered`` (by id) holds it, and otherwise stands on its own
    with a link to it. Quotes, titles and names are escaped, since they are
    text; comments are Markdown, quoted by ``quote_comment`` so that no
    reader's comment can add to the export's own structure.
    """
    by_document: dict[int, list[Annotation]] = defaultdict(list)
    documents: dict[int, Document] = {}
    for annotation in annotations:
        by_document[annotation.document_id].append(annotation)
        documents[annotation.document_id] = annotation.document
    order = sorted(documents.values(), key=lambda document: (document.title.casefold(), document.slug))

    passages = passage_numbers(annotations)
    lines: list[str] = []
    for document in order:
        lines += [f"# {escape_markdown(' '.join(document.title.split()))}", ""]
        if about := [part for part in (document.creator, document.date_label) if part]:
            lines += [" · ".join(escape_markdown(" ".join(part.split())) for part in about), ""]
        lines += [f"<{base_url}{document.get_absolute_url()}>", ""]
        lines += _document_section(by_document[document.pk], base_url, answered or {}, passages)
    return "\n".join(lines).rstrip("\n") + "\n"


def _document_section(
    annotations: list[Annotation], base_url: str, answered: Mapping, passages: Mapping
) -> list[str]:
    present = {annotation.pk for annotation in annotations}
    replies: dict[Any, list[Annotation]] = defaultdict(list)
    tops: list[Annotation] = []
    for annotation in annotations:
        if annotation.parent_id is not None and annotation.parent_id in present:
            replies[annotation.parent_id].append(annotation)
        else:
            tops.append(annotation)
    tops.sort(key=lambda a: (a.is_reply, a.start if a.start is not None else -1, a.created, str(a.pk)))

    lines: list[str] = []
    for annotation in tops:
        if annotation.is_reply and (parent := answered.get(annotation.parent_id)) is not None:
            lines += _answered(parent, base_url)
            lines += [*_reply_list(parent, {parent.pk: [annotation]}, base_url, depth=0)]
            lines += [*_reply_list(annotation, replies, base_url, depth=1), ""]
            continue
        if annotation.is_reply:
            parent = _permalink_of(annotation.parent_id, base_url)
            lines += [f"In reply to <{parent}>:", ""]
        elif annotation.is_page_note:
            lines += ["*On the whole document*", ""]
        elif annotation.exact:
            lines += [_blockquote(annotation.exact), ""]
        lines += [_byline(annotation, base_url, passages.get(annotation.pk)), ""]
        if annotation.comment.strip():
            lines += [*quote_comment(annotation.comment), ""]
        if tags := _tag_names(annotation):
            lines += ["Tags: " + ", ".join(escape_markdown(name) for name in tags), ""]
        thread = _reply_list(annotation, replies, base_url, depth=0)
        if thread:
            lines += [*thread, ""]
    return lines


def _answered(parent: Annotation, base_url: str) -> list[str]:
    """The note a reply answers, quoted above it: who wrote it, its quote and its comment."""
    name = escape_markdown(parent.written_by)
    lines = [f"In reply to **{name}** ([permalink]({_permalink(parent, base_url)})):", ""]
    quoted: list[str] = []
    if parent.exact:
        quoted += ["> " + line for line in _blockquote(parent.exact).splitlines()]
    if parent.exact and parent.comment.strip():
        quoted += [">"]
    if parent.comment.strip():
        quoted += quote_comment(parent.comment)
    return [*lines, *quoted, ""]


def _reply_list(annotation: Annotation, replies: dict, base_url: str, *, depth: int) -> list[str]:
    """Replies as a list nested under what they answer; a comment's quote stays in its item."""
    lines: list[str] = []
    indent = "  " * depth
    for reply in sorted(replies.get(annotation.pk, []), key=lambda r: (r.created, str(r.pk))):
        lines += [f"{indent}- {_byline(reply, base_url)}", ""]
        if reply.comment.strip():
            lines += [f"{indent}  {line}" for line in quote_comment(reply.comment)] + [""]
        lines += _reply_list(reply, replies, base_url, depth=depth + 1)
    return lines


def _byline(annotation: Annotation, base_url: str, passage: int | None = None) -> str:
    parts = [
        f"**{escape_markdown(annotation.written_by)}**"
        + (
            f" (imported by {escape_markdown(annotation.author.get_username())})"
            if annotation.imported_copy
            else ""
        ),
        f"{timezone.localtime(annotation.created):%Y-%m-%d}",
        escape_markdown(annotation.visibility_label),
    ]
    if annotation.hidden:
        parts.append("hidden by a group moderator" if annotation.group_id else "hidden by a curator")
    if annotation.is_orphaned:
        parts.append("no longer matches the text")
    if passage is not None:
        parts.append(f"[passage {passage}]({base_url}{annotation.document.get_absolute_url()}#p-{passage})")
    parts.append(f"[permalink]({_permalink(annotation, base_url)})")
    return " · ".join(parts)


def _blockquote(text: str) -> str:
    return "\n".join(f"> {escape_markdown(line)}" if line.strip() else ">" for line in text.splitlines())


# What would start a block at a line's start, to get a backslash before the character the match
# ends on (or before the line, for the look-aheads): a heading (#), a block quote (>), a list item
# (+, -, *, "1." or "1)"), a setext underline (=, -), a rule (-, *, _), a table row (|, :, -), a
# fence (``` or ~~~) or a link definition ("[x]:"). "*", "_", "`", "~" and "[" also open inline
# Markdown (emphasis, code, strikethrough, links), so only their block forms are escaped.
_COMMENT_BLOCK_START = re.compile(
    r"""^\d{0,9}[\#>+\-=|:.)]
      | ^[*_](?=[ \t]|[*_ \t]*$)
      | ^(?=```|~~~|\[[^\]]*\]:)""",
    re.VERBOSE,
)
# Raw HTML inside a line: "<" opening a tag, a closing tag, a comment, a declaration or an
# instruction, unless a backslash escapes it already (an even run of them escapes only itself); an
# autolink such as <https://example.org/> is kept, it is no HTML.
_RAW_HTML = re.compile(r"(?<!\\)((?:\\\\)*)<(?=[A-Za-z/!?])(?![A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*>)")


def quote_comment(comment: str) -> list[str]:
    """A comment as the lines of a block quote that holds all of it and nothing else.

    A comment is its author's Markdown, and an export is read by others: copied
    verbatim, one reader's comment could open a heading or write a byline in
    another's name that reads as the export's own. Quoted, every line of it
    starts with "> " (an empty one with ">"), so nothing it says can end the
    quote or stand outside it, where the export's headings, bylines and tags
    are. Inside, block syntax at a line's start gets a backslash, so the
    comment cannot make a heading, list, rule, nested quote, fence, table,
    link definition or HTML block either, and "<" before a tag does too, so
    no raw HTML; a line's indentation is dropped, as four spaces would make
    a code block. Its inline Markdown (emphasis, links, code) reads as written.
    A block quote rather than a fenced code block, which would need no
    escaping, because a code block shows the Markdown unrendered and does not
    wrap its lines; a comment is prose.
    """
    lines = []
    for line in comment.strip().splitlines():
        line = _RAW_HTML.sub(r"\1\\<", line.lstrip(" \t"))
        if block := _COMMENT_BLOCK_START.match(line):
            at = max(block.end() - 1, 0)
            line = f"{line[:at]}\\{line[at:]}"
        lines.append(f"> {line}" if line.strip() else ">")
    return lines


_INLINE_MARKUP = re.compile(r"([\\`*_\[\]<>~|])")
# At the start of a line these make a heading, a list item or a heading underline.
_LINE_START_MARKUP = re.compile(r"^([ \t]*\d*)([#+=.)-])", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """Plain text that Markdown renders as itself: markup characters get a backslash."""
    return _LINE_START_MARKUP.sub(r"\1\\\2", _INLINE_MARKUP.sub(r"\\\1", text))


def _tag_names(annotation: Annotation) -> list[str]:
    """Sorted as the JSON-LD bodies are; reads the prefetched tags, so no query."""
    return sorted((tag.name for tag in annotation.tags.all()), key=name_order)


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _permalink(annotation: Annotation, base_url: str) -> str:
    return base_url + annotation.get_absolute_url()


def _permalink_of(annotation_id, base_url: str) -> str:
    return base_url + Annotation(pk=annotation_id).get_absolute_url()
