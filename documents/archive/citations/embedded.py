"""The document's metadata in the reading view's markup, for machines: schema.org JSON-LD,
Highwire ``citation_*`` meta tags (Google Scholar, Zotero) and a COinS span.

Pure: they read a document's fields and never touch the database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from documents.archive.citations.names import inverted, is_person, person_name
from documents.archive.citations.reference_managers import item_type

if TYPE_CHECKING:  # annotations only: this module reads fields and stays below the models
    from documents.archive.models import Document

# Keyed by the values of ``Document.Type``; the others are a CreativeWork.
SCHEMA_ORG_TYPES = {
    "letter": "Message",
    "legislation": "Legislation",
    "report": "Report",
    "article": "Article",
    "web-page": "WebPage",
}


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


def citation_meta(document: Document, *, url: str) -> list[tuple[str, str]]:
    """Highwire Press ``citation_*`` and Dublin Core ``DC.*`` meta tags (name, content).

    Google Scholar reads the first. Zotero's Embedded Metadata translator reads both: with
    ``citation_*`` tags alone it guesses a journal article, but a ``DC.type`` that names a Zotero
    item type ("document", "presentation", ...) decides the type, as its RDF import reads
    ``dc:type``. So the two sets say the same thing, and ``DC.type`` is the Zotero type of
    the CSL-JSON's type (``reference_managers.ITEM_TYPES``). A date the curator wrote for people
    ("c. 1850") is only a year in ``citation_publication_date``, as in RIS's ``PY``: Zotero takes
    that tag over ``DC.date``, and the stored day is a sorting key, not a fact.
    """
    title = document.title.strip()
    creator = document.creator.strip()
    publisher = document.publisher.strip()
    tags = [("citation_title", title)]
    if creator:
        tags.append(("citation_author", inverted(creator)))
    if document.date and not document.date_display:
        tags.append(("citation_publication_date", document.date.strftime("%Y/%m/%d")))
    elif document.date:
        tags.append(("citation_publication_date", str(document.date.year)))
    if publisher:
        tags.append(("citation_publisher", publisher))
    if document.language:
        tags.append(("citation_language", document.language))
    tags.append(("citation_public_url", url))
    tags += [("DC.type", item_type(document).zotero), ("DC.title", title)]
    if creator:
        tags.append(("DC.creator", inverted(creator)))
    if document.date and not document.date_display:
        tags.append(("DC.date", document.date.isoformat()))
    elif document.date_display:
        tags.append(("DC.date", document.date_display))
    if publisher:
        tags.append(("DC.publisher", publisher))
    if document.language:
        tags.append(("DC.language", document.language))
    tags.append(("DC.identifier", url))
    return tags


def coins(document: Document, *, url: str) -> str:
    """The title attribute of a COinS span: an OpenURL ContextObject in Dublin Core terms.

    Zotero reads a Dublin Core ContextObject as a web page unless ``rft.type`` names one of its
    item types, and ``rft.source`` as the web page's Website Title; so ``rft.type`` is the Zotero
    type (as ``DC.type``) and the provenance sentence stays out. A person is ``rft.creator``
    written "Family, Given", which Zotero splits at the comma; a body is ``rft.aucorp``, kept whole.
    """
    fields = [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"),
        ("rft.type", item_type(document).zotero),
        ("rft.title", document.title.strip()),
    ]
    creator = document.creator.strip()
    if creator:
        fields.append(("rft.creator" if is_person(creator) else "rft.aucorp", inverted(creator)))
    if document.date and not document.date_display:
        fields.append(("rft.date", document.date.isoformat()))
    elif document.date_display:
        fields.append(("rft.date", document.date_display))
    if document.publisher.strip():
        fields.append(("rft.publisher", document.publisher.strip()))
    if document.description.strip():
        fields.append(("rft.description", document.description.strip()))
    if document.language:
        fields.append(("rft.language", document.language))
    fields.append(("rft.identifier", url))
    return urlencode(fields)
