"""Building blocks of the funds tests: a proposal as a decider would hand it over."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from conftest import ProjectFactory
from jigai.core.dates import local_date
from jigai.core.money import round_yuan
from jigai.funds import services

AT = timezone.make_aware(dt.datetime(2020, 3, 2, 10, 0))


def propose(user, project=None, amount="100000.00", *, source=None, clause="3.1.1", year=2019, at=AT, **kw):
    project = project or ProjectFactory()
    amount = Decimal(amount)
    pref = round_yuan(amount / 2)
    return services.item_propose(
        user=user,
        source=source or f"application:{project.pk}:{clause}",
        clause=clause,
        year=year,
        enterprise=project.enterprise,
        project=project,
        region=project.region,
        entitled_yuan=amount,
        prefecture_share_yuan=pref,
        county_share_yuan=amount - pref,
        decision={"clause": clause, "amount": str(amount), "capped": False},
        explanation=f"按 {clause} 应得 {amount} 元",
        at=at,
        **kw,
    )


def allocate(user, year, amount, region=None, at=AT):
    return services.budget_allocate(
        user=user,
        year=year,
        level="county" if region is not None else "prefecture",
        region=region,
        allocated_yuan=Decimal(amount),
        at=at,
    )


def approved(users, *items, at=AT, maker="office", checker="finance"):
    batch = services.batch_prepare(user=users[maker], title="2019年第一批", items=list(items), at=at)
    for i in items:
        services.item_approve(user=users[checker], item=i, at=at)
    return batch


def payable(users, item, at=AT):
    item = services.item_notice_start(
        user=users["office"], item=item, notice_id="N1", ends_on=local_date(at), at=at
    )
    return services.item_notice_end(user=users["office"], item=item, at=at)


def pay(users, item, level, at=AT, voucher="记-001"):
    item.refresh_from_db()
    return services.payment_record(
        user=users["finance"],
        item=item,
        level=level,
        amount_yuan=item.share(level),
        paid_on=local_date(at),
        voucher_no=voucher,
        at=at,
    )
