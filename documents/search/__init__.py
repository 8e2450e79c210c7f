"""Search: the index, the query language, ranking, facets, and the page and API that ask them.

Above annotations (docs/architecture.md, "Areas"): what a reader may find is what
``visible_to`` lets them see. ``syntax`` is pure (what a reader types, parsed); ``index`` writes
the index; ``backends`` speaks SQLite's FTS5 or PostgreSQL's full-text search (docs/search.md);
``query`` runs a search, ``ranking`` ranks its candidates into hits and ``facets`` counts them.
"""
