"""Real transactions on PostgreSQL: two payers of one item, two approvers of the last of a budget."""

import threading

import pytest
from django.db import connection, connections

from conftest import ProjectFactory, make_user
from jigai.accounts.models import Role
from jigai.core.errors import ConflictError
from jigai.funds import services
from jigai.funds.models import Budget, Item, ItemState, Payment

from .helpers import AT, allocate, approved, payable, propose

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency: PostgreSQL only (SQLite has one write lock)")


def at_once(*calls):
    """Run the calls in threads released together; each result is its value or the exception."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(n, call):
        try:
            barrier.wait(5)
            results[n] = call()
        except Exception as exc:
            results[n] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n, c)) for n, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


@pytest.fixture
def people(region):
    return {
        "office": make_user("office", Role.OFFICE),
        "finance": make_user("finance", Role.FINANCE),
        "finance2": make_user("finance2", Role.FINANCE),
    }


def test_two_payers_of_the_same_share_make_one_payment_and_one_clear_refusal(people, region):
    allocate(people["finance"], 2019, "1000000")
    allocate(people["finance"], 2019, "1000000", region=region)
    item = propose(people["office"], ProjectFactory(enterprise__region=region))
    approved(people, item)
    item.refresh_from_db()
    payable(people, item)

    def pay(who, voucher):
        return lambda: services.payment_record(
            user=people[who],
            item=item,
            level="prefecture",
            amount_yuan=item.prefecture_share_yuan,
            paid_on=AT.date(),
            voucher_no=voucher,
            at=AT,
        )

    results = at_once(pay("finance", "记-1"), pay("finance2", "记-2"))
    payments = [r for r in results if isinstance(r, Payment)]
    refusals = [r for r in results if isinstance(r, ConflictError)]
    assert len(payments) == 1 and len(refusals) == 1, results
    assert "已经拨付" in refusals[0].message
    assert Payment.objects.filter(item=item).count() == 1
    b = Budget.objects.get(year=2019, level="prefecture")
    assert b.paid_yuan == item.prefecture_share_yuan and b.committed_yuan == 0


def test_two_approvers_of_the_last_of_a_budget_make_one_approval_and_one_queued(people, region):
    allocate(people["finance"], 2019, "50000")
    allocate(people["finance"], 2019, "50000", region=region)
    a = propose(people["office"], ProjectFactory(enterprise__region=region))
    b = propose(people["office"], ProjectFactory(enterprise__region=region))
    services.batch_prepare(user=people["office"], title="第一批", items=[a, b], at=AT)

    def approve(who, item):
        return lambda: services.item_approve(user=people[who], item=item, at=AT)

    results = at_once(approve("finance", a), approve("finance2", b))
    assert all(isinstance(r, Item) for r in results), results
    states = sorted(Item.objects.filter(pk__in=[a.pk, b.pk]).values_list("state", flat=True))
    assert states == sorted([ItemState.APPROVED, ItemState.QUEUED])
    for budget in Budget.objects.filter(year=2019):
        assert budget.committed_yuan == 50000 and budget.remaining_yuan == 0
