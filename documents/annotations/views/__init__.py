"""The annotations' HTML views: the panel alone and permalinks (``annotations``), the comment
preview, flags, exports and imports of a reader's notes, the reading view's cached parts
(``reading_cache``), and the curators' moderation screens (``moderating``: hide, restore, merge tags).
"""
