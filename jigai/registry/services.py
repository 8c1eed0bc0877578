"""Every write to the project library. State changes happen only here (ARCHITECTURE.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction

from jigai.accounts.models import Role
from jigai.accounts.permissions import ENTERPRISE_OWNED_FIELDS, can_write_region, require
from jigai.core import audit
from jigai.core.codes import CodeError, validate_credit_code, validate_project_code
from jigai.core.errors import StaleEditError, ValidationError
from jigai.core.money import MAX_YUAN, TOO_LARGE

from .models import (
    Enterprise,
    EnterpriseScaleYear,
    Project,
    ProjectPlanYear,
    ProjectStatus,
    ProjectTransition,
)

S = ProjectStatus

# 4.2 lifecycle: 储备 → 在建 → 竣工投产 → 已验收, plus 终止 from any open state.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.RESERVE: frozenset({S.CONSTRUCTION, S.TERMINATED}),
    S.CONSTRUCTION: frozenset({S.COMPLETED, S.TERMINATED}),
    S.COMPLETED: frozenset({S.ACCEPTED, S.TERMINATED}),
    S.ACCEPTED: frozenset(),
    S.TERMINATED: frozenset(),
}


def _require_region(user, region) -> None:
    if not can_write_region(user, region.pk):
        raise ValidationError({"region": ["只能登记或修改本单位的企业和项目"]})


ENTERPRISE_FIELDS = (
    "name",
    "credit_code",
    "region",
    "industry",
    "champion_industry",
    "registered_in_prefecture",
    "contact_person",
    "contact_phone",
    "address",
)


def _enterprise_check(data: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if "credit_code" in data:
        try:
            data["credit_code"] = validate_credit_code(data["credit_code"])
        except CodeError as exc:
            errors["credit_code"] = [str(exc)]
    if "name" in data and not str(data["name"]).strip():
        errors["name"] = ["企业名称不能为空"]
    return errors


@transaction.atomic
def enterprise_create(*, user, data: dict) -> Enterprise:
    require(user, "enterprise.create")
    data = {k: v for k, v in data.items() if k in ENTERPRISE_FIELDS}
    errors = _enterprise_check(data)
    if errors:
        raise ValidationError(errors)
    _require_region(user, data["region"])
    if Enterprise.objects.filter(credit_code=data["credit_code"]).exists():
        raise ValidationError({"credit_code": ["该统一社会信用代码的企业已存在（一个代码只能登记一家企业）"]})
    try:
        with transaction.atomic():
            return Enterprise.objects.create(**data)
    except IntegrityError as exc:
        raise ValidationError({"credit_code": ["该统一社会信用代码的企业已存在"]}) from exc


@transaction.atomic
def enterprise_update(*, user, enterprise: Enterprise, data: dict, expected_version: int) -> Enterprise:
    require(user, "enterprise.edit")
    current = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if current.version != expected_version:
        raise StaleEditError()
    allowed = ENTERPRISE_OWNED_FIELDS if user.role == Role.ENTERPRISE else set(ENTERPRISE_FIELDS)
    forbidden = sorted(k for k in data if k not in allowed)
    if forbidden:
        raise ValidationError({k: ["无权修改此字段"] for k in forbidden})
    if user.role != Role.ENTERPRISE:
        _require_region(user, current.region)
    errors = _enterprise_check(data)
    if errors:
        raise ValidationError(errors)
    if "region" in data:
        _require_region(user, data["region"])
    if (
        "credit_code" in data
        and Enterprise.objects.filter(credit_code=data["credit_code"]).exclude(pk=current.pk).exists()
    ):
        raise ValidationError({"credit_code": ["该统一社会信用代码的企业已存在"]})
    for k, v in data.items():
        setattr(current, k, v)
    current.version += 1
    current.save()
    return current


@transaction.atomic
def enterprise_scale_set(
    *, user, enterprise: Enterprise, year: int, above_scale: bool, revenue_yuan: Decimal | None
) -> EnterpriseScaleYear:
    """Record whether the enterprise is above scale (规上) in a year (reading 9: revenue ≥ 20,000,000 yuan)."""
    require(user, "enterprise.create")  # the government's fact, not the enterprise's own
    _require_region(user, enterprise.region)
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": [f"年度 {year} 不合理"]})
    if revenue_yuan is not None and revenue_yuan > MAX_YUAN:
        raise ValidationError({"revenue_yuan": [TOO_LARGE]})
    if revenue_yuan is not None and (
        revenue_yuan < 0 or revenue_yuan != revenue_yuan.quantize(Decimal("0.01"))
    ):
        raise ValidationError({"revenue_yuan": ["主营业务收入须为非负金额，最多精确到分"]})
    row, _ = EnterpriseScaleYear.objects.update_or_create(
        enterprise=enterprise, year=year, defaults={"above_scale": above_scale, "revenue_yuan": revenue_yuan}
    )
    return row


PROJECT_FIELDS = (
    "enterprise", "region", "name", "content", "project_code", "industry", "total_investment_yuan",
    "equipment_investment_yuan", "fixed_asset_investment_yuan", "planned_start_date",
    "planned_completion_date", "actual_start_date", "actual_completion_date", "conforms_industrial_policy",
    "is_key", "is_demonstration", "zero_new_land", "leader_name", "leader_title",
)  # fmt: skip
MONEY_FIELDS = ("total_investment_yuan", "equipment_investment_yuan", "fixed_asset_investment_yuan")


def project_check(values: dict) -> dict[str, list[str]]:
    """Cross-field rules, with Chinese messages naming the field (used by forms, API and imports)."""
    errors: dict[str, list[str]] = {}

    def add(field, msg):
        errors.setdefault(field, []).append(msg)

    if not str(values.get("name") or "").strip():
        add("name", "项目名称不能为空")
    for f in MONEY_FIELDS:
        v = values.get(f)
        if v is None:
            add(f, "金额不能为空")
        elif Decimal(v) < 0:
            add(f, "金额不能为负数")
        elif Decimal(v) > MAX_YUAN:
            add(f, TOO_LARGE)
        elif Decimal(v) != Decimal(v).quantize(Decimal("0.01")):
            add(f, "金额最多精确到分")
    total = values.get("total_investment_yuan")
    if total is not None and not errors:
        if values["equipment_investment_yuan"] > total:
            add("equipment_investment_yuan", "设备投资不能大于总投资")
        if values["fixed_asset_investment_yuan"] > total:
            add("fixed_asset_investment_yuan", "固定资产投资不能大于总投资")
    for a, b, label in (
        ("planned_start_date", "planned_completion_date", "计划"),
        ("actual_start_date", "actual_completion_date", "实际"),
    ):
        if values.get(a) and values.get(b) and values[b] < values[a]:
            add(b, f"{label}竣工日期不能早于{label}开工日期")
    code = values.get("project_code")
    if code:
        try:
            values["project_code"] = validate_project_code(code)
        except CodeError as exc:
            add("project_code", str(exc))
    else:
        values["project_code"] = None
    enterprise, region = values.get("enterprise"), values.get("region")
    if enterprise is not None and region is not None and enterprise.region_id != region.pk:
        add("enterprise", "企业不属于该报送单位")
    for y in values.get("plan_years") or ():
        if not 2000 <= int(y) <= 2100:
            add("plan_years", f"计划年度 {y} 不合理")
    return errors


def _set_plan_years(project: Project, years: Iterable[int]) -> None:
    wanted = {int(y) for y in years}
    have = set(project.plan_years.values_list("year", flat=True))
    for y in sorted(have - wanted):
        ProjectPlanYear.objects.filter(project=project, year=y).delete()
    for y in sorted(wanted - have):
        ProjectPlanYear.objects.create(project=project, year=y)


def _code_taken(code, exclude_pk=None) -> bool:
    if not code:
        return False
    return Project.objects.filter(project_code=code).exclude(pk=exclude_pk).exists()


@transaction.atomic
def project_create(*, user, data: dict, plan_years: Iterable[int] = ()) -> Project:
    require(user, "project.create")
    values = {k: v for k, v in data.items() if k in PROJECT_FIELDS}
    values["plan_years"] = list(plan_years)
    errors = project_check(values)
    plan = values.pop("plan_years")
    if errors:
        raise ValidationError(errors)
    _require_region(user, values["region"])
    if _code_taken(values.get("project_code")):
        raise ValidationError({"project_code": ["该项目代码已被其他项目使用"]})
    project = Project.objects.create(**values)
    _set_plan_years(project, plan)
    return project


@transaction.atomic
def project_update(
    *, user, project: Project, data: dict, expected_version: int, plan_years: Iterable[int] | None = None
) -> Project:
    require(user, "project.edit")
    current = Project.objects.select_for_update().get(pk=project.pk)
    if current.version != expected_version:
        raise StaleEditError()
    _require_region(user, current.region)
    if "status" in data:
        raise ValidationError({"status": ["状态只能通过“状态变更”操作修改"]})
    unknown = sorted(k for k in data if k not in PROJECT_FIELDS)
    if unknown:
        raise ValidationError({k: ["不能修改此字段"] for k in unknown})
    values = {f: getattr(current, f) for f in PROJECT_FIELDS}
    values.update(data)
    values["plan_years"] = list(plan_years) if plan_years is not None else []
    errors = project_check(values)
    values.pop("plan_years")
    if errors:
        raise ValidationError(errors)
    _require_region(user, values["region"])
    if _code_taken(values.get("project_code"), exclude_pk=current.pk):
        raise ValidationError({"project_code": ["该项目代码已被其他项目使用"]})
    changed = False
    for k, v in values.items():
        if getattr(current, k) != v:
            setattr(current, k, v)
            changed = True
    if changed:
        current.version += 1
        current.save()
    if plan_years is not None:
        _set_plan_years(current, plan_years)
    return current


@transaction.atomic
def project_transition(
    *,
    user,
    project: Project,
    to_status: str,
    reason: str,
    at: dt.datetime,
    effective_date: dt.date | None = None,
    expected_version: int | None = None,
) -> Project:
    require(user, "project.transition")
    current = Project.objects.select_for_update().get(pk=project.pk)
    _require_region(user, current.region)
    if expected_version is not None and current.version != expected_version:
        raise StaleEditError()
    if to_status not in S.values:
        raise ValidationError({"to_status": [f"未知状态：{to_status}"]})
    if to_status not in TRANSITIONS[current.status]:
        allowed = "、".join(str(S(s).label) for s in sorted(TRANSITIONS[current.status])) or "无"
        raise ValidationError(
            {
                "to_status": [
                    f"不能从“{S(current.status).label}”变更为“{S(to_status).label}”（可变更为：{allowed}）"
                ]
            }
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["请填写状态变更的原因"]})
    if to_status == S.CONSTRUCTION:
        start = effective_date or current.actual_start_date
        if start is None:
            raise ValidationError({"effective_date": ["开工须填写实际开工日期"]})
        current.actual_start_date = start
    if to_status == S.COMPLETED:
        done = effective_date or current.actual_completion_date
        if done is None:
            raise ValidationError({"effective_date": ["竣工投产须填写实际竣工日期"]})
        if current.actual_start_date and done < current.actual_start_date:
            raise ValidationError({"effective_date": ["实际竣工日期不能早于实际开工日期"]})
        current.actual_completion_date = done
    old = current.status
    current.status = to_status
    current.version += 1
    current.save()
    ProjectTransition.objects.create(
        project=current,
        from_status=old,
        to_status=to_status,
        at=at,
        by=user if user.pk else None,
        by_name=user.get_username(),
        reason=reason,
        effective_date=effective_date,
    )
    audit.record(
        "transition", obj=current, before={"status": old}, after={"status": to_status}, message=reason
    )
    return current
