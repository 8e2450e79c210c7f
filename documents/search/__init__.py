"""Search: the index, the query language, ranking, facets, and the page and API that ask them.

Above annotations (docs/architecture.md, "Areas"): what a reader may find is what
``visible_to`` lets them see. ``syntax`` is pure (what a reader types, parsed); ``query`` writes the
index and ranks matches on SQLite's FTS5 or PostgreSQL's full-text search (docs/search.md).
"""
