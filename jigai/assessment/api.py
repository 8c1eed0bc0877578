"""/api/v1/assessment: rankings (and publishing them), interviews, early warning, targets, accountability —
the same reads, permissions and audit as the pages."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from jigai.accounts.models import Role
from jigai.accounts.permissions import guard, not_found
from jigai.core.errors import ValidationError
from jigai.core.params import Id
from jigai.core.schemas import ErrorOut
from jigai.dispatch.periods import FIRST_YEAR, LAST_YEAR

from . import accountability, selectors, services
from .models import CaseStatus, InterviewCase
from .periods import Period, PeriodError
from .ranking import BASES

router = Router(tags=["考核督办"])
# Months exist from 2000 to 2100 (dispatch.periods.Month); a day outside them has no figures.
AS_OF = Query(
    None, ge=dt.date(FIRST_YEAR, 1, 1), le=dt.date(LAST_YEAR, 12, 31), description="截至日期（默认今天）"
)


class RankRowOut(Schema):
    region_code: str
    name: str
    current_yuan: str | None
    base_yuan: str | None
    growth_pct: str | None = Field(description="增幅（百分数，两位小数，四舍五入）；无法计算时为 null")
    rank: int
    bottom: bool
    flags: list[str]
    explanation: str = ""
    readings: list[str] = []


class RankingOut(Schema):
    period: str
    label: str
    basis: str
    published: bool
    published_at: dt.datetime | None
    changed_since_publication: bool
    rows: list[RankRowOut]


class RankingPublishIn(Schema):
    model_config = ConfigDict(extra="forbid")
    basis: str = ""  # empty: the basis in force (4.3.ranking_basis)


class PublishOut(Schema):
    published: list[str]
    cases: int


class CaseOut(Schema):
    id: int
    region_code: str
    region_name: str
    year: int
    end_month: int
    periods: list[str]
    level: str
    level_label: str
    deputy_attends: bool
    status: str
    status_label: str
    principal: str
    deputy: str
    notice_number: str
    notice_date: dt.date | None
    figures: dict
    explanation: str
    held_date: dt.date | None = None
    follow_up_deadline_date: dt.date | None = None

    @staticmethod
    def from_model(c: InterviewCase) -> dict:
        record = getattr(c, "record", None)
        return {
            "id": c.pk, "region_code": c.region.code, "region_name": c.region.name, "year": c.year,
            "end_month": c.end_month, "periods": c.period_list, "level": c.level,
            "level_label": c.get_level_display(), "deputy_attends": c.deputy_attends, "status": c.status,
            "status_label": c.get_status_display(),
            "principal": " ".join(x for x in (c.principal_title, c.principal_name) if x),
            "deputy": " ".join(x for x in (c.deputy_title, c.deputy_name) if x),
            "notice_number": c.notice_number, "notice_date": c.notice_date,
            "figures": {p: {k: v for k, v in row.items() if k in RankRowOut.model_fields} for p, row in c.figures.items()},
            "explanation": c.explanation,
            "held_date": record.held_date if record else None,
            "follow_up_deadline_date": record.follow_up_deadline_date if record else None,
        }  # fmt: skip


class OutlookOut(Schema):
    period: str
    label: str
    as_of_month: int
    final: bool
    rows: list[RankRowOut]


class TargetOut(Schema):
    clause: str
    label: str
    scope: str
    region_code: str
    actual: str
    target: str
    expected: str
    status: str
    status_label: str
    progress_pct: str
    note: str


class OverdueOut(Schema):
    source: str
    unit: str
    department: str
    item: str
    deadline_date: dt.date
    days_overdue: int
    done_date: dt.date | None
    state: str
    url: str


def _period(text: str) -> Period:
    try:
        return Period.parse(text)
    except PeriodError as exc:
        raise ValidationError({"period": [str(exc)]}) from exc


def _basis(basis: str) -> str:
    if basis not in BASES:
        raise ValidationError({"basis": [f"口径应为 {' 或 '.join(BASES)}"]})
    return basis


@router.get("/rankings/{period}", response={200: RankingOut, 400: ErrorOut},
            summary="季度/半年技改投入增幅排名（已发布的为冻结数据）")  # fmt: skip
@guard("assessment.view")
def get_ranking(request, period: str, basis: str = ""):
    p = _period(period)
    b = _basis(basis or selectors.default_basis(p.year))
    view = selectors.ranking_view(p, b)
    return {
        "period": str(p), "label": p.label, "basis": b, "published": view.published is not None,
        "published_at": view.published.published_at if view.published else None,
        "changed_since_publication": view.changed_since, "rows": view.rows,
    }  # fmt: skip


@router.post("/rankings/{period}/publish", response={201: PublishOut, 400: ErrorOut, 409: ErrorOut},
             summary="发布排名（同一期末的季度与半年排名一并发布、冻结，并启动约谈）")  # fmt: skip
@guard("assessment.publish")
def publish_ranking(request, period: str, payload: RankingPublishIn):
    p = _period(period)
    b = _basis(payload.basis or selectors.default_basis(p.year))
    published = services.ranking_publish(user=request.user, period=p, basis=b, at=timezone.now())
    cases = InterviewCase.objects.filter(ranking__in=published).count()
    return Status(201, {"published": [r.period for r in published], "cases": cases})


@router.get("/interviews", response=list[CaseOut], summary="约谈（县市经办人只看到本单位的）")
@guard("assessment.view")
def list_interviews(
    request, year: int | None = Query(None, ge=2000, le=2100), status: str = "", region: str = ""
):
    status = status if status in CaseStatus.values else ""
    return [
        CaseOut.from_model(c)
        for c in selectors.case_list(request.user, year=year, status=status, region=region)
    ]


@router.get("/interviews/{int:pk}", response={200: CaseOut, 404: ErrorOut}, summary="约谈详情")
@guard("assessment.view")
def get_interview(request, pk: Id):
    case = selectors.case_detail(request.user, pk)
    if case is None:
        raise not_found(InterviewCase, pk)
    return CaseOut.from_model(case)


@router.get("/warning", response={200: list[OutlookOut], 400: ErrorOut}, summary="排名预警：据已报送月份推算")
@guard("assessment.view")
def get_warning(
    request,
    year: int = Query(..., ge=2000, le=2100),
    month: int = Query(..., ge=1, le=12),
    basis: str = "",
):
    b = _basis(basis or selectors.default_basis(year))
    return [
        {"period": str(o.period), "label": o.label, "as_of_month": o.as_of_month, "final": o.final,
         "rows": [r.as_record() for r in o.result.rows]}
        for o in selectors.warning_compute(year, month, b)
    ]  # fmt: skip


@router.get("/targets", response=list[TargetOut], summary="目标任务（2.1、2.2）：全州及各单位")
@guard("assessment.view")
def get_targets(request, year: int = Query(..., ge=2000, le=2100), as_of: dt.date | None = AS_OF):
    report = selectors.targets_report(year, as_of=as_of or timezone.localdate())
    out = []
    for line in report.lines:
        out.append(line.as_dict())
        out.extend(d.as_dict() for d in line.details)
    return out


@router.get(
    "/targets/programme", response=list[TargetOut], summary="三年目标（2.1.a）：每年比上年增长，对照当年目标"
)
@guard("assessment.view")
def get_targets_programme(request, year: int = Query(..., ge=2000, le=2100), as_of: dt.date | None = AS_OF):
    """2.1.a's 年增长 per programme year, each against its own previous year (issue 13, point 9)."""
    report = selectors.targets_report(year, as_of=as_of or timezone.localdate())
    return [line.as_dict() for line in report.programme]


@router.get("/accountability", response=list[OverdueOut], summary="问责清单：逾期未办、逾期办理的事项")
@guard("assessment.view")
def get_accountability(request, as_of: dt.date | None = AS_OF):
    region_id = request.user.region_id if request.user.role == Role.CLERK else None
    items = accountability.overdue_items(as_of=as_of or timezone.localdate(), region_id=region_id)
    return [i.as_dict() for i in items]
