"""Test settings: the same as local, with a fast hasher; the database still comes from DATABASE_URL."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "test-only-secret-key-not-used-anywhere-else-0123456789abcdef"
JIGAI_AUDIT_KEY = "test-audit-key"
# No checkpoint file shared between tests (each test's database starts empty); tests that need one set it.
JIGAI_AUDIT_CHECKPOINT_FILE = ""
JIGAI_AUDIT_CHECKPOINT_SYSLOG = ""
JIGAI_BACKUP_KEY = "test-only-backup-key-0123456789abcdefghijklmnopqrstuvwxyz"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests serve static files from the finders; there is no collected STATIC_ROOT to warn about.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Background jobs run inside the request that starts them, so a test sees the finished job.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Attachments of a test run go to a directory of their own, never to var/.
JIGAI_ATTACHMENT_ROOT = Path(tempfile.mkdtemp(prefix="jigai-test-attachments-"))
