"""A document as TEI P5, and a TEI document as the archive's record (docs/preservation.md, "TEI").

``writing`` builds the XML that ``/documents/<slug>/tei.xml`` serves: the Dublin Core metadata in the
``teiHeader``, the passages as ``p``, ``head``, ``quote`` and ``item``, and public notes as stand-off
``annotation`` elements pointing at their words; ``reading`` turns a TEI file back into metadata and
passages, and reports by name what the archive cannot hold. Pure: lxml, no database.
"""

TEI_NAMESPACE = "http://www.tei-c.org/ns/1.0"
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
TEI_MEDIA_TYPE = "application/tei+xml"
TEI_ALL = "https://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"
