"""The one settings module.

Every value that differs between a laptop and production comes from an environment variable
(or a git-ignored `.env` file beside manage.py). Each variable is listed, with its meaning and
default, in `.env.example`. DEBUG is off unless asked for; with DEBUG off a SECRET_KEY is
required and the security settings are strict.
"""

import datetime
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.backends import cache_config, database_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A .env file beside manage.py (or the file ENV_FILE names) is read first; it never overrides
# a variable already set in the environment.
environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")))


def env_text(name: str, default: str = "") -> str:
    """A variable's text; unset or blank (`NAME=` in .env) means the default."""
    return env.str(name, default="").strip() or default


def env_path(name: str, default: Path) -> Path:
    """A filesystem path; a relative one is taken from the project's folder."""
    path = Path(env_text(name, str(default)))
    return path if path.is_absolute() else BASE_DIR / path


DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env_text("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "The SECRET_KEY environment variable is required when DEBUG is off. "
            'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    SECRET_KEY = "django-insecure-development-key-only-for-debug-mode"  # noqa: S105

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A form sent without a valid token gets a page saying so, in the admin's layout there.
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

SITE_NAME = env_text("SITE_NAME", "Ministry Press Office")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "csp",
    "simple_history",
    "django_prose_editor",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "statements",
    "victims",
    "pagecache",
    "demo",
]

MIDDLEWARE = [
    # (A page this process served a moment ago is answered before this stack, from its
    # memory: config/wsgi.py, pagecache/wsgi.py.)
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    # Whole public responses for anonymous readers (pagecache/middleware.py): after the
    # middleware whose headers depend on the request (security, static files, CORS, 304s),
    # before everything a cached page does not need (its CSP header is kept with it).
    "pagecache.middleware.PageCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "config.middleware.RejectNulBytes",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.two_factor.RequireTwoFactor",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "config.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# Default: the embedded SQLite file under var/. A postgres:// URL switches to PostgreSQL.
DATABASES = {
    "default": database_config(
        env_text("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        pool=env.bool("DATABASE_POOL", default=False),
        conn_max_age=env.int("DATABASE_CONN_MAX_AGE", default=60),
        prepared=env.bool("DATABASE_PREPARED_STATEMENTS", default=True),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
# Redis, shared by every process and server. What decides which cached page or figure is
# current lives in the database (pagecache/versions.py), so a cache of each process's own
# memory would still never serve a stale page; but throttles count requests in the cache, and
# counted per process they would let a client through N times the rate. So with DEBUG off the
# site refuses to start without REDIS_URL, unless SINGLE_PROCESS says there is one process.
REDIS_URL = env_text("REDIS_URL")
SINGLE_PROCESS = env.bool("SINGLE_PROCESS", default=False)
if not (DEBUG or REDIS_URL or SINGLE_PROCESS):
    raise ImproperlyConfigured(
        "REDIS_URL is required when DEBUG is off: throttles must count the requests of every "
        "server process in one place. Set REDIS_URL (e.g. redis://127.0.0.1:6379/0), or "
        "SINGLE_PROCESS=1 if the site runs as one process."
    )
CACHES = {"default": cache_config(REDIS_URL)}

# How many proxies of our own stand in front of the site and append to X-Forwarded-For. 0
# (default): the socket's address is the client's, whatever the header says. See
# config/client.py; throttles, the login lockout and the logs all use it.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- Staff sign-in: lockout and two factors ------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out sign-in
    "django.contrib.auth.backends.ModelBackend",
]
# After LOGIN_FAILURE_LIMIT wrong passwords for one username, or from one address, sign-in
# is refused for LOGIN_LOCKOUT_MINUTES (a superuser can unlock sooner: Axes > Access
# attempts). Every attempt is recorded (Axes > Access logs and Access failures).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "config.two_factor.locked_out"
AXES_CLIENT_IP_CALLABLE = "config.client.axes_client_address"
AXES_VERBOSE = False
# Every staff account needs a second factor (an authenticator app, TOTP, with ten one-time
# backup codes), enrolled at first sign-in: config/two_factor.py. Default: on unless DEBUG,
# so the demo accounts of `make run` sign in with a password only.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = SITE_NAME  # the name authenticator apps show beside the code

# --- Passwords ------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages and time ---------------------------------------------------------------------
LANGUAGE_CODE = "en"  # the default and the fallback
LANGUAGES = [
    ("en", _("English")),
    ("az", _("Azerbaijani")),
    ("ru", _("Russian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True  # timestamps are stored in UTC
TIME_ZONE = env_text("TIME_ZONE", "Asia/Baku")  # the zone times are shown in

# --- Static and media files -----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env_path("STATIC_ROOT", VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env_text("MEDIA_URL", "/media/")
MEDIA_ROOT = env_path("MEDIA_ROOT", VAR_DIR / "media")
# Django decides who may fetch each uploaded file (a draft's files are not public: see
# statements/files.py). Empty: Django sends the bytes too. Set to an internal location of the
# web server (e.g. /_protected_media/, README): Django answers with X-Accel-Redirect to it.
MEDIA_ACCEL_REDIRECT = env_text("MEDIA_ACCEL_REDIRECT", "")
# Register import files wait here between the preview and the import: outside MEDIA_ROOT,
# never served; deleted after the import, or after a day by `clean_imports`.
IMPORT_ROOT = env_path("IMPORT_ROOT", VAR_DIR / "imports")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed (gzip and Brotli) copies with content-hashed names, served by WhiteNoise.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Security -------------------------------------------------------------------------------
# Strict whenever DEBUG is off. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER so
# Django knows the original request was HTTPS (see .env.example).
SESSION_COOKIE_HTTPONLY = True
# Staff sessions end when the browser closes, and after SESSION_HOURS (default 8) at most.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = env.int("SESSION_HOURS", default=8) * 3600
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = 0 if DEBUG else env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
_proxy_header = env_text("SECURE_PROXY_SSL_HEADER")
if _proxy_header:
    name, _sep, value = _proxy_header.partition(",")
    if not value:
        raise ImproperlyConfigured(
            "SECURE_PROXY_SSL_HEADER must look like 'HTTP_X_FORWARDED_PROTO,https'."
        )
    SECURE_PROXY_SSL_HEADER = (name.strip(), value.strip())
if not DEBUG:
    # Django's deploy check wants HSTS preload decided explicitly; W021 is for sites that opt in.
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Content-Security-Policy (django-csp): everything from this site only; no inline scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Statements -----------------------------------------------------------------------------
# Four eyes: a publisher cannot publish an edition they submitted or last edited. Turn off only
# for a one-person office.
STATEMENTS_FOUR_EYES = env.bool("STATEMENTS_FOUR_EYES", default=True)
# Public pages may be cached by browsers and proxies (a CDN) this long, and served stale for as
# long again while one is fetched anew: the same for every page (a lifetime that shrank towards
# a scheduled publication would tell when an embargo ends).
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=60)
# The server's own page cache (pagecache/middleware.py): on unless PAGE_CACHE=0; exact, so an
# entry may live long (it is never served after a change or a scheduled go-live).
PAGE_CACHE = env.bool("PAGE_CACHE", default=True)
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=24 * 3600)
# Each process also keeps the entries it served most recently in its own memory, up to this
# many bytes (0: none), so that a hit needs no round trip to Redis.
PAGE_CACHE_LOCAL_BYTES = env.int("PAGE_CACHE_LOCAL_BYTES", default=32 * 1024 * 1024)
# Each process keeps the statement pages it drew, keyed by every value they show
# (statements/statement_page.py), so that a change elsewhere does not make it draw one
# again; each request still runs its queries. FRAGMENT_MEMORY=0 draws every page anew.
FRAGMENT_MEMORY = env.bool("FRAGMENT_MEMORY", default=True)
# Share links show a draft to anyone holding them, for this many days (revocable in the admin).
SHARE_LINK_DAYS = env.int("SHARE_LINK_DAYS", default=7)
# Old revisions are restored as a new draft by our own view, never written over an edition.
SIMPLE_HISTORY_REVERT_DISABLED = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Casualty register --------------------------------------------------------------------
# Protected public figures below CASUALTY_MIN_CELL after perturbation, and zeros, are hidden
# (victims/disclosure.py).
CASUALTY_MIN_CELL = env.int("CASUALTY_MIN_CELL", default=5)
# Verification states whose incidents count in public figures.
CASUALTY_PUBLIC_VERIFICATION = env.list(
    "CASUALTY_PUBLIC_VERIFICATION", default=["reported", "verified"]
)

# --- Partner API -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["victims.api.keys.PartnerKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["config.api.ORJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    # Client addresses (throttles, login lockout, logs) come from config/client.py.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_CLASSES": [
        "config.api.AnonymousRateThrottle",
        "victims.api.keys.KeyRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_text("API_RATE_ANONYMOUS", "120/minute"),
        "key": env_text("API_RATE_KEY", "1200/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api_errors.api_exception_handler",
    "UNAUTHENTICATED_USER": None,
    "URL_FORMAT_OVERRIDE": "format",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "config.api.StrictContentNegotiation",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Advocacy statements and casualty register API",
    "DESCRIPTION": (
        "Official statements and anonymised landmine casualty statistics. Statements and "
        "statistics are public; incident data needs a partner key (Authorization: Api-Key "
        "<key>). Errors are JSON objects with `detail` and `code`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
}
# Cross-origin reads of the API (GET only) from these origins; "*" for any. Default: any.
_cors_origins = env.list("API_CORS_ORIGINS", default=["*"])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "authorization", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After", "Link", "X-Dataset-Version"]
CORS_ALLOW_ALL_ORIGINS = _cors_origins == ["*"]
CORS_ALLOWED_ORIGINS = [] if CORS_ALLOW_ALL_ORIGINS else _cors_origins
# The licence and methodology that every statistics response names.
DATA_LICENCE = env_text("DATA_LICENCE", "CC BY 4.0")
METHODOLOGY_URL = env_text("METHODOLOGY_URL", "/en/casualties/#methodology")

# --- Logging --------------------------------------------------------------------------------
# One JSON object a line on stdout; records about a request carry its path and status.
LOG_LEVEL = env_text("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "config.log_format.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "config.log_format.JsonLineFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["request_context"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        # Sign-in attempts are recorded in the database (Axes in the admin); the log gets
        # only lockouts and failures, not a line for every successful sign-in.
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
