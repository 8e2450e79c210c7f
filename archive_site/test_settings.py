"""Test-safe settings: fast hashing, e-mail kept in memory, no manifest for static files."""

import os

# settings.py refuses to start with DEBUG off (its default) and no SECRET_KEY; the suite has a key of its own.
os.environ.setdefault("SECRET_KEY", "test-only-insecure-key-" + "x" * 40)

from archive_site.settings import *  # noqa: F403
from archive_site.settings import BASE_DIR, DATABASE_CACHE, DATABASES, SQLITE_READS, TASKS_DATABASE

# The hosts the suite's clients name: Django's test client, live servers, schemathesis's WSGI calls.
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1", "[::1]"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The canonical address is the test client's host, as the tests' expected IRIs write it.
SITE_URL = "http://testserver"
# OAI-PMH's Identify needs an address with a domain (docs/interoperability.md, "Harvesting (OAI-PMH)").
OAI_ADMIN_EMAIL = "archive@example.org"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The suite makes many writes from one address; the throttle tests lower these.
API_WRITE_RATE_USER = "100000/min"
API_WRITE_RATE_ADDRESS = "100000/min"

# Limits on abuse.
# The database cache even if the environment names a Redis: each test's counters are rolled back
# with its transaction. tests/archive_site/test_shared_counters.py runs servers on real Redis.
CACHES = {"default": DATABASE_CACHE}
# The suite signs up and asks for resets from one address; the limit tests lower these.
SIGNUP_RATE_ADDRESS = "100000/hour"
PASSWORD_RESET_RATE_ADDRESS = "100000/hour"  # noqa: S105 (a rate, not a password)
TRUSTED_PROXIES = []
MENTION_RATE_READER = "100000/hour"

# Background work: the database queue even if the environment names Redis; the tests run its worker
# in-process (tests/mail.py), so what a request enqueued is delivered as in production.
TASKS = {"default": TASKS_DATABASE}

# Concurrency (docs/architecture.md, "Concurrency").
# An in-memory SQLite database lives in one connection, which the live server would share with the
# test; the concurrency tests need the server's threads on connections of their own, so on SQLite
# the test database is a file under var/ (PostgreSQL needs nothing).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test.sqlite3")}
    # A throwaway database need not survive a power cut: no fsync keeps the suite about as fast as in memory.
    DATABASES["default"]["OPTIONS"]["init_command"] = (
        f"PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; {SQLITE_READS}"
    )
