"""The archive's pages: ``pages`` (home, lists, the reading view, tags, collections), ``citing``
(citation files) and ``revisions`` (a text's history and an author's answer to a changed quote), all
public; and ``curating``, the curators' own screens of a text (history, diff, revert, passage preview).
"""
