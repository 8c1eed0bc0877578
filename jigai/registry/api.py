"""/api/v1 routes for enterprises and projects: same filters, permissions and audit as the pages."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from jigai.accounts.permissions import guard, not_found
from jigai.core import audit
from jigai.core.errors import ValidationError
from jigai.core.models import ChampionIndustry, Industry, Region
from jigai.core.money import Yuan
from jigai.core.params import Id, Year
from jigai.core.schemas import ErrorOut

from . import selectors, services
from .models import Enterprise, Project, ProjectStatus

router = Router(tags=["项目库"])


class EnterpriseOut(Schema):
    id: int
    name: str
    credit_code: str
    region_code: str
    industry_code: str
    champion_industry: str | None
    registered_in_prefecture: bool
    contact_person: str
    contact_phone: str
    address: str
    version: int

    @staticmethod
    def from_model(e: Enterprise) -> dict:
        return {
            "id": e.pk,
            "name": e.name,
            "credit_code": e.credit_code,
            "region_code": e.region.code,
            "industry_code": e.industry.code,
            "champion_industry": e.champion_industry.code if e.champion_industry_id else None,
            "registered_in_prefecture": e.registered_in_prefecture,
            "contact_person": e.contact_person,
            "contact_phone": e.contact_phone,
            "address": e.address,
            "version": e.version,
        }


class EnterpriseIn(Schema):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=100)
    credit_code: str = Field(max_length=24)
    region_code: str
    industry_code: str
    champion_industry: str | None = None
    registered_in_prefecture: bool = True
    contact_person: str = Field("", max_length=40)
    contact_phone: str = Field("", max_length=40)
    address: str = Field("", max_length=200)


class EnterprisePatch(Schema):
    model_config = ConfigDict(extra="forbid")
    # An omitted field stays as it is; null clears only what may be empty (重点行业), elsewhere it is a 422.
    version: int
    name: str = Field(None, max_length=100)
    credit_code: str = Field(None, max_length=24)
    region_code: str = None
    industry_code: str = None
    champion_industry: str | None = None
    registered_in_prefecture: bool = None
    contact_person: str = Field(None, max_length=40)
    contact_phone: str = Field(None, max_length=40)
    address: str = Field(None, max_length=200)


class Page(Schema):
    count: int
    page: int
    page_size: int


class EnterprisePage(Page):
    items: list[EnterpriseOut]


class ProjectOut(Schema):
    id: int
    name: str
    enterprise_id: int
    enterprise_name: str
    credit_code: str
    region_code: str
    content: str
    project_code: str | None
    industry_code: str
    total_investment_yuan: str
    equipment_investment_yuan: str
    fixed_asset_investment_yuan: str
    planned_start_date: dt.date | None
    planned_completion_date: dt.date | None
    actual_start_date: dt.date | None
    actual_completion_date: dt.date | None
    plan_years: list[int]
    conforms_industrial_policy: bool
    is_key: bool
    is_demonstration: bool
    zero_new_land: bool
    leader_name: str
    leader_title: str
    status: str
    status_label: str
    version: int

    @staticmethod
    def from_model(p: Project) -> dict:
        return {
            "id": p.pk,
            "name": p.name,
            "enterprise_id": p.enterprise_id,
            "enterprise_name": p.enterprise.name,
            "credit_code": p.enterprise.credit_code,
            "region_code": p.region.code,
            "content": p.content,
            "project_code": p.project_code,
            "industry_code": p.industry.code,
            "total_investment_yuan": f"{p.total_investment_yuan:.2f}",
            "equipment_investment_yuan": f"{p.equipment_investment_yuan:.2f}",
            "fixed_asset_investment_yuan": f"{p.fixed_asset_investment_yuan:.2f}",
            "planned_start_date": p.planned_start_date,
            "planned_completion_date": p.planned_completion_date,
            "actual_start_date": p.actual_start_date,
            "actual_completion_date": p.actual_completion_date,
            "plan_years": [y.year for y in p.plan_years.all()],
            "conforms_industrial_policy": p.conforms_industrial_policy,
            "is_key": p.is_key,
            "is_demonstration": p.is_demonstration,
            "zero_new_land": p.zero_new_land,
            "leader_name": p.leader_name,
            "leader_title": p.leader_title,
            "status": p.status,
            "status_label": str(ProjectStatus(p.status).label),
            "version": p.version,
        }


class ProjectPage(Page):
    items: list[ProjectOut]


class ProjectIn(Schema):
    model_config = ConfigDict(extra="forbid")
    enterprise_id: Id
    region_code: str | None = None
    name: str = Field(max_length=120)
    content: str = ""
    project_code: str | None = Field(None, max_length=40)
    industry_code: str
    total_investment_yuan: Yuan
    equipment_investment_yuan: Yuan
    fixed_asset_investment_yuan: Yuan
    planned_start_date: dt.date | None = None
    planned_completion_date: dt.date | None = None
    actual_start_date: dt.date | None = None
    actual_completion_date: dt.date | None = None
    plan_years: list[Year] = []
    conforms_industrial_policy: bool = True
    is_key: bool = False
    is_demonstration: bool = False
    zero_new_land: bool = False
    leader_name: str = Field("", max_length=40)
    leader_title: str = Field("", max_length=60)


class ProjectPatch(Schema):
    model_config = ConfigDict(extra="forbid")
    # An omitted field stays as it is; null clears only what may be empty (项目代码、日期), elsewhere it is a 422.
    version: int
    name: str = Field(None, max_length=120)
    content: str = None
    project_code: str | None = Field(None, max_length=40)
    industry_code: str = None
    total_investment_yuan: Yuan = None
    equipment_investment_yuan: Yuan = None
    fixed_asset_investment_yuan: Yuan = None
    planned_start_date: dt.date | None = None
    planned_completion_date: dt.date | None = None
    actual_start_date: dt.date | None = None
    actual_completion_date: dt.date | None = None
    plan_years: list[Year] = None
    conforms_industrial_policy: bool = None
    is_key: bool = None
    is_demonstration: bool = None
    zero_new_land: bool = None
    leader_name: str = Field(None, max_length=40)
    leader_title: str = Field(None, max_length=60)


class TransitionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    to_status: str
    reason: str = Field(max_length=500)
    effective_date: dt.date | None = None
    version: int | None = None


class ProjectQuery(Schema):
    region: str = ""
    status: str = ""
    year: Year | None = None
    industry: str = ""
    flag: list[str] = []
    q: str = ""
    enterprise: Id | None = None
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=500)


def _lookup(model, field_name: str, code, label: str, **extra):
    if code is None:
        return None
    obj = model.objects.filter(code=code, **extra).first()
    if obj is None:
        raise ValidationError({field_name: [f"未知的{label}代码：{code}"]})
    return obj


def _enterprise_data(payload: dict) -> dict:
    data = dict(payload)
    if "region_code" in data:
        data["region"] = _lookup(Region, "region_code", data.pop("region_code"), "报送单位", level="unit")
    if "industry_code" in data:
        data["industry"] = _lookup(Industry, "industry_code", data.pop("industry_code"), "行业")
    if "champion_industry" in data:
        data["champion_industry"] = _lookup(
            ChampionIndustry, "champion_industry", data["champion_industry"], "重点行业"
        )
    return data


def _paged(qs, page: int, page_size: int):
    count = qs.count()
    start = (page - 1) * page_size
    if start >= count:  # past the end: no query, and no OFFSET too large for the database's integer
        return count, []
    return count, list(qs[start : start + page_size])


@router.get("/enterprises", response=EnterprisePage, summary="企业列表")
@guard("enterprise.view")
def list_enterprises(
    request,
    region: str = "",
    industry: str = "",
    q: str = "",
    page: int = Query(1, ge=1),
    page_size: int = Query(50, ge=1, le=500),
):
    qs = selectors.enterprise_list(request.user, region=region, industry=industry, q=q)
    count, rows = _paged(qs, page, page_size)
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "items": [EnterpriseOut.from_model(e) for e in rows],
    }


def _enterprise_or_404(request, pk: int) -> Enterprise:
    e = (
        selectors.enterprise_queryset(request.user)
        .select_related("region", "industry", "champion_industry")
        .filter(pk=pk)
        .first()
    )
    if e is None:
        raise not_found(Enterprise, pk)
    return e


@router.get("/enterprises/{int:pk}", response={200: EnterpriseOut, 404: ErrorOut}, summary="企业详情")
@guard("enterprise.view")
def get_enterprise(request, pk: Id):
    return EnterpriseOut.from_model(_enterprise_or_404(request, pk))


@router.post("/enterprises", response={201: EnterpriseOut, 400: ErrorOut, 403: ErrorOut}, summary="登记企业")
def create_enterprise(request, payload: EnterpriseIn):
    with transaction.atomic():
        e = services.enterprise_create(user=request.user, data=_enterprise_data(payload.dict()))
    return Status(201, EnterpriseOut.from_model(e))


@router.patch(
    "/enterprises/{int:pk}",
    response={200: EnterpriseOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="修改企业（须带 version）",
)
@guard("enterprise.edit")
def update_enterprise(request, pk: Id, payload: EnterprisePatch):
    e = _enterprise_or_404(request, pk)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    e = services.enterprise_update(
        user=request.user, enterprise=e, data=_enterprise_data(data), expected_version=version
    )
    return EnterpriseOut.from_model(_enterprise_or_404(request, pk))


class ScaleIn(Schema):
    model_config = ConfigDict(extra="forbid")
    above_scale: bool
    revenue_yuan: Yuan | None = None


class ScaleOut(Schema):
    year: int
    above_scale: bool
    revenue_yuan: str | None


@router.put(
    "/enterprises/{int:pk}/scale/{int:year}",
    response={200: ScaleOut, 400: ErrorOut, 404: ErrorOut},
    summary="设置某年度规上状态",
)
@guard("enterprise.create")
def set_scale(request, pk: Id, year: Year, payload: ScaleIn):
    e = _enterprise_or_404(request, pk)
    row = services.enterprise_scale_set(
        user=request.user,
        enterprise=e,
        year=year,
        above_scale=payload.above_scale,
        revenue_yuan=payload.revenue_yuan,
    )
    return {
        "year": row.year,
        "above_scale": row.above_scale,
        "revenue_yuan": f"{row.revenue_yuan:.2f}" if row.revenue_yuan is not None else None,
    }


def _project_filters(filters: ProjectQuery) -> selectors.ProjectFilters:
    """The page's filters from the API's query: the list and its export select the same projects."""
    return selectors.ProjectFilters.from_params(
        {
            "region": filters.region,
            "status": filters.status,
            "year": filters.year or "",
            "industry": filters.industry,
            "flag": filters.flag,
            "q": filters.q,
            "enterprise": filters.enterprise or "",
        }
    )


@router.get("/projects", response=ProjectPage, summary="项目列表（与页面相同的筛选条件）")
@guard("project.view")
def list_projects(request, filters: Query[ProjectQuery]):
    f = _project_filters(filters)
    qs = selectors.project_list(request.user, f)
    count, rows = _paged(qs, filters.page, filters.page_size)
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [ProjectOut.from_model(p) for p in rows],
    }


def _project_or_404(request, pk: int) -> Project:
    p = selectors.project_detail(request.user, pk)
    if p is None:
        raise not_found(Project, pk)
    return p


@router.get("/projects/{int:pk}", response={200: ProjectOut, 404: ErrorOut}, summary="项目详情")
@guard("project.view")
def get_project(request, pk: Id):
    return ProjectOut.from_model(_project_or_404(request, pk))


def _project_data(request, data: dict) -> dict:
    if "enterprise_id" in data:
        ent = selectors.enterprise_queryset(request.user).filter(pk=data.pop("enterprise_id")).first()
        if ent is None:
            raise ValidationError({"enterprise_id": ["企业不存在或无权访问"]})
        data["enterprise"] = ent
        if not data.get("region_code"):
            data["region"] = ent.region
    if data.get("region_code"):
        data["region"] = _lookup(Region, "region_code", data.pop("region_code"), "报送单位", level="unit")
    data.pop("region_code", None)
    if "industry_code" in data:
        data["industry"] = _lookup(Industry, "industry_code", data.pop("industry_code"), "行业")
    return data


@router.post("/projects", response={201: ProjectOut, 400: ErrorOut, 403: ErrorOut}, summary="登记项目")
@guard("project.create")
def create_project(request, payload: ProjectIn):
    data = payload.dict()
    plan_years = data.pop("plan_years")
    with transaction.atomic():
        p = services.project_create(
            user=request.user, data=_project_data(request, data), plan_years=plan_years
        )
    return Status(201, ProjectOut.from_model(_project_or_404(request, p.pk)))


@router.patch(
    "/projects/{int:pk}",
    response={200: ProjectOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="修改项目（须带 version，过期的修改被拒绝）",
)
@guard("project.edit")
def update_project(request, pk: Id, payload: ProjectPatch):
    p = _project_or_404(request, pk)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    plan_years = data.pop("plan_years", None)
    with transaction.atomic():
        services.project_update(
            user=request.user,
            project=p,
            data=_project_data(request, data),
            expected_version=version,
            plan_years=plan_years,
        )
    return ProjectOut.from_model(_project_or_404(request, pk))


@router.post(
    "/projects/{int:pk}/transitions",
    response={200: ProjectOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="项目状态变更（储备→在建→竣工投产，或终止；已验收只由验收通过产生）",
)
@guard("project.transition")
def transition_project(request, pk: Id, payload: TransitionIn):
    p = _project_or_404(request, pk)
    services.project_transition(
        user=request.user,
        project=p,
        to_status=payload.to_status,
        reason=payload.reason,
        at=timezone.now(),
        effective_date=payload.effective_date,
        expected_version=payload.version,
    )
    return ProjectOut.from_model(_project_or_404(request, pk))


@router.get("/projects/export.xlsx", summary="导出项目列表（.xlsx）", response={200: None})
@guard("project.export")
def export_projects(request, filters: Query[ProjectQuery]):
    from . import exports

    f = _project_filters(filters)
    audit.record("export", object_type="registry.project", message="API 导出项目库")
    return exports.project_xlsx_response(selectors.project_list(request.user, f))
