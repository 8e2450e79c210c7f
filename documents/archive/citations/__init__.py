"""How to refer to a document: Chicago, MLA and BibTeX for people; schema.org, CSL-JSON,
RIS, Highwire ``citation_*`` meta tags and COinS for machines and reference managers.

One module per family of formats: ``styles`` (Chicago, MLA and APA, the entries Cite this shows,
made by ``csl`` with the official CSL styles in ``styles/``),
``reference_managers`` (BibTeX, CSL-JSON and RIS, the files it offers), ``embedded`` (schema.org,
``citation_*`` meta tags and COinS, in the reading view's markup) and ``names`` (whether a
creator is a person, and the name inverted, which all of them share).

Everything here is pure: the functions read a document's fields (an unsaved
``Document`` will do) and never touch the database, so the reading view and
the tests build the same strings from the same metadata.
"""
