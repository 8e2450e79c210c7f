"""Chicago and MLA entries, the citations Cite this shows people, for a document or one of its passages.

Pure: they read a document's fields and never touch the database.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from documents.archive.citations.names import inverted

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
        f"Accessed {long_date(accessed)}.",
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


def long_date(day: date) -> str:
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
