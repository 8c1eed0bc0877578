"""Writes of champion declarations (隐形冠军, 3.1.2): declare, edit, submit with the certificate, return,
verify. Verification decides 3.1.2 with the policy engine over all the enterprise's verified declarations
of that year (the higher award only, for the same technology: docs/programme.md, reading 4) and hands
each decision to funds (``item_propose``, source ``champion:<id>``, project None); a declaration a newer
one supersedes has its proposal withdrawn, or, once approved, its amount recorded to recover.

Keyword-only, atomic, ``require`` first, shared domain errors; every row audited.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext

from jigai.accounts.permissions import require
from jigai.attachments.selectors import attachments_for
from jigai.core import audit, programme
from jigai.core.errors import ConflictError, StaleEditError, ValidationError
from jigai.core.money import ZERO, format_yuan_zh
from jigai.funds import selectors as funds_selectors
from jigai.funds import services as funds_services
from jigai.funds.models import HELD_STATES, OPEN_STATES, ItemState
from jigai.policy import ELIGIBLE, REVIEW, Award, evaluate_award, evaluate_awards
from jigai.policy.rules import split_cost
from jigai.registry.models import Enterprise

from .models import Declaration, Level, Outcome, State

FIELDS = ("technology", "year", "level", "rank", "industry", "issuer", "note")
CERTIFICATE = "certificate"
MAX_RANK = 99


def _clean(errors: dict, data: dict, at: dt.datetime) -> dict:
    out = {}
    technology = (data.get("technology") or "").strip()
    if not technology:
        errors["technology"] = [gettext("请填写获奖的单项技术（产品或工艺名称）")]
    out["technology"] = technology[:200]
    year = data.get("year")
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = None
    if year is None or not 2000 <= year <= at.year:
        errors["year"] = [gettext("获奖年度须为 2000—%(year)s 年之间的年份") % {"year": at.year}]
    out["year"] = year
    level = data.get("level")
    if level not in Level.values:
        errors["level"] = [gettext("请选择排名级别：全国，或全省同行业")]
    out["level"] = level
    rank = data.get("rank")
    try:
        rank = int(rank)
    except (TypeError, ValueError):
        rank = None
    if rank is None or not 1 <= rank <= MAX_RANK:
        errors["rank"] = [gettext("名次须为 1—%(max)s 的整数") % {"max": MAX_RANK}]
    out["rank"] = rank
    industry = (data.get("industry") or "").strip()
    if not industry:
        errors["industry"] = [gettext("请填写所属行业")]
    out["industry"] = industry[:50]
    out["issuer"] = (data.get("issuer") or "").strip()[:200]
    out["note"] = (data.get("note") or "").strip()[:5000]
    return out


def _lock(declaration: Declaration) -> Declaration:
    return Declaration.objects.select_for_update().select_related("enterprise").get(pk=declaration.pk)


def _check_version(current: Declaration, expected_version: int | None) -> None:
    if expected_version is not None and current.version != expected_version:
        raise StaleEditError()


@transaction.atomic
def declaration_create(*, user, enterprise: Enterprise, at: dt.datetime, **data) -> Declaration:
    """A draft declaration of ``enterprise`` (the enterprise's own user, or its county's clerk)."""
    require(user, "champion.declare", enterprise)
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValidationError({f: [gettext("未知字段")] for f in sorted(unknown)})
    errors: dict[str, list[str]] = {}
    values = _clean(errors, data, at)
    if errors:
        raise ValidationError(errors)
    d = Declaration.objects.create(enterprise=enterprise, declared_by=user, declared_at=at, **values)
    audit.record("champion_declare", obj=d, message=f"{enterprise.name} 申报：{d}", at=at)
    return d


@transaction.atomic
def declaration_update(
    *, user, declaration: Declaration, expected_version: int | None, at: dt.datetime, **data
) -> Declaration:
    current = _lock(declaration)
    require(user, "champion.declare", current)
    _check_version(current, expected_version)
    if not current.editable:
        raise ConflictError(gettext("申报已%(state)s，不能修改") % {"state": current.get_state_display()})
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValidationError({f: [gettext("未知字段")] for f in sorted(unknown)})
    merged = {f: getattr(current, f) for f in FIELDS} | data
    errors: dict[str, list[str]] = {}
    values = _clean(errors, merged, at)
    if errors:
        raise ValidationError(errors)
    for k, v in values.items():
        setattr(current, k, v)
    current.version += 1
    current.save()
    return current


def _has_certificate(declaration: Declaration) -> bool:
    return attachments_for(declaration).filter(kind=CERTIFICATE).exists()


@transaction.atomic
def declaration_submit(
    *, user, declaration: Declaration, at: dt.datetime, expected_version: int | None = None
):
    """Submit for the office's verification: needs the certificate (证书) as an attachment."""
    current = _lock(declaration)
    require(user, "champion.declare", current)
    _check_version(current, expected_version)
    if not current.editable:
        raise ConflictError(gettext("申报已%(state)s，不能再提交") % {"state": current.get_state_display()})
    if not _has_certificate(current):
        raise ValidationError({"certificate": [gettext("请先上传获奖证书（或排名证明文件）作为证据")]})
    current.state = State.SUBMITTED
    current.submitted_at = at
    current.version += 1
    current.save()
    audit.record("champion_submit", obj=current, message=f"提交核实：{current}", at=at)
    return current


@transaction.atomic
def declaration_return(*, user, declaration: Declaration, reason: str, at: dt.datetime) -> Declaration:
    """The office returns a submitted declaration with its reasons; the declarer corrects and resubmits."""
    current = _lock(declaration)
    require(user, "champion.verify", current)
    if current.state != State.SUBMITTED:
        raise ConflictError(
            gettext("只有“待核实”的申报可以退回，该申报当前为“%(state)s”")
            % {"state": current.get_state_display()}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [gettext("请填写退回原因（缺什么、哪里不符）")]})
    current.state = State.RETURNED
    current.return_reason = reason[:500]
    current.version += 1
    current.save()
    audit.record("champion_return", obj=current, after={"reason": current.return_reason}, at=at)
    return current


def award_of(d: Declaration) -> Award:
    return Award(
        enterprise_id=str(d.enterprise_id),
        technology=d.technology,
        year=d.year,
        industry=d.industry,
        level=d.level,
        rank=d.rank,
    )


def preview(d: Declaration):
    """The 3.1.2 decision this declaration alone would get (for the office, before verifying)."""
    return evaluate_award(award_of(d), programme.parameters())


@transaction.atomic
def declaration_verify(
    *, user, declaration: Declaration, at: dt.datetime, industry_confirmation: str = ""
) -> Declaration:
    """The office verifies the declaration against its certificate; 3.1.2 decides, and the decisions of
    the enterprise's verified declarations of that year go to funds. An industry the programme does not
    list (its list ends in 等) needs the office's written confirmation that it qualifies."""
    current = _lock(declaration)
    require(user, "champion.verify", current)
    if current.state != State.SUBMITTED:
        raise ConflictError(
            gettext("只有“待核实”的申报可以核实，该申报当前为“%(state)s”")
            % {"state": current.get_state_display()}
        )
    if not _has_certificate(current):
        raise ValidationError({"certificate": [gettext("申报没有获奖证书，不能核实；请退回补充")]})
    confirmation = (industry_confirmation or "").strip()[:500]
    alone = preview(current)
    if alone.outcome == REVIEW and not confirmation:
        raise ValidationError(
            {
                "industry_confirmation": [
                    gettext(
                        "行业“%(industry)s”不在第3.1.2条列明的行业之内（原文以“等”结尾）：认定其属于奖励范围的，"
                        "请填写认定理由后核实；不属于的，请退回"
                    )
                    % {"industry": current.industry}
                ]
            }
        )
    current.state = State.VERIFIED
    current.verified_by = user
    current.verified_at = at
    current.industry_confirmation = confirmation if alone.outcome == REVIEW else ""
    current.version += 1
    current.save()
    audit.record("champion_verify", obj=current, message=f"核实：{current}", at=at)
    decide(user=user, enterprise=current.enterprise, year=current.year, at=at)
    current.refresh_from_db()
    return current


def _confirmed(d: Declaration, dec) -> tuple[Decimal, Decimal, Decimal, dict, str]:
    """A row the engine sent to review whose industry the office confirmed: the prospective award."""
    values = next((r.values for r in dec.reasons if r.code == "INDUSTRY_NOT_LISTED"), {})
    amount = Decimal(values.get("prospective_yuan", "0"))
    pref, county = split_cost(amount, Decimal(str(programme.value("cost_split.prefecture_share", d.year))))
    data = dec.to_dict()
    data["industry_confirmation"] = d.industry_confirmation
    data["confirmed_amount_yuan"] = str(amount)
    text = (
        f"{dec.explain()}\n州项目办认定“{d.industry}”属于奖励范围（原文所列行业以“等”结尾）："
        f"{d.industry_confirmation}；奖励{format_yuan_zh(amount)}元。"
    )
    return amount, pref, county, data, text


@transaction.atomic
def decide(*, user, enterprise: Enterprise, year: int, at: dt.datetime) -> list[Declaration]:
    """3.1.2 over the enterprise's verified declarations of ``year``, each decision stored and handed to
    funds (idempotent per declaration: funds compares with what it already holds)."""
    require(user, "champion.verify", enterprise)
    rows = list(
        Declaration.objects.select_for_update()
        .select_related("enterprise__region")
        .filter(enterprise=enterprise, year=year, state=State.VERIFIED)
        .order_by("pk")
    )
    decisions = evaluate_awards([award_of(d) for d in rows], programme.parameters())
    for d, dec in zip(rows, decisions, strict=True):
        if dec.outcome == ELIGIBLE:
            amount, pref, county = dec.amount, dec.prefecture_share, dec.county_share
            data, text, outcome = dec.to_dict(), dec.explain(), Outcome.ELIGIBLE
        elif dec.outcome == REVIEW and d.industry_confirmation:
            amount, pref, county, data, text = _confirmed(d, dec)
            outcome = Outcome.ELIGIBLE
        else:
            amount, pref, county = ZERO, ZERO, ZERO
            data, text, outcome = dec.to_dict(), dec.explain(), Outcome(dec.outcome)
        before = (d.outcome, d.amount_yuan)
        d.outcome, d.amount_yuan, d.decision, d.explanation = outcome, amount, data, text
        d.save(update_fields=["outcome", "amount_yuan", "decision", "explanation"])
        items = funds_selectors.items_for_source(d.source)
        held = any(i.state in HELD_STATES or i.state == ItemState.REVERSED for i in items)
        if amount > 0 or held:
            funds_services.item_propose(
                user=user,
                source=d.source,
                clause="3.1.2",
                year=d.year,
                enterprise=d.enterprise,
                project=None,
                region=d.enterprise.region,
                entitled_yuan=amount,
                prefecture_share_yuan=pref,
                county_share_yuan=county,
                decision=data,
                explanation=text,
                at=at,
            )
        elif any(i.state in OPEN_STATES for i in items):
            funds_services.item_withdraw(
                user=user, source=d.source, reason=f"重新决定后不予奖励：{text.splitlines()[0]}", at=at
            )
        if before != (outcome, amount):
            audit.record(
                "champion_decide",
                obj=d,
                before={"outcome": before[0], "amount_yuan": before[1]},
                after={"outcome": outcome, "amount_yuan": amount},
                message=f"第3.1.2条：{Outcome(outcome).label}，{format_yuan_zh(amount)}元",
                at=at,
            )
    return rows
