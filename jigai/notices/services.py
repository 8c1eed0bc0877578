"""Writes of the public notice (公示): publish approved items, record and resolve objections, end the period.

Before payment each batch of approved subsidies and awards is published for an objection period
(``JIGAI_NOTICE_PERIOD_DAYS``, default 7 calendar days counting the day of publication: a notice published
on 2 March takes objections to 8 March inclusive). The items' money states are funds' and change only
through funds' notice services: publication 已批准 → 公示中; an objection 公示中 → 有异议 (not payable);
its resolution 有异议 → 公示中/待拨付 (dismissed) or 未批准 (upheld, budget freed); the end of the period,
run on a date (a page, the API or ``jigai notices close --date``; never the clock), 公示中 → 待拨付.

Keyword-only, atomic, ``require`` first, shared domain errors; every row is audited (tracked models) and
each step writes its own audit event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext

from jigai.accounts.permissions import require
from jigai.core import audit
from jigai.core.dates import local_date
from jigai.core.errors import ConflictError, StaleEditError, ValidationError
from jigai.funds import services as funds_services
from jigai.funds.models import Item, ItemState

from .models import Notice, NoticeEntry, NoticeState, Objection


def clause_label_zh(item) -> str:
    """The entry's 奖补类别 as the official notice prints it: Chinese whatever the publisher's language."""
    with translation.override("zh-hans"):
        return str(item.get_clause_display())


def period_days() -> int:
    return int(getattr(settings, "JIGAI_NOTICE_PERIOD_DAYS", 7))


def _text(value, limit: int) -> str:
    return (value or "").strip()[:limit]


@transaction.atomic
def notice_publish(
    *,
    user,
    items: Iterable[Item],
    title: str,
    starts_on: dt.date,
    at: dt.datetime,
    days: int | None = None,
) -> Notice:
    """Publish approved items (已批准) on a new notice starting ``starts_on`` for ``days`` (default the
    setting); each item goes 公示中 through funds."""
    require(user, "notice.publish")
    items = list(items)
    errors: dict[str, list[str]] = {}
    title = _text(title, 120)
    if not title:
        errors["title"] = [gettext("请填写公示标题")]
    if starts_on is None:
        errors["starts_on"] = [gettext("请填写公示开始日")]
    elif starts_on < local_date(at) - dt.timedelta(days=1):
        errors["starts_on"] = [gettext("公示开始日不能早于今天")]
    days = period_days() if days is None else days
    if not isinstance(days, int) or days < 1 or days > 60:
        errors["days"] = [gettext("公示期须为 1—60 天")]
    if not items:
        errors["items"] = [gettext("请至少选择一个已批准的事项")]
    pks = [i.pk for i in items]
    if len(set(pks)) != len(pks):
        errors.setdefault("items", []).append(gettext("同一事项不能重复列入"))
    current = {
        i.pk: i for i in Item.objects.select_related("enterprise", "project", "region").filter(pk__in=pks)
    }
    wrong = [
        f"{current[pk].enterprise.name}（{current[pk].get_state_display()}）"
        for pk in pks
        if pk in current and current[pk].state != ItemState.APPROVED
    ]
    if wrong:
        errors.setdefault("items", []).append(
            gettext("只有“已批准”的事项可以公示，以下事项不符：%(items)s") % {"items": "、".join(wrong)}
        )
    if any(pk not in current for pk in pks):
        errors.setdefault("items", []).append(gettext("所选事项不存在"))
    if errors:
        raise ValidationError(errors)
    ends_on = starts_on + dt.timedelta(days=days - 1)
    year = starts_on.year
    serial = (Notice.objects.select_for_update().filter(year=year).aggregate(m=Max("serial"))["m"] or 0) + 1
    notice = Notice.objects.create(
        year=year,
        serial=serial,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        published_by=user,
        published_at=at,
    )
    ordered = sorted(
        (current[pk] for pk in pks),
        key=lambda i: (i.region.sort_order, i.clause, i.enterprise.name, i.pk),
    )
    for position, item in enumerate(ordered, start=1):
        funds_services.item_notice_start(user=user, item=item, notice_id=notice.ref, ends_on=ends_on, at=at)
        NoticeEntry.objects.create(
            notice=notice,
            item=item,
            position=position,
            unit_name=item.region.name,
            enterprise_name=item.enterprise.name,
            project_name=item.project.name if item.project_id else "",
            clause=item.clause,
            clause_label=clause_label_zh(item),
            amount_yuan=item.approved_yuan,
        )
    audit.record(
        "notice_publish",
        obj=notice,
        after={"items": [i.pk for i in ordered], "starts_on": starts_on, "ends_on": ends_on},
        message=f"{notice.ref}：{title}，{len(ordered)} 项，公示至 {ends_on:%Y-%m-%d}",
        at=at,
    )
    return notice


@transaction.atomic
def objection_record(
    *,
    user,
    entry: NoticeEntry,
    raised_by: str,
    contact: str = "",
    content: str,
    received_on: dt.date,
    at: dt.datetime,
) -> Objection:
    """Record an objection to one line received during the period; the item is not payable until every
    objection to it is resolved (funds 有异议)."""
    require(user, "notice.objection")
    entry = NoticeEntry.objects.select_related("notice", "item").get(pk=entry.pk)
    notice = entry.notice
    errors: dict[str, list[str]] = {}
    raised_by, contact, content = _text(raised_by, 100), _text(contact, 100), (content or "").strip()
    if not raised_by:
        errors["raised_by"] = [gettext("请填写异议人（单位或个人）")]
    if not content:
        errors["content"] = [gettext("请填写异议内容")]
    if received_on is None:
        errors["received_on"] = [gettext("请填写收到异议的日期")]
    elif not notice.starts_on <= received_on <= notice.ends_on:
        errors["received_on"] = [
            gettext("只受理公示期内（%(start)s 至 %(end)s）收到的异议")
            % {"start": f"{notice.starts_on:%Y-%m-%d}", "end": f"{notice.ends_on:%Y-%m-%d}"}
        ]
    elif received_on > local_date(at):
        errors["received_on"] = [gettext("收到日期不能晚于今天")]
    if errors:
        raise ValidationError(errors)
    if notice.state != NoticeState.OPEN:
        raise ConflictError(
            gettext("%(ref)s 已于 %(date)s 结束，不能再登记异议")
            % {"ref": notice.ref, "date": f"{notice.ended_on:%Y-%m-%d}"}
        )
    item = entry.item
    if item.state == ItemState.NOTICE:
        funds_services.item_objection_open(user=user, item=item, at=at)
    elif item.state != ItemState.OBJECTION:
        raise ConflictError(
            gettext("该事项当前为“%(state)s”，不能登记异议") % {"state": item.get_state_display()}
        )
    objection = Objection.objects.create(
        entry=entry,
        raised_by=raised_by,
        contact=contact,
        received_on=received_on,
        content=content,
        recorded_by=user,
        recorded_at=at,
    )
    audit.record(
        "objection_record",
        obj=objection,
        after={"entry": entry.pk, "item": item.pk, "received_on": received_on},
        message=f"{notice.ref} 第 {entry.position} 项（{entry.enterprise_name}）收到异议",
        at=at,
    )
    return objection


@transaction.atomic
def objection_resolve(
    *, user, objection: Objection, upheld: bool, resolution: str, at: dt.datetime
) -> Objection:
    """Resolve an objection with its reason. Upheld: the item is refused (未批准, its budget freed).
    Dismissed: once no objection to the item is open, it returns to 公示中, or to 待拨付 if the period has
    ended."""
    require(user, "notice.objection")
    current = (
        Objection.objects.select_for_update()
        .select_related("entry__item", "entry__notice")
        .get(pk=objection.pk)
    )
    if not current.open:
        raise ConflictError(gettext("该异议已处理（%(status)s）") % {"status": current.status_label})
    resolution = _text(resolution, 500)
    if not resolution:
        raise ValidationError({"resolution": [gettext("请填写处理结果（核查了什么、结论及理由）")]})
    if upheld not in (True, False):
        raise ValidationError({"upheld": [gettext("请选择异议是否成立")]})
    current.upheld = upheld
    current.resolution = resolution
    current.resolved_by = user
    current.resolved_at = at
    current.save(update_fields=["upheld", "resolution", "resolved_by", "resolved_at"])
    item = Item.objects.get(pk=current.entry.item_id)
    others_open = current.entry.objections.filter(upheld__isnull=True).exclude(pk=current.pk).exists()
    if item.state == ItemState.OBJECTION and (upheld or not others_open):
        funds_services.item_objection_resolve(user=user, item=item, upheld=upheld, reason=resolution, at=at)
    audit.record(
        "objection_resolve",
        obj=current,
        after={"upheld": upheld, "item": item.pk},
        message=("异议成立：" if upheld else "异议不成立：") + resolution,
        at=at,
    )
    return current


@transaction.atomic
def notice_end(
    *, user, notice: Notice, on: dt.date, at: dt.datetime, expected_version: int | None = None
) -> Notice:
    """End a notice whose period has passed on ``on`` (a date after its last day): every line still 公示中
    goes 待拨付; a line under objection stays 有异议 until resolved."""
    require(user, "notice.publish")
    current = Notice.objects.select_for_update().get(pk=notice.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEditError()
    if current.state != NoticeState.OPEN:
        raise ConflictError(gettext("%(ref)s 已经结束") % {"ref": current.ref})
    if on is None:
        raise ValidationError({"on": [gettext("请填写日期")]})
    if on <= current.ends_on:
        raise ValidationError(
            {
                "on": [
                    gettext("公示期至 %(end)s 止，须在其后（%(first)s 起）才能结束")
                    % {
                        "end": f"{current.ends_on:%Y-%m-%d}",
                        "first": f"{current.ends_on + dt.timedelta(days=1):%Y-%m-%d}",
                    }
                ]
            }
        )
    moved, held = 0, 0
    for entry in current.entries.select_related("item").order_by("position"):
        item = entry.item
        if item.state in (ItemState.NOTICE, ItemState.OBJECTION):
            item = funds_services.item_notice_end(user=user, item=item, at=at)
            if item.state == ItemState.PAYABLE:
                moved += 1
            else:
                held += 1
    current.state = NoticeState.ENDED
    current.ended_on = on
    current.ended_by = user
    current.version += 1
    current.save(update_fields=["state", "ended_on", "ended_by", "version"])
    audit.record(
        "notice_end",
        obj=current,
        after={"on": on, "payable": moved, "objection": held},
        message=f"{current.ref} 公示期满：{moved} 项转为待拨付，{held} 项因异议未处理暂缓",
        at=at,
    )
    return current


def notices_due(on: dt.date):
    """Open notices whose period has passed on ``on``."""
    return Notice.objects.filter(state=NoticeState.OPEN, ends_on__lt=on).order_by("ends_on", "pk")
