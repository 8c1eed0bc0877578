"""Every write to the project library. State changes happen only here (docs/architecture.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from jigai.accounts.models import Role
from jigai.accounts.permissions import ENTERPRISE_OWNED_FIELDS, can_write_region, require
from jigai.core import audit
from jigai.core.bulk import fast_insert
from jigai.core.codes import CodeError, validate_credit_code, validate_project_code
from jigai.core.errors import StaleEditError, ValidationError
from jigai.core.money import amount_problem
from jigai.core.said import say
from jigai.imports import tables
from jigai.imports.mapping import IGNORE, clean_mapping
from jigai.imports.parsers import normalize_header

from .models import (
    Enterprise,
    EnterpriseScaleYear,
    ImportColumnMapping,
    Project,
    ProjectPlanYear,
    ProjectStatus,
    ProjectTransition,
)

S = ProjectStatus

# 4.2 lifecycle: 储备 → 在建 → 竣工投产 → 已验收, plus 终止 from any open state. 竣工投产 → 已验收 is not a
# lifecycle button: only a passed acceptance inspection makes it (project_accept, called by the
# acceptance service in incentives; docs/programme.md, reading 14).
TRANSITIONS: dict[str, frozenset[str]] = {
    S.RESERVE: frozenset({S.CONSTRUCTION, S.TERMINATED}),
    S.CONSTRUCTION: frozenset({S.COMPLETED, S.TERMINATED}),
    S.COMPLETED: frozenset({S.TERMINATED}),
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
    """Record whether the enterprise is above scale (规上) in a year (docs/programme.md, reading 9: revenue ≥ 20,000,000 yuan)."""
    require(user, "enterprise.create")  # the government's fact, not the enterprise's own
    _require_region(user, enterprise.region)
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": [f"年度 {year} 不合理"]})
    problem = None if revenue_yuan is None else amount_problem(revenue_yuan)
    if problem:
        raise ValidationError({"revenue_yuan": [f"主营业务收入：{problem}"]})
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
FROZEN_MESSAGE = gettext_noop(
    "项目已验收，投资额以验收核定数为准，不能再修改；如需更正，请由项目办在验收页面登记更正并说明原因"
)


def frozen_changes(status: str, before: Mapping, after: Mapping) -> dict[str, list[str]]:
    """4.2: once accepted, the investment figures are the inspected ones; a change is refused (the
    correction is an amendment of the acceptance record, with its reason)."""
    if status != S.ACCEPTED:
        return {}
    return {
        f: [say(FROZEN_MESSAGE)]
        for f in MONEY_FIELDS
        if f in after and Decimal(after[f]) != Decimal(before[f])
    }


def project_check(values: dict) -> dict[str, list[str]]:
    """Cross-field rules, with messages naming the field (used by forms, API and imports), said in the
    active language (``jigai.core.said``)."""
    errors: dict[str, list[str]] = {}

    def add(field, msg):
        errors.setdefault(field, []).append(msg)

    if not str(values.get("name") or "").strip():
        add("name", say("项目名称不能为空"))
    for f in MONEY_FIELDS:
        v = values.get(f)
        if v is None:
            add(f, say("金额不能为空"))
        elif problem := amount_problem(Decimal(v)):
            add(f, say(problem))  # its sentences are in the catalogue (funds.services.AMOUNT_PROBLEMS)
    total = values.get("total_investment_yuan")
    if total is not None and not errors:
        if values["equipment_investment_yuan"] > total:
            add("equipment_investment_yuan", say("设备投资不能大于总投资"))
        if values["fixed_asset_investment_yuan"] > total:
            add("fixed_asset_investment_yuan", say("固定资产投资不能大于总投资"))
    for a, b, message in (
        ("planned_start_date", "planned_completion_date", gettext_noop("计划竣工日期不能早于计划开工日期")),
        ("actual_start_date", "actual_completion_date", gettext_noop("实际竣工日期不能早于实际开工日期")),
    ):
        if values.get(a) and values.get(b) and values[b] < values[a]:
            add(b, say(message))
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
        add("enterprise", say("企业不属于该报送单位"))
    first, last = project_years()
    for field in DATE_FIELDS:
        day = values.get(field)
        if day and not first <= day.year <= last:
            add(
                field,
                say(
                    "%(label)s %(date)s 不在合理范围内（%(first)s—%(last)s年），请核对",
                    label=say(DATE_LABELS[field]),
                    date=f"{day:%Y-%m-%d}",
                    first=first,
                    last=last,
                ),
            )
    for y in values.get("plan_years") or ():
        if not first <= int(y) <= last:
            add(
                "plan_years",
                say(
                    "计划年度 %(year)s 不在合理范围内（%(first)s—%(last)s年），请核对",
                    year=y,
                    first=first,
                    last=last,
                ),
            )
    return errors


DATE_FIELDS = ("planned_start_date", "planned_completion_date", "actual_start_date", "actual_completion_date")
DATE_LABELS = {
    "planned_start_date": gettext_noop("计划开工日期"), "planned_completion_date": gettext_noop("计划竣工日期"),
    "actual_start_date": gettext_noop("实际开工日期"), "actual_completion_date": gettext_noop("实际竣工日期"),
}  # fmt: skip


def project_years() -> tuple[int, int]:
    """The plausible years of a project's dates and plan years (setting ``JIGAI_PROJECT_YEARS``)."""
    first, last = getattr(settings, "JIGAI_PROJECT_YEARS", (2000, 2030))
    return int(first), int(last)


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
    if frozen := frozen_changes(current.status, values, data):
        raise ValidationError(frozen)
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
    corrected = {}
    for k, v in values.items():
        if getattr(current, k) != v:
            if k in ("actual_start_date", "actual_completion_date"):
                corrected[k] = (getattr(current, k), v)
            setattr(current, k, v)
            changed = True
    if changed:
        current.version += 1
        current.save()
    _correct_history(user, current, corrected)
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
    _record_transition(user, current, old, reason, at, effective_date)
    return current


HISTORY_STATUS = {
    "actual_start_date": ProjectStatus.CONSTRUCTION,
    "actual_completion_date": ProjectStatus.COMPLETED,
}


def _correct_history(user, project: Project, corrected: dict) -> None:
    """A start or completion date corrected in the edit form is corrected in the lifecycle history too,
    so that the history and the record agree (the move into 在建 / 竣工投产 carries the date)."""
    for field, (old, new) in corrected.items():
        move = (
            ProjectTransition.objects.filter(project=project, to_status=HISTORY_STATUS[field])
            .order_by("-at", "-id")
            .first()
        )
        if move is None or move.effective_date == new:
            continue
        note = f"（{DATE_LABELS[field]}已由 {old or '空'} 更正为 {new or '空'}）"
        move.effective_date = new
        move.reason = (move.reason + note)[:500]
        move.save(update_fields=["effective_date", "reason"])
        audit.record(
            "correct_history", obj=move, before={"effective_date": old}, after={"effective_date": new},
            message=f"{project.name}：{note.strip('（）')}",
        )  # fmt: skip


def _record_transition(user, current: Project, old: str, reason: str, at, effective_date) -> None:
    ProjectTransition.objects.create(
        project=current,
        from_status=old,
        to_status=current.status,
        at=at,
        by=user if user.pk else None,
        by_name=str(user),  # the name people know (display_name), not the login
        reason=reason,
        effective_date=effective_date,
    )
    audit.record(
        "transition", obj=current, before={"status": old}, after={"status": current.status}, message=reason
    )


@transaction.atomic
def project_accept(
    *, user, project: Project, reason: str, at: dt.datetime, accepted_date: dt.date
) -> Project:
    """竣工投产 → 已验收 (4.2). Called only by the acceptance service (incentives) when an inspection
    passes; there is no lifecycle button for this move (docs/programme.md, reading 14)."""
    require(user, "acceptance.inspect", project)
    current = Project.objects.select_for_update().get(pk=project.pk)
    if current.status != S.COMPLETED:
        raise ValidationError(
            {"project": [f"只有“竣工投产”的项目可以通过验收，该项目当前为“{S(current.status).label}”"]}
        )
    old = current.status
    current.status = S.ACCEPTED
    current.version += 1
    current.save()
    _record_transition(user, current, old, reason, at, accepted_date)
    return current


# --- batches: the same writes for many rows at once (imports) ----------------------------------------
#
# An import of 50,000 projects cannot afford a savepoint, a row lock and three audit queries a row, so
# these are the batched forms of enterprise_create/_update and project_create/_update (issue 10 point 5):
# the same permission, unit and field checks (`_enterprise_check`, `project_check`), the version check
# on every updated row (locked first), then the fast bulk path (core/bulk.py) and one audit record per
# changed row (`audit.record_many`), each naming the user and the file (`source_detail`). Any refusal
# raises before anything is written. Callers: the import adapters (registry/imports.py). `user=None` is
# the platform's own process (tests, demo data); every edge (page, API, `jigai import`) passes its user.

BATCH = 2000  # keys per query: well under SQLite's limit on bound parameters


def chunks(items: Sequence, size: int = BATCH) -> Iterable[Sequence]:
    """``items`` in slices of ``size``: one query per slice keeps under SQLite's bound-parameter limit."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


def batch_actor(user, *, source_detail: str, source: str = "import", ip: str = "") -> audit.Actor:
    """Who a batch is recorded under: the user, or "system" for the platform's own process."""
    if user is not None and getattr(user, "is_authenticated", False):
        return audit.actor_for_user(user, source=source, ip=ip, source_detail=source_detail)
    return audit.Actor(username="system", source=source, ip=ip, source_detail=source_detail)


def _batch_require(user, operation: str) -> None:
    if user is not None:
        require(user, operation)


def _batch_region(user, region_id: int, where: str) -> None:
    if user is not None and not can_write_region(user, region_id):
        raise ValidationError({"region": [f"{where}：只能登记或修改本单位的企业和项目"]})


def _refuse(where: str, errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError({k: [f"{where}：{m}" for m in msgs] for k, msgs in errors.items()})


def _lock_current(model, pks: Iterable[int], attnames: Iterable[str]) -> dict[int, dict]:
    out: dict[int, dict] = {}
    for chunk in chunks(sorted(set(pks))):
        for row in model.objects.select_for_update().filter(pk__in=chunk).values("id", "version", *attnames):
            out[row["id"]] = row
    return out


def _group_update(model, objs_and_fields: Iterable[tuple[object, tuple[str, ...]]]) -> None:
    """bulk_update writes every listed field of every object: group objects by the fields they change."""
    groups: dict[tuple[str, ...], list] = {}
    for obj, fields in objs_and_fields:
        groups.setdefault(fields, []).append(obj)
    for fields, objs in groups.items():
        model.objects.bulk_update(objs, fields, batch_size=500)


def _audited_attnames(model) -> list[tuple[str, str, object]]:
    """(field name, attname, JSON conversion or None) of the fields ``@track`` records for ``model``:
    the values a page's save would put in its audit record."""
    tracked = set(audit._TRACKED[model])
    out = []
    for f in model._meta.concrete_fields:
        if f.name not in tracked:
            continue
        if isinstance(f, models.DecimalField):
            convert = str
        elif isinstance(f, models.DateField):  # DateTimeField included
            convert = _isoformat
        else:
            convert = None
        out.append((f.name, f.attname, convert))
    return out


def _isoformat(value) -> str:
    return value.isoformat()


def _jsonable(audited: list[tuple[str, str, object]], values: dict) -> dict:
    out = {}
    for name, attname, convert in audited:
        value = values[attname]
        out[name] = convert(value) if convert is not None and value is not None else value
    return out


def _entry(event: str, object_type: str, pk, name: str, before: dict | None, after: dict | None) -> dict:
    return {"event": event, "object_type": object_type, "object_id": str(pk), "object_repr": name,
            "before": before, "after": after}  # fmt: skip


def _update_entry(object_type: str, pk, name: str, row: dict, changed: dict, names: dict, extra=None) -> dict:
    before = {names[a]: row[a] for a in sorted(changed)}
    after = {names[a]: changed[a] for a in sorted(changed)}
    if extra:
        before.update(extra[0])
        after.update(extra[1])
    before["version"], after["version"] = row["version"], row["version"] + 1
    return _entry("update", object_type, pk, name, audit.to_jsonable(before), audit.to_jsonable(after))


ENTERPRISE_ATTNAMES = {
    "name": "name", "credit_code": "credit_code", "region": "region_id", "industry": "industry_id",
    "champion_industry": "champion_industry_id", "registered_in_prefecture": "registered_in_prefecture",
    "contact_person": "contact_person", "contact_phone": "contact_phone", "address": "address",
}  # fmt: skip
ENTERPRISE_INSERT = (*ENTERPRISE_ATTNAMES.values(), "version", "created_at", "updated_at")
ENTERPRISE_DEFAULTS = {"champion_industry_id": None, "registered_in_prefecture": True, "contact_person": "",
                       "contact_phone": "", "address": ""}  # fmt: skip


@transaction.atomic
def enterprises_upsert_many(
    *,
    user,
    new: Sequence[dict],
    changes: Sequence[tuple[int, int, dict]],
    source_detail: str,
    source: str = "import",
    ip: str = "",
) -> dict[str, int]:
    """Register ``new`` enterprises (dicts by attname: name, credit_code, region_id, industry_id, …) as
    enterprise_create would, and apply ``changes`` — (pk, expected version, {attname: value}) — as
    enterprise_update would. Returns credit code → id of the new enterprises."""
    if new:
        _batch_require(user, "enterprise.create")
    if changes:
        _batch_require(user, "enterprise.edit")
    names = {a: f for f, a in ENTERPRISE_ATTNAMES.items()}
    now = timezone.now()
    records = []
    codes: dict[str, int | None] = {}  # credit code → the enterprise it will belong to (None: new)
    for i, given in enumerate(new, start=1):
        where = f"第 {i} 个新企业"
        values = {**ENTERPRISE_DEFAULTS, **given}
        _refuse(where, {k: ["不能写入此字段"] for k in sorted(values) if k not in names})
        _refuse(where, _enterprise_check(values))
        _batch_region(user, values["region_id"], where)
        if values["credit_code"] in codes:
            _refuse(where, {"credit_code": ["同一批中统一社会信用代码重复"]})
        codes[values["credit_code"]] = None
        records.append((*(values[a] for a in ENTERPRISE_ATTNAMES.values()), 1, now, now))
    current = _lock_current(Enterprise, (pk for pk, _v, _d in changes), names)
    updates, entries = [], []
    for pk, expected_version, data in changes:
        row, where = current.get(pk), f"企业 {pk}"
        if row is None:
            raise ValidationError(f"{where}：记录不存在")
        if row["version"] != expected_version:
            raise StaleEditError()
        data = dict(data)
        _refuse(where, {k: ["不能修改此字段"] for k in sorted(data) if k not in names})
        _batch_region(user, row["region_id"], where)
        _refuse(where, _enterprise_check(data))
        if "region_id" in data:
            _batch_region(user, data["region_id"], where)
        if data.get("credit_code", row["credit_code"]) != row["credit_code"]:
            codes[data["credit_code"]] = pk
        changed = {k: v for k, v in data.items() if row[k] != v}
        if not changed:
            continue
        obj = Enterprise(pk=pk, version=row["version"] + 1, updated_at=now, **changed)
        updates.append((obj, (*sorted(names[a] for a in changed), "version", "updated_at")))
        entries.append(
            _update_entry("registry.enterprise", pk, data.get("name", row["name"]), row, changed, names)
        )
    for chunk in chunks(sorted(codes)):
        for pk, code in Enterprise.objects.filter(credit_code__in=chunk).values_list("id", "credit_code"):
            if codes[code] != pk:
                _refuse(code, {"credit_code": ["该统一社会信用代码的企业已存在（一个代码只能登记一家企业）"]})
    ids = dict(fast_insert(Enterprise, ENTERPRISE_INSERT, records, returning=("credit_code", "id")))
    _group_update(Enterprise, updates)
    audited = _audited_attnames(Enterprise)

    def created() -> Iterable[dict]:
        for record in records:
            values = dict(zip(ENTERPRISE_INSERT, record, strict=True))
            after = _jsonable(audited, values)
            yield _entry(
                "create", "registry.enterprise", ids[values["credit_code"]], values["name"], None, after
            )
        yield from entries

    audit.record_many(created(), actor=batch_actor(user, source_detail=source_detail, source=source, ip=ip))
    return ids


PROJECT_ATTNAMES = {f: f"{f}_id" if f in ("enterprise", "region", "industry") else f for f in PROJECT_FIELDS}
PROJECT_INSERT = (*PROJECT_ATTNAMES.values(), "status", "version", "created_at", "updated_at")
_NAME_AT = PROJECT_INSERT.index("name")
assert PROJECT_INSERT[0] == "enterprise_id"
PROJECT_DEFAULTS = {"content": "", "project_code": None, "planned_start_date": None,
                    "planned_completion_date": None, "actual_start_date": None, "actual_completion_date": None,
                    "conforms_industrial_policy": True, "is_key": False, "is_demonstration": False,
                    "zero_new_land": False, "leader_name": "", "leader_title": ""}  # fmt: skip


def _project_errors(values: dict, enterprise_region: dict[int, int]) -> dict[str, list[str]]:
    """project_check on attname-keyed values (ids for the foreign keys); normalises the project code."""
    check = {f: values[a] for f, a in PROJECT_ATTNAMES.items() if a in values}
    check["enterprise"] = SimpleNamespace(region_id=enterprise_region.get(values["enterprise_id"]))
    check["region"] = SimpleNamespace(pk=values["region_id"])
    check["plan_years"] = values.get("plan_years") or ()
    errors = project_check(check)
    values["project_code"] = check["project_code"]
    return errors


_CHECKED = object()  # only check_new_project makes a CheckedProject
_PROJECT_WRITABLE = frozenset({*PROJECT_ATTNAMES.values(), "plan_years"})  # what check_new_project accepts


class CheckedProject(Mapping):
    """A new project's values (by attname) that passed ``project_check``, frozen: what
    ``projects_upsert_many`` need not check again. Made only by :func:`check_new_project`; read-only, so
    nothing can change between the check and the write. The enterprise's region it was checked against
    is kept, and the service compares it with what it loads itself."""

    __slots__ = ("_values", "enterprise_region_id")

    def __init__(self, values: dict, enterprise_region_id: int | None, token: object):
        if token is not _CHECKED:
            raise TypeError("CheckedProject is made by services.check_new_project only")
        self._values = values
        self.enterprise_region_id = enterprise_region_id

    def __getitem__(self, key: str):
        return self._values[key]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def check_new_project(
    values: Mapping, *, enterprise_region_id: int | None
) -> tuple[dict[str, list[str]], CheckedProject | None]:
    """The checks ``projects_upsert_many`` makes of a new project (fields it may write, ``project_check``),
    for a caller that reports them row by row before writing (the import). Returns the errors, and when
    there are none the checked values to hand to ``projects_upsert_many`` in ``new``: it then does not
    check them twice."""
    merged = {**PROJECT_DEFAULTS, **values}
    if not _PROJECT_WRITABLE.issuperset(merged):  # the usual case skips building the refusal
        return {k: ["不能写入此字段"] for k in sorted(merged) if k not in _PROJECT_WRITABLE}, None
    errors = _project_errors(merged, {merged["enterprise_id"]: enterprise_region_id})
    if errors:
        return errors, None
    return {}, CheckedProject(merged, enterprise_region_id, _CHECKED)


def _enterprise_regions(ids: Iterable[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for chunk in chunks(sorted(set(ids))):
        out.update(Enterprise.objects.filter(pk__in=chunk).values_list("id", "region_id"))
    return out


@transaction.atomic
def projects_upsert_many(
    *,
    user,
    new: Sequence[dict],
    changes: Sequence[tuple[int, int, dict]],
    add_plan_years: Mapping[int, Iterable[int]] | None = None,
    source_detail: str,
    source: str = "import",
    ip: str = "",
) -> list[int]:
    """Register ``new`` projects (dicts by attname: enterprise_id, region_id, industry_id, name, the
    amounts, dates and flags, and "plan_years") in the 储备 state, as project_create would; apply
    ``changes`` — (pk, expected version, {attname: value}) — as project_update would (never the
    status); add the years in ``add_plan_years`` (project id → years: an import only adds). One audit
    record per created or changed project. Returns the ids of the new projects, in the order given."""
    add_plan_years = {pk: {int(y) for y in ys} for pk, ys in (add_plan_years or {}).items()}
    if new:
        _batch_require(user, "project.create")
    if changes or add_plan_years:
        _batch_require(user, "project.edit")
    names = {a: f for f, a in PROJECT_ATTNAMES.items()}
    allowed = {*names, "plan_years"}
    now = timezone.now()
    listed = {pk for pk, _v, _d in changes}
    current = _lock_current(Project, [*listed, *add_plan_years], [*names, "status"])
    changes = [
        *changes,
        *((pk, current[pk]["version"], {}) for pk in add_plan_years if pk not in listed and pk in current),
    ]
    enterprise_region = _enterprise_regions(
        [v["enterprise_id"] for v in new]
        + [r["enterprise_id"] for r in current.values()]
        + [d["enterprise_id"] for _pk, _v, d in changes if "enterprise_id" in d]
    )
    stored_years: dict[int, set[int]] = {}
    for chunk in chunks(sorted(add_plan_years)):
        for pid, y in ProjectPlanYear.objects.filter(project_id__in=chunk).values_list("project_id", "year"):
            stored_years.setdefault(pid, set()).add(y)

    records, years, idents = [], [], set()
    reserve = ProjectStatus.RESERVE.value
    codes: dict[str, int | None] = {}  # project code → the project it will belong to (None: new)
    for i, given in enumerate(new, start=1):
        where = f"第 {i} 个新项目"
        if (
            isinstance(given, CheckedProject)
            and enterprise_region.get(given["enterprise_id"]) == given.enterprise_region_id
        ):
            values = dict(given)  # checked by check_new_project against the same enterprise region
        else:
            values = {**PROJECT_DEFAULTS, **given}
            _refuse(where, {k: ["不能写入此字段"] for k in sorted(values) if k not in allowed})
            _refuse(where, _project_errors(values, enterprise_region))
        _batch_region(user, values["region_id"], where)
        ident = (values["enterprise_id"], values["name"])
        if ident in idents:  # the bulk insert finds each new id by enterprise and name
            _refuse(where, {"name": ["同一批中同一企业的项目名称重复"]})
        idents.add(ident)
        code = values["project_code"]
        if code and code in codes:
            _refuse(where, {"project_code": ["同一批中项目代码重复"]})
        if code:
            codes[code] = None
        records.append((*(values[a] for a in names), reserve, 1, now, now))
        years.append(tuple(sorted({int(y) for y in values.get("plan_years") or ()})))

    updates, entries, new_years = [], [], []
    for pk, expected_version, data in changes:
        row, where = current.get(pk), f"项目 {pk}"
        if row is None:
            raise ValidationError(f"{where}：记录不存在")
        if row["version"] != expected_version:
            raise StaleEditError()
        data = dict(data)
        if "status" in data:
            _refuse(where, {"status": ["状态只能通过“状态变更”操作修改"]})
        _refuse(where, {k: ["不能修改此字段"] for k in sorted(data) if k not in names})
        _batch_region(user, row["region_id"], where)
        _refuse(where, frozen_changes(row["status"], row, data))
        merged = {**row, **data}
        _refuse(where, _project_errors(merged, enterprise_region))
        _batch_region(user, merged["region_id"], where)
        if "project_code" in data:
            data["project_code"] = merged["project_code"]
        if merged["project_code"] and merged["project_code"] != row["project_code"]:
            if merged["project_code"] in codes:
                _refuse(where, {"project_code": ["同一批中项目代码重复"]})
            codes[merged["project_code"]] = pk
        changed = {k: v for k, v in data.items() if row[k] != v}
        have = stored_years.get(pk, set())
        added = sorted(add_plan_years.get(pk, set()) - have)
        for y in added:
            if not 2000 <= y <= 2100:
                _refuse(where, {"plan_years": [f"计划年度 {y} 不合理"]})
        if not changed and not added:
            continue
        extra = ({"plan_years": sorted(have)}, {"plan_years": sorted(have | set(added))}) if added else None
        new_years.extend((pk, y) for y in added)
        obj = Project(pk=pk, version=row["version"] + 1, updated_at=now, **changed)
        updates.append((obj, (*sorted(names[a] for a in changed), "version", "updated_at")))
        entries.append(
            _update_entry("registry.project", pk, data.get("name", row["name"]), row, changed, names, extra)
        )
    for chunk in chunks(sorted(codes)):
        for pk, code in Project.objects.filter(project_code__in=chunk).values_list("id", "project_code"):
            if codes[code] != pk:
                raise ValidationError({"project_code": [f"项目代码 {code} 已被其他项目使用"]})

    returned = fast_insert(Project, PROJECT_INSERT, records, returning=("id", "enterprise_id", "name"))
    ids = {(enterprise_id, name): pk for pk, enterprise_id, name in returned}
    pks = [ids[(record[0], record[_NAME_AT])] for record in records]
    _group_update(Project, updates)
    fast_insert(
        ProjectPlanYear,
        ("project_id", "year"),
        [*((pk, y) for pk, ys in zip(pks, years, strict=True) for y in ys), *new_years],
    )
    audited = _audited_attnames(Project)

    # Each record's audit "after" straight from its insert tuple: (field name, position, conversion).
    plan = [(name, PROJECT_INSERT.index(attname), convert) for name, attname, convert in audited]

    def created() -> Iterable[dict]:
        for pk, record, ys in zip(pks, records, years, strict=True):
            after = {}
            for name, at, convert in plan:
                value = record[at]
                after[name] = convert(value) if convert is not None and value is not None else value
            after["plan_years"] = list(ys)
            yield _entry("create", "registry.project", pk, record[_NAME_AT], None, after)
        yield from entries

    audit.record_many(created(), actor=batch_actor(user, source_detail=source_detail, source=source, ip=ip))
    return pks


# --- import column mappings (the preview's 列对应; jigai/imports/mapping.py) ---------------------------


def mapping_unit(user) -> str:
    """The unit a user's column mappings are kept for: the reporting unit's code, "" for the prefecture."""
    return user.region.code if getattr(user, "region_id", None) else ""


@transaction.atomic
def import_mapping_save(
    *, user, table: str, mapping: Mapping[str, str], at: dt.datetime
) -> ImportColumnMapping:
    """Remember which field the unit's headers mean for ``table`` (merged over what is kept: a header
    mapped again takes the new field). ``mapping`` is ``{header: column key or "-"}``; an unknown table or
    field is refused naming it."""
    require(user, "import.map")
    if table not in tables.names():
        raise ValidationError({"table": [f"没有这个导入表：{table}"]})
    spec = tables.get(table)
    cleaned = clean_mapping(spec, mapping)
    bad = [h for h, k in mapping.items() if normalize_header(h) not in cleaned or not k]
    if bad:
        raise ValidationError({"mapping": [f"“{h}”对应的字段不是“{spec.title}”的字段" for h in bad]})
    for key in {k for k in cleaned.values() if k != IGNORE}:
        headers = [h for h, k in cleaned.items() if k == key]
        if len(headers) > 1:
            label = spec.column(key).label
            raise ValidationError({"mapping": [f"“{label}”只能对应一列，现有：{'、'.join(headers)}"]})
    row = (
        ImportColumnMapping.objects.select_for_update()
        .filter(region_code=mapping_unit(user), table=table)
        .first()
    )
    if row is None:
        row = ImportColumnMapping(region_code=mapping_unit(user), table=table, mapping={})
    merged = {h: k for h, k in row.mapping.items() if h not in cleaned}
    # One header per field: a field mapped anew drops the header it was mapped from before.
    taken = {k for k in cleaned.values() if k != IGNORE}
    merged = {h: k for h, k in merged.items() if k == IGNORE or k not in taken}
    row.mapping = {**merged, **cleaned}
    row.updated_at = at
    row.updated_by = user
    row.save()
    return row
