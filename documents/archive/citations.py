"""How to refer to a document: Chicago, MLA and BibTeX for people; schema.org, CSL-JSON,
RIS, Highwire ``citation_*`` meta tags and COinS for machines and reference managers.

Everything here is pure: the functions read a document's fields (an unsaved
``Document`` will do) and never touch the database, so the reading view and
the tests build the same strings from the same metadata.

The creator is one Dublin Core field that may name a person or an issuing
body. Following Dublin Core practice, a curator may write a person inverted,
"Clinton, William J."; a creator with a comma is therefore taken as a person
(family name first, as bibliographies want it). A creator written in natural
order is a person too when it reads like a personal name: two to four
capitalised words or initials ("William J. Clinton", "Bill Clinton"), none of
them a word that names a body ("United Nations General Assembly"). Anything
else (an acronym such as "AMICC", a phrase with "of") is an organisation or a
name to be cited exactly as written. Chicago and MLA invert a person's name,
"Clinton, William J." (docs/reading-and-annotating.md, "Readers").
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import urlencode

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
MLA_MONTHS = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
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

# Keyed by the values of ``Document.Type``; the others are a CreativeWork.
SCHEMA_ORG_TYPES = {
    "letter": "Message",
    "legislation": "Legislation",
    "report": "Report",
    "article": "Article",
    "web-page": "WebPage",
}


# Words that name a body, not a person, when a creator is written in natural order.
ORGANISATION_WORDS = frozenset(
    {
        "academy",
        "agency",
        "alliance",
        "archive",
        "archives",
        "assembly",
        "association",
        "bank",
        "board",
        "bureau",
        "center",
        "centre",
        "church",
        "coalition",
        "college",
        "commission",
        "committee",
        "commonwealth",
        "company",
        "congress",
        "corporation",
        "council",
        "court",
        "department",
        "embassy",
        "federal",
        "federation",
        "forum",
        "foundation",
        "fund",
        "government",
        "group",
        "house",
        "inc",
        "initiative",
        "institute",
        "international",
        "league",
        "library",
        "ltd",
        "ministry",
        "museum",
        "national",
        "nations",
        "network",
        "news",
        "office",
        "organisation",
        "organization",
        "parliament",
        "party",
        "post",
        "press",
        "project",
        "republic",
        "rights",
        "secretariat",
        "senate",
        "service",
        "society",
        "states",
        "times",
        "tribunal",
        "trust",
        "union",
        "university",
        "watch",
    }
)
_INITIALS = re.compile(r"(?:[^\W\d_]\.)+")


def _is_name_word(word: str) -> bool:
    """A capitalised word ("Clinton", "O’Brien", "Smith-Jones") or initials ("J.", "J.F.")."""
    if _INITIALS.fullmatch(word):
        return word[0].isupper()
    letters = [part.replace("'", "").replace("’", "") for part in word.split("-")]
    return all(
        len(part) > 1 and part.isalpha() and part[0].isupper() and not part.isupper() for part in letters
    )


def person_name(creator: str) -> tuple[str, str] | None:
    """(family, given) when the creator is a person, else None; see the module docstring."""
    creator = " ".join(creator.split())
    if "," in creator:
        family, given = (part.strip() for part in creator.split(",", 1))
        return (family, given) if family else None
    words = creator.split(" ")
    if not 2 <= len(words) <= 4 or not all(_is_name_word(word) for word in words):
        return None
    if any(word.casefold() in ORGANISATION_WORDS for word in words) or words[-1].endswith("."):
        return None
    return words[-1], " ".join(words[:-1])


def is_person(creator: str) -> bool:
    return person_name(creator) is not None


def inverted(creator: str) -> str:
    """The creator as a bibliography lists it: a person "Family, Given", anything else as written."""
    name = person_name(creator)
    if name is None:
        return creator.strip()
    family, given = name
    return f"{family}, {given}" if given else family


def chicago(
    document: Document, *, url: str, accessed: date, archive: str, passage: int | str | None = None
) -> str:
    """A Chicago (17th edition) bibliography entry for the document as read in this archive.

    With ``passage`` the entry cites that passage: "par. n" after the archive, and the
    passage's permalink (``#p-n``) in place of the document's address.
    """
    container = ", ".join(part for part in (document.publisher.strip(), document.date_label) if part)
    location = ", ".join(part for part in (archive, _paragraph(passage)) if part)
    parts = [
        _sentence(inverted(document.creator)),
        _quoted_title(document.title),
        _sentence(container),
        _sentence(location),
        f"Accessed {_long_date(accessed)}.",
        _sentence(_passage_url(url, passage)),
    ]
    return " ".join(part for part in parts if part)


def mla(
    document: Document, *, url: str, accessed: date, archive: str, passage: int | str | None = None
) -> str:
    """An MLA (9th edition) works-cited entry: the original publication, then this archive.

    MLA leaves the scheme off URLs, so "https://" is dropped. With ``passage``, the
    passage's permalink and "par. n" follow the archive.
    """
    original = ", ".join(part for part in (document.publisher.strip(), _mla_date(document)) if part)
    archive_container = ", ".join(
        part for part in (archive, _without_scheme(_passage_url(url, passage)), _paragraph(passage)) if part
    )
    parts = [
        _sentence(inverted(document.creator)),
        _quoted_title(document.title),
        _sentence(original),
        _sentence(archive_container),
        f"Accessed {_mla_day(accessed)}.",
    ]
    return " ".join(part for part in parts if part)


# Cite this fills in the passage in the browser (docs/reading-and-annotating.md, "Readers"): the reading view
# renders each style once with this placeholder where the passage's number goes.
PASSAGE_PLACEHOLDER = "{passage}"


def _paragraph(passage: int | str | None) -> str:
    return f"par. {passage}" if passage is not None else ""


def _passage_url(url: str, passage: int | str | None) -> str:
    return f"{url}#p-{passage}" if passage is not None else url


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
    fields.append(("note", f"{{Accessed {_long_date(accessed)}}}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{document.slug},\n{body},\n}}"


def schema_org(
    document: Document,
    *,
    url: str,
    archive: str,
    archive_url: str,
    keywords: list[str],
    collections: list[tuple[str, str]],
) -> dict:
    """The document as a schema.org JSON-LD object; ``collections`` are (title, absolute URL) pairs.

    schema.org accepts plain text where it expects a person or an organisation,
    so a creator that is not clearly a person is given as written.
    """
    data: dict = {
        "@context": "https://schema.org",
        "@type": SCHEMA_ORG_TYPES.get(document.type, "CreativeWork"),
        "@id": url,
        "url": url,
        "name": document.title,
        "genre": document.get_type_display(),
        "inLanguage": document.language,
        "isAccessibleForFree": True,
        "provider": {"@type": "Organization", "name": archive, "url": archive_url},
    }
    creator = document.creator.strip()
    name = person_name(creator)
    if name:
        family, given = name
        data["author"] = {
            "@type": "Person",
            "name": f"{given} {family}".strip(),
            "familyName": family,
            "givenName": given,
        }
    elif creator:
        data["author"] = creator
    if document.date:
        data["dateCreated"] = document.date.isoformat()
    if document.date_display:
        data["temporalCoverage"] = document.date_display
    optional = {
        "description": document.description.strip(),
        "publisher": document.publisher.strip(),
        "copyrightNotice": document.rights.strip(),
        "isBasedOn": document.source.strip(),
        "identifier": document.identifier.strip(),
    }
    data.update({key: value for key, value in optional.items() if value})
    if keywords:
        data["keywords"] = keywords
    if collections:
        data["isPartOf"] = [
            {"@type": "Collection", "name": title, "url": collection_url}
            for title, collection_url in collections
        ]
    return data


# Keyed by the values of ``Document.Type``, like SCHEMA_ORG_TYPES; the others are a plain document.
CSL_TYPES = {
    "speech": "speech",
    "letter": "personal_communication",
    "treaty": "treaty",
    "legislation": "legislation",
    "court-decision": "legal_case",
    "report": "report",
    "article": "article",
    "web-page": "webpage",
}
RIS_TYPES = {
    "letter": "PCOMM",
    "legislation": "STAT",
    "treaty": "STAT",
    "court-decision": "CASE",
    "report": "RPRT",
    "article": "JOUR",
    "web-page": "ELEC",
}


def csl_json(document: Document, *, url: str, accessed: date, archive: str) -> list[dict]:
    """The document as CSL-JSON (a list of one item), as Zotero, Mendeley and citeproc read it."""
    item: dict = {
        "id": document.slug,
        "type": CSL_TYPES.get(document.type, "document"),
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
        "source": document.source.strip(),
    }
    item.update({key: value for key, value in optional.items() if value})
    return [item]


def ris(document: Document, *, url: str, accessed: date, archive: str) -> str:
    """The document as a RIS record (CRLF line ends, as the format asks), for EndNote and the like."""
    lines = [("TY", RIS_TYPES.get(document.type, "GEN"))]
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
    lines += [("DB", archive), ("UR", url), ("Y2", accessed.strftime("%Y/%m/%d")), ("ER", "")]
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)


def citation_meta(document: Document, *, url: str) -> list[tuple[str, str]]:
    """Highwire Press ``citation_*`` meta tags (name, content), as Google Scholar and Zotero read them."""
    tags = [("citation_title", document.title.strip())]
    creator = document.creator.strip()
    if creator:
        tags.append(("citation_author", inverted(creator)))
    if document.date:
        tags.append(("citation_publication_date", document.date.strftime("%Y/%m/%d")))
    if document.publisher.strip():
        tags.append(("citation_publisher", document.publisher.strip()))
    if document.language:
        tags.append(("citation_language", document.language))
    tags.append(("citation_public_url", url))
    return tags


def coins(document: Document, *, url: str) -> str:
    """The title attribute of a COinS span: an OpenURL ContextObject in Dublin Core terms."""
    fields = [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"),
        ("rft.type", document.get_type_display()),
        ("rft.title", document.title.strip()),
    ]
    if document.creator.strip():
        fields.append(("rft.creator", inverted(document.creator)))
    if document.date:
        fields.append(("rft.date", document.date.isoformat()))
    elif document.date_display:
        fields.append(("rft.date", document.date_display))
    for key, value in (("rft.publisher", document.publisher), ("rft.source", document.source)):
        if value.strip():
            fields.append((key, value.strip()))
    if document.language:
        fields.append(("rft.language", document.language))
    fields.append(("rft.identifier", url))
    return urlencode(fields)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _sentence(text: str) -> str:
    text = text.strip()
    if not text or text.endswith((".", "?", "!")):
        return text
    return text + "."


def _quoted_title(title: str) -> str:
    """“Title.” with the period inside the quotation marks, and inner quotes made single."""
    title = _inner_quotes(title.strip())
    if title.endswith((".", "?", "!")):
        return f"“{title}”"
    return f"“{title}.”"


def _inner_quotes(title: str) -> str:
    result = []
    opening = True
    for char in title:
        if char == '"':
            result.append("‘" if opening else "’")
            opening = not opening
        elif char == "“":
            result.append("‘")
        elif char == "”":
            result.append("’")
        else:
            result.append(char)
    return "".join(result)


def _long_date(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def _mla_day(day: date) -> str:
    return f"{day.day} {MLA_MONTHS[day.month - 1]} {day.year}"


def _mla_date(document: Document) -> str:
    if document.date_display:
        return document.date_display
    if document.date:
        return _mla_day(document.date)
    return ""


def _without_scheme(url: str) -> str:
    for scheme in ("https://", "http://"):
        if url.startswith(scheme):
            return url[len(scheme) :]
    return url


def _bibtex_escape(text: str) -> str:
    return "".join(_BIBTEX_SPECIALS.get(char, char) for char in text)
