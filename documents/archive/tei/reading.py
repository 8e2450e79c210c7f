"""A TEI file as the archive's record: Dublin Core metadata and passages (docs/preservation.md, "TEI").

The header's fields map back as ``writing`` writes them (and as most TEI headers hold them); the
text's ``p`` (and ``ab``), ``head``, ``quote`` and ``item`` become passages, read through ``div`` and
``list``. What the archive cannot hold is counted by element name, never silently dropped:
``dropped`` are elements left out with their words (a ``table``, a ``figure``, a ``note``, the
``front`` and ``back`` matter, milestones such as ``pb``), ``flattened`` are elements whose words are
kept as plain text but whose markup is not (``hi``, ``persName``…). Whitespace is XML's: runs of
spaces, tabs and line breaks become one space; every other character, non-breaking spaces included,
is kept.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

from documents.archive import text as text_module
from documents.archive.tei import TEI_NAMESPACE, XML_NAMESPACE

PASSAGES = {
    "p": text_module.PARAGRAPH,
    "ab": text_module.PARAGRAPH,
    "head": text_module.HEADING,
    "quote": text_module.QUOTATION,
    "item": text_module.ITEM,
}
CONTAINERS = {"body", "div", "div1", "div2", "div3", "div4", "div5", "div6", "div7", "list"}
# Inside a passage: words that are not the text's own (a note), or no words at all (milestones).
LEFT_OUT_INSIDE = {"note", "figure", "gap", "pb", "lb", "cb", "milestone", "anchor", "fw", "graphic"}
XML_WHITESPACE = re.compile(r"[ \t\r\n]+")
MAX_BYTES = 20 * 1024 * 1024


class TeiProblem(ValueError):
    """The file cannot be read as TEI; ``line`` when the XML parser knows it."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class TeiDocument:
    """What a TEI file gives the archive. ``values`` uses the metadata keys of the curators' import
    (docs/curators.md), each a string but ``tags``; ``date_text`` is the date as written."""

    values: dict[str, object] = field(default_factory=dict)
    date_text: str = ""
    passages: list[tuple[str, str]] = field(default_factory=list)
    dropped: Counter = field(default_factory=Counter)
    flattened: Counter = field(default_factory=Counter)

    @property
    def markup(self) -> str:
        return text_module.markup(self.passages)

    def report(self) -> list[str]:
        """What was not imported, in sentences a curator can act on (empty when everything was)."""
        lines = []
        if self.dropped:
            lines.append(f"not imported, with their words: {_counted(self.dropped)}")
        if self.flattened:
            lines.append(f"kept as plain text, their markup dropped: {_counted(self.flattened)}")
        return lines


def _counted(counter: Counter) -> str:
    return ", ".join(f"{name} ×{count}" for name, count in sorted(counter.items()))


def _name(element) -> str:
    qname = etree.QName(element)
    return qname.localname if qname.namespace == TEI_NAMESPACE else f"{{{qname.namespace}}}{qname.localname}"


def _clean(value: str) -> str:
    return XML_WHITESPACE.sub(" ", value).strip(" ")


def read_tei(data: bytes) -> TeiDocument:
    """Read a TEI P5 file (bytes, as uploaded or read from disk); TeiProblem when it is not one."""
    if len(data) > MAX_BYTES:
        raise TeiProblem(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True, remove_pis=True
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise TeiProblem(f"not well-formed XML: {error.msg}", error.lineno) from None
    if etree.QName(root) != etree.QName(TEI_NAMESPACE, "TEI"):
        raise TeiProblem(
            f"the root element is “{etree.QName(root).localname}”, not TEI's <TEI> (in {TEI_NAMESPACE})."
        )
    result = TeiDocument()
    header = _one(root, "teiHeader")
    if header is None:
        raise TeiProblem("the file has no <teiHeader>.")
    _read_header(header, result)
    text = _one(root, "text")
    if text is None:
        raise TeiProblem("the file has no <text>.")
    language = text.get(f"{{{XML_NAMESPACE}}}lang")
    if language and "language" not in result.values:
        result.values["language"] = language
    for child in text:
        if _name(child) == "body":
            _read_block(child, result)
        else:
            result.dropped[_name(child)] += 1
    for child in root:
        if _name(child) not in ("teiHeader", "text"):
            result.dropped[_name(child)] += 1
    return result


def _one(parent, path: str):
    return (
        parent.find(path, {"tei": TEI_NAMESPACE})
        if ":" in path
        else parent.find(f"{{{TEI_NAMESPACE}}}{path}")
    )


_HEADER_FIELDS = {
    "title": "tei:fileDesc/tei:titleStmt/tei:title",
    "slug": "tei:fileDesc/tei:publicationStmt/tei:idno[@type='slug']",
    "rights": "tei:fileDesc/tei:publicationStmt/tei:availability",
    "publisher": "tei:fileDesc/tei:sourceDesc/tei:bibl/tei:publisher",
    "identifier": "tei:fileDesc/tei:sourceDesc/tei:bibl/tei:idno",
    "source": "tei:fileDesc/tei:sourceDesc/tei:bibl/tei:note[@type='source']",
    "description": "tei:profileDesc/tei:abstract",
    "type": "tei:profileDesc/tei:textClass/tei:keywords/tei:term[@type='type']",
}
# What the archive writes itself, or reads elsewhere: read, but not a field of its own.
_HEADER_KNOWN = (
    "tei:fileDesc/tei:titleStmt",
    "tei:fileDesc/tei:publicationStmt/tei:publisher",
    "tei:fileDesc/tei:publicationStmt/tei:idno[@type='URI']",
    "tei:fileDesc/tei:sourceDesc/tei:bibl/tei:title",
    "tei:fileDesc/tei:sourceDesc/tei:bibl/tei:author",
    "tei:fileDesc/tei:sourceDesc/tei:bibl/tei:date",
    "tei:profileDesc/tei:langUsage",
    "tei:profileDesc/tei:textClass/tei:keywords/tei:term",
    "tei:revisionDesc",
)


def _read_header(header, result: TeiDocument) -> None:
    namespaces = {"tei": TEI_NAMESPACE}
    covered = set()
    authors = header.xpath("tei:fileDesc/tei:titleStmt/tei:author", namespaces=namespaces)
    if authors:
        result.values["creator"] = "; ".join(_clean("".join(author.itertext())) for author in authors)
    for key, path in _HEADER_FIELDS.items():
        found = header.xpath(path, namespaces=namespaces)
        if found:
            result.values[key] = _clean("".join(found[0].itertext()))
            covered.update(found[0].iter())
    date = header.find("tei:fileDesc/tei:sourceDesc/tei:bibl/tei:date", namespaces)
    if date is not None:
        result.date_text = _clean("".join(date.itertext()))
        if date.get("when"):
            result.values["date"] = date.get("when")
    language = header.find("tei:profileDesc/tei:langUsage/tei:language", namespaces)
    if language is not None and language.get("ident"):
        result.values["language"] = language.get("ident")
    terms = header.xpath(
        "tei:profileDesc/tei:textClass/tei:keywords/tei:term[not(@type='type')]", namespaces=namespaces
    )
    if terms:
        result.values["tags"] = tuple(_clean("".join(term.itertext())) for term in terms)
    for path in _HEADER_KNOWN:
        for element in header.xpath(path, namespaces=namespaces):
            covered.update(element.iter())
    for element in header.iter():
        if element in covered or element is header:
            continue
        if (element.text or "").strip():
            path = [
                _name(e)
                for e in reversed(list(element.iterancestors()))
                if e is not header and header in e.iterancestors()
            ]
            result.dropped["/".join(["teiHeader", *path, _name(element)])] += 1


def _read_block(element, result: TeiDocument) -> None:
    for child in element:
        name = _name(child)
        if name in PASSAGES:
            words = _clean(_words(child, result))
            if words:
                result.passages.append((PASSAGES[name], words))
        elif name in CONTAINERS:
            _read_block(child, result)
        else:
            result.dropped[name] += 1


def _words(element, result: TeiDocument) -> str:
    """The element's text with its children's, less what ``LEFT_OUT_INSIDE`` names (counted)."""
    parts = [element.text or ""]
    for child in element:
        name = _name(child)
        if name in LEFT_OUT_INSIDE:
            result.dropped[name] += 1
            parts.append(" " if name in ("lb", "pb", "cb") else "")
        else:
            result.flattened[name] += 1
            parts.append(_words(child, result))
        parts.append(child.tail or "")
    return "".join(parts)
