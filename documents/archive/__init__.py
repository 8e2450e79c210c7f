"""The archive: documents, collections, their revisions, the text and its passages, citations.

The lowest area: it imports no other area (docs/architecture.md, "Areas"). Who may read a document
is ``DocumentQuerySet.visible_to``, in ``models``; ``listing`` holds the orders a list of documents
can take; ``text`` turns a curator's markup into passages and the canonical text (pure);
``citations`` and ``diffs`` are pure too. ``per_request`` keeps answers about the reader for the
rest of a request (pure; every area's reader questions use it).
"""
