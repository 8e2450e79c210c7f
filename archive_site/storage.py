"""Static files storage for production (DEBUG off)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed files; ES module imports are rewritten to the hashed names too,
    so the annotator's modules can be cached for a long time like every other file."""

    support_js_module_import_aggregation = True
