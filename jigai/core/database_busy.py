"""“数据库正忙” is an answer, not a server error (issue 11, point 14).

On SQLite one writer at a time holds the database's write lock; another writer queues for the busy
timeout (20 s, ``config/settings/base.py``) and then fails with ``database is locked``. A large import
is one transaction by design (all rows or none) and can hold the lock for longer than that (a
200,000-row import about 27 s): whoever saves meanwhile gets this 503 with a Chinese message and a
``Retry-After``, never a 500, and nothing of theirs is half-written (their transaction was rolled
back). PostgreSQL locks rows, not the database; its lock-wait failures get the same answer.
See docs/operator-guide.md, “大批量导入与 SQLite”.
"""

from __future__ import annotations

import json
import logging

from django.db import OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

BUSY_MESSAGE = (
    "数据库正忙：另一项写入（例如大批量导入）尚未完成，本次操作未执行，请稍后重试。已保存的数据不受影响。"
)
RETRY_AFTER_SECONDS = 10
# SQLite: SQLITE_BUSY after the busy timeout, SQLITE_LOCKED in shared-cache mode.
_SQLITE_MESSAGES = ("database is locked", "database table is locked", "database schema is locked")
# PostgreSQL (psycopg's exception classes, by name so that SQLite installs need not import psycopg).
_POSTGRES_ERRORS = {"LockNotAvailable", "DeadlockDetected"}


def is_database_busy(exc: BaseException) -> bool:
    """True for a failure that only says another transaction holds a lock: retrying later succeeds."""
    if not isinstance(exc, OperationalError):
        return False
    if any(m in str(exc).lower() for m in _SQLITE_MESSAGES):
        return True
    cause = exc.__cause__
    return cause is not None and type(cause).__name__ in _POSTGRES_ERRORS


def busy_response(request) -> HttpResponse:
    if request.path.startswith("/api/"):
        response = HttpResponse(
            json.dumps({"detail": BUSY_MESSAGE, "errors": []}, ensure_ascii=False),
            status=503,
            content_type="application/json; charset=utf-8",
        )
    else:
        response = HttpResponse(
            render_to_string("503.html", {"message": BUSY_MESSAGE}), status=503, content_type="text/html"
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseBusyMiddleware:
    """A view (page or API operation) that failed on a held lock answers 503 with ``BUSY_MESSAGE``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_busy(exception):
            return None
        logger.warning("database busy on %s %s: %s", request.method, request.path, exception)
        return busy_response(request)
