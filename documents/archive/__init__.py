"""The archive: documents, collections, their revisions, the text and its passages, citations.

The lowest area (docs/architecture.md, "Areas"): its models and pure modules may use no other area;
its pages, API, feeds and admin may show what the areas above hold. Who may read a document is
``DocumentQuerySet.visible_to``, in ``models``; ``text`` turns a curator's markup into passages
and the canonical text (pure); ``citations`` and ``diffs`` are pure too. A text changes only
through ``documents.annotations.text_changes``, which moves the notes on it.
"""
