"""Two payouts at once cannot overdraw the compensation fund (PostgreSQL, real transactions): the fund's
row is locked (select_for_update) before the balance is read."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from conftest import ProjectFactory, make_user
from jigai.accounts.models import Role
from jigai.finance import services
from jigai.finance.models import (
    Bank,
    BankKind,
    BankMembership,
    ClaimStatus,
    CompensationFund,
    FundEntry,
    Loan,
)

from .conftest import AT

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks under concurrency: PostgreSQL only (SQLite has one write lock)")


def test_two_concurrent_payouts_never_take_the_balance_below_zero(region):
    office, finance = make_user("office", Role.OFFICE), make_user("finance", Role.FINANCE)
    banker = make_user("banker", Role.BANK)
    bank = Bank.objects.create(name="测试银行", short_name="测试", kind=BankKind.STATE)
    BankMembership.objects.create(user=banker, bank=bank)
    claims = []
    for _ in range(2):
        loan = Loan.objects.create(
            bank=bank, project=ProjectFactory(), amount_yuan=Decimal("2000000"), rate_percent=Decimal("4.35"),
            issued_on=dt.date(2019, 1, 2), maturity_on=dt.date(2021, 1, 2), recorded_by=banker, recorded_at=AT,
        )  # fmt: skip
        c = services.claim_file(
            user=banker, loan=loan, defaulted_on=dt.date(2019, 5, 1), outstanding_principal_yuan=Decimal("1600000"),
            reason="违约", at=AT,
        )  # fmt: skip
        claims.append(
            services.claim_review(user=office, claim=c, approve=True, note="", expected_version=1, at=AT)
        )
    services.fund_contribute(
        user=finance, amount_yuan=Decimal("1000000"), source="州财政", entry_date=dt.date(2019, 6, 1), at=AT
    )
    start, results = threading.Barrier(2), []

    def pay(claim):
        try:
            start.wait(5)
            services.claim_pay(
                user=finance, claim=claim, paid_on=dt.date(2019, 6, 2), expected_version=2, at=AT
            )
            results.append("paid")
        except services.FundShortError:
            results.append("refused")
        except Exception as exc:
            results.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay, args=(c,)) for c in claims]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == ["paid", "refused"]
    assert CompensationFund.objects.get().balance_yuan == Decimal("200000.00")
    assert FundEntry.objects.filter(kind="payout").count() == 1
    assert sorted(c.status for c in (type(claims[0]).objects.all())) == [
        ClaimStatus.APPROVED,
        ClaimStatus.PAID,
    ]
