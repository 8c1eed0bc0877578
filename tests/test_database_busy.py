"""While another writer holds the database, reads still answer and a write gets a clear Chinese 503,
never a 500 (issue 11, point 14; jigai/core/database_busy.py)."""

import sqlite3

import pytest
from django.db import connection
from django.test import Client

from conftest import PASSWORD
from jigai.core.database_busy import BUSY_MESSAGE

BUSY_WORDS = "数据库正忙"


def _logged_in(username: str) -> Client:
    c = Client()
    assert c.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return c


class _HeldWriteLock:
    """Another connection inside a write transaction, as a long import holds it."""

    def __enter__(self):
        if connection.vendor == "sqlite":
            # The test database's own name (a shared in-memory database, or a file): the same database.
            self.conn = sqlite3.connect(
                connection.settings_dict["NAME"], uri=True, timeout=0.1, isolation_level=None,
                check_same_thread=False,
            )  # fmt: skip
            self.conn.execute("BEGIN IMMEDIATE")
        else:
            import psycopg

            s = connection.settings_dict
            self.conn = psycopg.connect(
                dbname=s["NAME"],
                user=s["USER"],
                host=s["HOST"],
                port=s["PORT"] or 5432,
                password=s["PASSWORD"],
            )
            # Writers of the audit log queue behind this; readers do not (PostgreSQL locks, not the file).
            self.conn.execute("LOCK TABLE core_audithead IN EXCLUSIVE MODE")
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '200ms'")
        return self

    def __exit__(self, *exc):
        self.conn.rollback() if connection.vendor != "sqlite" else self.conn.execute("ROLLBACK")
        self.conn.close()
        if connection.vendor != "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = 0")


@pytest.mark.django_db(transaction=True)
def test_while_another_writer_holds_the_database_reads_answer_and_writes_get_a_chinese_503(users):
    clerk = _logged_in("clerk")
    api = _logged_in("office")
    with _HeldWriteLock():
        # Reads: the pages and the API answer as usual.
        assert clerk.get("/projects/").status_code == 200
        assert api.get("/api/v1/projects").status_code == 200
        # A write (an export is recorded in the audit log): the page says so in Chinese, the API in JSON.
        r = clerk.get("/projects/export.xlsx")
        assert r.status_code == 503 and r["Retry-After"]
        assert BUSY_WORDS in r.content.decode() and "text/html" in r["Content-Type"]
        r = api.get("/api/v1/projects/export.xlsx")
        assert r.status_code == 503 and r.json() == {"detail": BUSY_MESSAGE, "errors": []}
    # Once the other writer is done, the same request succeeds.
    assert clerk.get("/projects/export.xlsx").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_session_touch_that_finds_the_database_busy_is_skipped_not_a_failure(users, settings):
    settings.JIGAI_SESSION_TOUCH_SECONDS = 0  # every request wants to push the expiry forward
    clerk = _logged_in("clerk")
    with _HeldWriteLock():
        assert clerk.get("/projects/").status_code == 200
        assert clerk.get("/dispatch/").status_code == 200
    assert clerk.get("/projects/").status_code == 200
