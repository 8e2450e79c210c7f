"""Validation of OAI-PMH responses against the official schemas, offline (schemas/README.md).

The schemas import each other by their published addresses; a resolver gives lxml the local copy of
each, and one small schema imports both OAI-PMH.xsd and oai_dc.xsd, so that the metadata of a
record, which OAI-PMH.xsd checks strictly (``processContents="strict"``), is checked as oai_dc.
"""

from functools import cache
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).parent / "schemas"

PUBLISHED = {
    "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd": "OAI-PMH.xsd",
    "http://www.openarchives.org/OAI/2.0/oai_dc.xsd": "oai_dc.xsd",
    "http://dublincore.org/schemas/xmls/simpledc20021212.xsd": "simpledc20021212.xsd",
    "http://www.w3.org/2001/03/xml.xsd": "xml.xsd",
}

BOTH = b"""<schema xmlns="http://www.w3.org/2001/XMLSchema">
  <import namespace="http://www.openarchives.org/OAI/2.0/"
          schemaLocation="http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"/>
  <import namespace="http://www.openarchives.org/OAI/2.0/oai_dc/"
          schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc.xsd"/>
</schema>"""


class LocalCopies(etree.Resolver):
    def resolve(self, url, public_id, context):
        name = PUBLISHED.get(url) or (Path(url).name if Path(url).parent == SCHEMAS else None)
        if name is None:
            raise AssertionError(f"The schemas asked for {url}, which is not kept in {SCHEMAS}.")
        return self.resolve_filename(str(SCHEMAS / name), context)


@cache
def schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(LocalCopies())
    return etree.XMLSchema(etree.fromstring(BOTH, parser, base_url=str(SCHEMAS / "both.xsd")))


def valid(content: bytes) -> etree._Element:
    """The parsed response; AssertionError naming each schema error when it is not valid."""
    document = etree.fromstring(content, etree.XMLParser(no_network=True, resolve_entities=False))
    checker = schema()
    if not checker.validate(document):
        raise AssertionError("\n".join(str(error) for error in checker.error_log))
    return document
