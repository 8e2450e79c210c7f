"""Bringing things into the archive: curators' document files (``documents``), the seed
fixtures (``seed``) and W3C annotations from a file or the API (``annotations``)."""
