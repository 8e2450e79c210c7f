"""The archive's HTML views, one module per area: ``pages`` holds the public reading pages."""
