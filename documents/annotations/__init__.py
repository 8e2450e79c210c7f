"""Annotations: notes on passages, their tags, anchoring, rules, sanitising, the W3C JSON-LD,
flags and moderation, the reading view's panel, exports, and a document's text changes (which
move the notes on it).

Above the archive and groups, below search and accounts (docs/architecture.md, "Areas"): it may
use the archive and groups. Who may
see a note is ``AnnotationQuerySet.visible_to``, in ``models``: the one rule every page, API view,
search, feed, export and notification calls. Every write goes through ``services``,
``moderation`` or ``text_changes``, each in ``writes.writing``, the one write path: it holds the
rows in order, counts the change on the documents' versions and tells the listeners that
``documents/apps.py`` registers (the search index, the notifications), which this area never imports.
"""
