"""The admin's registrations, gathered from the areas that own them
(Django's autodiscovery imports this module).

Each area configures the admin of its own models: ``archive.admin`` (documents, collections),
``annotations.admin`` (moderating notes, tags), ``accounts.admin`` (accounts, sign-in attempts). The
site itself, and what it shows of notes a curator may not read, is ``documents.admin_site``.
"""

from documents.accounts import admin as accounts_admin
from documents.annotations import admin as annotations_admin
from documents.archive import admin as archive_admin

__all__ = ["accounts_admin", "annotations_admin", "archive_admin"]
