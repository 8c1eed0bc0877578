"""/api/v1/dispatch: progress reports, statistics, reporting status and bulletins — the same
permissions, scoping (another unit's record is a 404), checks and audit as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.http import Http404, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from jigai.accounts.models import Role
from jigai.accounts.permissions import guard, not_found
from jigai.core import audit
from jigai.core.models import Region
from jigai.core.money import Yuan
from jigai.core.params import Id
from jigai.core.schemas import ErrorOut
from jigai.documents.http import docx_response, xlsx_response
from jigai.registry.models import Project

from . import render, selectors, services
from .models import Bulletin, ProgressReport, ProgressState
from .periods import Month

router = Router(tags=["月调度"])


class ReportOut(Schema):
    id: int
    project_id: int
    project_name: str
    region_code: str
    year: int
    month: int
    month_investment_yuan: str
    cumulative_investment_yuan: str
    progress_pct: int
    progress_text: str
    state: str
    problems: str
    department_asked: str
    flags: list[dict]
    first_submitted_at: dt.datetime
    submitted_at: dt.datetime
    late: bool
    version: int

    @staticmethod
    def from_model(r: ProgressReport) -> dict:
        return {
            "id": r.pk, "project_id": r.project_id, "project_name": r.project.name, "region_code": r.region.code,
            "year": r.year, "month": r.month, "month_investment_yuan": f"{r.month_investment_yuan:.2f}",
            "cumulative_investment_yuan": f"{r.cumulative_investment_yuan:.2f}", "progress_pct": r.progress_pct,
            "progress_text": r.progress_text, "state": r.state, "problems": r.problems,
            "department_asked": r.department_asked, "flags": r.flags, "first_submitted_at": r.first_submitted_at,
            "submitted_at": r.submitted_at, "late": r.first_submitted_at >= Month(r.year, r.month).deadline(),
            "version": r.version,
        }  # fmt: skip


class RevisionOut(Schema):
    version: int
    at: dt.datetime
    by: str
    reason: str
    data: dict


class ReportDetailOut(ReportOut):
    revisions: list[RevisionOut]


class ReportIn(Schema):
    model_config = ConfigDict(extra="forbid")
    project_id: Id
    year: int = Field(ge=2000, le=2100)
    month: int = Field(ge=1, le=12)
    month_investment_yuan: Yuan
    cumulative_investment_yuan: Yuan
    progress_pct: int = Field(0, ge=0, le=100)
    progress_text: str = Field("", max_length=300)
    state: ProgressState = ProgressState.ON_SCHEDULE
    problems: str = Field("", max_length=2000)
    department_asked: str = Field("", max_length=100)


class ReportPatch(Schema):
    model_config = ConfigDict(extra="forbid")
    # An omitted field stays as it is; null is a 422 (nothing in a report may be emptied by a correction).
    version: int
    reason: str = Field(max_length=500)
    month_investment_yuan: Yuan = None
    cumulative_investment_yuan: Yuan = None
    progress_pct: int = Field(None, ge=0, le=100)
    progress_text: str = Field(None, max_length=300)
    state: ProgressState = None
    problems: str = Field(None, max_length=2000)
    department_asked: str = Field(None, max_length=100)


def _report_or_404(request, pk: int) -> ProgressReport:
    r = (
        selectors.report_queryset(request.user)
        .select_related("project__enterprise", "region")
        .filter(pk=pk)
        .first()
    )
    if r is None:
        raise not_found(ProgressReport, pk)
    return r


@router.get("/reports", response=list[ReportOut], summary="某月的项目月调度（按权限范围）")
@guard("dispatch.view")
def list_reports(request, year: int = Query(..., ge=2000, le=2100), month: int = Query(..., ge=1, le=12),
                 unit: str = ""):  # fmt: skip
    qs = selectors.report_queryset(request.user).filter(year=year, month=month)
    if unit:
        qs = qs.filter(region__code=unit)
    qs = qs.select_related("project", "region").order_by("region__sort_order", "project_id", "id")
    return [ReportOut.from_model(r) for r in qs]


@router.get(
    "/reports/{int:pk}", response={200: ReportDetailOut, 404: ErrorOut}, summary="月调度详情与更正记录"
)
@guard("dispatch.view")
def get_report(request, pk: Id):
    r = _report_or_404(request, pk)
    revisions = [
        {"version": v.version, "at": v.at, "by": v.by_name, "reason": v.reason, "data": v.data}
        for v in r.revisions.order_by("version", "id")
    ]
    return {**ReportOut.from_model(r), "revisions": revisions}


@router.post("/reports", response={201: ReportOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
             summary="报送项目月调度（已报送的月份请用 PATCH 更正）")  # fmt: skip
@guard("dispatch.report")
def submit_report(request, payload: ReportIn):
    scope = selectors.scoped_projects(request.user)
    project = (scope if scope is not None else Project.objects.all()).select_related("enterprise").filter(
        pk=payload.project_id).first()  # fmt: skip
    if project is None:
        raise not_found(Project, payload.project_id)
    data = payload.dict(exclude={"project_id", "year", "month"})
    with transaction.atomic():
        r = services.report_submit(user=request.user, project=project, year=payload.year, month=payload.month,
                                   data=data, at=timezone.now(), source="api")  # fmt: skip
    return Status(201, ReportOut.from_model(_report_or_404(request, r.pk)))


@router.patch("/reports/{int:pk}", response={200: ReportOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
              summary="更正月调度（须带 version 和更正原因；历史版本保留）")  # fmt: skip
@guard("dispatch.report")
def correct_report(request, pk: Id, payload: ReportPatch):
    r = _report_or_404(request, pk)
    data = payload.dict(exclude_unset=True)
    version, reason = data.pop("version"), data.pop("reason")
    with transaction.atomic():
        services.report_correct(user=request.user, report=r, data=data, reason=reason, at=timezone.now(),
                                expected_version=version, source="api")  # fmt: skip
    return ReportOut.from_model(_report_or_404(request, pk))


class ProjectStateOut(Schema):
    project_id: int
    name: str
    status: str
    submitted_at: dt.datetime | None


class UnitStatusOut(Schema):
    region_code: str
    region_name: str
    due: int
    on_time: int
    late: int
    missing: int
    pending: int
    late_projects: list[ProjectStateOut]
    missing_projects: list[ProjectStateOut]


@router.get("/status", response=list[UnitStatusOut], summary="某月各单位报送情况（按时、逾期、未报送）")
@guard("dispatch.monitor")
def reporting_status(request, year: int = Query(..., ge=2000, le=2100), month: int = Query(..., ge=1, le=12)):
    out = []
    for s in selectors.month_status(request.user, Month(year, month), now=timezone.now()):

        def states(items):
            return [{"project_id": st.line.id, "name": st.line.name, "status": st.status,
                     "submitted_at": st.submitted_at} for st in items]  # fmt: skip

        out.append({
            "region_code": s.region.code, "region_name": s.region.name, "due": s.due, "on_time": s.on_time,
            "late": s.late, "missing": s.missing, "pending": s.pending, "late_projects": states(s.late_projects),
            "missing_projects": states(s.missing_projects),
        })  # fmt: skip
    return out


class StatisticOut(Schema):
    region_code: str
    year: int
    month: int
    industrial_investment_ytd_yuan: str | None
    tech_investment_ytd_yuan: str | None
    industrial_growth: str | None
    tech_growth: str | None
    tech_rank: int


class StatisticIn(Schema):
    model_config = ConfigDict(extra="forbid")
    region_code: str
    year: int = Field(ge=2000, le=2100)
    month: int = Field(ge=1, le=12)
    industrial_investment_ytd_yuan: Yuan
    tech_investment_ytd_yuan: Yuan
    note: str = Field("", max_length=200)
    version: int | None = None


def _ratio(v):
    return None if v is None else str(v.quantize(Decimal("0.000001")))


@router.get(
    "/statistics", response=list[StatisticOut], summary="各单位统计数据（1月至本月累计）、同比增长与排名"
)
@guard("dispatch.monitor")
def list_statistics(request, year: int = Query(..., ge=2000, le=2100), month: int = Query(..., ge=1, le=12)):
    visible = {u.pk for u in selectors.visible_units(request.user)}
    return [
        {"region_code": g.code, "year": year, "month": month,
         "industrial_investment_ytd_yuan": None if g.industrial_ytd is None else f"{g.industrial_ytd:.2f}",
         "tech_investment_ytd_yuan": None if g.tech_ytd is None else f"{g.tech_ytd:.2f}",
         "industrial_growth": _ratio(g.industrial_growth), "tech_growth": _ratio(g.tech_growth),
         "tech_rank": g.tech_rank}
        for g in selectors.investment_growth(year=year, month=month) if g.region_id in visible
    ]  # fmt: skip


@router.put("/statistics", response={200: StatisticOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
            summary="填报或更正某单位某月的统计数据")  # fmt: skip
@guard("dispatch.statistics")
def put_statistic(request, payload: StatisticIn):
    region = Region.objects.filter(code=payload.region_code, level=Region.Level.UNIT).first()
    if region is None or (request.user.role == Role.CLERK and region.pk != request.user.region_id):
        raise not_found(Region, region.pk if region else None)
    with transaction.atomic():
        services.statistic_save(
            user=request.user, region=region, year=payload.year, month=payload.month,
            industrial_yuan=payload.industrial_investment_ytd_yuan, tech_yuan=payload.tech_investment_ytd_yuan,
            note=payload.note, at=timezone.now(), expected_version=payload.version, source="api",
        )  # fmt: skip
    g = next(
        g
        for g in selectors.investment_growth(year=payload.year, month=payload.month)
        if g.region_id == region.pk
    )
    return {"region_code": region.code, "year": payload.year, "month": payload.month,
            "industrial_investment_ytd_yuan": f"{g.industrial_ytd:.2f}", "tech_investment_ytd_yuan": f"{g.tech_ytd:.2f}",
            "industrial_growth": _ratio(g.industrial_growth), "tech_growth": _ratio(g.tech_growth),
            "tech_rank": g.tech_rank}  # fmt: skip


class BulletinOut(Schema):
    id: int
    year: int
    month: int
    edition: int
    document_number: str
    title: str
    issue_date: dt.date
    correction_reason: str
    published_at: dt.datetime
    snapshot_sha256: str

    @staticmethod
    def from_model(b: Bulletin) -> dict:
        return {
            "id": b.pk, "year": b.year, "month": b.month, "edition": b.edition, "document_number": b.document_number,
            "title": b.title, "issue_date": b.issue_date, "correction_reason": b.correction_reason,
            "published_at": b.published_at, "snapshot_sha256": b.snapshot_sha256,
        }  # fmt: skip


class BulletinDetailOut(BulletinOut):
    snapshot: dict


class BulletinPublishIn(Schema):
    model_config = ConfigDict(extra="forbid")
    year: int = Field(ge=2000, le=2100)
    month: int = Field(ge=1, le=12)
    issue_date: dt.date | None = None


class CorrectIn(Schema):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(max_length=500)
    issue_date: dt.date | None = None


def _bulletin_or_404(pk: int) -> Bulletin:
    b = Bulletin.objects.filter(pk=pk).first()
    if b is None:
        raise Http404
    return b


@router.get("/bulletins", response=list[BulletinOut], summary="已发布的月通报")
@guard("dispatch.bulletin")
def list_bulletins(request):
    return [BulletinOut.from_model(b) for b in selectors.bulletin_list()]


@router.get(
    "/bulletins/{int:pk}", response={200: BulletinDetailOut, 404: ErrorOut}, summary="月通报及其冻结数据"
)
@guard("dispatch.bulletin")
def get_bulletin(request, pk: Id):
    b = _bulletin_or_404(pk)
    return {**BulletinOut.from_model(b), "snapshot": b.snapshot}


@router.get(
    "/bulletins/{int:pk}/bulletin.docx",
    response={200: None, 404: ErrorOut},
    summary="月通报 Word（公文格式）",
)
@guard("dispatch.bulletin")
def bulletin_docx(request, pk: Id) -> HttpResponse:
    b = _bulletin_or_404(pk)
    audit.record("export", obj=b, message="API 下载月通报 .docx")
    return docx_response(render.filename(b.snapshot, ".docx"), render.docx_bytes(b.snapshot))


@router.get(
    "/bulletins/{int:pk}/bulletin.xlsx", response={200: None, 404: ErrorOut}, summary="月通报 Excel 表格"
)
@guard("dispatch.bulletin")
def bulletin_xlsx(request, pk: Id) -> HttpResponse:
    b = _bulletin_or_404(pk)
    audit.record("export", obj=b, message="API 下载月通报 .xlsx")
    return xlsx_response(render.filename(b.snapshot, ".xlsx"), render.xlsx_bytes(b.snapshot))


@router.post("/bulletins", response={201: BulletinOut, 400: ErrorOut}, summary="发布某月通报（数据冻结）")
@guard("dispatch.publish")
def publish_bulletin(request, payload: BulletinPublishIn):
    b = services.bulletin_publish(user=request.user, year=payload.year, month=payload.month, at=timezone.now(),
                                  issue_date=payload.issue_date)  # fmt: skip
    return Status(201, BulletinOut.from_model(b))


@router.post("/bulletins/{int:pk}/corrections", response={201: BulletinOut, 400: ErrorOut, 404: ErrorOut},
             summary="发布更正版（原通报保留）")  # fmt: skip
@guard("dispatch.publish")
def correct_bulletin(request, pk: Id, payload: CorrectIn):
    b = _bulletin_or_404(pk)
    new = services.bulletin_correct(user=request.user, bulletin=b, reason=payload.reason, at=timezone.now(),
                                    issue_date=payload.issue_date)  # fmt: skip
    return Status(201, BulletinOut.from_model(new))
