"""The idle timeout without a write on every request (docs/security.md, 身份鉴别: 30 minutes idle ends the
session; issue 11, point 14: a locked database does not stall readers).

Django's ``SESSION_SAVE_EVERY_REQUEST`` slid the session's expiry by saving it on every request, so
every page view, even a GET, wrote to the database and waited for SQLite's write lock. Instead the
session is saved to push its expiry forward at most once every ``JIGAI_SESSION_TOUCH_SECONDS``
(60 by default): the idle timeout is then kept to within that interval (a session idle for
``JIGAI_IDLE_TIMEOUT_MINUTES`` minus at most one interval ends), and a read within the interval
writes nothing.

The touch itself never stalls or fails a read: on SQLite it waits at most ``TOUCH_BUSY_MS`` for the
write lock and, if another writer holds it, is skipped (the session stays valid until its current
expiry, at least the idle timeout minus one interval, and the next request tries again).
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager

from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.db import DatabaseError, connections, router

logger = logging.getLogger(__name__)

ACTIVITY_KEY = "_jigai_activity"
TOUCH_BUSY_MS = 200


class SessionActivityMiddleware:
    """After the response: refresh a logged-in session's idle timer if the interval has passed.

    Sits inside ``SessionMiddleware`` and ``AuthenticationMiddleware`` (after them in MIDDLEWARE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        touch_session(request, now=int(time.time()))
        return response


def touch_session(request, *, now: int) -> bool:
    """Save the session (new expiry) if its last touch is older than the interval; True if saved."""
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    if session is None or user is None or not getattr(user, "is_authenticated", False):
        return False
    if session.session_key is None:
        return False
    interval = getattr(settings, "JIGAI_SESSION_TOUCH_SECONDS", 60)
    if session.modified:
        # SessionMiddleware saves it anyway (a login, a form step): just note the time.
        session[ACTIVITY_KEY] = now
        return False
    last = session.get(ACTIVITY_KEY)
    if isinstance(last, int) and 0 <= now - last < interval:
        return False
    session[ACTIVITY_KEY] = now
    try:
        with _short_busy_timeout(session):
            session.save()
    except UpdateError:
        pass  # the session was ended meanwhile (logout elsewhere, user disabled): nothing to extend
    except DatabaseError as exc:
        logger.warning("session touch skipped, the database is busy: %s", exc)
    # Saved here or deliberately not: SessionMiddleware must not try again (and wait for the lock).
    session.modified = False
    return True


@contextmanager
def _short_busy_timeout(session):
    """On SQLite, wait at most TOUCH_BUSY_MS for the write lock instead of the connection's timeout."""
    model = getattr(session, "model", None)
    alias = router.db_for_write(model) if model is not None else "default"
    connection = connections[alias]
    if connection.vendor != "sqlite":
        yield
        return
    timeout_ms = int(float(connection.settings_dict.get("OPTIONS", {}).get("timeout", 5)) * 1000)
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {TOUCH_BUSY_MS}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
