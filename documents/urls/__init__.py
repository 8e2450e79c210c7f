"""The archive's addresses outside the API, one module per area: pages, accounts, exports, groups.

``archive_site/urls.py`` includes each (and ``documents.api.urls`` under ``/api/``);
the names and paths are listed in ``tests/archive_site/test_urls.py``.
"""
