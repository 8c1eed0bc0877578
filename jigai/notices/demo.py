"""Demo public notices (公示): the approved items funds' demo (and the champion awards) left are
published in approval order (all but the last, left for the office's publish form) in two notices dated before today: the first has run its period (one objection dismissed, one
upheld) and ended, its items payable; the second is still open with an objection waiting for the office.
Every date is on or before the day the demo is built (``now``), so no record is written in the future.
Runs after funds' demo; with no approved item it does nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jigai.accounts.models import User
from jigai.funds.models import Item, ItemState

from . import services


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _objection(office, entry, day, who, content):
    return services.objection_record(
        user=office, entry=entry, raised_by=who, content=content, received_on=day, at=_at(day, 11)
    )


def build(*, seed: int, now: dt.datetime) -> dict:
    office = User.objects.filter(username="office").first()
    items = list(
        Item.objects.filter(state=ItemState.APPROVED)
        .select_related("enterprise")
        .order_by("decided_at", "pk")
    )
    # The last approved item stays unpublished: the office's publish form and to-do keep content.
    items = items[:-1]
    if office is None or not items:
        return {"notices": 0}
    today = timezone.localtime(now).date()
    days = services.period_days()
    half = max(1, len(items) // 2)
    first, second = items[:half], items[half:]
    # The first notice: its period over before today, ended the day after.
    start = today - dt.timedelta(days=days + 3)
    notice = services.notice_publish(
        user=office,
        items=first,
        title="技术改造奖补资金拟拨付名单（第一批）",
        starts_on=start,
        at=_at(start, 9),
    )
    entries = list(notice.entries.order_by("position"))
    day2 = start + dt.timedelta(days=2)
    dismissed = _objection(
        office,
        entries[0],
        day2,
        "某企业职工（实名来信）",
        "反映该项目部分设备为旧设备翻新，不应计入技改投资。",
    )
    services.objection_resolve(
        user=office,
        objection=dismissed,
        upheld=False,
        resolution="经调取设备购置合同、发票及出厂编号核查，设备均为新购，异议不成立。",
        at=_at(day2 + dt.timedelta(days=1)),
    )
    if len(entries) >= 3:
        upheld = _objection(
            office, entries[-1], day2, "同行业企业", "反映该企业已就同一项目获得省级技改专项资金，重复申报。"
        )
        services.objection_resolve(
            user=office,
            objection=upheld,
            upheld=True,
            resolution="经核实该项目已获省级同类奖补，按“不重复奖补”原则不予拨付。",
            at=_at(day2 + dt.timedelta(days=2)),
        )
    end = notice.ends_on + dt.timedelta(days=1)
    services.notice_end(user=office, notice=notice, on=end, at=_at(end, 9))
    made = 1
    if second:
        start = today - dt.timedelta(days=1)
        notice = services.notice_publish(
            user=office,
            items=second,
            title="技术改造奖补资金拟拨付名单（第二批）",
            starts_on=start,
            at=_at(start, 9),
        )
        _objection(
            office,
            notice.entries.order_by("position").first(),
            start,
            "匿名来电（已记录回访电话）",
            "反映该企业技改后产能未达申报水平。",
        )
        made += 1
    return {"notices": made}
