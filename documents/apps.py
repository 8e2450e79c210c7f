from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Archive"

    def ready(self):
        from documents.api import schema  # noqa: F401  (registers the OpenAPI token scheme)
