"""The archive's HTML views, one module per area: ``pages`` (the public reading pages),
``annotations`` (the panel alone, permalinks), ``citing`` (citation files), ``accounts`` and
``exports``."""
