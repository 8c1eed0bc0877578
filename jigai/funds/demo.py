"""Demo money (3.1, 4.2): budgets for 2019 and 2020 that run short, a batch approved with one item
refused, a cap exception approved by finance, items queued for budget (``build``); after the public
notice (jigai.notices' demo publishes the approved items through its own service, so every item on
notice has its Notice record on the public page), payments and a reversal (``pay``) — every write through
the services, so all of it is audited.

The proposals come from the deciders: the demo command hands over the decisions of accepted demo
projects (``jigai.demo.money``), as the incentives app will from its applications."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jigai.accounts.models import User
from jigai.core.dates import local_date
from jigai.core.models import Region
from jigai.core.money import ZERO, round_yuan

from . import services
from .models import Item, ItemState, Level

S = ItemState


def _allocate(finance, year: int, need: dict, ratio: Decimal, now) -> None:
    """Allocate about ``ratio`` of what the year's proposals need, so the budgets run short."""
    prefecture = sum((v[0] for v in need.values()), ZERO)
    services.budget_allocate(
        user=finance, year=year, level=Level.PREFECTURE, allocated_yuan=round_yuan(prefecture * ratio), at=now
    )
    for region in Region.objects.filter(level=Region.Level.UNIT).order_by("code"):
        county = need.get(region.pk, (ZERO, ZERO))[1]
        services.budget_allocate(
            user=finance,
            year=year,
            level=Level.COUNTY,
            region=region,
            allocated_yuan=round_yuan(county * ratio),
            reason="年初预算",
            at=now,
        )


def build(*, now: dt.datetime, proposals: list[dict]) -> dict:
    office, finance = User.objects.get(username="office"), User.objects.get(username="finance")
    # Items the deciders proposed before (the demo applications' 3.1.1 and 3.2 decisions, 2020) go in a
    # batch of their own, approved, so an enterprise's application page shows its money moving
    # (审批 → 公示 → 拨付).
    earlier = list(
        Item.objects.filter(state=S.PROPOSED, clause__in=("3.1.1", "3.2"), year=2020).order_by("pk")
    )
    items = [services.item_propose(user=office, at=now, **p) for p in proposals]
    by_year: dict[int, list[Item]] = {}
    for i in items:
        by_year.setdefault(i.year, []).append(i)
    for year, ratio in ((2019, Decimal("0.7")), (2020, Decimal("0.5"))):
        need: dict = {}
        for i in by_year.get(year, []) + (earlier if year == 2020 else []):
            pref, county = need.get(i.region_id, (ZERO, ZERO))
            need[i.region_id] = (pref + i.prefecture_share_yuan, county + i.county_share_yuan)
        _allocate(finance, year, need, ratio, now)

    # 2019: one batch, a cap exception, one item refused, the rest approved (some wait for budget).
    first = by_year.get(2019, [])[:12]
    if first:
        cap, refused = first[0], first[1] if len(first) > 1 else None
        amounts = {
            cap.pk: (
                round_yuan(cap.entitled_yuan * Decimal("1.2")),
                "州重点技改项目，经州政府专题会议研究同意超上限奖补",
            )
        }
        batch = services.batch_prepare(
            user=office,
            title="2019年度技改奖补资金第一批",
            items=first,
            amounts=amounts,
            note="按验收核定数测算",
            at=now,
        )
        for i in batch.items.order_by("pk"):
            if refused is not None and i.pk == refused.pk:
                services.item_reject(
                    user=finance, item=i, reason="该项目已享受省级同类资金支持，不重复奖补", at=now
                )
            else:
                services.item_approve(
                    user=finance, item=i, reason="同意", approve_cap_exception=i.pk == cap.pk, at=now
                )
    # 2020: the applications' batch approved (what the budget cannot cover queues), a batch waiting for
    # finance, and proposals not yet in a batch.
    if earlier:
        batch = services.batch_prepare(
            user=office, title="2020年度技改奖补资金第一批（企业申报）", items=earlier, at=now
        )
        for i in batch.items.order_by("pk"):
            services.item_approve(user=finance, item=i, reason="同意，按验收核定数拨付", at=now)
    second = by_year.get(2020, [])[:6]
    if second:
        services.batch_prepare(user=office, title="2020年度技改奖补资金第二批", items=second, at=now)
    return {"fund_items": Item.objects.count()}


def pay(*, now: dt.datetime) -> dict:
    """Pay the first items whose public notice (jigai.notices' demo, run before this) has ended: one paid
    at one level only, one payment reversed."""
    finance = User.objects.get(username="finance")
    payable = list(Item.objects.filter(state=S.PAYABLE).order_by("pk"))
    made = 0
    for n, i in enumerate(payable[:4]):
        for level in (Level.PREFECTURE, Level.COUNTY):
            if i.share(level) <= 0 or (n == 3 and level == Level.COUNTY):
                continue
            p = services.payment_record(
                user=finance,
                item=i,
                level=level,
                amount_yuan=i.share(level),
                paid_on=local_date(now),
                voucher_no=f"恩财拨〔2020〕{100 + n * 2 + (level == Level.COUNTY)}号",
                at=now,
            )
            made += 1
            i.refresh_from_db()
            if n == 2 and level == Level.COUNTY:
                services.payment_reverse(
                    user=finance, payment=p, reason="收款账户与企业基本户不符，资金退回", at=now
                )
    return {"payments": made}
