"""Annotations: notes on passages, their tags, anchoring, rules, sanitising, the W3C JSON-LD,
flags and moderation, the reading view's panel, exports.

Above the archive and groups, below search and accounts (docs/architecture.md, "Areas"). Who may
see a note is ``AnnotationQuerySet.visible_to``, in ``models``: the one rule every page, API view,
search, feed, export and notification calls. Every write goes through ``services``,
``moderation`` or ``text_changes``, which share the locks and version bumps of ``writes``.
"""
