"""The compensation fund's balance is never negative and always equals its history (3.4 建立信贷风险补偿机制),
whatever sequence of contributions, claims, reviews and payouts happens."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ProjectFactory
from jigai.core.errors import ConflictError, ValidationError
from jigai.finance import services
from jigai.finance.models import (
    Bank,
    BankKind,
    BankMembership,
    ClaimStatus,
    CompensationClaim,
    CompensationFund,
    Loan,
)

from .conftest import AT

pytestmark = pytest.mark.django_db

LOANS = 4
fen = st.integers(min_value=1, max_value=5_000_000_00).map(lambda n: Decimal(n) / 100)
loan_no = st.integers(min_value=0, max_value=LOANS - 1)
op = st.one_of(
    st.tuples(st.just("contribute"), fen),
    st.tuples(st.just("claim"), loan_no, fen),
    st.tuples(st.just("approve"), loan_no),
    st.tuples(st.just("reject"), loan_no),
    st.tuples(st.just("pay"), loan_no),
)


@pytest.fixture
def loans(users):
    bank = Bank.objects.create(name="测试银行", short_name="测试", kind=BankKind.STATE)
    BankMembership.objects.create(user=users["bank"], bank=bank)
    out = []
    for _ in range(LOANS):
        out.append(
            Loan.objects.create(
                bank=bank,
                project=ProjectFactory(),
                amount_yuan=Decimal("10000000.00"),
                rate_percent=Decimal("4.35"),
                issued_on=dt.date(2019, 1, 2),
                maturity_on=dt.date(2022, 1, 2),
                recorded_by=users["bank"],
                recorded_at=AT,
            )
        )
    return out


def live_claim(loan):
    return CompensationClaim.objects.filter(loan=loan).exclude(status=ClaimStatus.REJECTED).first()


def check(expected: Decimal) -> None:
    f = CompensationFund.objects.get()
    entries = list(f.entries.order_by("id"))
    history = sum(
        (e.amount_yuan if e.kind == "contribution" else -e.amount_yuan for e in entries), Decimal(0)
    )
    assert f.balance_yuan >= 0
    assert f.balance_yuan == history == expected
    running = Decimal(0)
    for e in entries:
        running += e.amount_yuan if e.kind == "contribution" else -e.amount_yuan
        assert e.balance_after_yuan == running >= 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(op, max_size=25))
def test_the_balance_is_never_negative_and_equals_its_history(users, loans, ops):
    office, finance, bank = users["office"], users["finance"], users["bank"]
    with transaction.atomic():
        services.fund()
        balance = Decimal("0.00")
        for o in ops:
            kind = o[0]
            if kind == "contribute":
                services.fund_contribute(
                    user=finance, amount_yuan=o[1], source="州财政", entry_date=dt.date(2019, 6, 1), at=AT
                )
                balance += o[1]
            elif kind == "claim":
                loan, had = loans[o[1]], live_claim(loans[o[1]])
                try:
                    services.claim_file(
                        user=bank,
                        loan=loan,
                        defaulted_on=dt.date(2019, 5, 1),
                        outstanding_principal_yuan=o[2],
                        reason="违约",
                        at=AT,
                    )
                    assert had is None
                except ConflictError:
                    assert had is not None
                except ValidationError:
                    assert services.round_yuan(o[2] * Decimal("0.5")) == 0
            else:
                claim = live_claim(loans[o[1]])
                if claim is None:
                    continue
                try:
                    if kind == "pay":
                        services.claim_pay(
                            user=finance,
                            claim=claim,
                            paid_on=dt.date(2019, 6, 2),
                            expected_version=claim.version,
                            at=AT,
                        )
                        assert claim.status == ClaimStatus.APPROVED and claim.amount_yuan <= balance
                        balance -= claim.amount_yuan
                    else:
                        services.claim_review(
                            user=office,
                            claim=claim,
                            approve=kind == "approve",
                            note="不符合条件",
                            expected_version=claim.version,
                            at=AT,
                        )
                        assert claim.status == ClaimStatus.SUBMITTED
                except ConflictError:
                    # Refused: not in the right state, or (a payout) more than the balance.
                    assert (
                        claim.status != (ClaimStatus.APPROVED if kind == "pay" else ClaimStatus.SUBMITTED)
                        or claim.amount_yuan > balance
                    )
            check(balance)
        transaction.set_rollback(True)
