"""Bringing things into the archive: curators' document files (``document_files`` reads them,
``documents`` writes them), the seed fixtures (``seed``) and W3C annotations from a file or the
API (``annotations``)."""
