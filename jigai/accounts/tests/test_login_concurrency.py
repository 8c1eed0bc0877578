"""A login and another transaction writing for the same account do not deadlock (PostgreSQL, real
transactions). The load test (benchmarks/loadtest.py) found it: a clerk's save held the audit chain's
head and, at commit, checked its foreign keys to the clerk's user row, which a login to the same account
held FOR UPDATE while it waited for the audit head."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from conftest import PASSWORD, make_user
from jigai.accounts.backends import LockoutModelBackend
from jigai.accounts.models import Role, UserSession
from jigai.core import audit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and deadlock detection: PostgreSQL only (SQLite has one write lock)")


def test_a_login_does_not_deadlock_with_a_write_that_references_the_same_user(region):
    user = make_user("clerk", Role.CLERK, region=region)
    head_taken, results = threading.Event(), {}

    def write_for_the_user():
        try:
            with transaction.atomic():
                audit.record("correct", object_type="dispatch.progressreport", message="一次保存")
                head_taken.set()
                time.sleep(0.5)  # the login now holds the user's row and waits for the audit head
                UserSession.objects.create(user_id=user.pk, session_key="k" * 40)  # a foreign key to it
            results["write"] = "ok"
        except Exception as exc:
            results["write"] = repr(exc)
        finally:
            connections.close_all()

    def login():
        head_taken.wait(5)
        try:
            results["login"] = LockoutModelBackend().authenticate(None, username="clerk", password=PASSWORD)
        except Exception as exc:
            results["login"] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write_for_the_user), threading.Thread(target=login)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results["write"] == "ok"
    assert getattr(results["login"], "pk", None) == user.pk, results["login"]
