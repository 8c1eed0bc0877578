"""The idle timeout slides without a database write on every request (issue 11, point 14): a read within
the activity interval writes nothing; activity after it pushes the session's expiry forward."""

import datetime as dt
import time

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import PASSWORD
from jigai.accounts.session_activity import ACTIVITY_KEY

pytestmark = pytest.mark.django_db

READS = ["/projects/", "/projects/enterprises/", "/dispatch/", "/api/v1/projects", "/api/v1/enterprises"]


def _logged_in(username: str) -> Client:
    c = Client()
    r = c.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert r.status_code == 302
    return c


def _writes(captured) -> list[str]:
    return [q["sql"] for q in captured if not q["sql"].lstrip().upper().startswith("SELECT")]


@pytest.mark.parametrize("path", READS)
def test_a_read_within_the_activity_interval_writes_nothing(users, path):
    c = _logged_in("clerk")
    with CaptureQueriesContext(connection) as ctx:
        r = c.get(path)
    assert r.status_code == 200
    assert _writes(ctx.captured_queries) == []


def test_activity_after_the_interval_pushes_the_expiry_forward(settings, users):
    c = _logged_in("clerk")
    key = c.session.session_key
    soon = timezone.now() + dt.timedelta(minutes=5)
    Session.objects.filter(session_key=key).update(expire_date=soon)
    session = c.session
    session[ACTIVITY_KEY] = int(time.time()) - settings.JIGAI_SESSION_TOUCH_SECONDS - 1
    session.save()
    Session.objects.filter(session_key=key).update(expire_date=soon)
    with CaptureQueriesContext(connection) as ctx:
        assert c.get("/projects/").status_code == 200
    assert len(_writes(ctx.captured_queries)) >= 1
    expiry = Session.objects.get(session_key=key).expire_date
    assert expiry > timezone.now() + dt.timedelta(minutes=29)
    # And the next read, within the interval, writes nothing again.
    with CaptureQueriesContext(connection) as ctx:
        assert c.get("/projects/").status_code == 200
    assert _writes(ctx.captured_queries) == []


def test_a_session_idle_past_the_timeout_still_ends(users):
    c = _logged_in("clerk")
    key = c.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert c.get("/projects/").status_code == 302
    assert c.get("/api/v1/projects").status_code == 401
