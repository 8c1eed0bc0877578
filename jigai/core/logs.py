"""Logging filters the settings install (``LOGGING`` in config/settings/base.py)."""

from __future__ import annotations

import logging


class QuietForbidden(logging.Filter):
    """A 403 is an answer, not a fault: Django's ``django.request`` logger would write the refusal's full
    traceback (it passes ``exc_info`` for ``PermissionDenied``); keep the one line ("Forbidden: /path").
    The denial itself is in the audit log (``access_denied``, jigai/core/edges.py)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
