"""Random proposals, approvals, allocations, notices, payments and reversals never overdraw a budget,
never pay a project more than its entitlement under a clause, and keep the ledger reconciled."""

import itertools
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from conftest import ProjectFactory
from jigai.core.errors import ConflictError, ValidationError
from jigai.core.models import AuditEvent, Region
from jigai.core.money import ZERO
from jigai.funds import ledger, services
from jigai.funds.models import Budget, Item, ItemState, Payment

from .helpers import AT, propose

pytestmark = pytest.mark.django_db
S = ItemState
YEARS = itertools.count(2031)
AMOUNTS = st.sampled_from(["10000.00", "35000.00", "50000.00", "120000.00", "0.02"])


class MoneyPath(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.year = next(YEARS)  # each run its own year: the budgets of earlier runs stay checked too
        self.units = list(Region.objects.filter(level=Region.Level.UNIT).order_by("code")[:2])
        self.projects = [ProjectFactory(enterprise__region=u) for u in self.units for _ in range(2)]
        self.sources = [f"sm:{self.year}:{p.pk}:{n}" for p in self.projects for n in (1, 2)]
        for region, amount in ((None, "150000"), (self.units[0], "60000"), (self.units[1], "60000")):
            services.budget_allocate(
                user=USERS["finance"],
                year=self.year,
                level="prefecture" if region is None else "county",
                region=region,
                allocated_yuan=Decimal(amount),
                at=AT,
            )

    def items(self, *states):
        return list(Item.objects.filter(year=self.year, state__in=states).order_by("pk"))

    @rule(n=st.integers(0, 7), amount=AMOUNTS)
    def propose(self, n, amount):
        source = self.sources[n]
        project = self.projects[n // 2]
        propose(USERS["office"], project, amount, source=source, year=self.year)

    @precondition(lambda self: bool(self.items(S.QUEUED)))
    @rule(unit=st.integers(-1, 1), amount=st.sampled_from(["0", "20000", "60000", "150000", "400000"]))
    def allocate(self, unit, amount):
        region = None if unit < 0 else self.units[unit]
        try:
            services.budget_allocate(
                user=USERS["finance"],
                year=self.year,
                level="prefecture" if region is None else "county",
                region=region,
                allocated_yuan=Decimal(amount),
                at=AT,
            )
        except ValidationError as e:
            assert "allocated_yuan" in e.errors  # below what it holds: refused

    @precondition(lambda self: bool(self.items(S.PROPOSED)))
    @rule(data=st.data(), raise_it=st.booleans())
    def prepare(self, data, raise_it):
        proposed = self.items(S.PROPOSED)
        chosen = data.draw(st.lists(st.sampled_from(proposed), min_size=1, unique_by=lambda i: i.pk))
        amounts = {chosen[0].pk: (chosen[0].entitled_yuan + 1, "重点项目")} if raise_it else {}
        services.batch_prepare(user=USERS["office"], title="批次", items=chosen, amounts=amounts, at=AT)

    @precondition(lambda self: bool(self.items(S.SUBMITTED)))
    @rule(data=st.data(), approve=st.sampled_from([True, True, True, False]))
    def decide(self, data, approve):
        item = data.draw(st.sampled_from(self.items(S.SUBMITTED)))
        if approve:
            services.item_approve(user=USERS["finance"], item=item, approve_cap_exception=True, at=AT)
        else:
            services.item_reject(user=USERS["finance"], item=item, reason="不符合条件", at=AT)

    @precondition(lambda self: bool(self.items(S.APPROVED)))
    @rule(data=st.data(), objection=st.sampled_from([None, None, None, True, False]))
    def notice(self, data, objection):
        item = data.draw(st.sampled_from(self.items(S.APPROVED)))
        o = USERS["office"]
        item = services.item_notice_start(user=o, item=item, notice_id="N", ends_on=AT.date(), at=AT)
        if objection is not None:
            item = services.item_objection_open(user=o, item=item, at=AT)
            item = services.item_objection_resolve(user=o, item=item, upheld=objection, reason="核实", at=AT)
        if item.state == S.NOTICE:
            services.item_notice_end(user=o, item=item, at=AT)

    @precondition(lambda self: bool(self.items(S.PAYABLE, S.PAID)))
    @rule(data=st.data(), level=st.sampled_from(["prefecture", "county"]))
    def pay(self, data, level):
        item = data.draw(st.sampled_from(self.items(S.PAYABLE, S.PAID)))
        try:
            services.payment_record(
                user=USERS["finance"],
                item=item,
                level=level,
                amount_yuan=item.share(level) or Decimal("1"),
                paid_on=AT.date(),
                voucher_no="记",
                at=AT,
            )
        except (ConflictError, ValidationError):
            pass  # paid already, no share at that level, or beyond the project's entitlement

    @precondition(
        lambda self: Payment.objects.filter(item__year=self.year, reversed_at__isnull=True).exists()
    )
    @rule(data=st.data())
    def reverse(self, data):
        active = list(Payment.objects.filter(item__year=self.year, reversed_at__isnull=True).order_by("pk"))
        p = data.draw(st.sampled_from(active))
        services.payment_reverse(user=USERS["finance"], payment=p, reason="冲回", at=AT)

    @invariant()
    def budgets_never_overdrawn(self):
        for b in Budget.objects.filter(year=self.year):
            assert b.committed_yuan >= 0 and b.paid_yuan >= 0 and b.remaining_yuan >= 0, b

    @invariant()
    def projects_within_their_entitlement(self):
        for p in self.projects:
            paid = sum(
                (x.amount_yuan for x in Payment.objects.filter(item__project=p, reversed_at__isnull=True)),
                ZERO,
            )
            by_source = {}
            for i in Item.objects.filter(project=p):
                by_source[i.source] = (
                    by_source.get(i.source, ZERO)
                    + (
                        i.approved_yuan
                        if i.state in (S.APPROVED, S.NOTICE, S.OBJECTION, S.PAYABLE, S.PAID)
                        else ZERO
                    )
                    + (i.paid_yuan if i.state == S.REVERSED else ZERO)
                )
            assert paid <= max(by_source.values(), default=ZERO)
            for i in Item.objects.filter(project=p):
                assert i.paid_yuan <= i.approved_yuan

    @invariant()
    def ledger_reconciled(self):
        book = ledger.build(USERS["finance"], self.year)
        assert book.reconciled, [
            (b.unit_code, b.committed_yuan, b.items_committed_yuan) for b in book.budgets
        ]
        assert book.totals["paid_yuan"] == sum(
            (x.amount_yuan for x in Payment.objects.filter(item__year=self.year, reversed_at__isnull=True)),
            ZERO,
        )


USERS: dict = {}


def test_the_money_path_keeps_its_invariants(users):
    USERS.update(users)
    run_state_machine_as_test(
        MoneyPath,
        settings=settings(
            max_examples=8,
            stateful_step_count=35,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=True,
        ),
    )
    # The runs went through the whole path: payments, reversals, approvals that had to queue.
    assert Payment.objects.filter(reversed_at__isnull=True).exists()
    assert Payment.objects.filter(reversed_at__isnull=False).exists()
    assert AuditEvent.objects.filter(event="approve", message__contains="排队").exists()
