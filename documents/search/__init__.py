"""Search: the index, the query language, ranking, facets, and the page and API that ask them.

Above annotations (docs/architecture.md, "Areas"): it may use annotations, groups and the archive.
What a reader may find is what ``visible_to`` lets them see: the index holds words, never
permissions. ``syntax`` is pure (what a reader types, parsed); ``index`` writes the index in the
transaction of each change it records; ``query`` searches, ranks and counts facets; ``backends``
speaks SQLite's FTS5 or PostgreSQL's full-text search (docs/search.md).
"""
