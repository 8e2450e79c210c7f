"""The archive's public pages: ``pages`` (home, lists, the reading view, tags, collections),
``citing`` (citation files) and ``revisions`` (a text's history and an author's answer to a changed quote).
"""
