"""OAI-PMH responses as XML, valid against the protocol's schema (OAI-PMH.xsd) and, for the metadata,
``oai_dc.xsd`` (tests/documents/archive/oai/ validates every verb against local copies of both).

Built with lxml, which escapes every value and refuses characters XML 1.0 does not allow; those
(control characters a pasted text may hold) are dropped first, so no field can make a response
unreadable.
"""

from __future__ import annotations

import re
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from lxml import etree

from documents.archive.models import Collection, Document
from documents.archive.oai import protocol
from documents.archive.oai.records import Page, Record

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"


# Characters outside XML 1.0's Char production (https://www.w3.org/TR/xml/#charsets).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# The DCMI Type of every document: its words are the record (https://www.dublincore.org/specifications/dublin-core/dcmi-type-vocabulary/).
DCMI_TEXT = "Text"


def envelope(*, base_url: str, request: dict[str, str]) -> etree._Element:
    """The response's root, with the request it answers: ``request`` holds the verb and the arguments,
    none after badVerb or badArgument (section 3.6)."""
    root = etree.Element(f"{{{OAI}}}OAI-PMH", nsmap={None: OAI, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI} {OAI_SCHEMA}")
    _add(root, "responseDate", protocol.datestamp(timezone.now()))
    element = _add(root, "request", base_url)
    for name, value in sorted(request.items()):
        element.set(name, _clean(value))
    return root


def answer(root: etree._Element, verb: str) -> etree._Element:
    """The element that holds the answer to ``verb``."""
    return _add(root, verb)


def error(root: etree._Element, failure: protocol.OaiError) -> None:
    _add(root, "error", failure.message).set("code", failure.code)


def identify(element: etree._Element, *, base_url: str, earliest: datetime | None) -> None:
    _add(element, "repositoryName", settings.ARCHIVE_NAME)
    _add(element, "baseURL", base_url)
    _add(element, "protocolVersion", "2.0")
    _add(element, "adminEmail", settings.OAI_ADMIN_EMAIL)
    _add(element, "earliestDatestamp", protocol.datestamp(earliest or timezone.now()))
    _add(element, "deletedRecord", "persistent")
    _add(element, "granularity", protocol.SECONDS)


def metadata_formats(element: etree._Element) -> None:
    metadata_format = _add(element, "metadataFormat")
    _add(metadata_format, "metadataPrefix", protocol.OAI_DC)
    _add(metadata_format, "schema", OAI_DC_SCHEMA)
    _add(metadata_format, "metadataNamespace", OAI_DC)


def sets(element: etree._Element, collections: list[Collection]) -> None:
    """One set per collection; its description, when it has one, as ``oai_dc``."""
    for collection in collections:
        entry = _add(element, "set")
        _add(entry, "setSpec", collection.slug)
        _add(entry, "setName", collection.title)
        if collection.description:
            dc = _oai_dc(_add(entry, "setDescription"))
            _dc(dc, "description", collection.description)


def header(parent: etree._Element, record: Record) -> None:
    element = _add(parent, "header")
    if record.deleted:
        element.set("status", "deleted")
    _add(element, "identifier", protocol.identifier(record.slug))
    _add(element, "datestamp", protocol.datestamp(record.datestamp))
    for set_spec in record.set_specs:
        _add(element, "setSpec", set_spec)


def record(parent: etree._Element, record: Record) -> None:
    """A record: its header, and its ``oai_dc`` unless it is deleted."""
    element = _add(parent, "record")
    header(element, record)
    if record.document is not None:
        dublin_core(_add(element, "metadata"), record.document)


def listing(element: etree._Element, request: protocol.ListRequest, page: Page) -> None:
    """A page of ListIdentifiers or ListRecords, and the resumption token of the next one.

    On the last page of a list that took more than one, the token is empty, as section 3.5 asks.
    """
    for entry in page.records:
        (record if request.verb == "ListRecords" else header)(element, entry)
    if page.after is None and request.after is None:
        return
    following = request.next(page.after, len(page.records)) if page.after else ""
    token = _add(element, "resumptionToken", following)
    if page.complete_size:
        token.set("completeListSize", str(page.complete_size))
    token.set("cursor", str(request.cursor))


def dublin_core(parent: etree._Element, document: Document) -> None:
    """The document's Dublin Core (docs/interoperability.md, "Harvesting (OAI-PMH)"): its fields, its tags
    as subjects, and the address of its reading view as its identifier."""
    dc = _oai_dc(parent)
    _dc(dc, "title", document.title)
    _dc(dc, "creator", document.creator)
    for tag in sorted(document.harvested_tags, key=lambda tag: tag.name.casefold()):
        _dc(dc, "subject", tag.name)
    _dc(dc, "description", document.description)
    _dc(dc, "publisher", document.publisher)
    _dc(dc, "date", document.date.isoformat() if document.date else document.date_display)
    _dc(dc, "type", DCMI_TEXT)
    _dc(dc, "type", document.get_type_display())
    _dc(dc, "identifier", settings.SITE_URL.rstrip("/") + document.get_absolute_url())
    _dc(dc, "identifier", document.identifier)
    _dc(dc, "source", document.source)
    _dc(dc, "language", document.language)
    _dc(dc, "rights", document.rights)


def to_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def _oai_dc(parent: etree._Element) -> etree._Element:
    dc = etree.SubElement(parent, f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC})
    dc.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC} {OAI_DC_SCHEMA}")
    return dc


def _dc(dc: etree._Element, name: str, value: str) -> None:
    """A Dublin Core element, unless ``value`` is empty."""
    value = _clean(value).strip()
    if value:
        etree.SubElement(dc, f"{{{DC}}}{name}").text = value


def _add(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{OAI}}}{name}")
    if text is not None:
        element.text = _clean(text)
    return element


def _clean(text: str) -> str:
    return NOT_XML.sub("", text)
