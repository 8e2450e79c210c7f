"""Test-safe settings: fast hashing, e-mail kept in memory, no manifest for static files."""

from archive_site.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The suite makes many writes from one address; the throttle tests lower these.
API_WRITE_RATE_USER = "100000/min"
API_WRITE_RATE_ADDRESS = "100000/min"
