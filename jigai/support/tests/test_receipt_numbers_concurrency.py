"""Two enterprises filing at the same moment get two receipt numbers, never one (PostgreSQL, real
transactions): the unique constraint refuses the second holder and the service takes the next number."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from conftest import EnterpriseFactory, ProjectFactory, make_user
from jigai.accounts.models import Role
from jigai.support import services
from jigai.support.models import Filing

from .factories import RENEWAL, bj

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions: PostgreSQL only (SQLite has one write lock)")


def test_simultaneous_filings_take_distinct_numbers(region):
    pairs = []
    for i in range(4):
        ent = EnterpriseFactory(region=region)
        pairs.append(
            (
                make_user(f"ent{i}", Role.ENTERPRISE, credit_code=ent.credit_code),
                ProjectFactory(enterprise=ent),
            )
        )
    start, errors = threading.Barrier(len(pairs)), []

    def file(user, project):
        try:
            start.wait(5)
            services.filing_submit(
                user=user, project=project, facts=RENEWAL, content="设备更新", filing_date=dt.date(2019, 3, 4),
                at=bj(2019, 3, 4),
            )  # fmt: skip
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=file, args=pair) for pair in pairs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert sorted(Filing.objects.values_list("receipt_serial", flat=True)) == [1, 2, 3, 4]
