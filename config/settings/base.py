"""Settings shared by every environment; everything that differs comes from the environment."""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

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
# Reverse proxies whose X-Forwarded-For is believed (comma-separated IPs or CIDRs); empty: the peer's
# address is the client's (jigai/core/middleware.py, client_ip).
JIGAI_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("JIGAI_TRUSTED_PROXIES", "").split(",") if p.strip()
]
for _proxy in JIGAI_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _exc:
        raise ImproperlyConfigured(
            f"JIGAI_TRUSTED_PROXIES 中的“{_proxy}”不是 IP 地址或网段（如 10.0.0.5 或 10.0.0.0/24）"
        ) from _exc
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
    "jigai.attachments",
    "jigai.registry",
    "jigai.dispatch",
    "jigai.assessment",
    "jigai.funds",
    "jigai.incentives",
    "jigai.home",
    "jigai.finance",
    "jigai.support",
    "jigai.notices",
    "jigai.champions",
    "jigai.demo",
    "jigai.jobs",
]

# Background jobs (jigai/jobs): the task queue, by JIGAI_TASKS_BACKEND (config/settings/tasks.py).
from .tasks import tasks_settings  # noqa: E402

_tasks = tasks_settings(os.environ)
TASKS = _tasks["TASKS"]
RQ_QUEUES = _tasks["RQ_QUEUES"]
INSTALLED_APPS += _tasks["apps"]
# An import of more rows than this runs as a background job with a progress bar (docs/operator-guide.md).
JIGAI_JOBS_IMPORT_ROWS = int(os.environ.get("JIGAI_JOBS_IMPORT_ROWS", "3000"))
# Where finished jobs keep their result files (default var/jobs/).
JIGAI_JOBS_DIR = os.environ.get("JIGAI_JOBS_DIR", "")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jigai.core.middleware.SecurityHeadersMiddleware",
    "jigai.core.request_limits.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jigai.core.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jigai.accounts.middleware.SessionPolicyMiddleware",
    "jigai.accounts.session_activity.SessionActivityMiddleware",
    "jigai.core.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jigai.accounts.middleware.LoginRequiredMiddleware",
    "jigai.api.middleware.ApiErrorShapeMiddleware",
    "jigai.core.database_busy.DatabaseBusyMiddleware",
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
                "jigai.home.context_processors.todo_count",
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
            # Concurrent writers queue instead of failing with "database is locked" (docs/security.md).
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

# True only under config/settings/production.py: what must never run there (demo accounts whose password
# the README prints) checks this.
JIGAI_PRODUCTION = False

# Security policy (docs/security.md); each value is a setting so an assessor's number can be applied.
JIGAI_LOCKOUT_FAILURES = env_int("JIGAI_LOCKOUT_FAILURES", 5)
JIGAI_LOCKOUT_MINUTES = env_int("JIGAI_LOCKOUT_MINUTES", 30)
JIGAI_PASSWORD_MAX_AGE_DAYS = env_int("JIGAI_PASSWORD_MAX_AGE_DAYS", 90)
JIGAI_IDLE_TIMEOUT_MINUTES = env_int("JIGAI_IDLE_TIMEOUT_MINUTES", 30)
JIGAI_AUDIT_RETENTION_DAYS = env_int("JIGAI_AUDIT_RETENTION_DAYS", 183)
JIGAI_AUDIT_KEY = os.environ.get("JIGAI_AUDIT_KEY", "")
# An API token stops working this many days after it is issued (issue 11, point 13).
JIGAI_API_TOKEN_DAYS = env_int("JIGAI_API_TOKEN_DAYS", 90)
# Signed checkpoints of the audit chain (jigai/core/audit_checkpoint.py) go to a file the operator keeps
# apart from the database (another disk or host, append-only) and, if set, to syslog ("/dev/log" or
# "host:port", UDP). An empty file name keeps none in a file.
JIGAI_AUDIT_CHECKPOINT_FILE = os.environ.get(
    "JIGAI_AUDIT_CHECKPOINT_FILE", str(VAR_DIR / "audit-checkpoints.jsonl")
)
JIGAI_AUDIT_CHECKPOINT_SYSLOG = os.environ.get("JIGAI_AUDIT_CHECKPOINT_SYSLOG", "")
# Backups hold password hashes and TOTP secrets: they are encrypted (SM4-GCM) under this key, which only
# the backup job needs (jigai/core/backup.py). `jigai backup` refuses to run without it.
JIGAI_BACKUP_KEY = os.environ.get("JIGAI_BACKUP_KEY", "")
JIGAI_UPLOAD_MAX_BYTES = env_int("JIGAI_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
# A workbook's parts, uncompressed (jigai/imports/safety.py): any part but a worksheet (shared strings,
# styles, the workbook), a worksheet, and all parts together. They bound an import's memory (issue 11, 4).
JIGAI_UPLOAD_MAX_PART_BYTES = env_int("JIGAI_UPLOAD_MAX_PART_BYTES", 32 * 1024 * 1024)
JIGAI_UPLOAD_MAX_SHEET_BYTES = env_int("JIGAI_UPLOAD_MAX_SHEET_BYTES", 100 * 1024 * 1024)
JIGAI_UPLOAD_MAX_UNCOMPRESSED_BYTES = env_int("JIGAI_UPLOAD_MAX_UNCOMPRESSED_BYTES", 160 * 1024 * 1024)
# Attachments (invoices, contracts, certificates: jigai/attachments): kept outside the web root, one file at
# most this large (docs/operator-guide.md, 附件).
JIGAI_ATTACHMENT_ROOT = Path(os.environ.get("JIGAI_ATTACHMENT_ROOT", VAR_DIR / "attachments"))
JIGAI_ATTACHMENT_MAX_BYTES = env_int("JIGAI_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
# Public notice (公示) before payment: the objection period in calendar days, counting the day of
# publication, and where the public page tells readers to send an objection (docs/operator-guide.md, 公示).
JIGAI_NOTICE_PERIOD_DAYS = env_int("JIGAI_NOTICE_PERIOD_DAYS", 7)


def gettext_noop(message: str) -> str:
    """Marks a default for the catalogue (makemessages looks for the name). Not django.utils.translation's:
    importing it here lets `manage.py check` pass on settings that refuse to load (tests/test_deploy.py)."""
    return message


# The default reads in English on English pages (gettext_noop keeps it in the catalogue); a configured
# contact is the installation's own words and shows as written.
JIGAI_NOTICE_CONTACT = os.environ.get(
    "JIGAI_NOTICE_CONTACT", gettext_noop("恩施州传统产业改造升级工作领导小组办公室（州经济和信息化委员会）")
)
# A request body over this is refused (413) before it is read: the larger of the two upload limits plus
# 1 MB of envelope and fields.
JIGAI_REQUEST_MAX_BYTES = env_int(
    "JIGAI_REQUEST_MAX_BYTES", max(JIGAI_UPLOAD_MAX_BYTES, JIGAI_ATTACHMENT_MAX_BYTES) + 1024 * 1024
)
# Roles that must enrol a TOTP second factor before using the platform (等保 level 3: administrators and
# finance approvers). Off by default on a demo machine; production turns it on.
JIGAI_2FA_REQUIRED_ROLES = frozenset(
    r for r in os.environ.get("JIGAI_2FA_REQUIRED_ROLES", "").split(",") if r.strip()
)
# The programme's figures (targets, report deadline, ranking and interviews) are dated parameters in
# jigai/policy/parameters/; an installation may override them, PARAM=VALUE or PARAM@YEAR=VALUE separated
# by ";" (docs/operator-guide.md).
JIGAI_PROGRAMME_OVERRIDES = [
    s.strip() for s in os.environ.get("JIGAI_PROGRAMME_OVERRIDES", "").split(";") if s.strip()
]
# Enterprise services (jigai/support; docs/operator-guide.md): the State Council's holiday arrangement for
# years the calendar library does not cover yet (a YAML file), and the approval items' time limits in
# working days per item type (empty: the defaults of jigai/support/conf.py).
JIGAI_WORKDAY_CALENDAR = os.environ.get("JIGAI_WORKDAY_CALENDAR", "")
JIGAI_APPROVAL_TIME_LIMITS: dict[str, int] = {}

# Reminders (`jigai remind`, docs/operator-guide.md): every to-do item becomes an in-app notification;
# e-mail (Django's SMTP settings below) and the intranet SMS gateway's HTTP endpoint are off by default.
JIGAI_REMIND_EMAIL = env_bool("JIGAI_REMIND_EMAIL", False)
JIGAI_REMIND_SMS_URL = os.environ.get("JIGAI_REMIND_SMS_URL", "")
JIGAI_REMIND_SMS_TIMEOUT_SECONDS = env_int("JIGAI_REMIND_SMS_TIMEOUT_SECONDS", 5)
EMAIL_HOST = os.environ.get("JIGAI_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("JIGAI_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("JIGAI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("JIGAI_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("JIGAI_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("JIGAI_EMAIL_FROM", "jigai@localhost")

SESSION_COOKIE_AGE = JIGAI_IDLE_TIMEOUT_MINUTES * 60
# The idle timer is pushed forward at most once a minute (jigai/accounts/session_activity.py), not by a
# save on every request: a read writes nothing, so it never waits for SQLite's write lock.
SESSION_SAVE_EVERY_REQUEST = False
JIGAI_SESSION_TOUCH_SECONDS = env_int("JIGAI_SESSION_TOUCH_SECONDS", 60)
# The years a project's dates and plan years may fall in (docs/operator-guide.md, 设置): a plan for 9999
# or a start in 2035 is a typing error, not a plan. Widen it when the programme runs on.
JIGAI_PROJECT_YEARS = (env_int("JIGAI_PROJECT_FIRST_YEAR", 2000), env_int("JIGAI_PROJECT_LAST_YEAR", 2030))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:index"
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
    "filters": {"quiet_forbidden": {"()": "jigai.core.logs.QuietForbidden"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("JIGAI_LOG_LEVEL", "WARNING")},
    # A refused request is logged in one line, without the refusal's traceback (core/logs.py).
    "loggers": {"django.request": {"filters": ["quiet_forbidden"]}},
}
