"""Kunlu settings: one module, driven by the environment.

Environment variables
  KUNLU_DATA_DIR        where the SQLite file, the secret key, uploads, exports and cache live
                        (default: ~/.local/share/kunlu)
  DATABASE_URL          e.g. postgres://postgres@127.0.0.1:5432/kunlu (default: SQLite in the data dir)
  KUNLU_SECRET_KEY      overrides the key generated on first run and kept in the data dir
  KUNLU_DEBUG           1 to turn debug on (off by default)
  KUNLU_ALLOWED_HOSTS   comma-separated (default: 127.0.0.1,localhost)
  KUNLU_HTTPS           1 when served behind HTTPS: secure cookies, HSTS, redirect
  KUNLU_REDIS_URL       use Redis for the cache (default: files in the data dir)
  KUNLU_SESSION_IDLE_MINUTES   idle session timeout (default: 30)
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF


def _env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def _data_dir() -> Path:
    default = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "kunlu"
    path = Path(os.environ.get("KUNLU_DATA_DIR", default)).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _secret_key(data_dir: Path) -> str:
    """The secret key: generated on first run and kept beside the data, never in the repository."""
    if key := os.environ.get("KUNLU_SECRET_KEY"):
        return key
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        # Written whole under a private name (0600 from birth), then linked into place only if absent:
        # a web server and a worker starting together on a fresh install keep the same, complete key.
        draft = data_dir / f".secret_key.{os.getpid()}.{secrets.token_hex(8)}"
        with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
            f.write(secrets.token_urlsafe(64))
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return key_file.read_text().strip()


PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = _data_dir()
SECRET_KEY = _secret_key(DATA_DIR)
DEBUG = _env_flag("KUNLU_DEBUG")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("KUNLU_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]
HTTPS = _env_flag("KUNLU_HTTPS")

INSTALLED_APPS = [
    "kunlu.core",
    "kunlu.accounts",
    "kunlu.indicators",
    "kunlu.reporting",
    "kunlu.projects",
    "kunlu.enterprises",
    "kunlu.evaluation",
    "kunlu.land",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the body (CSRF reads the form): files are not bounded by Django's own limits.
    "kunlu.accounts.middleware.UploadLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kunlu.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: it tells the user why they were logged out.
    "kunlu.accounts.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kunlu.config.urls"
WSGI_APPLICATION = "kunlu.config.wsgi.application"
ASGI_APPLICATION = "kunlu.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "kunlu.core.context_processors.shell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'kunlu.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker and the web server read while the other writes; IMMEDIATE avoids lock upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if redis_url := os.environ.get("KUNLU_REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
else:
    # Files, not the database: job progress must be visible while an import's transaction is still open.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "kunlu.accounts.passwords.CharacterClassValidator"},
    {"NAME": "kunlu.accounts.passwords.NotUsernameValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login lockout (django-axes): five failures lock the username for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("KUNLU_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Lock by account, not by address: on an intranet many users share one proxy address, and locking it
# would lock them all out after one person's typos. An attacker rotating addresses gains nothing here.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Idle timeout: the session ends after this many minutes without a request.
SESSION_IDLE_SECONDS = int(os.environ.get("KUNLU_SESSION_IDLE_MINUTES", "30")) * 60
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = DATA_DIR / "media"
WHITENOISE_USE_FINDERS = DEBUG

# Uploads are bounded: size here, rows and columns in kunlu.core.imports.
KUNLU_UPLOAD_MAX_BYTES = int(os.environ.get("KUNLU_UPLOAD_MAX_MB", "20")) * 1024 * 1024
KUNLU_IMPORT_MAX_ROWS = int(os.environ.get("KUNLU_IMPORT_MAX_ROWS", "200000"))
KUNLU_IMPORT_MAX_COLUMNS = int(os.environ.get("KUNLU_IMPORT_MAX_COLUMNS", "200"))
# Above these row counts an import or an export runs as a background job.
KUNLU_JOB_THRESHOLD_ROWS = int(os.environ.get("KUNLU_JOB_THRESHOLD_ROWS", "2000"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kunlu API",
    "DESCRIPTION": "昆路 Kunlu: 开发区经济运行平台接口 (API of the Kunlu development-zone platform)",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name per shared choice set, so the schema does not invent BasisEnum/Basis0c2Enum.
    # Choice sets whose field names collide across modules get names of their own in the schema.
    "ENUM_NAME_OVERRIDES": {
        "BasisEnum": "kunlu.indicators.choices.Basis",
        "ProjectCurrencyEnum": "kunlu.projects.choices.Currency",
        "LeadStageEnum": "kunlu.projects.choices.LeadStage",
        "ProjectStageEnum": "kunlu.projects.choices.Stage",
        "AlertKindEnum": "kunlu.projects.choices.AlertKind",
        "ReviewStageEnum": "kunlu.land.choices.Stage",
        "RemedyKindEnum": "kunlu.land.choices.RemedyKind",
        "TerritoryKindEnum": "kunlu.core.models.TerritoryKind",
        "OrganisationKindEnum": "kunlu.accounts.models.OrganisationKind",
    },
}

DJANGO_TABLES2_TEMPLATE = "core/table.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KUNLU_LOG_LEVEL", "WARNING")},
}
