"""Every write of the monthly dispatch (4.2, 4.3): progress reports and their corrections, official
statistics, and publishing bulletins. Keyword-only, atomic, raising the errors of :mod:`jigai.core.errors`."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext

from jigai.accounts.models import Role
from jigai.accounts.permissions import can, in_unit, require
from jigai.core import audit, audit_checkpoint
from jigai.core.docnumbers import Kind as DocKind
from jigai.core.docnumbers import next_document_number
from jigai.core.errors import ConflictError, StaleEditError, ValidationError
from jigai.core.models import Region
from jigai.core.money import MAX_YUAN, TOO_LARGE, amount_problem, format_wan
from jigai.documents import format_date_cn
from jigai.registry.models import Project
from jigai.registry.services import batch_actor

from . import checks, conf
from .models import Bulletin, ProgressReport, ProgressReportRevision, ProgressState, RegionStatistic, Source
from .periods import Month


class AlreadyReportedError(ConflictError):
    def __init__(self, report: ProgressReport):
        self.report = report
        super().__init__(gettext("该项目本月已报送；如需修改，请以“更正”方式提交并填写更正原因"))

    def field_errors(self) -> list[dict]:
        return [{"field": "id", "message": str(self.report.pk)}]  # the report to correct instead


class MonthSaveError(ValidationError):
    """Some rows of a month screen were refused; ``rows`` maps project id → field errors. Nothing saved."""

    def __init__(self, rows: dict[int, dict[str, list[str]]], general: Sequence[str] = ()):
        self.rows = rows
        messages = list(general) or [
            gettext("有 %(n)s 个项目的数据有误，全部未保存，请修改后重新提交") % {"n": len(rows)}
        ]
        super().__init__({"__all__": messages})

    def field_errors(self) -> list[dict]:
        rows = [{"field": f"{pid}.{f}", "message": m} for pid, errs in self.rows.items() for f, ms in errs.items()
                for m in ms]  # fmt: skip
        return super().field_errors() + rows


def _label(month: Month) -> str:
    """A month in the active language, for messages (``Month.label`` stays Chinese for documents)."""
    return gettext("%(y)s年%(m)s月") % {"y": month.year, "m": month.month}


# --- progress reports -------------------------------------------------------------------------------

REPORT_FIELDS = (
    "month_investment_yuan", "cumulative_investment_yuan", "progress_text", "progress_pct", "state", "problems",
    "department_asked",
)  # fmt: skip
TEXT_LIMITS = {"progress_text": 300, "department_asked": 100, "problems": 2000}


def can_report_project(user, project: Project) -> bool:
    """Row level: the office any project, a clerk their unit's, an enterprise its own."""
    return can(user, "dispatch.report") and in_unit(user, project)


def _normalise(data: dict) -> tuple[dict, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    unknown = sorted(k for k in data if k not in REPORT_FIELDS)
    for k in unknown:
        errors.setdefault(k, []).append("不能修改此字段")
    values = {k: data.get(k) for k in REPORT_FIELDS}
    for k in ("progress_text", "problems", "department_asked"):
        values[k] = str(values[k] or "").strip()
        if len(values[k]) > TEXT_LIMITS[k]:
            errors.setdefault(k, []).append(f"文字过长（最多 {TEXT_LIMITS[k]} 字）")
    values["state"] = values["state"] or ProgressState.ON_SCHEDULE
    if values["state"] not in ProgressState.values:
        errors.setdefault("state", []).append(f"未知的推进状态：{values['state']}")
    for k in ("month_investment_yuan", "cumulative_investment_yuan"):
        v = values[k]
        if v is not None and not isinstance(v, Decimal):
            try:
                values[k] = Decimal(str(v))
            except ArithmeticError:
                errors.setdefault(k, []).append(gettext("不是有效的金额"))
                continue
        if isinstance(values[k], Decimal) and not values[k].is_finite():
            errors.setdefault(k, []).append(gettext("不是有效的金额"))
        elif isinstance(values[k], Decimal) and abs(values[k]) > MAX_YUAN:
            errors.setdefault(k, []).append(gettext(TOO_LARGE))
    pct = values["progress_pct"]
    if pct is None:
        values["progress_pct"] = 0
    else:
        try:
            values["progress_pct"] = int(pct)
        except (TypeError, ValueError):
            errors.setdefault("progress_pct", []).append("形象进度百分比应为 0–100 的整数")
    if not errors:
        for k in ("month_investment_yuan", "cumulative_investment_yuan"):
            if values[k] is not None and values[k] == values[k].quantize(Decimal("0.01")):
                values[k] = values[k].quantize(Decimal("0.01"))
        errors.update(checks.impossible(
            month_yuan=values["month_investment_yuan"], cumulative_yuan=values["cumulative_investment_yuan"],
            progress_pct=values["progress_pct"],
        ))  # fmt: skip
    return values, errors


def report_month_check(project: Project, month: Month, at: dt.datetime) -> dict[str, list[str]]:
    """Whether a project reports for this month at all (4.2): started, and the month has come."""
    if month > Month.of(at):
        return {"month": [gettext("%(month)s尚未到来，不能填报") % {"month": _label(month)}]}
    if project.actual_start_date is None:
        return {"project": [gettext("项目尚未开工（没有实际开工日期），不需报送月调度")]}
    if month < Month.of(project.actual_start_date):
        return {"month": [f"项目于{format_date_cn(project.actual_start_date)}开工，{month.label}尚未开工"]}
    return {}


def _revision_data(report: ProgressReport) -> dict:
    return audit.to_jsonable({f: getattr(report, f) for f in REPORT_FIELDS})


def _stamp(report: ProgressReport, user, at: dt.datetime, source: str) -> None:
    report.submitted_at = at
    report.submitted_by = user if getattr(user, "pk", None) else None
    report.submitted_by_name = str(user) if user is not None else ""
    report.source = source


@transaction.atomic
def report_submit(
    *,
    user,
    project: Project,
    year: int,
    month: int,
    data: dict,
    at: dt.datetime,
    source: str = Source.PAGE,
    reason: str = "",
) -> ProgressReport:
    """First report of a project for a month (4.2). A second submission is a correction."""
    require(user, "dispatch.report")
    if not can_report_project(user, project):
        raise ValidationError({"project": [gettext("只能填报本单位（本企业）的项目")]})
    try:
        period = Month(int(year), int(month))
    except (TypeError, ValueError) as exc:
        raise ValidationError({"month": [str(exc)]}) from exc
    values, errors = _normalise(data)
    errors.update(report_month_check(project, period, at))
    if errors:
        raise ValidationError(errors)
    existing = ProgressReport.objects.filter(project=project, year=period.year, month=period.month).first()
    if existing is not None:
        raise AlreadyReportedError(existing)
    report = ProgressReport(project=project, region_id=project.region_id, year=period.year, month=period.month,
                            first_submitted_at=at, **values)  # fmt: skip
    _stamp(report, user, at, source)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:  # a concurrent first submission won
        raise ValidationError(gettext("该项目本月已由他人报送，请刷新后以更正方式修改")) from exc
    _add_revision(report, user=user, at=at, reason=(reason or "").strip()[:500])
    refresh_flags([project.pk])
    report.refresh_from_db(fields=["flags"])
    return report


def _add_revision(report: ProgressReport, *, user, at: dt.datetime, reason: str) -> None:
    ProgressReportRevision.objects.create(
        report=report, version=report.version, data=_revision_data(report), reason=reason, at=at,
        by=user if getattr(user, "pk", None) else None, by_name=str(user) if user is not None else "",
    )  # fmt: skip


@transaction.atomic
def report_correct(
    *,
    user,
    report: ProgressReport,
    data: dict,
    reason: str,
    at: dt.datetime,
    expected_version: int | None = None,
    source: str = Source.PAGE,
) -> tuple[ProgressReport, bool]:
    """Correct a submitted report (4.2 point 4): the reason is required and every version is kept.

    Returns (report, changed); a correction that changes nothing writes nothing."""
    require(user, "dispatch.report")
    current = (
        ProgressReport.objects.select_for_update().select_related("project__enterprise").get(pk=report.pk)
    )
    if not can_report_project(user, current.project):
        raise ValidationError({"project": [gettext("只能更正本单位（本企业）的项目")]})
    if expected_version is not None and current.version != expected_version:
        raise StaleEditError()
    merged = {f: getattr(current, f) for f in REPORT_FIELDS}
    merged.update(data)
    values, errors = _normalise(merged)
    if errors:
        raise ValidationError(errors)
    changes = {k: v for k, v in values.items() if getattr(current, k) != v}
    if not changes:
        return current, False
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [gettext("更正已报送的数据，请填写更正原因")]})
    if len(reason) > 500:
        raise ValidationError({"reason": [gettext("更正原因过长（最多 500 字）")]})
    for k, v in changes.items():
        setattr(current, k, v)
    current.version += 1
    _stamp(current, user, at, source)
    current.save()
    _add_revision(current, user=user, at=at, reason=reason)
    audit.record("correct", obj=current, message=f"更正原因：{reason}")
    refresh_flags([current.project_id])
    current.refresh_from_db(fields=["flags"])
    return current, True


@transaction.atomic
def reports_submit_many(
    *,
    user,
    rows: Sequence[tuple[Project, int, int, dict]],
    at: dt.datetime,
    source_detail: str,
    source: str = Source.IMPORT,
    ip: str = "",
) -> list[ProgressReport]:
    """report_submit for many (project, year, month, data) rows at once (imports, issue 10 point 5): the
    same checks, all rows or none, then bulk inserts and one audit record per report naming the user
    and the file (``source_detail``)."""
    if user is not None:
        require(user, "dispatch.report")
    prepared = []
    for project, year, month, data in rows:
        where = f"{project.name} {year}年{month}月"
        if user is not None and not can_report_project(user, project):
            raise ValidationError({"project": [f"{where}：只能填报本单位（本企业）的项目"]})
        try:
            period = Month(int(year), int(month))
        except (TypeError, ValueError) as exc:
            raise ValidationError({"month": [f"{where}：{exc}"]}) from exc
        values, errors = _normalise(data)
        errors.update(report_month_check(project, period, at))
        if errors:
            raise ValidationError({k: [f"{where}：{m}" for m in msgs] for k, msgs in errors.items()})
        prepared.append((project, period, values))
    keys = {(p.pk, m.year, m.month) for p, m, _v in prepared}
    if len(keys) != len(prepared):
        raise ValidationError("同一项目同一月份只能报送一次")
    for pid, year, month in ProgressReport.objects.filter(
        project_id__in={k[0] for k in keys}, year__in={k[1] for k in keys}
    ).values_list("project_id", "year", "month"):
        if (pid, year, month) in keys:
            raise ValidationError("该项目本月已报送；如需修改，请以“更正”方式提交并填写更正原因")
    reports = []
    for project, period, values in prepared:
        report = ProgressReport(project=project, region_id=project.region_id, year=period.year,
                                month=period.month, first_submitted_at=at, **values)  # fmt: skip
        _stamp(report, user, at, source)
        reports.append(report)
    reports = ProgressReport.objects.bulk_create(reports, batch_size=1000)
    by = user if getattr(user, "pk", None) else None
    by_name = str(user) if user is not None else ""
    ProgressReportRevision.objects.bulk_create(
        [ProgressReportRevision(report=r, version=1, data=_revision_data(r), at=at, by=by, by_name=by_name,
                                reason="") for r in reports],
        batch_size=1000,
    )  # fmt: skip
    refresh_flags({r.project_id for r in reports})
    actor = batch_actor(user, source_detail=source_detail, source=source, ip=ip)
    audit.record_many(
        ({"event": "create", "obj": r, "after": audit.snapshot(r)} for r in reports), actor=actor
    )
    return reports


@dataclass
class MonthSaveResult:
    created: list[ProgressReport] = field(default_factory=list)
    corrected: list[ProgressReport] = field(default_factory=list)
    unchanged: int = 0

    @property
    def reports(self) -> list[ProgressReport]:
        return self.created + self.corrected


@transaction.atomic
def month_save(
    *,
    user,
    month: Month,
    rows: Iterable[tuple[Project, dict]],
    reason: str,
    at: dt.datetime,
    source: str = Source.PAGE,
) -> MonthSaveResult:
    """A unit's (or an enterprise's) whole month from one screen: all rows are saved, or none.

    A row without an earlier report is a submission; a changed row with one is a correction and needs
    ``reason``; an unchanged row is left alone."""
    require(user, "dispatch.report")
    rows = list(rows)
    existing = {
        r.project_id: r
        for r in ProgressReport.objects.filter(
            project_id__in=[p.pk for p, _ in rows], year=month.year, month=month.month
        )
    }
    result = MonthSaveResult()
    failed: dict[int, dict[str, list[str]]] = {}
    for project, data in rows:
        data = dict(data)
        version = data.pop("version", None)
        if falling := _falling_without_reason(project, month, data, reason):
            failed[project.pk] = falling
            continue
        try:
            with transaction.atomic():
                report = existing.get(project.pk)
                if report is None:
                    result.created.append(report_submit(
                        user=user, project=project, year=month.year, month=month.month, data=data, at=at,
                        source=source, reason=reason,
                    ))  # fmt: skip
                else:
                    saved, changed = report_correct(
                        user=user, report=report, data=data, reason=reason, at=at, source=source,
                        expected_version=version,
                    )  # fmt: skip
                    if changed:
                        result.corrected.append(saved)
                    else:
                        result.unchanged += 1
        except (ValidationError, ConflictError) as exc:
            failed[project.pk] = exc.errors
    if failed:
        transaction.set_rollback(True)
        raise MonthSaveError(failed)
    return result


def _falling_without_reason(project: Project, month: Month, data: dict, reason: str) -> dict | None:
    """A cumulative investment below the previous report's is possible (a write-down), but not without a
    word: the screen asks for the reason, which is kept with the report's version (4.2)."""
    cumulative = data.get("cumulative_investment_yuan")
    if cumulative is None or (reason or "").strip():
        return None
    previous = (
        ProgressReport.objects.filter(project=project)
        .filter(Q(year__lt=month.year) | Q(year=month.year, month__lt=month.month))
        .order_by("-year", "-month")
        .values_list("year", "month", "cumulative_investment_yuan")
        .first()
    )
    if previous is None or Decimal(cumulative) >= previous[2]:
        return None
    message = gettext(
        "开工累计完成投资 %(now)s 万元，低于%(year)s年%(month)s月的 %(before)s 万元（累计投资回落）。"
        "如确为核减，请在“更正原因”中说明原因后保存"
    ) % {"now": format_wan(Decimal(cumulative), grouping=True), "year": previous[0], "month": previous[1],
         "before": format_wan(previous[2], grouping=True)}  # fmt: skip
    return {"cumulative_investment_yuan": [message]}


def refresh_flags(project_ids: Iterable[int]) -> int:
    """Recompute the flags of every report of these projects; returns how many reports changed."""
    ids = list(set(project_ids))
    if not ids:
        return 0
    totals = dict(Project.objects.filter(pk__in=ids).values_list("pk", "total_investment_yuan"))
    series: dict[int, list] = defaultdict(list)
    for row in ProgressReport.objects.filter(project_id__in=ids).values_list(
        "pk", "project_id", "year", "month", "month_investment_yuan", "cumulative_investment_yuan", "flags"
    ):
        series[row[1]].append(row)
    changed = []
    for pid, rows in series.items():
        flags = checks.series_flags(
            [checks.Point(r[2], r[3], r[4], r[5]) for r in rows], planned_total_yuan=totals.get(pid)
        )
        for pk, _pid, y, m, _a, _b, old in rows:
            new = flags[(y, m)]
            if new != old:
                changed.append(ProgressReport(pk=pk, flags=new))
    ProgressReport.objects.bulk_update(changed, ["flags"], batch_size=1000)
    return len(changed)


# --- official statistics ----------------------------------------------------------------------------


def can_write_statistic(user, region: Region) -> bool:
    if not can(user, "dispatch.statistics"):
        return False
    if user.role == Role.OFFICE:
        return True
    return user.role == Role.CLERK and user.region_id == region.pk


@transaction.atomic
def statistic_save(
    *,
    user,
    region: Region,
    year: int,
    month: int,
    industrial_yuan: Decimal,
    tech_yuan: Decimal,
    at: dt.datetime,
    note: str = "",
    expected_version: int | None = None,
    source: str = Source.PAGE,
) -> tuple[RegionStatistic, str]:
    """Enter or correct a unit's official January-to-month figures (2.1.a, docs/programme.md, reading 10).

    Returns (statistic, "created" | "updated" | "unchanged"). Corrections are kept in the audit log."""
    require(user, "dispatch.statistics")
    if region.level != Region.Level.UNIT:
        raise ValidationError({"region": [gettext("统计数据按报送单位（县市、州高新区）填报")]})
    if not can_write_statistic(user, region):
        raise ValidationError({"region": [gettext("只能填报本单位的统计数据")]})
    try:
        period = Month(int(year), int(month))
    except (TypeError, ValueError) as exc:
        raise ValidationError({"month": [str(exc)]}) from exc
    if period > Month.of(at):
        raise ValidationError({"month": [gettext("%(month)s尚未到来，不能填报") % {"month": _label(period)}]})
    errors: dict[str, list[str]] = {}
    for name, value in (
        ("industrial_investment_ytd_yuan", industrial_yuan),
        ("tech_investment_ytd_yuan", tech_yuan),
    ):
        problem = "请填写金额" if value is None else amount_problem(value)
        if problem:
            errors.setdefault(name, []).append(gettext(problem))  # amount_problem's are in the catalogue
    if errors:
        raise ValidationError(errors)
    note = (note or "").strip()[:200]
    current = (
        RegionStatistic.objects.select_for_update()
        .filter(region=region, year=period.year, month=period.month)
        .first()
    )
    entered_by = user if getattr(user, "pk", None) else None
    if current is None:
        try:
            with transaction.atomic():
                stat = RegionStatistic.objects.create(
                    region=region, year=period.year, month=period.month, industrial_investment_ytd_yuan=industrial_yuan,
                    tech_investment_ytd_yuan=tech_yuan, note=note, source=source, entered_by=entered_by,
                )  # fmt: skip
        except IntegrityError as exc:
            raise ValidationError(gettext("该单位本月统计数据已由他人填报，请刷新后修改")) from exc
        return stat, "created"
    if expected_version is not None and current.version != expected_version:
        raise StaleEditError()
    if (
        current.industrial_investment_ytd_yuan == industrial_yuan
        and current.tech_investment_ytd_yuan == tech_yuan
        and (not note or note == current.note)
    ):
        return current, "unchanged"
    current.industrial_investment_ytd_yuan = industrial_yuan
    current.tech_investment_ytd_yuan = tech_yuan
    if note:
        current.note = note
    current.source = source
    current.entered_by = entered_by
    current.version += 1
    current.save()
    return current, "updated"


# --- bulletins --------------------------------------------------------------------------------------


def bulletin_title(month: Month, *, correction: bool = False) -> str:
    title = f"关于{month.year}年{month.month}月全州技改项目推进情况的通报"
    return title + ("（更正版）" if correction else "")


def snapshot_digest(snapshot: dict) -> str:
    body = json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _publish(*, user, month: Month, at: dt.datetime, issue_date: dt.date | None, edition: int,
             supersedes: Bulletin | None, reason: str) -> Bulletin:  # fmt: skip
    from . import bulletin as compute

    if month >= Month.of(at):
        raise ValidationError(
            {"month": [gettext("%(month)s尚未结束，不能发布该月通报") % {"month": _label(month)}]}
        )
    if issue_date is None:
        # The 成文日期 is the office's decision (docs/documents.md, 7.3.5.1), never silently today.
        raise ValidationError({"issue_date": [gettext("请填写成文日期")]})
    snapshot = compute.compute(month, as_of=at)
    # issue 11: each published bulletin carries a signed checkpoint of the audit chain as it stood, kept
    # outside the database too once published (docs/operator-guide.md, 审计日志).
    snapshot["audit_checkpoint"] = audit_checkpoint.take(now=at, reason="bulletin")
    audit_checkpoint.publish_on_commit(snapshot["audit_checkpoint"])
    prefix = conf.get("JIGAI_BULLETIN_NUMBER_PREFIX")
    title = bulletin_title(month, correction=edition > 1)
    # One register for every document the office issues (docs/documents.md, 发文字号).
    number = next_document_number(
        issuer=prefix, year=issue_date.year, kind=DocKind.BULLETIN, at=at, user=user,
        title=title, issue_date=issue_date,
    )  # fmt: skip
    serial = number.serial
    snapshot["document"] = {
        "number": number.text,
        "title": title,
        "issue_date": issue_date.isoformat(),
        "edition": edition,
        "supersedes": supersedes.document_number if supersedes else None,
        "correction_reason": reason,
    }
    try:
        with transaction.atomic():
            bulletin = Bulletin.objects.create(
                year=month.year, month=month.month, edition=edition, number_prefix=prefix,
                number_year=issue_date.year, number_serial=serial, title=snapshot["document"]["title"],
                issue_date=issue_date, correction_reason=reason, supersedes=supersedes, snapshot=snapshot,
                snapshot_sha256=snapshot_digest(snapshot), published_at=at,
                published_by=user if getattr(user, "pk", None) else None,
                published_by_name=str(user) if user is not None else "",
            )  # fmt: skip
    except IntegrityError as exc:
        raise ValidationError(gettext("该月通报刚刚已由他人发布，请刷新页面")) from exc
    audit.record(
        "publish" if edition == 1 else "publish_correction",
        obj=bulletin,
        after={
            "document_number": bulletin.document_number, "year": month.year, "month": month.month,
            "edition": edition, "snapshot_sha256": bulletin.snapshot_sha256,
            "prefecture": snapshot["prefecture"],
        },
        message=(f"发布{month.label}月通报" if edition == 1 else f"发布{month.label}月通报更正版：{reason}"),
    )  # fmt: skip
    return bulletin


@transaction.atomic
def bulletin_publish(
    *, user, year: int, month: int, at: dt.datetime, issue_date: dt.date | None = None
) -> Bulletin:
    """Publish a month's bulletin (4.3 月通报): its figures are computed now and frozen."""
    require(user, "dispatch.publish")
    try:
        period = Month(int(year), int(month))
    except (TypeError, ValueError) as exc:
        raise ValidationError({"month": [str(exc)]}) from exc
    if Bulletin.objects.filter(year=period.year, month=period.month).exists():
        raise ValidationError(
            gettext("%(month)s通报已发布；如数据有误，请发布更正版") % {"month": _label(period)}
        )
    return _publish(
        user=user, month=period, at=at, issue_date=issue_date, edition=1, supersedes=None, reason=""
    )


@transaction.atomic
def bulletin_correct(
    *, user, bulletin: Bulletin, reason: str, at: dt.datetime, issue_date: dt.date | None = None
) -> Bulletin:
    """Issue a corrected edition (更正版) from the current data; the earlier edition stays unchanged."""
    require(user, "dispatch.publish")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [gettext("请填写更正原因")]})
    if len(reason) > 500:
        raise ValidationError({"reason": [gettext("更正原因过长（最多 500 字）")]})
    latest = (
        Bulletin.objects.select_for_update()
        .filter(year=bulletin.year, month=bulletin.month)
        .order_by("-edition")
        .first()
    )
    if latest.pk != bulletin.pk:
        raise ValidationError(
            gettext("该通报已有更新的版次（%(number)s），请在最新版次上更正")
            % {"number": latest.document_number}
        )
    return _publish(
        user=user, month=Month(bulletin.year, bulletin.month), at=at, issue_date=issue_date,
        edition=latest.edition + 1, supersedes=latest, reason=reason,
    )  # fmt: skip
