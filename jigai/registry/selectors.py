"""Reads of the project library, scoped to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from jigai.accounts.permissions import scope_enterprises, scope_projects
from jigai.core.params import MAX_YEAR, MIN_YEAR, id_param, int_param

from .models import Enterprise, ImportColumnMapping, Project, ProjectPlanYear, ProjectStatus

NO_YEAR = 0  # a plan year out of range selects no project, like an enterprise id out of range

FLAG_FIELDS = {
    "key": ("is_key", "重点项目"),
    "demonstration": ("is_demonstration", "示范项目"),
    "zero_new_land": ("zero_new_land", "零新增地"),
    "conforms": ("conforms_industrial_policy", "符合产业政策"),
}


@dataclass
class ProjectFilters:
    region: str = ""  # reporting unit code
    status: str = ""
    year: int | None = None  # plan year
    industry: str = ""  # GB/T 4754 division
    flags: tuple[str, ...] = ()
    q: str = ""
    enterprise_id: int | None = None

    @classmethod
    def from_params(cls, params) -> ProjectFilters:
        year = params.get("year") or ""
        flags = params.getlist("flag") if hasattr(params, "getlist") else params.get("flag", [])
        if isinstance(flags, str):
            flags = [flags]
        ent = params.get("enterprise") or ""
        return cls(
            region=(params.get("region") or "").strip(),
            status=(params.get("status") or "").strip(),
            year=int_param(year, None, MIN_YEAR, MAX_YEAR, outside=NO_YEAR),
            industry=(params.get("industry") or "").strip(),
            flags=tuple(f for f in flags if f in FLAG_FIELDS),
            q=(params.get("q") or "").strip()[:100],
            enterprise_id=id_param(ent),
        )


def text_search(q: str, *fields: str) -> Q:
    """Substring search. Chinese has no letter case, so a query without Latin letters skips the
    UPPER() that case-insensitive matching costs on every row (a 2–3× difference on PostgreSQL)."""
    lookup = "icontains" if any("a" <= c.lower() <= "z" for c in q) else "contains"
    cond = Q()
    for f in fields:
        cond |= Q(**{f"{f}__{lookup}": q})
    return cond


def project_queryset(user) -> QuerySet[Project]:
    return scope_projects(user, Project.objects.all())


def project_list(user, filters: ProjectFilters) -> QuerySet[Project]:
    qs = project_queryset(user)
    if filters.region:
        qs = qs.filter(region__code=filters.region)
    if filters.status in ProjectStatus.values:
        qs = qs.filter(status=filters.status)
    if filters.year is not None:
        qs = qs.filter(plan_years__year=filters.year)
    if filters.industry:
        qs = qs.filter(industry__code=filters.industry)
    for flag in filters.flags:
        qs = qs.filter(**{FLAG_FIELDS[flag][0]: True})
    if filters.enterprise_id is not None:
        qs = qs.filter(enterprise_id=filters.enterprise_id)
    if filters.q:
        qs = qs.filter(
            text_search(filters.q, "name", "enterprise__name") | Q(project_code__contains=filters.q.upper())
        )
    return (
        qs.select_related("enterprise", "region", "industry")
        .prefetch_related(Prefetch("plan_years", queryset=ProjectPlanYear.objects.order_by("year", "id")))
        .order_by("-id")
    )


def project_detail(user, pk: int) -> Project | None:
    return (
        project_queryset(user)
        .select_related("enterprise", "region", "industry", "enterprise__region")
        .prefetch_related("plan_years", "transitions")
        .filter(pk=pk)
        .first()
    )


def enterprise_queryset(user) -> QuerySet[Enterprise]:
    return scope_enterprises(user, Enterprise.objects.all())


def enterprise_list(user, *, region: str = "", industry: str = "", q: str = "") -> QuerySet[Enterprise]:
    qs = enterprise_queryset(user)
    if region:
        qs = qs.filter(region__code=region)
    if industry:
        qs = qs.filter(industry__code=industry)
    if q:
        qs = qs.filter(text_search(q, "name") | Q(credit_code__contains=q.upper()))
    return qs.select_related("region", "industry", "champion_industry").order_by(
        "region__sort_order", "name", "id"
    )


def import_mapping_for(user, table: str) -> dict[str, str]:
    """The column mapping kept for the user's unit and ``table`` ({} when none): a clerk gets the
    county's, the office the prefecture's, never another unit's."""
    unit = user.region.code if getattr(user, "region_id", None) else ""
    row = ImportColumnMapping.objects.filter(region_code=unit, table=table).first()
    return dict(row.mapping) if row is not None else {}
