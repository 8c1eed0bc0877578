"""Progress reports and official statistics from spreadsheets, through the shared import engine.

``TABLES`` lists the specs for the CLI (``jigai import progress FILE``). A clerk's import is limited to
the clerk's unit by the engine (``scope_column``); ``context.user`` must hold ``dispatch.import``;
``context.extra["at"]`` is "now" (defaults to the clock at the edge) and ``context.extra["reason"]`` the
correction reason for rows that change a submitted report (default: the file's name).

A project is found by its 项目代码 when the row has one, else by unit and exact project name.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from jigai.accounts.permissions import require
from jigai.core import audit
from jigai.core.models import Region
from jigai.core.said import say
from jigai.imports import (
    Choice,
    Column,
    ImportContext,
    Integer,
    Money,
    Option,
    Row,
    RowError,
    TableSpec,
    Text,
    Year,
)
from jigai.imports.reference import reporting_unit_choice
from jigai.registry.imports import import_actor
from jigai.registry.models import Project

from . import checks, services
from .models import ProgressReport, ProgressState, RegionStatistic, Source
from .periods import Month

STATE_CHOICE = Choice(
    (
        Option(ProgressState.ON_SCHEDULE, "正常推进", ("正常", "按计划推进", "按期推进", "顺利")),
        Option(ProgressState.BEHIND, "进度滞后", ("滞后", "缓慢", "推进缓慢")),
        Option(ProgressState.STALLED, "停工停滞", ("停工", "停滞", "停建", "暂停")),
    ),
    what=gettext_noop("推进状态"),
)
MONTH = Integer(min_value=1, max_value=12, suffixes=("月份", "月"), what=gettext_noop("月份"))

REPORT_VALUE_KEYS = {
    "month_investment": "month_investment_yuan",
    "cumulative": "cumulative_investment_yuan",
    "progress_pct": "progress_pct",
    "progress_text": "progress_text",
    "state": "state",
    "problems": "problems",
    "department": "department_asked",
}


def _now(context: ImportContext):
    return context.extra.get("at") or timezone.now()


def _require(context: ImportContext) -> None:
    if context.user is not None:
        require(context.user, "dispatch.import")


class ProgressAdapter:
    """Rows of (project, year, month) → ``ProgressReport``; a changed row is a correction."""

    def natural_key(self, values: Mapping[str, Any]) -> Hashable | None:
        if "year" not in values or "month" not in values:
            return None
        if values.get("project_code"):
            ident: tuple = ("code", values["project_code"])
        elif values.get("name") and values.get("unit"):
            ident = ("name", values["unit"], values["name"])
        else:
            return None
        return (ident, values["year"], values["month"])

    def _projects(self, idents: set, context: ImportContext) -> dict:
        cache = context.extra.setdefault("_projects", {})
        wanted = [i for i in idents if i not in cache]
        codes = [i[1] for i in wanted if i[0] == "code"]
        names = [(i[1], i[2]) for i in wanted if i[0] == "name"]
        cond = Q(project_code__in=codes) if codes else Q(pk__in=[])
        for unit, name in names:
            cond |= Q(region__code=unit, name=name)
        if wanted:
            found = Project.objects.filter(cond).select_related("region", "enterprise")
            by_code = {p.project_code: p for p in found if p.project_code}
            by_name: dict = {}
            for p in found:
                by_name.setdefault((p.region.code, p.name), []).append(p)
            for i in wanted:
                if i[0] == "code":
                    cache[i] = by_code.get(i[1])
                else:
                    matches = by_name.get((i[1], i[2]), [])
                    cache[i] = matches[0] if len(matches) == 1 else (None if not matches else "ambiguous")
        return cache

    def load_existing(self, keys: Collection[Hashable], context: ImportContext) -> dict:
        projects = self._projects({k[0] for k in keys}, context)
        wanted = {}
        for key in keys:
            p = projects.get(key[0])
            if isinstance(p, Project):
                wanted[(p.pk, key[1], key[2])] = key
        if not wanted:
            return {}
        ids = {k[0] for k in wanted}
        years = {k[1] for k in wanted}
        out = {}
        for r in ProgressReport.objects.filter(project_id__in=ids, year__in=years).select_related(
            "project__region", "project__enterprise"
        ):
            key = wanted.get((r.project_id, r.year, r.month))
            if key is None:
                continue
            out[key] = {
                "unit": r.project.region.code, "name": r.project.name, "project_code": r.project.project_code,
                "enterprise": r.project.enterprise.name, "year": r.year, "month": r.month,
                "month_investment": r.month_investment_yuan, "cumulative": r.cumulative_investment_yuan,
                "progress_pct": r.progress_pct, "progress_text": r.progress_text, "state": r.state,
                "problems": r.problems, "department": r.department_asked, "_report": r,
            }  # fmt: skip
        return out

    def check_row(self, row: Row, context: ImportContext) -> list[RowError]:
        _require(context)
        ident = row.key[0]
        project = self._projects({ident}, context).get(ident)
        if project is None:
            where = say("项目代码 %(code)s", code=ident[1]) if ident[0] == "code" else f"{ident[2]}"
            return [RowError(say("项目库中找不到该项目（%(where)s），请先在项目库登记", where=where), "name")]
        if project == "ambiguous":
            return [RowError(say("该单位有多个同名项目，请填写项目代码以区分"), "name")]
        if context.unit is not None and project.region.code != context.unit:
            # Only that it is outside the clerk's unit: not whose it is (issue 11, point 12).
            return [RowError(say("只能导入本单位的项目，该项目不在本单位"), "name")]
        problems: list[RowError] = []
        unit = row.values.get("unit")
        if unit and unit != project.region.code:
            problems.append(
                RowError(say("该项目属于%(unit)s，与本行报送单位不符", unit=project.region.name), "unit")
            )
        ent = row.values.get("enterprise")
        if ent and ent != project.enterprise.name:
            problems.append(
                RowError(
                    say("企业名称与项目库不符（项目库为“%(name)s”）", name=project.enterprise.name),
                    "enterprise",
                )
            )
        if row.existing is not None:
            # Identifying and informational cells are not report data: they never make a row "changed".
            for k in ("unit", "name", "project_code", "enterprise"):
                if k in row.values:
                    row.existing[k] = row.values[k]
        merged = {**(row.existing or {}), **row.values}
        if "month_investment" not in merged or "cumulative" not in merged:
            problems.append(RowError(say("本月完成投资和开工累计完成投资须填写"), "month_investment"))
            return problems
        try:
            month = Month(merged["year"], merged["month"])
        except ValueError as exc:
            return [*problems, RowError(str(exc), "month")]
        for field, msgs in services.report_month_check(project, month, _now(context)).items():
            problems.extend(RowError(m, "month" if field == "month" else "name") for m in msgs)
        errors = checks.impossible(
            month_yuan=merged["month_investment"], cumulative_yuan=merged["cumulative"],
            progress_pct=merged.get("progress_pct", 0),
        )  # fmt: skip
        column = {v: k for k, v in REPORT_VALUE_KEYS.items()}
        for field, msgs in errors.items():
            problems.extend(RowError(m, column.get(field)) for m in msgs)
        return problems

    def apply(self, new_rows: Sequence[Row], changed_rows: Sequence[Row], context: ImportContext) -> None:
        """New rows through ``services.reports_submit_many``, changed ones through ``report_correct``:
        the services' checks, and one audit record per report with the file as its source."""
        _require(context)
        at, user = _now(context), context.user
        projects = context.extra["_projects"]
        actor = import_actor(context)
        new = []
        for row in new_rows:
            data = {REPORT_VALUE_KEYS[k]: row.values[k] for k in REPORT_VALUE_KEYS if k in row.values}
            new.append((projects[row.key[0]], row.values["year"], row.values["month"], data))
        services.reports_submit_many(
            user=user, rows=new, at=at, source_detail=actor.source_detail, source=Source.IMPORT, ip=actor.ip
        )
        reason = (
            context.extra.get("reason") or ""
        ).strip() or f"表格导入更正（{context.filename or '导入文件'}）"
        with audit.acting_as(actor):  # the correction's records name the file, as the new rows' do
            for row in changed_rows:
                report = row.existing["_report"]
                data = {
                    REPORT_VALUE_KEYS[k]: new
                    for k, (_old, new) in row.changes.items()
                    if k in REPORT_VALUE_KEYS
                }
                if data:
                    services.report_correct(
                        user=user, report=report, data=data, reason=reason, at=at, source=Source.IMPORT
                    )


class StatisticAdapter:
    """Rows of (unit, year, month) → ``RegionStatistic``."""

    def natural_key(self, values: Mapping[str, Any]) -> Hashable | None:
        if not all(k in values for k in ("unit", "year", "month")):
            return None
        return (values["unit"], values["year"], values["month"])

    def load_existing(self, keys: Collection[Hashable], context: ImportContext) -> dict:
        units = {k[0] for k in keys}
        years = {k[1] for k in keys}
        out = {}
        for s in RegionStatistic.objects.filter(region__code__in=units, year__in=years).select_related(
            "region"
        ):
            key = (s.region.code, s.year, s.month)
            if key in keys:
                out[key] = {
                    "unit": s.region.code, "year": s.year, "month": s.month,
                    "industrial": s.industrial_investment_ytd_yuan, "tech": s.tech_investment_ytd_yuan,
                    "note": s.note, "_stat": s,
                }  # fmt: skip
        return out

    def check_row(self, row: Row, context: ImportContext) -> list[RowError]:
        _require(context)
        merged = {**(row.existing or {}), **row.values}
        problems = []
        try:
            month = Month(merged["year"], merged["month"])
        except ValueError as exc:
            return [RowError(str(exc), "month")]
        if month > Month.of(_now(context)):
            problems.append(
                RowError(
                    say("%(year)s年%(month)s月尚未到来，不能填报", year=month.year, month=month.month),
                    "month",
                )
            )
        for k in ("industrial", "tech"):
            if merged.get(k) is None:
                problems.append(RowError(say("请填写金额"), k))
        return problems

    def apply(self, new_rows: Sequence[Row], changed_rows: Sequence[Row], context: ImportContext) -> None:
        """Each row through ``services.statistic_save`` (nine units a month: no batch needed), so every
        created or corrected figure has its own audit record with the file as its source."""
        _require(context)
        regions = {r.code: r for r in Region.objects.filter(level=Region.Level.UNIT)}
        with audit.acting_as(import_actor(context)):
            for row in [*new_rows, *changed_rows]:
                merged = {**(row.existing or {}), **row.values}
                services.statistic_save(
                    user=context.user, region=regions[merged["unit"]], year=merged["year"], month=merged["month"],
                    industrial_yuan=merged["industrial"], tech_yuan=merged["tech"], at=_now(context),
                    note=row.values.get("note", ""), source=Source.IMPORT,
                )  # fmt: skip


def progress_spec() -> TableSpec:
    return TableSpec(
        name="progress",
        title=gettext_noop("项目月调度"),  # the pages show it in their language (`translated`)
        columns=[
            Column(
                "unit",
                "报送单位",
                reporting_unit_choice(),
                required=True,
                variants=("县市", "所属县市", "填报单位"),
                help="县市或州高新区",
                example="恩施市",
            ),
            Column("year", "年度", Year(), required=True, variants=("年份",), example=2019),
            Column("month", "月份", MONTH, required=True, variants=("月",), example=6),
            Column(
                "project_code",
                "项目代码",
                Text(max_length=40, halfwidth=True, upper=True),
                variants=("备案代码", "项目编码"),
                help="有项目代码的填写，用于准确识别项目",
            ),
            Column(
                "name",
                "项目名称",
                Text(max_length=120),
                required=True,
                variants=("项目",),
                help="与项目库中的名称一致",
                example="年产5万吨硒茶加工技术改造项目",
            ),
            Column("enterprise", "企业名称", Text(max_length=100), variants=("企业", "项目单位", "建设单位")),
            Column(
                "month_investment",
                "本月完成投资",
                Money(),
                required=True,
                variants=("当月完成投资", "本月投资", "月完成投资"),
                example="120.5",
            ),
            Column(
                "cumulative",
                "开工累计完成投资",
                Money(),
                required=True,
                variants=("累计完成投资", "自开工累计完成投资", "累计投资", "开工以来累计完成投资"),
                example="860",
            ),
            Column(
                "progress_pct",
                "形象进度百分比",
                Integer(min_value=0, max_value=100, suffixes=("%", "％")),
                variants=("形象进度（%）", "形象进度(%)", "完成进度", "进度百分比"),
                example=45,
            ),
            Column(
                "progress_text",
                "形象进度",
                Text(max_length=300),
                variants=("形象进度描述", "项目进展"),
                example="主体厂房封顶，设备进场安装",
            ),
            Column("state", "推进状态", STATE_CHOICE, variants=("状态", "进度状态"), example="正常推进"),
            Column(
                "problems",
                "需协调解决的问题",
                Text(max_length=2000),
                variants=("存在问题", "存在的问题", "问题", "困难和问题"),
            ),
            Column("department", "请求协调部门", Text(max_length=100), variants=("协调部门", "需协调部门")),
        ],
        adapter=ProgressAdapter(),
        scope_column="unit",
        describe_key=lambda k: f"{k[0][1] if k[0][0] == 'code' else k[0][2]} {k[1]}年{k[2]}月",
        notes=("金额单位默认为万元，可在表头注明（元）。", "已报送的月份再次导入即为更正，须说明更正原因。"),
        change_reason="更正原因",
    )


def statistics_spec() -> TableSpec:
    return TableSpec(
        name="statistics",
        title=gettext_noop("统计数据（1月至本月累计）"),
        columns=[
            Column(
                "unit",
                "报送单位",
                reporting_unit_choice(),
                required=True,
                variants=("县市", "地区", "单位名称"),
                example="恩施市",
            ),
            Column("year", "年度", Year(), required=True, variants=("年份",), example=2019),
            Column("month", "月份", MONTH, required=True, variants=("月",), example=6),
            Column(
                "industrial",
                "工业投资累计",
                Money(),
                required=True,
                variants=("工业投资", "工业投资（1月至本月累计）", "工业固定资产投资"),
                example="85000",
            ),
            Column(
                "tech",
                "技改投资累计",
                Money(),
                required=True,
                variants=("技改投资", "工业技改投资", "技术改造投资"),
                example="32000",
            ),
            Column("note", "备注", Text(max_length=200), variants=("说明",)),
        ],
        adapter=StatisticAdapter(),
        scope_column="unit",
        describe_key=lambda k: f"{k[0]} {k[1]}年{k[2]}月",
        notes=("统计局口径，1月至本月累计数；金额单位默认为万元。",),
    )


TABLES: dict[str, TableSpec] = {"progress": progress_spec(), "statistics": statistics_spec()}
