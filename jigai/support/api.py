"""/api/v1/support routes for the enterprise services (3.3, 3.5, 4.2): the same permissions, row-level
scoping, validation and audit as the pages (another unit's or enterprise's record answers 404)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from jigai.accounts.models import User
from jigai.accounts.permissions import guard, not_found
from jigai.core import audit
from jigai.core.errors import NotFoundError, ValidationError
from jigai.core.params import Id
from jigai.core.schemas import ErrorOut
from jigai.documents.http import docx_response
from jigai.registry.models import Project

from . import documents, selectors, services
from .conf import Kind
from .models import (
    Acquisition,
    Approval,
    ApprovalItem,
    Filing,
    FollowUp,
    LandKind,
    Meeting,
    Outcome,
    ProjectType,
    State,
)

router = Router(tags=["企业服务"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _person(u) -> str:
    return u.display_name or u.get_username()


class SecretaryOut(Schema):
    username: str
    name: str
    phone: str
    unit: str
    version: int


class ItemOut(Schema):
    id: int
    project_id: int
    kind: str
    kind_label: str
    department: str
    state: str
    state_label: str
    time_limit_days: int
    started_date: dt.date | None
    due_date: dt.date | None
    done_date: dt.date | None
    overdue: bool
    note: str
    source: str
    version: int

    @staticmethod
    def from_model(i: ApprovalItem, today: dt.date) -> dict:
        return {
            "id": i.pk,
            "project_id": i.project_id,
            "kind": i.kind,
            "kind_label": str(i.get_kind_display()),
            "department": i.department,
            "state": i.state,
            "state_label": str(i.get_state_display()),
            "time_limit_days": i.time_limit_days,
            "started_date": i.started_date,
            "due_date": i.due_date,
            "done_date": i.done_date,
            "overdue": i.state == State.IN_PROGRESS and i.due_date is not None and i.due_date < today,
            "note": i.note,
            "source": i.source,
            "version": i.version,
        }


class FilingOut(Schema):
    id: int
    project_id: int
    filing_date: dt.date
    project_type: str
    new_land_area_m2: str
    outcome: str
    outcome_label: str
    number: str | None
    reasons: list[dict]
    approvals: list[str]
    filed_by: str
    filed_at: dt.datetime

    @staticmethod
    def from_model(f: Filing) -> dict:
        return {
            "id": f.pk,
            "project_id": f.project_id,
            "filing_date": f.filing_date,
            "project_type": f.project_type,
            "new_land_area_m2": f"{f.new_land_area_m2:f}",
            "outcome": f.outcome,
            "outcome_label": str(f.get_outcome_display()),
            "number": str(documents.receipt_number(f)) if f.outcome == Outcome.ELIGIBLE else None,
            "reasons": f.reasons,
            "approvals": f.approvals,
            "filed_by": f.filed_by.username,
            "filed_at": f.filed_at,
        }


class LandOut(Schema):
    land_kind: str
    industrial_land: bool
    area_m2: str
    plot_ratio_before: str
    plot_ratio_after: str
    change_of_use: bool
    conforms_urban_plan: bool
    within_original_site: bool
    multi_storey: bool
    extra_floors: bool
    underground: bool
    acquisition: str
    approval: str
    approval_date: dt.date | None
    application_date: dt.date
    version: int
    determination: dict


class ProjectServicesOut(Schema):
    project_id: int
    name: str
    is_key: bool
    secretary: SecretaryOut | None
    items: list[ItemOut]
    land: LandOut | None
    filings: list[FilingOut]


def _project_or_404(request, pk: int) -> Project:
    p = selectors.project_detail(request.user, pk)
    if p is None:
        raise not_found(Project, pk)
    return p


def _services(project: Project) -> dict:
    today = timezone.localdate()
    s = selectors.secretary_of(project)
    land = selectors.land_of(project)
    land_out = None
    if land is not None:
        land_out = {
            **{f: getattr(land, f) for f in services.LAND_FLAGS},
            "land_kind": land.land_kind,
            "area_m2": f"{land.area_m2:f}",
            "plot_ratio_before": f"{land.plot_ratio_before:f}",
            "plot_ratio_after": f"{land.plot_ratio_after:f}",
            "acquisition": land.acquisition,
            "approval": land.approval,
            "approval_date": land.approval_date,
            "application_date": land.application_date,
            "version": land.version,
            "determination": services.land_decision(land).to_dict(),
        }
    return {
        "project_id": project.pk,
        "name": project.name,
        "is_key": project.is_key,
        "secretary": {
            "username": s.user.username,
            "name": _person(s.user),
            "phone": s.phone,
            "unit": s.user.region.name if s.user.region_id else "州项目办",
            "version": s.version,
        }
        if s
        else None,
        "items": [ItemOut.from_model(i, today) for i in selectors.project_items(project)],
        "land": land_out,
        "filings": [
            FilingOut.from_model(f)
            for f in project.filings.select_related("filed_by").order_by("-filed_at", "-id")
        ],
    }


@router.get(
    "/projects/{int:pk}",
    response={200: ProjectServicesOut, 404: ErrorOut},
    summary="项目的企业服务：秘书、审批事项、用地、备案",
)
@guard("support.view")
def project_services(request, pk: Id):
    return _services(_project_or_404(request, pk))


class SecretaryIn(Schema):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(max_length=150, description="项目秘书的用户名（州项目办或县市经办人）")
    phone: str = Field(max_length=40)
    version: int | None = Field(None, ge=0, le=2**31, description="修改已有秘书时为其版本号")


@router.put(
    "/projects/{int:pk}/secretary",
    response={200: ProjectServicesOut, **ERRORS},
    summary="指定项目秘书（州项目办）",
)
@guard("support.secretary")
def put_secretary(request, pk: Id, payload: SecretaryIn):
    project = _project_or_404(request, pk)
    user = User.objects.filter(username__iexact=payload.username).first()
    if user is None:
        raise ValidationError({"username": [gettext("用户不存在：%(name)s") % {"name": payload.username}]})
    services.secretary_assign(
        user=request.user,
        project=project,
        secretary=user,
        phone=payload.phone,
        expected_version=payload.version,
        at=timezone.now(),
    )
    return _services(project)


class ItemPage(Schema):
    items: list[ItemOut]


@router.get("/items", response=ItemPage, summary="审批事项列表（可按项目筛选，overdue=true 只看逾期）")
@guard("support.view")
def list_items(request, project_id: Id | None = None, overdue: bool = False):
    today = timezone.localdate()
    qs = selectors.overdue_items(request.user, today) if overdue else selectors.items_for(request.user)
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    return {"items": [ItemOut.from_model(i, today) for i in qs.order_by("project_id", "kind", "id")[:1000]]}


class FactsIn(Schema):
    model_config = ConfigDict(extra="forbid")
    project_type: ProjectType
    new_land_area_m2: Decimal = Field(Decimal("0"), ge=0, le=Decimal("9999999999.99"), decimal_places=2)
    advanced_mature_process: bool = False
    changes_pollutant_discharge: bool = False
    involves_major_hazard: bool = False
    new_buildings: bool = False
    energy_review_required: bool = False


class ProposeOut(Schema):
    outcome: str
    approvals: list[str]
    created: list[ItemOut]


@router.post(
    "/projects/{int:pk}/items/propose", response={200: ProposeOut, **ERRORS}, summary="按第3.5条提出审批事项"
)
@guard("support.approval")
def propose_items(request, pk: Id, payload: FactsIn):
    project = _project_or_404(request, pk)
    today = timezone.localdate()
    decision, created = services.approvals_propose(
        user=request.user, project=project, facts=payload.dict(), today=today, at=timezone.now()
    )
    return {
        "outcome": decision.outcome,
        "approvals": list(decision.approvals or ()),
        "created": [ItemOut.from_model(i, today) for i in created],
    }


class ItemAddIn(Schema):
    model_config = ConfigDict(extra="forbid")
    kind: Kind
    note: str = Field("", max_length=500)


@router.post("/projects/{int:pk}/items", response={201: ItemOut, **ERRORS}, summary="添加审批事项")
@guard("support.approval")
def add_item(request, pk: Id, payload: ItemAddIn):
    project = _project_or_404(request, pk)
    item = services.approval_add(
        user=request.user, project=project, kind=payload.kind, note=payload.note, at=timezone.now()
    )
    return Status(201, ItemOut.from_model(item, timezone.localdate()))


class ItemIn(Schema):
    model_config = ConfigDict(extra="forbid")
    state: State
    department: str = Field(max_length=60)
    time_limit_days: int = Field(ge=1, le=365)
    started_date: dt.date | None = None
    done_date: dt.date | None = None
    note: str = Field("", max_length=500)
    version: int = Field(ge=0, le=2**31)


@router.put(
    "/items/{int:pk}", response={200: ItemOut, **ERRORS}, summary="更新审批事项（状态、部门、时限、日期）"
)
@guard("support.approval")
def put_item(request, pk: Id, payload: ItemIn):
    item = selectors.item_detail(request.user, pk)
    if item is None:
        raise not_found(ApprovalItem, pk)
    data = payload.dict()
    item = services.approval_update(
        user=request.user, item=item, expected_version=data.pop("version"), at=timezone.now(), **data
    )
    return ItemOut.from_model(item, timezone.localdate())


class FilingIn(FactsIn):
    project_id: Id
    filing_date: dt.date
    content: str = Field(max_length=5000)


class FilingPage(Schema):
    items: list[FilingOut]


@router.get("/filings", response=FilingPage, summary="网上备案列表")
@guard("support.view")
def list_filings(request, project_id: Id | None = None):
    qs = selectors.filings_for(request.user)
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    return {"items": [FilingOut.from_model(f) for f in qs.order_by("-filed_at", "-id")[:500]]}


@router.post(
    "/filings", response={201: FilingOut, **ERRORS}, summary="网上备案（第3.5条，符合条件即时出具回执）"
)
@guard("support.filing")
def create_filing(request, payload: FilingIn):
    project = _project_or_404(request, payload.project_id)
    data = payload.dict()
    facts = {k: data[k] for k in FactsIn.model_fields}
    f = services.filing_submit(
        user=request.user,
        project=project,
        facts=facts,
        content=payload.content,
        filing_date=payload.filing_date,
        at=timezone.now(),
    )
    return Status(201, FilingOut.from_model(f))


def _filing_or_404(request, pk: int) -> Filing:
    f = selectors.filing_detail(request.user, pk)
    if f is None:
        raise not_found(Filing, pk)
    return f


@router.get("/filings/{int:pk}", response={200: FilingOut, 404: ErrorOut}, summary="网上备案详情")
@guard("support.view")
def get_filing(request, pk: Id):
    return FilingOut.from_model(_filing_or_404(request, pk))


@router.get(
    "/filings/{int:pk}/receipt.docx", response={200: None, 404: ErrorOut}, summary="备案回执 Word（公文格式）"
)
@guard("support.view")
def filing_receipt(request, pk: Id) -> HttpResponse:
    f = _filing_or_404(request, pk)
    if f.outcome != Outcome.ELIGIBLE:
        raise NotFoundError(gettext("该备案不符合“零审批”条件，没有备案回执"))
    audit.record("export", obj=f, message=f"API 下载备案回执 {documents.receipt_number(f)}")
    with translation.override("zh-hans"):  # an official document: Chinese whatever the request's language
        data = documents.filing_receipt(f).to_bytes()
    return docx_response(f"{documents.receipt_title(f)}.docx", data)


class LandIn(Schema):
    model_config = ConfigDict(extra="forbid")
    land_kind: LandKind
    industrial_land: bool = True
    area_m2: Decimal = Field(ge=0, le=Decimal("9999999999.99"), decimal_places=2)
    plot_ratio_before: Decimal = Field(ge=0, le=Decimal("9999.99"), decimal_places=2)
    plot_ratio_after: Decimal = Field(ge=0, le=Decimal("9999.99"), decimal_places=2)
    change_of_use: bool = False
    conforms_urban_plan: bool = True
    within_original_site: bool = True
    multi_storey: bool = False
    extra_floors: bool = False
    underground: bool = False
    acquisition: Acquisition = Acquisition.NONE
    approval: Approval = Approval.PENDING
    approval_date: dt.date | None = None
    application_date: dt.date
    version: int | None = Field(None, ge=0, le=2**31)


@router.put(
    "/projects/{int:pk}/land", response={200: ProjectServicesOut, **ERRORS}, summary="登记项目用地（第3.3条）"
)
@guard("support.land")
def put_land(request, pk: Id, payload: LandIn):
    project = _project_or_404(request, pk)
    data = payload.dict()
    version = data.pop("version")
    services.land_save(
        user=request.user, project=project, data=data, expected_version=version, at=timezone.now()
    )
    return _services(project)


class PriorityIn(Schema):
    model_config = ConfigDict(extra="forbid")
    kinds: list[Kind] = Field(min_length=1, max_length=3)
    started_date: dt.date


@router.post(
    "/projects/{int:pk}/land/priority",
    response={200: ProjectServicesOut, **ERRORS},
    summary="用地优先规划、报批、供应（第3.3条）",
)
@guard("support.land")
def land_priority(request, pk: Id, payload: PriorityIn):
    project = _project_or_404(request, pk)
    services.land_priority(
        user=request.user,
        project=project,
        kinds=list(payload.kinds),
        started_date=payload.started_date,
        at=timezone.now(),
    )
    return _services(project)


class FollowUpOut(Schema):
    id: int
    decision: str
    project_id: int | None
    owner: str
    time_limit_days: int
    due_date: dt.date
    done_date: dt.date | None
    result: str
    overdue: bool
    version: int

    @staticmethod
    def from_model(f: FollowUp, today: dt.date) -> dict:
        return {
            "id": f.pk,
            "decision": f.decision,
            "project_id": f.project_id,
            "owner": f.owner.username,
            "time_limit_days": f.time_limit_days,
            "due_date": f.due_date,
            "done_date": f.done_date,
            "result": f.result,
            "overdue": f.done_date is None and f.due_date < today,
            "version": f.version,
        }


class MeetingOut(Schema):
    id: int
    kind: str
    title: str
    date: dt.date
    chair: str
    participants: str
    problems: str
    project_ids: list[int]
    followups: list[FollowUpOut]

    @staticmethod
    def from_model(m: Meeting) -> dict:
        today = timezone.localdate()
        return {
            "id": m.pk,
            "kind": m.kind,
            "title": m.title,
            "date": m.date,
            "chair": m.chair,
            "participants": m.participants,
            "problems": m.problems,
            "project_ids": sorted(p.pk for p in m.projects.all()),
            "followups": [
                FollowUpOut.from_model(f, today) for f in m.followups.select_related("owner").order_by("id")
            ],
        }


class MeetingPage(Schema):
    items: list[MeetingOut]


@router.get("/meetings", response=MeetingPage, summary="会商与领导挂点联系记录")
@guard("support.meeting.view")
def list_meetings(request):
    qs = selectors.meetings_for(request.user).order_by("-date", "-id")[:200]
    return {"items": [MeetingOut.from_model(m) for m in qs]}


def _meeting_or_404(request, pk: int) -> Meeting:
    m = selectors.meeting_detail(request.user, pk)
    if m is None:
        raise not_found(Meeting, pk)
    return m


@router.get("/meetings/{int:pk}", response={200: MeetingOut, 404: ErrorOut}, summary="会商详情")
@guard("support.meeting.view")
def get_meeting(request, pk: Id):
    return MeetingOut.from_model(_meeting_or_404(request, pk))


@router.get(
    "/meetings/{int:pk}/minutes.docx",
    response={200: None, 404: ErrorOut},
    summary="会议纪要 Word（公文格式）",
)
@guard("support.meeting.view")
def meeting_minutes(request, pk: Id) -> HttpResponse:
    m = _meeting_or_404(request, pk)
    audit.record("export", obj=m, message=f"API 下载会议纪要 {m.title}")
    with translation.override("zh-hans"):  # an official document: Chinese whatever the request's language
        data = documents.meeting_minutes(m).to_bytes()
    return docx_response(f"{documents.minutes_title(m)}.docx", data)


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    decision: str = Field(max_length=500)
    owner: str = Field(max_length=150, description="责任人的用户名")
    time_limit_days: int = Field(ge=1, le=365)
    project_id: Id | None = None


class MeetingIn(Schema):
    model_config = ConfigDict(extra="forbid")
    kind: Meeting.Kind = Meeting.Kind.CONSULTATION
    title: str = Field(max_length=120)
    date: dt.date
    chair: str = Field(max_length=60)
    participants: str = Field(max_length=2000)
    project_ids: list[Id] = Field(default_factory=list, max_length=200)
    problems: str = Field("", max_length=20000)
    decisions: list[DecisionIn] = Field(default_factory=list, max_length=50)


@router.post("/meetings", response={201: MeetingOut, **ERRORS}, summary="登记会商及议定事项（州项目办）")
@guard("support.meeting")
def create_meeting(request, payload: MeetingIn):
    visible = selectors.projects_for(request.user)
    ids = set(payload.project_ids) | {d.project_id for d in payload.decisions if d.project_id}
    found = {p.pk: p for p in visible.filter(pk__in=ids)}
    missing = sorted(ids - set(found))
    if missing:
        raise ValidationError(
            {
                "project_ids": [
                    gettext("项目不存在：%(ids)s")
                    % {"ids": pgettext("list separator", "、").join(str(i) for i in missing)}
                ]
            }
        )
    names = {d.owner for d in payload.decisions}
    owners = {u.username.lower(): u for u in User.objects.filter(username__in=names)}
    unknown = sorted(n for n in names if n.lower() not in owners)
    if unknown:
        raise ValidationError(
            {
                "decisions": [
                    gettext("用户不存在：%(name)s") % {"name": pgettext("list separator", "、").join(unknown)}
                ]
            }
        )
    m = services.meeting_record(
        user=request.user,
        kind=payload.kind,
        title=payload.title,
        date=payload.date,
        chair=payload.chair,
        participants=payload.participants,
        projects=[found[i] for i in payload.project_ids],
        problems=payload.problems,
        decisions=[
            {
                "decision": d.decision,
                "owner": owners[d.owner.lower()],
                "time_limit_days": d.time_limit_days,
                "project": found.get(d.project_id) if d.project_id else None,
            }
            for d in payload.decisions
        ],
        at=timezone.now(),
    )
    return Status(201, MeetingOut.from_model(m))


class CloseIn(Schema):
    model_config = ConfigDict(extra="forbid")
    done_date: dt.date
    result: str = Field(max_length=500)
    version: int = Field(ge=0, le=2**31)


@router.post(
    "/followups/{int:pk}/close", response={200: FollowUpOut, **ERRORS}, summary="报告议定事项落实情况"
)
@guard("support.followup")
def close_followup(request, pk: Id, payload: CloseIn):
    f = selectors.followup_detail(request.user, pk)
    if f is None:
        raise not_found(FollowUp, pk)
    f = services.followup_close(
        user=request.user,
        followup=f,
        done_date=payload.done_date,
        result=payload.result,
        expected_version=payload.version,
        at=timezone.now(),
    )
    return FollowUpOut.from_model(f, timezone.localdate())


class MineOut(Schema):
    project_id: int
    name: str
    items: list[ItemOut]
    followups: list[FollowUpOut]


@router.get("/mine", response=list[MineOut], summary="我的项目（项目秘书）及待办")
@guard("support.view")
def mine(request):
    today = timezone.localdate()
    return [
        {
            "project_id": r["project"].pk,
            "name": r["project"].name,
            "items": [ItemOut.from_model(i, today) for i in r["items"]],
            "followups": [FollowUpOut.from_model(f, today) for f in r["followups"]],
        }
        for r in selectors.secretary_projects(request.user)
    ]
