"""SQLite runs in WAL mode with IMMEDIATE transactions and a busy timeout (docs/security.md), so concurrent
writers queue instead of failing with "database is locked"."""

import threading
import time

import pytest
from django.db import connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper

from config.settings.base import database_from_env


@pytest.fixture(autouse=True)
def _own_connections(django_db_blocker):
    # These tests open their own SQLite files, outside the test database pytest-django manages.
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def sqlite_settings(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("JIGAI_SQLITE_PATH", str(tmp_path / "t.sqlite3"))
    settings = database_from_env()
    settings.update(
        {
            "ATOMIC_REQUESTS": False,
            "AUTOCOMMIT": True,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "TIME_ZONE": None,
            "TEST": {},
        }
    )
    return settings


def _wrapper(settings):
    return DatabaseWrapper(dict(settings), alias="concurrency")


def test_the_default_database_is_a_sqlite_file_in_wal_mode_with_immediate_transactions(sqlite_settings):
    assert sqlite_settings["ENGINE"] == "django.db.backends.sqlite3"
    assert sqlite_settings["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert sqlite_settings["OPTIONS"]["timeout"] >= 5
    db = _wrapper(sqlite_settings)
    with db.cursor() as cur:
        cur.execute("PRAGMA journal_mode")
        assert cur.fetchone()[0] == "wal"
        cur.execute("PRAGMA foreign_keys")
        assert cur.fetchone()[0] == 1
    db.close()


def test_concurrent_writers_queue_instead_of_failing(sqlite_settings):
    setup = _wrapper(sqlite_settings)
    with setup.cursor() as cur:
        cur.execute("CREATE TABLE counter (n INTEGER)")
        cur.execute("INSERT INTO counter VALUES (0)")
    setup.close()
    errors = []

    def worker(i):
        alias = f"concurrency_{i}"
        connections[alias] = db = DatabaseWrapper(dict(sqlite_settings), alias=alias)
        try:
            for _ in range(20):
                with transaction.atomic(using=alias), db.cursor() as cur:
                    cur.execute("SELECT n FROM counter")
                    n = cur.fetchone()[0]
                    time.sleep(0.002)  # let the other writers interleave between the read and the write
                    cur.execute("UPDATE counter SET n = %s", [n + 1])
        except Exception as exc:  # a "database is locked" would land here
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    check = _wrapper(sqlite_settings)
    with check.cursor() as cur:
        cur.execute("SELECT n FROM counter")
        assert cur.fetchone()[0] == 80  # IMMEDIATE: no lost update between read and write
    check.close()


def test_a_writer_that_outwaits_the_busy_timeout_is_told_the_database_is_busy(sqlite_settings):
    """The error a real SQLite file gives a second writer after its busy timeout is the one that
    jigai/core/database_busy.py turns into the Chinese 503 (issue 11, point 14)."""
    from django.db import OperationalError

    from jigai.core.database_busy import is_database_busy

    connections["holder"] = holder = DatabaseWrapper(dict(sqlite_settings), alias="holder")
    with holder.cursor() as cur:
        cur.execute("CREATE TABLE t (n INTEGER)")
    waiting = dict(sqlite_settings, OPTIONS={**sqlite_settings["OPTIONS"], "timeout": 0.1})
    connections["busy"] = other = DatabaseWrapper(waiting, alias="busy")
    try:
        with transaction.atomic(using="holder"), holder.cursor() as cur:
            cur.execute("INSERT INTO t VALUES (1)")
            started = time.perf_counter()
            with (
                pytest.raises(OperationalError) as err,
                transaction.atomic(using="busy"),
                other.cursor() as c2,
            ):
                c2.execute("INSERT INTO t VALUES (2)")
            assert time.perf_counter() - started < 5
        assert "database is locked" in str(err.value) and is_database_busy(err.value)
        assert not is_database_busy(OperationalError("no such table: t"))
    finally:
        other.close()
        holder.close()
        del connections["busy"]
        del connections["holder"]
