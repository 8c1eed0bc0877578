"""Maker–checker, budgets and their queue, public-notice states, payment and reversal."""

from decimal import Decimal

import pytest

from conftest import ProjectFactory, make_user
from jigai.accounts.models import Role
from jigai.core.errors import ConflictError, PermissionDeniedError, ValidationError
from jigai.core.models import AuditEvent, Region
from jigai.funds import services
from jigai.funds.models import Budget, Item, ItemState, Payment

from .helpers import AT, allocate, approved, pay, payable, propose

pytestmark = pytest.mark.django_db
S = ItemState


@pytest.fixture
def county(users):
    return users["clerk"].region


@pytest.fixture
def funded(users, county):
    allocate(users["finance"], 2019, "1000000")
    allocate(users["finance"], 2019, "1000000", region=county)


def budget(year=2019, region=None):
    return Budget.objects.get(year=year, region=region)


def item_in(county, users, amount="100000.00", **kw):
    return propose(users["office"], ProjectFactory(enterprise__region=county), amount, **kw)


def test_the_maker_can_never_approve_their_own_batch_whatever_roles_they_hold(users, county, funded):
    item = item_in(county, users)
    services.batch_prepare(user=users["office"], title="第一批", items=[item], at=AT)
    # The same person, later given the finance role, still may not check what they made.
    users["office"].role = Role.FINANCE
    users["office"].save()
    with pytest.raises(PermissionDeniedError, match="报批人不能审批"):
        services.item_approve(user=users["office"], item=item, at=AT)
    with pytest.raises(PermissionDeniedError, match="报批人不能审批"):
        services.item_reject(user=users["office"], item=item, reason="不符", at=AT)
    item.refresh_from_db()
    assert item.state == S.SUBMITTED
    services.item_approve(user=users["finance"], item=item, reason="同意", at=AT)
    item.refresh_from_db()
    assert item.state == S.APPROVED and item.decided_by == users["finance"]
    assert AuditEvent.objects.filter(event="approve", object_id=str(item.pk)).exists()


def test_a_rejection_needs_its_reason_and_settles_the_batch(users, county, funded):
    a, b = item_in(county, users), item_in(county, users)
    batch = services.batch_prepare(user=users["office"], title="第一批", items=[a, b], at=AT)
    with pytest.raises(ValidationError) as e:
        services.item_reject(user=users["finance"], item=a, reason="", at=AT)
    assert "reason" in e.value.errors
    services.batch_decide(
        user=users["finance"],
        batch=batch,
        decisions=[{"item": a.pk, "approve": False, "reason": "重复申报"}, {"item": b.pk, "approve": True}],
        at=AT,
    )
    batch.refresh_from_db()
    a.refresh_from_db()
    assert batch.state == "decided" and a.state == S.REJECTED and a.decision_reason == "重复申报"
    assert budget().committed_yuan == Decimal("50000.00")


def test_a_cap_exception_needs_a_reason_and_finance_s_explicit_approval(users, county, funded):
    item = item_in(county, users)
    with pytest.raises(ValidationError, match="须书面说明理由"):
        services.batch_prepare(
            user=users["office"], title="第一批", items=[item], amounts={item.pk: ("150000", "")}, at=AT
        )
    services.batch_prepare(
        user=users["office"],
        title="第一批",
        items=[item],
        amounts={item.pk: ("150000", "重点项目，州政府常务会议同意")},
        at=AT,
    )
    item.refresh_from_db()
    assert item.cap_exception and item.prefecture_share_yuan == item.county_share_yuan == Decimal("75000.00")
    with pytest.raises(ValidationError) as e:
        services.item_approve(user=users["finance"], item=item, at=AT)
    assert "approve_cap_exception" in e.value.errors
    services.item_approve(user=users["finance"], item=item, approve_cap_exception=True, at=AT)
    item.refresh_from_db()
    assert item.approved_yuan == Decimal("150000.00") and item.cap_exception_approved


def test_an_approval_the_budget_cannot_cover_waits_in_order_and_is_committed_when_money_comes(users, county):
    allocate(users["finance"], 2019, "100000")
    allocate(users["finance"], 2019, "100000", region=county)
    first, second, third = (item_in(county, users, "120000.00") for _ in range(3))
    approved(users, first, second, third)
    states = [Item.objects.get(pk=i.pk).state for i in (first, second, third)]
    assert states == [S.APPROVED, S.QUEUED, S.QUEUED]
    assert budget().committed_yuan == Decimal("60000.00")
    # The prefecture's budget rises: still the county's is short, so nothing moves (first in, first out).
    allocate(users["finance"], 2019, "300000")
    assert Item.objects.get(pk=second.pk).state == S.QUEUED
    allocate(users["finance"], 2019, "150000", region=county)
    assert [Item.objects.get(pk=i.pk).state for i in (second, third)] == [S.APPROVED, S.QUEUED]
    assert AuditEvent.objects.filter(event="commit_from_queue", object_id=str(second.pk)).exists()
    b = budget(region=county)
    assert b.committed_yuan == Decimal("120000.00") and b.remaining_yuan == Decimal("30000.00")


def test_a_budget_cannot_fall_below_what_it_holds(users, county, funded):
    item = item_in(county, users, "400000.00")
    approved(users, item)
    with pytest.raises(ValidationError) as e:
        allocate(users["finance"], 2019, "100000", region=county)
    assert "allocated_yuan" in e.value.errors
    with pytest.raises(ValidationError) as e:
        services.budget_allocate(
            user=users["finance"], year=2019, level="county", region=None, allocated_yuan="1", at=AT
        )
    assert "region" in e.value.errors
    prefecture = Region.objects.get(level=Region.Level.PREFECTURE)
    with pytest.raises(ValidationError):
        allocate(users["finance"], 2019, "1", region=prefecture)
    with pytest.raises(PermissionDeniedError):
        services.budget_allocate(
            user=users["office"], year=2019, level="prefecture", allocated_yuan="1", at=AT
        )


def test_notice_objection_and_payment(users, county, funded):
    item = item_in(county, users)
    approved(users, item)
    with pytest.raises(ConflictError, match="只有“待拨付”"):
        pay(users, item, "prefecture")
    item = services.item_notice_start(user=users["office"], item=item, notice_id=7, ends_on=AT.date(), at=AT)
    item = services.item_objection_open(user=users["office"], item=item, at=AT)
    item = services.item_notice_end(user=users["office"], item=item, at=AT)
    assert item.state == S.OBJECTION  # not paid until resolved
    item = services.item_objection_resolve(
        user=users["office"], item=item, upheld=False, reason="经核实不成立", at=AT
    )
    assert item.state == S.PAYABLE
    with pytest.raises(ValidationError) as e:
        services.payment_record(
            user=users["finance"],
            item=item,
            level="prefecture",
            amount_yuan="1",
            paid_on=AT.date(),
            voucher_no="",
            at=AT,
        )
    assert {"amount_yuan", "voucher_no"} <= set(e.value.errors) or "voucher_no" in e.value.errors
    pay(users, item, "prefecture")
    with pytest.raises(ConflictError, match="已经拨付"):
        pay(users, item, "prefecture")
    item.refresh_from_db()
    assert item.state == S.PAYABLE and item.paid_yuan == Decimal("50000.00")
    pay(users, item, "county")
    item.refresh_from_db()
    assert item.state == S.PAID
    b = budget()
    assert (b.committed_yuan, b.paid_yuan) == (0, Decimal("50000.00"))


def test_an_upheld_objection_frees_the_budget_for_the_queue(users, county):
    allocate(users["finance"], 2019, "50000")
    allocate(users["finance"], 2019, "50000", region=county)
    a, b = item_in(county, users), item_in(county, users)
    approved(users, a, b)
    a.refresh_from_db()
    a = services.item_notice_start(user=users["office"], item=a, notice_id=1, ends_on=AT.date(), at=AT)
    a = services.item_objection_open(user=users["office"], item=a, at=AT)
    a = services.item_objection_resolve(user=users["office"], item=a, upheld=True, reason="虚报投资", at=AT)
    assert a.state == S.REJECTED
    assert Item.objects.get(pk=b.pk).state == S.APPROVED


def test_a_reversal_restores_the_budget_and_moves_the_queue(users, county):
    allocate(users["finance"], 2019, "50000")
    allocate(users["finance"], 2019, "50000", region=county)
    a, b = item_in(county, users), item_in(county, users)
    approved(users, a, b)
    a.refresh_from_db()
    payable(users, a)
    p = pay(users, a, "prefecture")
    assert Item.objects.get(pk=b.pk).state == S.QUEUED
    with pytest.raises(ValidationError):
        services.payment_reverse(user=users["finance"], payment=p, reason="", at=AT)
    services.payment_reverse(user=users["finance"], payment=p, reason="凭证错误，资金退回", at=AT)
    a.refresh_from_db()
    assert a.state == S.REVERSED and a.paid_yuan == 0
    assert Item.objects.get(pk=b.pk).state == S.APPROVED  # both shares of a were freed
    pb, cb = budget(), budget(region=county)
    assert (pb.committed_yuan, pb.paid_yuan) == (Decimal("50000.00"), 0)
    assert (cb.committed_yuan, cb.paid_yuan) == (Decimal("50000.00"), 0)
    with pytest.raises(ConflictError, match="已经冲回"):
        services.payment_reverse(user=users["finance"], payment=p, reason="再冲", at=AT)


def test_a_project_is_paid_at_most_its_entitlement_across_sources(users, county, funded):
    p = ProjectFactory(enterprise__region=county)
    a = propose(users["office"], p, "100000.00", source="application:1:3.1.1")
    b = propose(users["office"], p, "100000.00", source="application:2:3.1.1")
    approved(users, a, b)
    for i in (a, b):
        i.refresh_from_db()
        payable(users, i)
    pay(users, a, "prefecture")
    pay(users, a, "county")
    with pytest.raises(ConflictError, match="超过其应得"):
        pay(users, b, "prefecture")
    assert Payment.objects.filter(item=b).count() == 0


def test_finance_roles_only(users, county, funded):
    item = item_in(county, users)
    approved(users, item)
    item.refresh_from_db()
    payable(users, item)
    for role in ("office", "clerk", "enterprise", "leader"):
        with pytest.raises(PermissionDeniedError):
            pay({**users, "finance": users[role]}, item, "prefecture")
    other = make_user("other_office", Role.OFFICE)
    with pytest.raises(PermissionDeniedError):
        services.batch_prepare(user=users["finance"], title="x", items=[item_in(county, users)], at=AT)
    with pytest.raises(PermissionDeniedError):
        services.item_notice_start(user=users["finance"], item=item, notice_id=1, ends_on=AT.date(), at=AT)
    assert other.role == Role.OFFICE
