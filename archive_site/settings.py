"""Settings for the archive, read from the environment (docs/deployment.md, "Configuration").

Safe by default: DEBUG is off unless the environment turns it on (`make run` does, for development),
and with DEBUG off the site refuses to start without SECRET_KEY. `env` reads each variable through
django-environ (archive_site/environment.py): a value it cannot read stops start-up naming the
variable. The tests run on archive_site/test_settings.py, which imports these and changes only what
a test needs.
"""

import ipaddress
from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from archive_site.environment import Env

BASE_DIR = Path(__file__).resolve().parent.parent
env = Env()

# -- Development or production ------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY.strip():
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (in development, `make run` turns DEBUG on)."
        )
    SECRET_KEY = "development-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# -- HTTPS and cookies (docs/deployment.md, "Production") ---------------------------------------------------
if not DEBUG:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    SECURE_CONTENT_TYPE_NOSNIFF = True

# Off by default: HSTS cannot be taken back from browsers that saw it, and a redirect to HTTPS loops
# unless the server (or SECURE_PROXY_SSL_HEADER) knows the request came over HTTPS.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
if _proxy_ssl_header := env.list("SECURE_PROXY_SSL_HEADER", default=[]):
    if len(_proxy_ssl_header) != 2 or not _proxy_ssl_header[0].startswith("HTTP_"):
        raise ImproperlyConfigured(
            f"SECURE_PROXY_SSL_HEADER is {env.str('SECURE_PROXY_SSL_HEADER')!r}; write the header as Django "
            "sees it and the value that means HTTPS, separated by a comma, e.g. HTTP_X_FORWARDED_PROTO,https."
        )
    SECURE_PROXY_SSL_HEADER = tuple(_proxy_ssl_header)

# -- Applications, requests and pages -----------------------------------------------------------------------
INSTALLED_APPS = [
    "documents.apps.ArchiveAdminConfig",  # django.contrib.admin, on our site (documents/admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",  # the sitemap's template (docs/search.md, "How search works")
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "taggit",
    "corsheaders",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "documents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses responses that hold no secret (docs/performance.md, "Reading at scale"; the class explains
    # BREACH).
    "archive_site.middleware.PublicGZipMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A NUL in the path, query string or a form field is a 400 before any view runs (PostgreSQL
    # cannot store or compare it).
    "archive_site.middleware.RefuseNulMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "archive_site.middleware.ContentSecurityPolicyMiddleware",
    # Turns a locked-out log-in into our lockout page (docs/deployment.md, "Limits on abuse").
    "axes.middleware.AxesMiddleware",
    # A response that depends on the reader is Cache-Control: private (docs/reading-and-annotating.md,
    # "Privacy"). Innermost,
    # so it sees the session and the user a view (or DRF's token authentication) used.
    "archive_site.middleware.PrivateCacheMiddleware",
    # Under DEBUG, a view's 404 is the site's own page, not Django's (docs/deployment.md).
    "archive_site.middleware.SiteNotFoundPageMiddleware",
]

# No inline script or style on our pages; an empty value switches the header off.
CONTENT_SECURITY_POLICY = env.str(
    "CONTENT_SECURITY_POLICY",
    default="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
)
CONTENT_SECURITY_POLICY_EXEMPT = ("/admin/", "/api/docs/")

ROOT_URLCONF = "archive_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "archive_site" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "documents.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "archive_site.wsgi.application"

# -- Database -----------------------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'archive.sqlite3'}")
}
# Opening a connection (and, on SQLite, registering its functions and pragmas) costs more than a cached
# page; production keeps each worker's connection (docs/performance.md, "Reading at scale").
DATABASES["default"] |= {
    "CONN_MAX_AGE": env.int("DATABASE_CONN_MAX_AGE", default=0 if DEBUG else 600),
    "CONN_HEALTH_CHECKS": True,
}

# The lookups every cached page makes first (documents/freshness.py) bind their values on the server, and
# psycopg prepares each the first time it runs on a connection (threshold 0): they run on nearly every
# request, so PostgreSQL plans each once per connection. Django's other queries bind on the client,
# which prepares nothing whatever the threshold. Switch off behind a pooler that loses prepared
# statements (PgBouncer < 1.21 in transaction mode).
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DATABASE_PREPARED_STATEMENTS:
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 0)

# SQLite for concurrent web use (docs/architecture.md, "Concurrency"): WAL lets readers go on while one
# request writes; IMMEDIATE takes the write lock when a transaction begins, so a read-check-write never
# has to upgrade a read lock (which SQLite refuses with "database is locked" at once); the busy timeout
# makes writers queue instead of failing. For reads (docs/search.md, "How search works") each connection
# keeps up to SQLITE_CACHE_MB of pages and maps up to SQLITE_MMAP_MB of the file, shared by every
# process, instead of SQLite's 2 MB cache, which a search's candidates outgrow.
SQLITE_CACHE_MB = env.int("SQLITE_CACHE_MB", default=64)
SQLITE_MMAP_MB = env.int("SQLITE_MMAP_MB", default=256)
SQLITE_READS = f"PRAGMA cache_size=-{SQLITE_CACHE_MB * 1024}; PRAGMA mmap_size={SQLITE_MMAP_MB << 20};"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.float("SQLITE_BUSY_TIMEOUT", default=20.0),
            "init_command": f"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; {SQLITE_READS}",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# -- Accounts and log-in ------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes checks every log-in before Django's own backend (the lockout settings are below).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "profile"
LOGOUT_REDIRECT_URL = "home"

# -- Language, time and static files ------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# Day, month, year and the 24-hour clock in the admin as on the site (archive_site/formats/en/formats.py).
FORMAT_MODULE_PATH = ["archive_site.formats"]

# Static files are served by WhiteNoise, under runserver too; with DEBUG off from collected, hashed
# copies (archive_site/storage.py), with DEBUG on straight from the apps' folders.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "archive_site.storage.StaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# -- E-mail (password resets; notifications, sent from the task queue) --------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="archive@localhost")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# Seconds one SMTP conversation may take, so a server that never answers cannot hold a worker.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Notification mail goes from the task queue (below): a failed delivery is tried again after
# EMAIL_RETRY_SECONDS, doubling each time, and given up (logged, marked failed) after EMAIL_ATTEMPTS.
EMAIL_ATTEMPTS = env.int("EMAIL_ATTEMPTS", default=6)
EMAIL_RETRY_SECONDS = env.int("EMAIL_RETRY_SECONDS", default=60)
# The site's address as readers reach it, for links in e-mail sent outside a request (notifications).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# -- The archive: API write rates, cross-origin clients, client addresses -----------------------------------
ARCHIVE_NAME = env.str("ARCHIVE_NAME", default="Documents Archive")

# Harvesting (docs/interoperability.md, "Harvesting (OAI-PMH)"): records are named
# oai:<OAI_REPOSITORY_IDENTIFIER>:<slug> (by default the host name of SITE_URL); OAI_ADMIN_EMAIL is the
# address Identify gives harvesters; a list answers OAI_PAGE_SIZE records, then a resumption token.
OAI_REPOSITORY_IDENTIFIER = env.str("OAI_REPOSITORY_IDENTIFIER", default="")
OAI_ADMIN_EMAIL = env.str("OAI_ADMIN_EMAIL", default=DEFAULT_FROM_EMAIL)
OAI_PAGE_SIZE = env.int("OAI_PAGE_SIZE", default=100)
SIGNUP_OPEN = env.bool("SIGNUP_OPEN", default=True)

# Writes through the API per user and per address (an imported note is one write); reads are not
# throttled.
API_WRITE_RATE_USER = env.str("API_WRITE_RATE_USER", default="120/min")
API_WRITE_RATE_ADDRESS = env.str("API_WRITE_RATE_ADDRESS", default="240/min")
# Notes one account may store (written or imported) a day; an import counts each note it stores
# against this and against the write rates above, in the API and the profile's form alike.
STORED_NOTES_RATE_USER = env.str("STORED_NOTES_RATE_USER", default="2000/day")

# Cross-origin API clients (django-cors-headers; docs/api.md, "Cross-origin clients"): other sites'
# browser clients may use /api/ with a token, never with cookies: no credentials are allowed, and
# SameOriginSessionAuthentication ignores the session on another origin's requests.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT")
CORS_ALLOW_HEADERS = ("accept", "authorization", "content-type", "if-match", "if-none-match", "prefer")
CORS_EXPOSE_HEADERS = (
    "Accept-Post",
    "Allow",
    "Content-Location",
    "ETag",
    "Link",
    "Location",
    "Preference-Applied",
    "Retry-After",
    "Vary",
)

# Limits on abuse (docs/deployment.md, "Limits on abuse"): client addresses, the shared cache, log-in lockout,
# form limits. Every per-address limit asks documents.accounts.client_address, which
# believes X-Forwarded-For only from these proxies (addresses or networks).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
try:
    for _proxy in TRUSTED_PROXIES:
        ipaddress.ip_network(_proxy, strict=False)
except ValueError as _error:
    raise ImproperlyConfigured(
        f"TRUSTED_PROXIES: {_error} (give addresses or networks, e.g. 10.0.0.0/8)"
    ) from _error

# -- Cache (docs/performance.md, "Reading at scale") --------------------------------------------------------
# One cache for rate-limit counters and the reading view's rendered parts; every worker and server
# must see the same entries. CACHE_URL selects it: redis:// or rediss:// is Django's RedisCache;
# db:// (the default) a database table (`manage.py createcachetable`, run by `make run`/`make serve`),
# correct with any number of processes; locmem:// a per-process memory, for a single process only.
# REDIS_URL, the older name, is read when CACHE_URL is not set. (environ's `cache_url` knows neither
# db:// nor locmem://, and would rewrite a Redis address our backend takes whole.)
CACHE_URL = env.str("CACHE_URL", default="").strip() or env.str("REDIS_URL", default="").strip() or "db://"
CACHE_KEY_PREFIX = env.str("CACHE_KEY_PREFIX", default="archive")
DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "archive_cache",
    # Culling at the default 300 entries would forget counters under load.
    "OPTIONS": {"MAX_ENTRIES": 100_000},
}
_cache_scheme = CACHE_URL.partition("://")[0].lower()
if _cache_scheme in {"redis", "rediss"}:
    # Django's RedisCache, with one client per pool instead of one per command (archive_site/cache.py).
    _cache = {"BACKEND": "archive_site.cache.SharedClientRedisCache", "LOCATION": CACHE_URL}
elif _cache_scheme == "db":
    _cache = DATABASE_CACHE
elif _cache_scheme == "locmem":
    _cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 10_000}}
else:
    raise ImproperlyConfigured(
        f"CACHE_URL is {CACHE_URL!r}; give redis://HOST:PORT/DB, rediss://…, db:// or locmem://."
    )
CACHES = {"default": {**_cache, "KEY_PREFIX": CACHE_KEY_PREFIX}}

# -- Background work (docs/reading-and-annotating.md, "Notifications") --------------------------------------
# Django's Tasks API, from the django-tasks backport. TASKS_URL selects the queue: db:// (the default)
# a table in the database, worked by `manage.py db_worker` (which `make run` and `make serve` start);
# redis://HOST:PORT/DB Redis through RQ, which needs `pip install django-tasks-rq` and is worked by
# `manage.py rqworker --with-scheduler --job-class django_tasks_rq.Job`.
TASKS_URL = env.str("TASKS_URL", default="").strip() or "db://"
TASKS_DATABASE = {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
_tasks_scheme = TASKS_URL.partition("://")[0].lower()
if _tasks_scheme == "db":
    TASKS = {"default": TASKS_DATABASE}
elif _tasks_scheme in {"redis", "rediss"}:
    if find_spec("django_tasks_rq") is None:
        raise ImproperlyConfigured(
            "TASKS_URL is a Redis address: install its backend first, "
            '`.venv/bin/pip install django-tasks-rq==0.12.0` (docs/deployment.md, "Production").'
        )
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": TASKS_URL}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    raise ImproperlyConfigured(f"TASKS_URL is {TASKS_URL!r}; give db:// or redis://HOST:PORT/DB.")

# -- Log-in lockout and form limits (docs/deployment.md, "Limits on abuse") ---------------------------------
# Log-in lockout (django-axes): after AXES_FAILURE_LIMIT failures for one username from one
# address, that pair is locked for AXES_COOLOFF_MINUTES after its last failure. Attempts live
# in the database (shared by every process); curators unlock in the admin.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_MINUTES = env.int("AXES_COOLOFF_MINUTES", default=15)
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_CLIENT_IP_CALLABLE = "documents.accounts.client_address.of_request"
AXES_LOCKOUT_CALLABLE = "documents.accounts.views.accounts.login_locked_out"
AXES_RESET_ON_SUCCESS = True
# Successful log-ins are not recorded: the archive keeps no log of who logged in from where.
AXES_DISABLE_ACCESS_LOG = True

# Sign-up and password-reset requests (POSTs) per client address, "<count>/<second|minute|hour|day>".
SIGNUP_RATE_ADDRESS = env.str("SIGNUP_RATE_ADDRESS", default="10/hour")
PASSWORD_RESET_RATE_ADDRESS = env.str("PASSWORD_RESET_RATE_ADDRESS", default="5/hour")
# Notifications one author's mentions may send one reader (docs/reading-and-annotating.md, "Notifications").
MENTION_RATE_READER = env.str("MENTION_RATE_READER", default="10/hour")

# -- The API (docs/api.md) ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "documents.accounts.authentication.TokenAuthentication",
        "documents.accounts.authentication.SameOriginSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "documents.api.problems.problem_exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": f"{ARCHIVE_NAME} API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "DocumentTypeEnum": "documents.archive.models.Document.Type",
        "SelectorTypeEnum": ["TextQuoteSelector", "TextPositionSelector"],
        "VisibilityEnum": "documents.annotations.models.Annotation.Visibility",
    },
    "COMPONENT_SPLIT_REQUEST": True,
    # The description states the annotation limits, so it is built from them (documents.api.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "documents.api.schema.describe_api",
    ],
}

# -- Logging ------------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
