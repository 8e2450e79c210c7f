"""A document as TEI P5, valid against ``tei_all`` (docs/preservation.md, "TEI").

Each passage is an element whose ``xml:id`` is the reading view's (``p-<n>``) and whose text is the
passage's text exactly, so a note's words are found by counting code points from the start of that
element. Headings open a ``div``, list items are grouped into a ``list``. Notes are stand-off: a
``standOff/listAnnotation`` of TEI ``annotation`` elements (the TEI's own rendering of the W3C model),
each pointing at its words with TEI's ``string-range(fragment,offset,length)`` pointer scheme (the
passage's ``xml:id``, code points from 0), or ``range(...)`` of two such when the words span
passages; a page note points at the whole ``text``, a reply at the note it answers, and a note whose
words an edit removed at the revision it quoted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from lxml import etree

from documents.archive import text as text_module
from documents.archive.tei import TEI_ALL, TEI_NAMESPACE, XML_NAMESPACE

_ELEMENT = {
    text_module.PARAGRAPH: "p",
    text_module.HEADING: "head",
    text_module.QUOTATION: "quote",
    text_module.ITEM: "item",
}


@dataclass(frozen=True)
class Note:
    """One public note as the TEI shows it. ``start``/``end`` count code points in the current
    canonical text; None for a page note, a reply (``reply_to``) or a note whose words are gone
    (``elsewhere``: the address of the revision it quoted)."""

    id: str
    iri: str
    author: str
    created: datetime
    motivation: str
    comment: str = ""
    tags: tuple[str, ...] = ()
    start: int | None = None
    end: int | None = None
    reply_to: str | None = None
    elsewhere: str | None = None


@dataclass(frozen=True)
class Header:
    """What the ``teiHeader`` says besides the document's own fields."""

    url: str
    archive: str
    tags: Sequence[str] = ()
    revisions: Sequence[tuple[int, datetime, str]] = field(default_factory=tuple)


def _tei(name: str) -> str:
    return f"{{{TEI_NAMESPACE}}}{name}"


def _add(parent, name: str, text: str | None = None, **attributes) -> etree._Element:
    element = etree.SubElement(parent, _tei(name), {k.rstrip("_"): v for k, v in attributes.items()})
    if text:
        element.text = text
    return element


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def note_id(note_key: str) -> str:
    return f"note-{note_key}"


def to_tei(document, *, header: Header, notes: Iterable[Note]) -> bytes:
    """The document as a TEI P5 file (UTF-8, with an ``xml-model`` naming ``tei_all``).

    ``document`` is read for its Dublin Core fields, ``slug``, ``passages`` and ``date_label``.
    """
    root = etree.Element(_tei("TEI"), nsmap={None: TEI_NAMESPACE})
    root.addprevious(
        etree.ProcessingInstruction(
            "xml-model",
            f'href="{TEI_ALL}" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"',
        )
    )
    _header(root, document, header)
    passages = document.passages
    _text(root, document, passages)
    notes = list(notes)
    if notes:
        listing = _add(_add(root, "standOff"), "listAnnotation")
        for note in notes:
            _annotation(listing, note, passages)
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _header(root, document, header: Header) -> None:
    tei_header = _add(root, "teiHeader")
    file_desc = _add(tei_header, "fileDesc")
    title_stmt = _add(file_desc, "titleStmt")
    _add(title_stmt, "title", document.title)
    if document.creator:
        _add(title_stmt, "author", document.creator)
    publication = _add(file_desc, "publicationStmt")
    _add(publication, "publisher", header.archive)
    _add(publication, "idno", header.url, type="URI")
    _add(publication, "idno", document.slug, type="slug")
    if document.rights:
        _add(_add(publication, "availability"), "licence", document.rights)
    bibl = _add(_add(file_desc, "sourceDesc"), "bibl")
    _add(bibl, "title", document.title)
    if document.creator:
        _add(bibl, "author", document.creator)
    if document.publisher:
        _add(bibl, "publisher", document.publisher)
    if document.date or document.date_display:
        dated = {"when": document.date.isoformat()} if document.date else {}
        _add(bibl, "date", document.date_label, **dated)
    if document.identifier:
        _add(bibl, "idno", document.identifier)
    if document.source:
        _add(bibl, "note", document.source, type="source")

    profile = _add(tei_header, "profileDesc")
    if document.description:
        _add(_add(profile, "abstract"), "p", document.description)
    _add(_add(profile, "langUsage"), "language", document.language, ident=document.language)
    keywords = _add(_add(profile, "textClass"), "keywords")
    _add(keywords, "term", document.type, type="type")
    for tag in header.tags:
        _add(keywords, "term", tag, type="tag")
    if header.revisions:
        history = _add(tei_header, "revisionDesc")
        for number, created, summary in header.revisions:
            _add(history, "change", summary or f"Revision {number}.", n=str(number), when=_moment(created))


def _text(root, document, passages: list[text_module.Passage]) -> None:
    text = _add(root, "text")
    text.set(f"{{{XML_NAMESPACE}}}id", "text")
    text.set(f"{{{XML_NAMESPACE}}}lang", document.language)
    body = _add(text, "body")
    container = body
    listing = None
    for passage in passages:
        if passage.kind == text_module.HEADING:
            container, listing = _add(body, "div"), None
        if passage.kind == text_module.ITEM:
            if listing is None:
                listing = _add(container, "list")
            parent = listing
        else:
            parent, listing = container, None
        element = _add(parent, _ELEMENT[passage.kind], passage.text)
        element.set(f"{{{XML_NAMESPACE}}}id", f"p-{passage.n}")
    if not passages:
        _add(body, "p")


def _annotation(listing, note: Note, passages: list[text_module.Passage]) -> None:
    annotation = _add(listing, "annotation", motivation=note.motivation, target=pointer(note, passages))
    annotation.set(f"{{{XML_NAMESPACE}}}id", note_id(note.id))
    responsible = _add(annotation, "respStmt")
    _add(responsible, "resp", "annotator")
    _add(responsible, "name", note.author)
    _add(_add(annotation, "revisionDesc"), "change", "Created.", when=_moment(note.created))
    if note.comment:
        _add(annotation, "note", note.comment, type="comment")
    for tag in note.tags:
        _add(annotation, "note", tag, type="tag")
    _add(annotation, "ptr", type="annotation", target=note.iri)


def _point(passage: text_module.Passage, start: int, end: int) -> str:
    return f"string-range(p-{passage.n},{start - passage.start},{end - start})"


def pointer(note: Note, passages: list[text_module.Passage]) -> str:
    """Where a note points (the module's docstring): a TEI pointer, or an address elsewhere."""
    if note.reply_to is not None:
        return f"#{note_id(note.reply_to)}"
    if note.elsewhere is not None:
        return note.elsewhere
    if note.start is None or note.end is None:
        return "#text"
    covered = [p for p in passages if p.start < note.end and note.start < p.end]
    if not covered:
        return "#text"
    first, last = covered[0], covered[-1]
    start, end = max(note.start, first.start), min(note.end, last.end)
    if first is last:
        return f"#{_point(first, start, end)}"
    return f"#range({_point(first, start, first.end)},{_point(last, last.start, end)})"
