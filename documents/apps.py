from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Archive"

    def ready(self):
        from documents.api import schema  # noqa: F401  (registers the OpenAPI token scheme)


class ArchiveAdminConfig(admin_apps.AdminConfig):
    """Django's admin, whose ``admin.site`` is ours: it shows what its user may see
    (docs/reading-and-annotating.md, "Privacy")."""

    default = False  # the documents app's config is the one above
    default_site = "documents.admin_site.ArchiveAdminSite"
