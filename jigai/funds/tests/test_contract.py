"""The contract with the deciders: item_propose (idempotent per source, top-ups, recoveries),
item_withdraw, items_for_source."""

from decimal import Decimal

import pytest

from conftest import ProjectFactory
from jigai.core.errors import ConflictError, PermissionDeniedError, ValidationError
from jigai.core.models import AuditEvent
from jigai.funds import services
from jigai.funds.models import Item, ItemState
from jigai.funds.selectors import items_for_source

from .helpers import AT, allocate, approved, pay, payable, propose

pytestmark = pytest.mark.django_db


def test_a_proposal_is_stored_with_its_decision_and_explanation(users):
    item = propose(users["office"], amount="120000.00")
    assert item.state == ItemState.PROPOSED and item.get_state_display() == "待报批"
    assert item.entitled_yuan == item.proposed_yuan == Decimal("120000.00")
    assert item.prefecture_share_yuan + item.county_share_yuan == item.entitled_yuan
    assert item.decision["clause"] == "3.1.1" and "应得" in item.explanation
    assert AuditEvent.objects.filter(event="propose", object_id=str(item.pk)).exists()
    [read] = items_for_source(item.source)
    assert read.pk == item.pk and read.get_state_display() == "待报批"


def test_proposing_again_replaces_the_figures_of_an_open_proposal(users):
    p = ProjectFactory()
    first = propose(users["office"], p, "100000.00")
    again = propose(users["office"], p, "80000.00")
    assert again.pk == first.pk and again.entitled_yuan == Decimal("80000.00") and again.version == 2
    assert Item.objects.filter(source=first.source).count() == 1
    ev = AuditEvent.objects.get(event="repropose", object_id=str(first.pk))
    assert ev.before["entitled_yuan"] == "100000.00" and ev.after["entitled_yuan"] == "80000.00"


def test_a_resubmitted_figure_leaves_the_batch_so_the_checker_never_approves_a_changed_amount(users):
    p = ProjectFactory()
    item = propose(users["office"], p)
    batch = services.batch_prepare(user=users["office"], title="第一批", items=[item], at=AT)
    again = propose(users["office"], p, "90000.00")
    assert again.state == ItemState.PROPOSED and again.batch is None
    batch.refresh_from_db()
    assert batch.state == "decided"  # nothing waits in it any more


def test_after_approval_only_the_difference_is_proposed_and_a_decrease_is_recovered(users):
    allocate(users["finance"], 2019, "1000000")
    allocate(users["finance"], 2019, "1000000", region=users["clerk"].region)
    p = ProjectFactory(enterprise__region=users["clerk"].region)
    first = propose(users["office"], p, "100000.00")
    approved(users, first)
    top = propose(users["office"], p, "130000.00")
    assert top.pk != first.pk and top.seq == 2 and top.entitled_yuan == Decimal("30000.00")
    assert top.prefecture_share_yuan + top.county_share_yuan == Decimal("30000.00")
    same = propose(users["office"], p, "130000.00")  # the top-up still open: replaced, not added
    assert same.pk == top.pk and Item.objects.filter(source=first.source).count() == 2
    approved(users, top)
    down = propose(users["office"], p, "110000.00")
    assert down.state == ItemState.RECOVER and down.recover_yuan == Decimal("20000.00")
    assert down.proposed_yuan == 0 and down.get_state_display() == "应追回"
    assert propose(users["office"], p, "110000.00").pk == down.pk  # nothing more to do
    with pytest.raises(ConflictError):
        services.batch_prepare(user=users["office"], title="x", items=[down], at=AT)


def test_withdraw_removes_only_what_is_not_yet_approved(users):
    allocate(users["finance"], 2019, "1000000")
    allocate(users["finance"], 2019, "1000000", region=users["clerk"].region)
    p = ProjectFactory(enterprise__region=users["clerk"].region)
    item = propose(users["office"], p)
    with pytest.raises(ValidationError) as e:
        services.item_withdraw(user=users["office"], source=item.source, reason=" ", at=AT)
    assert "reason" in e.value.errors
    assert services.item_withdraw(user=users["office"], source=item.source, reason="申报撤回", at=AT) == 1
    assert items_for_source(item.source) == []
    item = propose(users["office"], p)
    approved(users, item)
    with pytest.raises(ConflictError, match="没有可撤回"):
        services.item_withdraw(user=users["office"], source=item.source, reason="x", at=AT)


def test_bad_proposals_name_the_field_and_write_nothing(users):
    p = ProjectFactory()
    with pytest.raises(ValidationError) as e:
        services.item_propose(
            user=users["office"],
            source="application:1:3.1.1",
            clause="9.9",
            year=2019,
            enterprise=p.enterprise,
            project=p,
            region=p.region,
            entitled_yuan=Decimal("100.001"),
            prefecture_share_yuan=Decimal("50"),
            county_share_yuan=Decimal("40"),
            decision={},
            explanation="",
            at=AT,
        )
    assert {"clause", "entitled_yuan"} <= set(e.value.errors)
    with pytest.raises(ValidationError) as e:
        propose(users["office"], p, "100.00", clause="3.1.2", source="champion:1", year=1999)
    assert "year" in e.value.errors
    assert not Item.objects.exists()


def test_only_the_office_proposes(users):
    for role in ("finance", "clerk", "enterprise", "leader"):
        with pytest.raises(PermissionDeniedError):
            propose(users[role])
    assert not Item.objects.exists()


def test_paid_items_read_back_with_amount_and_dates(users):
    region = users["clerk"].region
    allocate(users["finance"], 2019, "1000000")
    allocate(users["finance"], 2019, "1000000", region=region)
    item = propose(users["office"], ProjectFactory(enterprise__region=region), "100000.00")
    approved(users, item)
    item.refresh_from_db()
    payable(users, item)
    pay(users, item, "prefecture")
    pay(users, item, "county", voucher="记-002")
    [read] = items_for_source(item.source)
    assert read.get_state_display() == "已拨付" and read.paid_yuan == Decimal("100000.00")
    assert read.paid_on == AT.date() and read.notice_ends_on == AT.date() and len(read.payments.all()) == 2
