"""/api/v1 routes for acceptance inspections (验收, 4.2): same permissions, validation and audit as the page."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from jigai.accounts.models import User
from jigai.accounts.permissions import guard, not_found
from jigai.core.errors import ValidationError
from jigai.core.money import Yuan
from jigai.core.params import Id
from jigai.core.schemas import ErrorOut
from jigai.registry import selectors as registry_selectors
from jigai.registry.models import Project

from . import selectors, services
from .models import Acceptance, Outcome

router = Router(tags=["验收"])


class AmendmentOut(Schema):
    at: dt.datetime
    by: str
    before_equipment_investment_yuan: str
    before_fixed_asset_investment_yuan: str
    after_equipment_investment_yuan: str
    after_fixed_asset_investment_yuan: str
    reason: str


class AcceptanceOut(Schema):
    id: int
    project_id: int
    inspection_date: dt.date
    outcome: str
    outcome_label: str
    rectify_deadline_date: dt.date | None
    leader: str
    team: list[str]
    findings: str
    claimed_equipment_investment_yuan: str
    claimed_fixed_asset_investment_yuan: str
    verified_equipment_investment_yuan: str
    verified_fixed_asset_investment_yuan: str
    adjustment_reason: str
    recorded_by: str
    recorded_at: dt.datetime
    version: int
    amendments: list[AmendmentOut]

    @staticmethod
    def from_model(a: Acceptance) -> dict:
        return {
            "id": a.pk,
            "project_id": a.project_id,
            "inspection_date": a.inspection_date,
            "outcome": a.outcome,
            "outcome_label": str(a.get_outcome_display()),
            "rectify_deadline_date": a.rectify_deadline_date,
            "leader": a.leader.username,
            "team": sorted(u.username for u in a.team.all()),
            "findings": a.findings,
            "claimed_equipment_investment_yuan": str(a.claimed_equipment_investment_yuan),
            "claimed_fixed_asset_investment_yuan": str(a.claimed_fixed_asset_investment_yuan),
            "verified_equipment_investment_yuan": str(a.verified_equipment_investment_yuan),
            "verified_fixed_asset_investment_yuan": str(a.verified_fixed_asset_investment_yuan),
            "adjustment_reason": a.adjustment_reason,
            "recorded_by": a.recorded_by.username,
            "recorded_at": a.recorded_at,
            "version": a.version,
            "amendments": [
                {
                    "at": m.at,
                    "by": m.by.username,
                    "before_equipment_investment_yuan": str(m.before_equipment_investment_yuan),
                    "before_fixed_asset_investment_yuan": str(m.before_fixed_asset_investment_yuan),
                    "after_equipment_investment_yuan": str(m.after_equipment_investment_yuan),
                    "after_fixed_asset_investment_yuan": str(m.after_fixed_asset_investment_yuan),
                    "reason": m.reason,
                }
                for m in a.amendments.all()
            ],
        }


class AcceptanceIn(Schema):
    model_config = ConfigDict(extra="forbid")
    inspection_date: dt.date
    team: list[str] = Field(min_length=1, max_length=50, description="验收组成员的用户名")
    leader: str = Field(description="验收组组长的用户名（须为成员之一）")
    findings: str = Field(max_length=5000)
    outcome: Outcome
    rectify_deadline_date: dt.date | None = None
    verified_equipment_investment_yuan: Yuan | None = None
    verified_fixed_asset_investment_yuan: Yuan | None = None
    adjustment_reason: str = Field("", max_length=500)


class AmendmentIn(Schema):
    model_config = ConfigDict(extra="forbid")
    verified_equipment_investment_yuan: Yuan
    verified_fixed_asset_investment_yuan: Yuan
    reason: str = Field(max_length=500)
    version: int


def _users(names: list[str], field: str) -> list[User]:
    found = {u.username: u for u in User.objects.filter(username__in=names)}
    missing = [n for n in names if n not in found]
    if missing:
        raise ValidationError({field: [f"用户不存在：{'、'.join(missing)}"]})
    return [found[n] for n in names]


def _acceptance_or_404(request, pk: int) -> Acceptance:
    a = selectors.acceptance_detail(request.user, pk)
    if a is None:
        raise not_found(Acceptance, pk)
    return a


class AcceptancePage(Schema):
    items: list[AcceptanceOut]


@router.get("/acceptances", response=AcceptancePage, summary="验收记录列表（可按项目筛选）")
@guard("acceptance.view")
def list_acceptances(request, project_id: Id | None = None):
    qs = selectors.acceptance_list(request.user, project_id=project_id)[:500]
    return {"items": [AcceptanceOut.from_model(a) for a in qs]}


@router.get("/acceptances/{int:pk}", response={200: AcceptanceOut, 404: ErrorOut}, summary="验收记录详情")
@guard("acceptance.view")
def get_acceptance(request, pk: Id):
    return AcceptanceOut.from_model(_acceptance_or_404(request, pk))


@router.post(
    "/projects/{int:pk}/acceptances",
    response={201: AcceptanceOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="登记验收结果（通过则项目变为“已验收”）",
)
@guard("acceptance.inspect")
def create_acceptance(request, pk: Id, payload: AcceptanceIn):
    project = registry_selectors.project_detail(request.user, pk)
    if project is None:
        raise not_found(Project, pk)
    data = payload.dict()
    data["team"] = _users(data["team"], "team")
    data["leader"] = _users([data["leader"]], "leader")[0]
    a = services.acceptance_record(user=request.user, project=project, at=timezone.now(), **data)
    return Status(201, AcceptanceOut.from_model(_acceptance_or_404(request, a.pk)))


@router.post(
    "/acceptances/{int:pk}/amendments",
    response={200: AcceptanceOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="更正验收核定数（州项目办，须说明原因）",
)
@guard("acceptance.amend")
def amend_acceptance(request, pk: Id, payload: AmendmentIn):
    a = _acceptance_or_404(request, pk)
    services.acceptance_amend(
        user=request.user,
        acceptance=a,
        verified_equipment_investment_yuan=payload.verified_equipment_investment_yuan,
        verified_fixed_asset_investment_yuan=payload.verified_fixed_asset_investment_yuan,
        reason=payload.reason,
        expected_version=payload.version,
        at=timezone.now(),
    )
    return AcceptanceOut.from_model(_acceptance_or_404(request, pk))
