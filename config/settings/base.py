"""Settings shared by every environment; everything that differs comes from the environment."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("JIGAI_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


SECRET_KEY = os.environ.get("JIGAI_SECRET_KEY", "")
DEBUG = env_bool("JIGAI_DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("JIGAI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("JIGAI_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # its Swagger UI files are then served from our own static files, not a CDN
    "jigai.core",
    "jigai.accounts",
    "jigai.registry",
    "jigai.dispatch",
    "jigai.assessment",
    "jigai.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jigai.core.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jigai.accounts.middleware.SessionPolicyMiddleware",
    "jigai.core.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jigai.accounts.middleware.LoginRequiredMiddleware",
    "jigai.api.middleware.ApiErrorShapeMiddleware",
    "jigai.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "jigai" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jigai.accounts.context_processors.role",
            ],
        },
    },
]


def database_from_env() -> dict:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return dj_database_url.parse(url, conn_max_age=env_int("JIGAI_DB_CONN_MAX_AGE", 60))
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("JIGAI_SQLITE_PATH", str(VAR_DIR / "jigai.sqlite3")),
        "OPTIONS": {
            # Concurrent writers queue instead of failing with "database is locked" (security.md).
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        },
    }


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = ["jigai.accounts.backends.LockoutModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "jigai.accounts.validators.CharacterClassValidator"},
    {"NAME": "jigai.accounts.validators.NotContainingUsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Security policy (security.md); each value is a setting so an assessor's number can be applied.
JIGAI_LOCKOUT_FAILURES = env_int("JIGAI_LOCKOUT_FAILURES", 5)
JIGAI_LOCKOUT_MINUTES = env_int("JIGAI_LOCKOUT_MINUTES", 30)
JIGAI_PASSWORD_MAX_AGE_DAYS = env_int("JIGAI_PASSWORD_MAX_AGE_DAYS", 90)
JIGAI_IDLE_TIMEOUT_MINUTES = env_int("JIGAI_IDLE_TIMEOUT_MINUTES", 30)
JIGAI_AUDIT_RETENTION_DAYS = env_int("JIGAI_AUDIT_RETENTION_DAYS", 183)
JIGAI_AUDIT_KEY = os.environ.get("JIGAI_AUDIT_KEY", "")
JIGAI_UPLOAD_MAX_BYTES = env_int("JIGAI_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
# Roles that must enrol a TOTP second factor before using the platform (等保 level 3: administrators and
# finance approvers). Off by default on a demo machine; production turns it on.
JIGAI_2FA_REQUIRED_ROLES = frozenset(
    r for r in os.environ.get("JIGAI_2FA_REQUIRED_ROLES", "").split(",") if r.strip()
)

SESSION_COOKIE_AGE = JIGAI_IDLE_TIMEOUT_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "registry:project_list"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "jigai" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "jigai" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = JIGAI_UPLOAD_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("JIGAI_LOG_LEVEL", "WARNING")},
}
