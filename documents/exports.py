"""Annotations written out as files: W3C JSON-LD, CSV and Markdown.

Pure formatting: the views choose which annotations a reader may export
(``Annotation.objects.visible_to``) and load them with ``with_related()``;
these functions only read what that loaded. A reply whose parent is not in
the export is named by the parent's address; the Markdown quotes the parent
only when the view passes it in ``answered``, read through ``visible_to``, for
the parent may be one the reader cannot see.

``base_url`` is the site's origin without a path, as in ``documents.jsonld``.
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

from documents import jsonld
from documents.models import Annotation, Document
from documents.tags import name_order

CSV_COLUMNS = (
    "id",
    "document",
    "document_url",
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
# =, +, - and @ start formulas, and a leading tab or carriage return can hide one.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


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
    is empty too: it is on the whole document. Every cell that a
    spreadsheet would run as a formula (it starts with =, +, -, @, a tab or a
    carriage return) gets a leading apostrophe, so opening an export cannot run
    what someone wrote in a comment; a cell such as "-5 degrees" then reads
    "'-5 degrees", the usual price of that protection. No byte-order mark,
    so the header is the first line exactly, unless ``excel``: Excel reads a
    CSV file as the system's legacy encoding unless it starts with UTF-8's BOM.
    """
    out = io.StringIO()
    if excel:
        out.write(BYTE_ORDER_MARK)
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for annotation in annotations:
        row = (
            str(annotation.pk),
            annotation.document.title,
            base_url + annotation.document.get_absolute_url(),
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


def neutralise_formula(cell: str) -> str:
    """The cell with an apostrophe in front when a spreadsheet would read it as a formula."""
    return "'" + cell if cell.startswith(FORMULA_TRIGGERS) else cell


def to_markdown(
    annotations: Sequence[Annotation], *, base_url: str, answered: Mapping[Any, Annotation] | None = None
) -> str:
    """Notes in Markdown, ready to paste: a section per document, then each annotation.

    A document is ``# <title>`` with its address; an annotation is its quote
    as a block quote, its comment as written (it is Markdown already), its
    tags, a byline and a permalink (a page note says "On the whole document"
    instead of a quote); replies are a nested list under what they answer. A
    reply whose parent is not in the export goes under a quotation of the
    parent when ``answered`` (by id) holds it, and otherwise stands on its own
    with a link to it. Quotes, titles and names are escaped, since they are text.
    """
    by_document: dict[int, list[Annotation]] = defaultdict(list)
    documents: dict[int, Document] = {}
    for annotation in annotations:
        by_document[annotation.document_id].append(annotation)
        documents[annotation.document_id] = annotation.document
    order = sorted(documents.values(), key=lambda document: (document.title.casefold(), document.slug))

    lines: list[str] = []
    for document in order:
        lines += [
            f"# {escape_markdown(document.title)}",
            "",
            f"<{base_url}{document.get_absolute_url()}>",
            "",
        ]
        lines += _document_section(by_document[document.pk], base_url, answered or {})
    return "\n".join(lines).rstrip("\n") + "\n"


def _document_section(annotations: list[Annotation], base_url: str, answered: Mapping) -> list[str]:
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
        if annotation.comment:
            lines += [annotation.comment.strip(), ""]
        lines += [_details(annotation, base_url), ""]
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
        quoted += [_blockquote(parent.exact), ""]
    if parent.comment:
        quoted += [parent.comment.strip()]
    lines += ["> " + line if line.strip() else ">" for text in quoted for line in (text.splitlines() or [""])]
    return [*lines, ""]


def _reply_list(annotation: Annotation, replies: dict, base_url: str, *, depth: int) -> list[str]:
    """Replies as a list nested under what they answer; a comment's lines stay in its item."""
    lines: list[str] = []
    indent = "  " * depth
    for reply in sorted(replies.get(annotation.pk, []), key=lambda r: (r.created, str(r.pk))):
        lines.append(f"{indent}- {_byline(reply, base_url)}")
        for line in reply.comment.strip().splitlines():
            lines.append(f"{indent}  {line}" if line.strip() else "")
        lines += _reply_list(reply, replies, base_url, depth=depth + 1)
    return lines


def _details(annotation: Annotation, base_url: str) -> str:
    """Tags, then the byline, as two lines of one paragraph (a Markdown hard line break)."""
    tags = _tag_names(annotation)
    byline = _byline(annotation, base_url)
    if tags:
        return "Tags: " + ", ".join(escape_markdown(name) for name in tags) + "\\\n" + byline
    return byline


def _byline(annotation: Annotation, base_url: str) -> str:
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
    parts.append(f"[permalink]({_permalink(annotation, base_url)})")
    return " · ".join(parts)


def _blockquote(text: str) -> str:
    return "\n".join(f"> {escape_markdown(line)}" if line.strip() else ">" for line in text.splitlines())


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
