from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Archive"

    def ready(self):
        from documents.accounts import notifications
        from documents.annotations import writes
        from documents.api import schema  # noqa: F401  (registers the OpenAPI token scheme)
        from documents.search import index

        # What every write of notes sets off, in this order (docs/architecture.md, "Concurrency"): the
        # search index follows the notes' words, then their readers are told. The areas that listen
        # sit above the annotations, which never import them.
        writes.listen(index.index_changes)
        writes.listen(notifications.notify_changes)


class ArchiveAdminConfig(admin_apps.AdminConfig):
    """Django's admin, whose ``admin.site`` is ours: it shows what its user may see
    (docs/reading-and-annotating.md, "Privacy")."""

    default = False  # the documents app's config is the one above
    default_site = "documents.admin_site.ArchiveAdminSite"
