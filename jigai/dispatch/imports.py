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

from jigai.accounts.permissions import require
from jigai.core import audit
from jigai.core.models import Region
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
from jigai.registry.models import Project

from . import checks, services
from .models import ProgressReport, ProgressReportRevision, ProgressState, RegionStatistic, Source
from .periods import Month

STATE_CHOICE = Choice(
    (
        Option(ProgressState.ON_SCHEDULE, "正常推进", ("正常", "按计划推进", "按期推进", "顺利")),
        Option(ProgressState.BEHIND, "进度滞后", ("滞后", "缓慢", "推进缓慢")),
        Option(ProgressState.STALLED, "停工停滞", ("停工", "停滞", "停建", "暂停")),
    ),
    what="推进状态",
)
MONTH = Integer(min_value=1, max_value=12, suffixes=("月份", "月"), what="月份")

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


def _source_detail(context: ImportContext) -> str:
    return f"{context.filename} sha256:{context.sha256[:16]}" if context.sha256 else context.filename


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
            where = f"项目代码 {ident[1]}" if ident[0] == "code" else f"{ident[2]}"
            return [RowError(f"项目库中找不到该项目（{where}），请先在项目库登记", "name")]
        if project == "ambiguous":
            return [RowError("该单位有多个同名项目，请填写项目代码以区分", "name")]
        problems: list[RowError] = []
        unit = row.values.get("unit")
        if unit and unit != project.region.code:
            problems.append(RowError(f"该项目属于{project.region.name}，与本行报送单位不符", "unit"))
        if context.unit is not None and project.region.code != context.unit:
            problems.append(RowError(f"只能导入本单位的项目，该项目属于{project.region.name}", "name"))
        ent = row.values.get("enterprise")
        if ent and ent != project.enterprise.name:
            problems.append(
                RowError(f"企业名称与项目库不符（项目库为“{project.enterprise.name}”）", "enterprise")
            )
        if row.existing is not None:
            # Identifying and informational cells are not report data: they never make a row "changed".
            for k in ("unit", "name", "project_code", "enterprise"):
                if k in row.values:
                    row.existing[k] = row.values[k]
        merged = {**(row.existing or {}), **row.values}
        if "month_investment" not in merged or "cumulative" not in merged:
            problems.append(RowError("本月完成投资和开工累计完成投资须填写", "month_investment"))
            return problems
        try:
            month = Month(merged["year"], merged["month"])
        except ValueError as exc:
            return [*problems, RowError(str(exc), "month")]
        for field, msgs in services._check_month(project, month, _now(context)).items():
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
        _require(context)
        at, user = _now(context), context.user
        projects = context.extra["_projects"]
        by_name = user.get_username() if user is not None else ""
        by = user if getattr(user, "pk", None) else None
        created = []
        for row in new_rows:
            p = projects[row.key[0]]
            values = {REPORT_VALUE_KEYS[k]: row.values.get(k) for k in REPORT_VALUE_KEYS}
            values["progress_pct"] = values["progress_pct"] or 0
            values["state"] = values["state"] or ProgressState.ON_SCHEDULE
            for k in ("progress_text", "problems", "department_asked"):
                values[k] = values[k] or ""
            created.append(ProgressReport(
                project=p, region_id=p.region_id, year=row.values["year"], month=row.values["month"],
                first_submitted_at=at, submitted_at=at, submitted_by=by, submitted_by_name=by_name,
                source=Source.IMPORT, **values,
            ))  # fmt: skip
        created = ProgressReport.objects.bulk_create(created, batch_size=1000)
        ProgressReportRevision.objects.bulk_create(
            [ProgressReportRevision(report=r, version=1, data=services._revision_data(r), at=at, by=by,
                                    by_name=by_name, reason="") for r in created],
            batch_size=1000,
        )  # fmt: skip
        reason = (
            context.extra.get("reason") or ""
        ).strip() or f"表格导入更正（{context.filename or '导入文件'}）"
        touched = {r.project_id for r in created}
        for row in changed_rows:
            report = row.existing["_report"]
            data = {
                REPORT_VALUE_KEYS[k]: new for k, (_old, new) in row.changes.items() if k in REPORT_VALUE_KEYS
            }
            if not data:
                continue
            services.report_correct(
                user=user, report=report, data=data, reason=reason, at=at, source=Source.IMPORT
            )
            touched.add(report.project_id)
        services.refresh_flags(touched)
        if created:
            audit.record(
                "import", object_type="dispatch.progressreport",
                after={"created": len(created), "corrected": len(changed_rows), "file": context.filename,
                       "sha256": context.sha256},
                message=f"导入月调度 {len(created)} 条（{_source_detail(context)}）",
            )  # fmt: skip


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
            problems.append(RowError(f"{month.label}尚未到来，不能填报", "month"))
        for k in ("industrial", "tech"):
            if merged.get(k) is None:
                problems.append(RowError("请填写金额", k))
        return problems

    def apply(self, new_rows: Sequence[Row], changed_rows: Sequence[Row], context: ImportContext) -> None:
        _require(context)
        user = context.user
        by = user if getattr(user, "pk", None) else None
        regions = {r.code: r for r in Region.objects.filter(level=Region.Level.UNIT)}
        RegionStatistic.objects.bulk_create([
            RegionStatistic(
                region=regions[row.values["unit"]], year=row.values["year"], month=row.values["month"],
                industrial_investment_ytd_yuan=row.values["industrial"], tech_investment_ytd_yuan=row.values["tech"],
                note=row.values.get("note", ""), source=Source.IMPORT, entered_by=by,
            )
            for row in new_rows
        ])  # fmt: skip
        for row in changed_rows:  # one tracked save each: a correction is in the audit log field by field
            stat = row.existing["_stat"]
            stat.industrial_investment_ytd_yuan = row.values.get(
                "industrial", stat.industrial_investment_ytd_yuan
            )
            stat.tech_investment_ytd_yuan = row.values.get("tech", stat.tech_investment_ytd_yuan)
            stat.note = row.values.get("note", stat.note)
            stat.source, stat.entered_by = Source.IMPORT, by
            stat.version += 1
            stat.save()
        if new_rows:
            audit.record(
                "import", object_type="dispatch.regionstatistic",
                after={"created": len(new_rows), "updated": len(changed_rows), "file": context.filename,
                       "sha256": context.sha256},
                message=f"导入统计数据 {len(new_rows)} 条（{_source_detail(context)}）",
            )  # fmt: skip


def progress_spec() -> TableSpec:
    return TableSpec(
        name="progress",
        title="项目月调度",
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
        title="统计数据（1月至本月累计）",
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
