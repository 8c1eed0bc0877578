"""Writes of the money after a decision: proposals, batches (maker–checker), budgets, public notice (公示),
payment (拨付) and reversal (冲回) (3.1, 3.1.1, 3.1.2, 3.2, 4.2).

The deciders (incentives for 3.1.1 / 3.2, champions for 3.1.2) hand each decision over through
:func:`item_propose` and read it back through ``jigai.funds.selectors.items_for_source``; this app
never imports them. An item moves through these states (``ItemState``)::

    待报批 ──batch_prepare──▶ 已报批待审 ──item_reject──▶ 未批准
       │                        │
       └─item_withdraw (deleted) └─item_approve─▶ 已批准 (budget committed)
                                              └──▶ 预算不足排队 ──(allocation up / money freed)──▶ 已批准
    已批准 ──item_notice_start──▶ 公示中 ──item_objection_open──▶ 有异议
    公示中 ──item_notice_end──▶ 待拨付          有异议 ──item_objection_resolve(upheld=False)──▶ 公示中 / 待拨付
                                               有异议 ──item_objection_resolve(upheld=True)──▶ 未批准 (budget freed)
    待拨付 ──payment_record (each level's share once)──▶ 已拨付
    待拨付 / 已拨付 ──payment_reverse──▶ 已冲回 (budget freed)

The public-notice pages (another app) call the four notice services:

- ``item_notice_start(*, user, item, notice_id, ends_on, at)``: 已批准 → 公示中, remembering the notice
  and the last day of its objection period;
- ``item_objection_open(*, user, item, at)``: 公示中 → 有异议 (an item under objection is not paid);
- ``item_objection_resolve(*, user, item, upheld, reason, at)``: an upheld objection refuses the item
  (未批准, its budget freed for the queue); a dismissed one returns it to 公示中, or to 待拨付 when the
  notice has already ended;
- ``item_notice_end(*, user, item, at)``: 公示中 → 待拨付; an item under objection stays 有异议 until
  resolved.

Maker–checker: the person who prepared a batch can never approve or reject its items, whatever roles
they hold (compared by user id). Budgets: an approval commits its prefecture share from the prefecture's
budget of the item's year and its county share from the county's (``cost_split``;
docs/programme.md, reading 7); an approval the budgets cannot cover waits (预算不足排队) in approval order, strictly first
in first out per year, and is committed automatically when an allocation rises or a refusal or reversal
frees money. Every budget change locks the year's budget rows in one order (level, unit), and a check
constraint refuses an overdrawn row as a backstop.

Every write: keyword-only, atomic, ``require`` first, shared domain errors, "now" from the edge; every
row change is audited (the models are tracked) and each step also writes its own audit event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext, gettext_noop, pgettext

from jigai.accounts.permissions import require
from jigai.core import audit, programme
from jigai.core.dates import local_date
from jigai.core.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    StaleEditError,
    ValidationError,
)
from jigai.core.models import Region
from jigai.core.money import ZERO, amount_problem, format_yuan_zh, round_yuan

from .models import (
    COMMITTED_STATES,
    HELD_STATES,
    OPEN_STATES,
    Batch,
    BatchState,
    Budget,
    Clause,
    Item,
    ItemState,
    Level,
    Payment,
)

S = ItemState
# The reasons ``core.money.amount_problem`` gives, in Chinese, here for the catalogue: shown translated.
AMOUNT_PROBLEMS = (
    gettext_noop("不是有效的金额"),
    gettext_noop("金额不能为负数"),
    gettext_noop("金额最多精确到分"),
    gettext_noop("金额超出上限（最多 99,999,999,999,999.99 元）"),  # money.TOO_LARGE, as it reads
)
LEVEL_LABEL = {Level.PREFECTURE: "州级", Level.COUNTY: "县市级"}


# ---------------------------------------------------------------------------------------------------
# Helpers


def _money(errors: dict, field: str, label: str, value, *, positive: bool = False) -> Decimal | None:
    if value is None or value == "":
        errors.setdefault(field, []).append(gettext("请填写%(label)s") % {"label": label})
        return None
    try:
        value = Decimal(str(value))
    except ArithmeticError:
        errors.setdefault(field, []).append(gettext("%(label)s不是有效的金额") % {"label": label})
        return None
    if problem := amount_problem(value):
        errors.setdefault(field, []).append(
            gettext("%(label)s：%(problem)s") % {"label": label, "problem": gettext(problem)}
        )
        return None
    if positive and value <= 0:
        errors.setdefault(field, []).append(gettext("%(label)s须大于零") % {"label": label})
        return None
    return round_yuan(value)


def _already_paid(level: str) -> str:
    return gettext("该事项的%(level)s资金已经拨付，不能重复拨付") % {"level": Level(level).label}


def _text(value, limit: int = 500) -> str:
    return (value or "").strip()[:limit]


def _bump(obj, at: dt.datetime | None = None) -> None:
    obj.version += 1
    obj.save()


def _check_version(obj, expected_version: int | None) -> None:
    if expected_version is not None and obj.version != expected_version:
        raise StaleEditError()


def _ratio(item: Item) -> Decimal:
    """The prefecture's part of this item's money: the decision's split, else ``cost_split`` of the year."""
    if item.entitled_yuan > 0:
        return item.prefecture_share_yuan / item.entitled_yuan
    return Decimal(str(programme.value("cost_split.prefecture_share", item.year)))


def _split(amount: Decimal, ratio: Decimal) -> tuple[Decimal, Decimal]:
    prefecture = round_yuan(amount * ratio)
    return prefecture, amount - prefecture


def _lock_item(item: Item) -> Item:
    try:
        return (
            Item.objects.select_for_update(of=("self",))
            .select_related("batch", "enterprise", "project", "region")
            .get(pk=item.pk)
        )
    except Item.DoesNotExist as exc:
        raise NotFoundError(gettext("该奖补事项不存在（可能已撤回）")) from exc


def _refuse_state(item: Item, allowed: Iterable[str], doing: str) -> None:
    if item.state not in set(allowed):
        labels = gettext("、").join(gettext("“%(state)s”") % {"state": S(s).label} for s in allowed)
        raise ConflictError(
            gettext("只有%(states)s的事项可以%(doing)s，该事项当前为“%(state)s”")
            % {"states": labels, "doing": doing, "state": item.get_state_display()}
        )


# ---------------------------------------------------------------------------------------------------
# Proposals (the contract with the deciders)


@transaction.atomic
def item_propose(
    *,
    user,
    source: str,
    clause: str,
    year: int,
    enterprise,
    project=None,
    region,
    entitled_yuan: Decimal,
    prefecture_share_yuan: Decimal,
    county_share_yuan: Decimal,
    decision: dict,
    explanation: str,
    at: dt.datetime,
) -> Item:
    """Hand one decided amount to the money path (idempotent per ``source``).

    While the source's item is only proposed (待报批 / 已报批待审) its figures are replaced (a submitted
    item leaves its batch: the checker never approves figures changed after submission). Once an item
    of the source is approved or paid, only the difference to the entitlement already held is proposed:
    a positive top-up as a new item, a negative one as an amount to recover (应追回, never paid)."""
    require(user, "funds.propose", enterprise)
    errors: dict[str, list[str]] = {}
    source = (source or "").strip()
    if not source or len(source) > 80:
        errors["source"] = [gettext("来源标识不能为空，且不超过80个字符")]
    if clause not in Clause.values:
        errors["clause"] = [
            gettext("未知的条款：%(clause)s（只接受 3.1.1、3.1.2、3.2）") % {"clause": clause}
        ]
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = [gettext("预算年度不正确：%(year)s") % {"year": year}]
    entitled = _money(errors, "entitled_yuan", gettext("应得金额"), entitled_yuan)
    pref = _money(errors, "prefecture_share_yuan", gettext("州级承担金额"), prefecture_share_yuan)
    county = _money(errors, "county_share_yuan", gettext("县市承担金额"), county_share_yuan)
    if None not in (entitled, pref, county) and pref + county != entitled:
        errors["county_share_yuan"] = [
            gettext("州级与县市承担之和（%(sum)s 元）须等于应得金额（%(entitled)s 元）")
            % {"sum": format_yuan_zh(pref + county), "entitled": format_yuan_zh(entitled)}
        ]
    if project is not None and project.enterprise_id != enterprise.pk:
        errors["project"] = [gettext("项目不属于该企业")]
    if project is None and clause in (Clause.C311, Clause.C32):
        errors["project"] = [gettext("%(clause)s 的奖补须指明项目") % {"clause": clause}]
    if region is None or region.level != Region.Level.UNIT:
        errors["region"] = [gettext("须指明分担经费的县市（报送单位）")]
    if not isinstance(decision, dict):
        errors["decision"] = [gettext("决定须为字典（Decision.to_dict()）")]
    if errors:
        raise ValidationError(errors)
    explanation = (explanation or "").strip()

    items = list(Item.objects.select_for_update().filter(source=source).order_by("seq"))
    if any(i.clause != clause or i.enterprise_id != enterprise.pk for i in items):
        raise ConflictError(gettext("来源“%(source)s”已用于其他企业或条款的事项") % {"source": source})
    open_items = [i for i in items if i.state in OPEN_STATES]
    held = sum((i.entitled_yuan for i in items if i.state in HELD_STATES), ZERO)
    held += sum((i.paid_yuan for i in items if i.state == S.REVERSED), ZERO)
    held -= sum((i.recover_yuan for i in items if i.state == S.RECOVER), ZERO)
    has_held = any(i.state in HELD_STATES or i.state == S.REVERSED for i in items)
    diff = entitled - held if has_held else entitled
    ratio = (
        pref / entitled
        if entitled > 0
        else Decimal(str(programme.value("cost_split.prefecture_share", year)))
    )

    def drop_open(reason: str) -> None:
        for i in open_items:
            audit.record("withdraw", obj=i, before={"proposed_yuan": i.proposed_yuan}, message=reason)
            batch = i.batch
            i.delete()
            if batch is not None:
                _batch_settle(batch, at)

    if has_held and diff <= 0:
        drop_open(f"重新决定后无需追加：{source}")
        if diff == 0:
            return max((i for i in items if i.state not in OPEN_STATES), key=lambda i: i.seq)
        seq = items[-1].seq + 1
        rec = Item.objects.create(
            source=source,
            seq=seq,
            clause=clause,
            year=year,
            enterprise=enterprise,
            project=project,
            region=region,
            entitled_yuan=ZERO,
            proposed_yuan=ZERO,
            recover_yuan=-diff,
            prefecture_share_yuan=ZERO,
            county_share_yuan=ZERO,
            decision=decision,
            explanation=explanation,
            state=S.RECOVER,
            proposed_by=user,
            proposed_at=at,
        )
        audit.record(
            "recover",
            obj=rec,
            after={"recover_yuan": -diff},
            message=f"重新决定后应得减少，应追回 {format_yuan_zh(-diff)} 元（不拨付）",
        )
        return rec

    amount_pref, amount_county = (pref, county) if diff == entitled else _split(diff, ratio)
    figures = {
        "year": year,
        "project": project,
        "region": region,
        "entitled_yuan": diff,
        "proposed_yuan": diff,
        "prefecture_share_yuan": amount_pref,
        "county_share_yuan": amount_county,
        "decision": decision,
        "explanation": explanation,
    }
    if open_items:
        item = open_items[-1]
        for extra in open_items[:-1]:
            extra.delete()
        before = {k: getattr(item, k) for k in ("entitled_yuan", "proposed_yuan", "state", "year")}
        batch = item.batch
        for k, v in figures.items():
            setattr(item, k, v)
        item.state = S.PROPOSED
        item.batch = None
        item.cap_exception_reason = ""
        item.cap_exception_approved = False
        item.proposed_by = user
        item.proposed_at = at
        _bump(item)
        if batch is not None:
            _batch_settle(batch, at)
        audit.record(
            "repropose",
            obj=item,
            before=before,
            after={k: getattr(item, k) for k in before},
            message=f"重新决定，替换待报批事项的金额：{format_yuan_zh(diff)} 元",
        )
        return item
    seq = items[-1].seq + 1 if items else 1
    item = Item.objects.create(
        source=source,
        seq=seq,
        clause=clause,
        enterprise=enterprise,
        proposed_by=user,
        proposed_at=at,
        **figures,
    )
    audit.record(
        "propose",
        obj=item,
        after={"entitled_yuan": diff, "clause": clause, "year": year},
        message=("追加" if has_held else "提出") + f"奖补 {format_yuan_zh(diff)} 元（{clause}）",
    )
    return item


@transaction.atomic
def item_withdraw(*, user, source: str, reason: str, at: dt.datetime) -> int:
    """Remove the source's proposal that is not yet approved (待报批 / 已报批待审); returns how many."""
    items = list(
        Item.objects.select_for_update(of=("self",))
        .select_related("enterprise", "batch")
        .filter(source=source, state__in=OPEN_STATES)
    )
    if not items:
        raise ConflictError(
            gettext("来源“%(source)s”没有可撤回的事项（未报批或已审批的不能撤回）") % {"source": source}
        )
    for i in items:
        require(user, "funds.propose", i)
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": [gettext("请填写撤回原因")]})
    batches = {i.batch for i in items if i.batch is not None}
    for i in items:
        audit.record(
            "withdraw", obj=i, before={"proposed_yuan": i.proposed_yuan, "state": i.state}, message=reason
        )
        i.delete()
    for b in batches:
        _batch_settle(b, at)
    return len(items)


# ---------------------------------------------------------------------------------------------------
# Maker–checker


@transaction.atomic
def batch_prepare(
    *,
    user,
    title: str,
    items: Iterable[Item],
    amounts: dict[int, tuple[Decimal, str]] | None = None,
    note: str = "",
    at: dt.datetime,
) -> Batch:
    """The programme office (maker) submits proposed items to the finance bureau (checker).

    ``amounts`` maps an item's id to (amount, reason) where the office proposes an amount other than
    the entitlement: above it only with a written reason (a cap exception, 原则上 caps of 3.1.1 / 3.2),
    which finance must then approve explicitly."""
    require(user, "funds.prepare")
    amounts = amounts or {}
    ids = sorted({i.pk for i in items})
    errors: dict[str, list[str]] = {}
    title = _text(title, 120)
    if not title:
        errors["title"] = [gettext("请填写批次名称")]
    if not ids:
        errors["items"] = [gettext("请至少选择一个待报批事项")]
    if errors:
        raise ValidationError(errors)
    locked = list(Item.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(locked) != len(ids):
        raise NotFoundError(gettext("所选事项中有的已不存在（可能已撤回）"))
    for i in locked:
        if i.state != S.PROPOSED:
            raise ConflictError(
                gettext("事项 %(pk)s（%(source)s）当前为“%(state)s”，只有“待报批”的事项可以报批")
                % {"pk": i.pk, "source": i.source, "state": i.get_state_display()}
            )
    unknown = set(amounts) - set(ids)
    if unknown:
        raise ValidationError(
            {
                "amounts": [
                    gettext("调整金额的事项不在本批次中：%(items)s")
                    % {"items": gettext("、").join(str(x) for x in sorted(unknown))}
                ]
            }
        )
    changes = {}
    for i in locked:
        if i.pk not in amounts:
            continue
        value, reason = amounts[i.pk]
        field = f"amount_{i.pk}"
        amount = _money(errors, field, gettext("事项 %(pk)s 的报批金额") % {"pk": i.pk}, value)
        reason = _text(reason)
        if amount is None:
            continue
        if amount != i.entitled_yuan and not reason:
            errors.setdefault(field, []).append(
                gettext(
                    "事项 %(pk)s 的报批金额（%(amount)s 元）与应得金额（%(entitled)s 元）不同，"
                    "须书面说明理由（超过“原则上”上限的为例外，须财政部门明确批准）"
                )
                % {"pk": i.pk, "amount": format_yuan_zh(amount), "entitled": format_yuan_zh(i.entitled_yuan)}
            )
        changes[i.pk] = (amount, reason)
    if errors:
        raise ValidationError(errors)
    batch = Batch.objects.create(title=title, note=_text(note, 2000), prepared_by=user, prepared_at=at)
    for i in locked:
        if i.pk in changes:
            amount, reason = changes[i.pk]
            if amount != i.proposed_yuan:
                i.prefecture_share_yuan, i.county_share_yuan = _split(amount, _ratio(i))
                i.proposed_yuan = amount
            i.cap_exception_reason = reason if amount != i.entitled_yuan else ""
        i.batch = batch
        i.state = S.SUBMITTED
        _bump(i)
    total = sum((i.proposed_yuan for i in locked), ZERO)
    audit.record(
        "batch_prepare",
        obj=batch,
        after={"items": ids, "total_yuan": total, "cap_exceptions": sorted(changes)},
        message=f"报批 {len(ids)} 项，合计 {format_yuan_zh(total)} 元",
    )
    return batch


def _checker(user, item: Item) -> None:
    require(user, "funds.approve", item)
    if item.batch is None:
        raise ConflictError(gettext("该事项不在报批批次中"))
    if item.batch.prepared_by_id == user.pk:
        exc = PermissionDeniedError(gettext("报批人不能审批自己报批的批次：报批与审批须由不同的人完成"))
        exc.operation = "funds.approve"
        exc.obj = item
        raise exc


@transaction.atomic
def item_approve(
    *,
    user,
    item: Item,
    reason: str = "",
    approve_cap_exception: bool = False,
    expected_version: int | None = None,
    at: dt.datetime,
) -> Item:
    """The finance bureau (checker) approves one submitted item: its budget is committed, or it waits
    in the year's queue (预算不足排队) when the budget cannot cover it."""
    current = _lock_item(item)
    _checker(user, current)
    _check_version(current, expected_version)
    _refuse_state(current, [S.SUBMITTED], pgettext("可以……的事项", "审批"))
    if current.proposed_yuan > current.entitled_yuan and not approve_cap_exception:
        raise ValidationError(
            {
                "approve_cap_exception": [
                    gettext(
                        "报批金额 %(proposed)s 元超过应得金额 %(entitled)s 元（理由：%(reason)s），"
                        "须明确批准该例外，或不予批准"
                    )
                    % {
                        "proposed": format_yuan_zh(current.proposed_yuan),
                        "entitled": format_yuan_zh(current.entitled_yuan),
                        "reason": current.cap_exception_reason,
                    }
                ]
            }
        )
    current.approved_yuan = current.proposed_yuan
    current.cap_exception_approved = current.proposed_yuan > current.entitled_yuan
    current.decided_by = user
    current.decided_at = at
    current.decision_reason = _text(reason) or gettext_noop("同意")  # a record: Chinese; pages translate it
    budgets = _lock_year(current.year)
    committed = _try_commit(current, budgets, at, first_in_line=not _queue_ahead(current))
    if not committed:
        current.state = S.QUEUED
    _bump(current)
    audit.record(
        "approve",
        obj=current,
        after={
            "approved_yuan": current.approved_yuan,
            "state": current.state,
            "cap_exception_approved": current.cap_exception_approved,
        },
        message=f"批准 {format_yuan_zh(current.approved_yuan)} 元"
        + ("" if committed else "（预算不足，排队等待）")
        + (f"；批准超上限例外：{current.cap_exception_reason}" if current.cap_exception_approved else ""),
    )
    _batch_settle(current.batch, at)
    return current


@transaction.atomic
def item_reject(
    *, user, item: Item, reason: str, expected_version: int | None = None, at: dt.datetime
) -> Item:
    """The finance bureau refuses one submitted item, with its reason (未批准)."""
    current = _lock_item(item)
    _checker(user, current)
    _check_version(current, expected_version)
    _refuse_state(current, [S.SUBMITTED], pgettext("可以……的事项", "审批"))
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": [gettext("不予批准须说明理由")]})
    current.state = S.REJECTED
    current.decided_by = user
    current.decided_at = at
    current.decision_reason = reason
    _bump(current)
    audit.record("reject", obj=current, after={"state": current.state}, message=f"不予批准：{reason}")
    _batch_settle(current.batch, at)
    return current


@transaction.atomic
def batch_decide(*, user, batch: Batch, decisions: Iterable[dict], at: dt.datetime) -> Batch:
    """Decide several items of a batch at once: each decision is ``{"item": id, "approve": bool,
    "reason": str, "approve_cap_exception": bool}``; all or none."""
    require(user, "funds.approve")
    decisions = list(decisions)
    if not decisions:
        raise ValidationError({"decisions": [gettext("请至少审批一个事项")]})
    ids = [d.get("item") for d in decisions]
    found = {i.pk: i for i in Item.objects.filter(batch=batch, pk__in=ids)}
    missing = [x for x in ids if x not in found]
    if missing:
        raise ValidationError(
            {
                "decisions": [
                    gettext("以下事项不在本批次中：%(items)s")
                    % {"items": gettext("、").join(str(x) for x in missing)}
                ]
            }
        )
    for d in decisions:
        item = found[d["item"]]
        if d.get("approve"):
            item_approve(
                user=user,
                item=item,
                reason=d.get("reason", ""),
                approve_cap_exception=bool(d.get("approve_cap_exception")),
                at=at,
            )
        else:
            item_reject(user=user, item=item, reason=d.get("reason", ""), at=at)
    batch.refresh_from_db()
    return batch


def _batch_settle(batch: Batch, at: dt.datetime) -> None:
    """A batch is decided when none of its items waits for the checker any more."""
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    waiting = batch.items.filter(state=S.SUBMITTED).exists()
    state = BatchState.PENDING if waiting else BatchState.DECIDED
    if batch.state != state:
        batch.state = state
        batch.decided_at = None if waiting else at
        _bump(batch)


# ---------------------------------------------------------------------------------------------------
# Budgets


def _lock_year(year: int) -> dict[tuple[str, int | None], Budget]:
    """Every budget row of ``year``, locked in one order (level, unit): all budget writes of a year are
    serialised, and no two of them wait on each other's rows."""
    rows = Budget.objects.select_for_update().filter(year=year).order_by("level", "region_id", "pk")
    return {(b.level, b.region_id): b for b in rows}


def _queue_ahead(item: Item) -> bool:
    """Someone approved earlier still waits for this year's budget: nobody jumps the queue."""
    return Item.objects.filter(year=item.year, state=S.QUEUED).exclude(pk=item.pk).exists()


def _needs(item: Item) -> list[tuple[tuple[str, int | None], Decimal]]:
    out = []
    if item.prefecture_share_yuan > 0:
        out.append(((Level.PREFECTURE, None), item.prefecture_share_yuan))
    if item.county_share_yuan > 0:
        out.append(((Level.COUNTY, item.region_id), item.county_share_yuan))
    return out


def _fits(item: Item, budgets) -> bool:
    for key, amount in _needs(item):
        b = budgets.get(key)
        if b is None or b.remaining_yuan < amount:
            return False
    return True


def _try_commit(item: Item, budgets, at: dt.datetime, *, first_in_line: bool) -> bool:
    """Commit the item's shares from the (locked) budgets when they cover both and nobody waits ahead."""
    if not first_in_line or not _fits(item, budgets):
        return False
    for key, amount in _needs(item):
        b = budgets[key]
        b.committed_yuan += amount
        _bump(b)
    item.state = S.APPROVED
    item.committed_at = at
    return True


def _release(item: Item, budgets) -> None:
    """Give back the committed shares of ``item`` that are not paid yet."""
    paid_levels = set(item.payments.filter(reversed_at__isnull=True).values_list("level", flat=True))
    for key, amount in _needs(item):
        if key[0] in paid_levels:
            continue
        b = budgets[key]
        b.committed_yuan -= amount
        _bump(b)


def _process_queue(year: int, budgets, at: dt.datetime) -> list[Item]:
    """Commit the year's queued approvals in approval order while the budgets cover them (first in,
    first out: the first one that does not fit stops the queue)."""
    done = []
    queued = Item.objects.select_for_update().filter(year=year, state=S.QUEUED).order_by("decided_at", "pk")
    for item in queued:
        if not _try_commit(item, budgets, at, first_in_line=True):
            break
        _bump(item)
        audit.record(
            "commit_from_queue",
            obj=item,
            after={"state": item.state},
            message=f"预算已能安排，排队事项转为已批准：{format_yuan_zh(item.approved_yuan)} 元",
        )
        done.append(item)
    return done


@transaction.atomic
def budget_allocate(
    *,
    user,
    year: int,
    level: str,
    region: Region | None = None,
    allocated_yuan: Decimal,
    reason: str = "",
    expected_version: int | None = None,
    at: dt.datetime,
) -> Budget:
    """Set one year's allocation at the prefecture's level or one county's (3.1). It can never fall
    below what is already committed and paid; a rise commits the queued approvals it now covers."""
    require(user, "funds.budget")
    errors: dict[str, list[str]] = {}
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = [gettext("年度不正确：%(year)s") % {"year": year}]
    if level not in Level.values:
        errors["level"] = [gettext("未知的级次：%(level)s（州级或县市级）") % {"level": level}]
    elif level == Level.PREFECTURE and region is not None:
        errors["region"] = [gettext("州级预算不指定县市")]
    elif level == Level.COUNTY and (region is None or region.level != Region.Level.UNIT):
        errors["region"] = [gettext("县市级预算须指定县市（报送单位）")]
    amount = _money(errors, "allocated_yuan", gettext("预算安排金额"), allocated_yuan)
    if errors:
        raise ValidationError(errors)
    budgets = _lock_year(year)
    key = (level, region.pk if region is not None else None)
    budget = budgets.get(key)
    if budget is None:
        try:
            with transaction.atomic():
                budget = Budget.objects.create(year=year, level=level, region=region, allocated_yuan=ZERO)
        except IntegrityError as exc:
            raise ConflictError(gettext("该预算刚被他人建立，请刷新后重试")) from exc
        budgets[key] = budget
    _check_version(budget, expected_version)
    used = budget.committed_yuan + budget.paid_yuan
    if amount < used:
        raise ValidationError(
            {
                "allocated_yuan": [
                    gettext("预算安排不能少于已批准和已拨付的合计 %(used)s 元")
                    % {"used": format_yuan_zh(used)}
                ]
            }
        )
    before = budget.allocated_yuan
    budget.allocated_yuan = amount
    _bump(budget)
    audit.record(
        "budget_allocate",
        obj=budget,
        before={"allocated_yuan": before},
        after={"allocated_yuan": amount},
        message=f"{budget}：预算安排 {format_yuan_zh(before)} → {format_yuan_zh(amount)} 元"
        + (f"（{_text(reason)}）" if _text(reason) else ""),
    )
    if amount > before:
        _process_queue(year, budgets, at)
    return budget


# ---------------------------------------------------------------------------------------------------
# Public notice (公示) hooks, called by the notice pages


@transaction.atomic
def item_notice_start(*, user, item: Item, notice_id, ends_on: dt.date, at: dt.datetime) -> Item:
    current = _lock_item(item)
    require(user, "funds.notice", current)
    _refuse_state(current, [S.APPROVED], pgettext("可以……的事项", "公示"))
    if ends_on is None or ends_on < local_date(at):
        raise ValidationError({"ends_on": [gettext("公示截止日不能早于今天")]})
    current.state = S.NOTICE
    current.notice_ref = str(notice_id)[:40]
    current.notice_ends_on = ends_on
    _bump(current)
    audit.record("notice_start", obj=current, after={"notice": current.notice_ref, "ends_on": ends_on})
    return current


@transaction.atomic
def item_objection_open(*, user, item: Item, at: dt.datetime) -> Item:
    current = _lock_item(item)
    require(user, "funds.notice", current)
    _refuse_state(current, [S.NOTICE], pgettext("可以……的事项", "登记异议"))
    current.state = S.OBJECTION
    _bump(current)
    audit.record(
        "objection_open", obj=current, after={"state": current.state}, message="公示期内收到异议，暂停拨付"
    )
    return current


@transaction.atomic
def item_objection_resolve(*, user, item: Item, upheld: bool, reason: str, at: dt.datetime) -> Item:
    current = _lock_item(item)
    require(user, "funds.notice", current)
    _refuse_state(current, [S.OBJECTION], pgettext("可以……的事项", "处理异议"))
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": [gettext("请填写异议处理结果")]})
    current.objection_note = reason
    if upheld:
        budgets = _lock_year(current.year)
        _release(current, budgets)
        current.state = S.REJECTED
        current.decision_reason = f"公示异议成立：{reason}"[:500]
        _bump(current)
        _process_queue(current.year, budgets, at)
    else:
        ended = current.notice_ended_at is not None or (
            current.notice_ends_on is not None and local_date(at) > current.notice_ends_on
        )
        current.state = S.PAYABLE if ended else S.NOTICE
        _bump(current)
    audit.record(
        "objection_resolve",
        obj=current,
        after={"upheld": upheld, "state": current.state},
        message=("异议成立，不予拨付：" if upheld else "异议不成立：") + reason,
    )
    return current


@transaction.atomic
def item_notice_end(*, user, item: Item, at: dt.datetime) -> Item:
    current = _lock_item(item)
    require(user, "funds.notice", current)
    _refuse_state(current, [S.NOTICE, S.OBJECTION], pgettext("可以……的事项", "结束公示"))
    current.notice_ended_at = at
    if current.state == S.NOTICE:
        current.state = S.PAYABLE
    _bump(current)
    audit.record("notice_end", obj=current, after={"state": current.state})
    return current


# ---------------------------------------------------------------------------------------------------
# Payment (拨付) and reversal (冲回)


def _project_limit(item: Item) -> tuple[Decimal, Decimal]:
    """(the most the project may receive under the clause, what it has received): the largest approved
    entitlement among its sources, and every active payment of every item of the project and clause."""
    if item.project_id is None:
        return item.approved_yuan, item.paid_yuan
    siblings = Item.objects.filter(project_id=item.project_id, clause=item.clause)
    per_source: dict[str, Decimal] = {}
    for s in siblings.filter(Q(state__in=HELD_STATES) | Q(state=S.REVERSED)).values(
        "source", "approved_yuan", "paid_yuan", "state"
    ):
        held = s["paid_yuan"] if s["state"] == S.REVERSED else s["approved_yuan"]
        per_source[s["source"]] = per_source.get(s["source"], ZERO) + held
    paid = sum(
        (p.amount_yuan for p in Payment.objects.filter(item__in=siblings, reversed_at__isnull=True)),
        ZERO,
    )
    return max(per_source.values(), default=ZERO), paid


@transaction.atomic
def payment_record(
    *,
    user,
    item: Item,
    level: str,
    amount_yuan: Decimal,
    paid_on: dt.date,
    voucher_no: str,
    at: dt.datetime,
) -> Payment:
    """Pay one level's share of a 待拨付 item, once. Two people paying it at the same moment: the item's
    row lock lets one through and the other finds the share paid (and the unique constraint backs it)."""
    require(user, "funds.pay", item)
    errors: dict[str, list[str]] = {}
    if level not in Level.values:
        errors["level"] = [gettext("未知的级次：%(level)s（州级或县市级）") % {"level": level}]
    amount = _money(errors, "amount_yuan", gettext("拨付金额"), amount_yuan, positive=True)
    voucher_no = _text(voucher_no, 40)
    if not voucher_no:
        errors["voucher_no"] = [gettext("请填写凭证号")]
    if paid_on is None:
        errors["paid_on"] = [gettext("请填写拨付日期")]
    elif paid_on > local_date(at):
        errors["paid_on"] = [gettext("拨付日期不能晚于今天")]
    if errors:
        raise ValidationError(errors)
    current = _lock_item(item)
    require(user, "funds.pay", current)
    if current.state == S.PAID or current.payments.filter(level=level, reversed_at__isnull=True).exists():
        raise ConflictError(_already_paid(level))
    _refuse_state(current, [S.PAYABLE], pgettext("可以……的事项", "拨付"))
    share = current.share(level)
    if share <= 0:
        raise ValidationError(
            {"level": [gettext("该事项没有%(level)s承担的资金") % {"level": Level(level).label}]}
        )
    if amount != share:
        raise ValidationError(
            {
                "amount_yuan": [
                    gettext("拨付金额须等于%(level)s承担的 %(share)s 元")
                    % {"level": Level(level).label, "share": format_yuan_zh(share)}
                ]
            }
        )
    limit, paid = _project_limit(current)
    if paid + amount > limit:
        raise ConflictError(
            gettext("该项目按 %(clause)s 累计拨付将达 %(total)s 元，超过其应得 %(limit)s 元")
            % {
                "clause": current.clause,
                "total": format_yuan_zh(paid + amount),
                "limit": format_yuan_zh(limit),
            }
        )
    budgets = _lock_year(current.year)
    key = (level, None if level == Level.PREFECTURE else current.region_id)
    budget = budgets[key]
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                item=current,
                level=level,
                amount_yuan=amount,
                paid_on=paid_on,
                voucher_no=voucher_no,
                by=user,
                at=at,
            )
    except IntegrityError as exc:
        raise ConflictError(_already_paid(level)) from exc
    budget.committed_yuan -= amount
    budget.paid_yuan += amount
    _bump(budget)
    current.paid_yuan += amount
    current.paid_on = paid_on
    if current.paid_yuan == current.approved_yuan:
        current.state = S.PAID
    _bump(current)
    audit.record(
        "payment",
        obj=current,
        after={"level": level, "amount_yuan": amount, "voucher_no": voucher_no, "paid_on": paid_on},
        message=f"拨付{LEVEL_LABEL[level]}资金 {format_yuan_zh(amount)} 元（凭证 {voucher_no}）",
    )
    return payment


@transaction.atomic
def payment_reverse(*, user, payment: Payment, reason: str, at: dt.datetime) -> Payment:
    """Reverse one payment with its reason: the item is cancelled (已冲回), the paid amount and any share
    still committed go back to the budgets, and the year's queue moves on."""
    current_item = _lock_item(payment.item)
    require(user, "funds.pay", current_item)
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": [gettext("请填写冲回原因")]})
    current = Payment.objects.select_for_update().get(pk=payment.pk)
    if current.reversed_at is not None:
        raise ConflictError(gettext("该笔拨付已经冲回"))
    budgets = _lock_year(current_item.year)
    if current_item.state in COMMITTED_STATES:
        _release(current_item, budgets)  # the shares not paid (this payment's level still counts as paid)
    current.reversed_at = at
    current.reversed_by = user
    current.reverse_reason = reason
    current.save()
    key = (current.level, None if current.level == Level.PREFECTURE else current_item.region_id)
    budget = budgets[key]
    budget.paid_yuan -= current.amount_yuan
    _bump(budget)
    current_item.paid_yuan -= current.amount_yuan
    current_item.state = S.REVERSED
    _bump(current_item)
    audit.record(
        "payment_reverse",
        obj=current_item,
        after={"payment": current.pk, "amount_yuan": current.amount_yuan},
        message=f"冲回{LEVEL_LABEL[current.level]}拨付 {format_yuan_zh(current.amount_yuan)} 元：{reason}",
    )
    _process_queue(current_item.year, budgets, at)
    return current
