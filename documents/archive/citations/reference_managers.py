"""BibTeX, CSL-JSON and RIS: the files Cite this offers to reference managers.

Pure: they read a document's fields and never touch the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from documents.archive.citations.names import inverted, is_person, person_name

if TYPE_CHECKING:  # annotations only: this module reads fields and stays below the models
    from documents.archive.models import Document

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

_BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


@dataclass(frozen=True)
class ItemType:
    """What kind of item a document is, in each format's vocabulary."""

    csl: str
    zotero: str
    ris: str


# Keyed by the values of ``Document.Type``, like SCHEMA_ORG_TYPES. The Zotero type is the one Zotero
# maps to and from the CSL type (CSL "document" is Zotero's Document, "speech" its Presentation, ...);
# a statement, a treaty and anything else is a Document (docs/reading-and-annotating.md, "Cite this").
# A treaty is CSL "document" too: Zotero has no treaty type and would print a CSL treaty as a Document.
ITEM_TYPES = {
    "speech": ItemType(csl="speech", zotero="presentation", ris="GEN"),
    "letter": ItemType(csl="personal_communication", zotero="letter", ris="PCOMM"),
    "treaty": ItemType(csl="document", zotero="document", ris="STAT"),
    "legislation": ItemType(csl="legislation", zotero="statute", ris="STAT"),
    "court-decision": ItemType(csl="legal_case", zotero="case", ris="CASE"),
    "report": ItemType(csl="report", zotero="report", ris="RPRT"),
    "article": ItemType(csl="article", zotero="preprint", ris="JOUR"),
    "web-page": ItemType(csl="webpage", zotero="webpage", ris="ELEC"),
}
DOCUMENT = ItemType(csl="document", zotero="document", ris="GEN")


def item_type(document: Document) -> ItemType:
    return ITEM_TYPES.get(document.type, DOCUMENT)


def bibtex(document: Document, *, url: str, accessed: date, archive: str) -> str:
    """A BibTeX ``@misc`` entry keyed by the document's slug, readable by BibTeX and biblatex.

    An organisation is double-braced so BibTeX does not split it into given and
    family names. A date written for people only ("c. 1850") goes into ``year``
    as written; an exact date also gives ``month`` unless the curator wrote the
    date differently, which signals that the month is not certain.
    """
    fields: list[tuple[str, str]] = []
    creator = document.creator.strip()
    if creator:
        escaped = _bibtex_escape(inverted(creator))
        fields.append(("author", f"{{{escaped}}}" if is_person(creator) else f"{{{{{escaped}}}}}"))
    fields.append(("title", f"{{{_bibtex_escape(document.title.strip())}}}"))
    if document.date:
        fields.append(("year", f"{{{document.date.year}}}"))
        if not document.date_display:
            fields.append(("month", BIBTEX_MONTHS[document.date.month - 1]))
    elif document.date_display:
        fields.append(("year", f"{{{_bibtex_escape(document.date_display)}}}"))
    if document.publisher.strip():
        fields.append(("publisher", f"{{{_bibtex_escape(document.publisher.strip())}}}"))
    fields.append(("howpublished", f"{{{_bibtex_escape(archive)}}}"))
    fields.append(("url", f"{{{url}}}"))
    fields.append(("urldate", f"{{{accessed.isoformat()}}}"))
    fields.append(("note", f"{{Accessed {long_date(accessed)}}}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{document.slug},\n{body},\n}}"


def csl_json(document: Document, *, url: str, accessed: date, archive: str) -> list[dict]:
    """The document as CSL-JSON (a list of one item), as Zotero, Mendeley and citeproc read it.

    The document is held by this archive (``archive``, Zotero's Archive); ``publisher`` is who
    issued it, when known. Where the archive's text comes from (the Source field, a sentence
    such as "Quoted on the AMICC web page ...") is a ``note``: CSL's ``source`` is the catalogue
    a record came from (Zotero's Library Catalog), which the styles print.
    """
    item: dict = {
        "id": document.slug,
        "type": item_type(document).csl,
        "title": document.title.strip(),
        "URL": url,
        "accessed": {"date-parts": [[accessed.year, accessed.month, accessed.day]]},
        "archive": archive,
    }
    creator = document.creator.strip()
    name = person_name(creator)
    if name:
        item["author"] = [{"family": name[0], "given": name[1]}]
    elif creator:
        item["author"] = [{"literal": creator}]
    if document.date and not document.date_display:
        item["issued"] = {"date-parts": [[document.date.year, document.date.month, document.date.day]]}
    elif document.date_display:
        item["issued"] = {"literal": document.date_display}
    optional = {
        "publisher": document.publisher.strip(),
        "language": document.language,
        "abstract": document.description.strip(),
        "note": document.source.strip(),
    }
    item.update({key: value for key, value in optional.items() if value})
    return [item]


def ris(document: Document, *, url: str, accessed: date, archive: str) -> str:
    """The document as a RIS record (CRLF line ends, as the format asks), for EndNote and the like."""
    lines = [("TY", item_type(document).ris)]
    creator = document.creator.strip()
    if creator:
        lines.append(("AU", inverted(creator)))
    lines.append(("TI", _one_line(document.title)))
    if document.date:
        lines.append(("PY", str(document.date.year)))
        if not document.date_display:
            lines.append(("DA", document.date.strftime("%Y/%m/%d")))
    if document.date_display:
        lines.append(("N1", f"Date: {_one_line(document.date_display)}"))
    if document.publisher.strip():
        lines.append(("PB", _one_line(document.publisher)))
    if document.description.strip():
        lines.append(("AB", _one_line(document.description)))
    if document.language:
        lines.append(("LA", document.language))
    if document.source.strip():
        lines.append(("N1", _one_line(document.source)))
    lines += [("DB", archive), ("UR", url), ("Y2", accessed.strftime("%Y/%m/%d")), ("ER", "")]
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)


def long_date(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _bibtex_escape(text: str) -> str:
    return "".join(_BIBTEX_SPECIALS.get(char, char) for char in text)
