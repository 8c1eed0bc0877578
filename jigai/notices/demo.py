"""Demo public notices (公示): the approved items funds' demo left are published year by year; the
earlier notices have run their period (one objection dismissed, one upheld) and ended; the latest is still
open with an objection waiting, so every notice page has content. Runs after funds' demo; with no
approved item it does nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jigai.accounts.models import User
from jigai.funds.models import Item, ItemState

from . import services


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def build(*, seed: int, now: dt.datetime) -> dict:
    office = User.objects.filter(username="office").first()
    items = list(
        Item.objects.filter(state=ItemState.APPROVED)
        .select_related("enterprise")
        .order_by("year", "decided_at", "pk")
    )
    if office is None or not items:
        return {"notices": 0}
    years = sorted({i.year for i in items})
    made = 0
    for n, year in enumerate(years):
        batch = [i for i in items if i.year == year]
        last = n == len(years) - 1
        decided = max((i.decided_at or i.proposed_at) for i in batch)
        start = timezone.localtime(decided).date() + dt.timedelta(days=1)
        notice = services.notice_publish(
            user=office,
            items=batch,
            title=f"{year}年度技术改造奖补资金拟拨付名单",
            starts_on=start,
            at=_at(start, 9),
        )
        made += 1
        entries = list(notice.entries.order_by("position"))
        day2 = start + dt.timedelta(days=2)
        first = services.objection_record(
            user=office,
            entry=entries[0],
            raised_by="某企业职工（实名来信）",
            contact="来信地址已存档",
            content="反映该项目部分设备为旧设备翻新，不应计入技改投资。",
            received_on=day2,
            at=_at(day2),
        )
        if last:
            continue  # the latest notice stays open, its objection waiting for the office
        services.objection_resolve(
            user=office,
            objection=first,
            upheld=False,
            resolution="经调取设备购置合同、发票及出厂编号核查，设备均为新购，异议不成立。",
            at=_at(day2 + dt.timedelta(days=2)),
        )
        if len(entries) >= 3:
            upheld = services.objection_record(
                user=office,
                entry=entries[-1],
                raised_by="同行业企业",
                content="反映该企业已就同一项目获得省级技改专项资金，重复申报。",
                received_on=day2,
                at=_at(day2, 11),
            )
            services.objection_resolve(
                user=office,
                objection=upheld,
                upheld=True,
                resolution="经核实该项目已获省级同类奖补，按“不重复奖补”原则不予拨付。",
                at=_at(day2 + dt.timedelta(days=3)),
            )
        end = notice.ends_on + dt.timedelta(days=1)
        services.notice_end(user=office, notice=notice, on=end, at=_at(end, 9))
    return {"notices": made}
