"""/api/v1/applications: the application path (申报) with the same permissions, validation and audit as
the pages — create, change, equipment and loan lines, submit, forward, return, and the stored decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from jigai.accounts.permissions import guard, not_found
from jigai.core.money import Yuan
from jigai.core.params import Id
from jigai.core.schemas import ErrorOut
from jigai.registry import selectors as registry_selectors
from jigai.registry.models import Project

from . import selectors, services
from .models import Application, EquipmentLine, LoanLine, SupportMode

router = Router(tags=["奖补申报"])

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class EquipmentLineOut(Schema):
    id: int
    name: str
    model: str
    quantity: int
    supplier: str
    invoice_number: str
    amount_yuan: str
    verdict: str
    rejection_reason: str


class LoanLineOut(Schema):
    id: int
    bank: str
    amount_yuan: str
    interest_paid_yuan: str
    start_date: dt.date
    end_date: dt.date


class ApplicationStepOut(Schema):
    key: str
    label: str
    status: str
    note: str


class ApplicationOut(Schema):
    id: int
    project_id: int
    project: str
    enterprise: str
    region: str
    claimed_equipment_investment_yuan: str
    claimed_fixed_asset_investment_yuan: str
    support_mode: str
    state: str
    state_label: str
    return_reasons: str
    submitted_at: dt.datetime | None
    version: int
    steps: list[ApplicationStepOut]
    equipment_lines: list[EquipmentLineOut]
    loan_lines: list[LoanLineOut]


def _out(a: Application) -> dict:
    return {
        "id": a.pk,
        "project_id": a.project_id,
        "project": a.project.name,
        "enterprise": a.enterprise.name,
        "region": a.region.code,
        "claimed_equipment_investment_yuan": str(a.claimed_equipment_investment_yuan),
        "claimed_fixed_asset_investment_yuan": str(a.claimed_fixed_asset_investment_yuan),
        "support_mode": a.support_mode,
        "state": a.state,
        "state_label": str(a.get_state_display()),
        "return_reasons": a.return_reasons,
        "submitted_at": a.submitted_at,
        "version": a.version,
        "steps": [
            {**s, "label": str(s["label"]), "note": str(s["note"])} for s in selectors.application_steps(a)
        ],
        "equipment_lines": [
            {
                "id": x.pk,
                "name": x.name,
                "model": x.model,
                "quantity": x.quantity,
                "supplier": x.supplier,
                "invoice_number": x.invoice_number,
                "amount_yuan": str(x.amount_yuan),
                "verdict": x.verdict,
                "rejection_reason": x.rejection_reason,
            }
            for x in a.equipment_lines.all()
        ],
        "loan_lines": [
            {
                "id": x.pk,
                "bank": x.bank,
                "amount_yuan": str(x.amount_yuan),
                "interest_paid_yuan": str(x.interest_paid_yuan),
                "start_date": x.start_date,
                "end_date": x.end_date,
            }
            for x in a.loan_lines.all()
        ],
    }


def _app_or_404(request, pk: int) -> Application:
    a = selectors.application_detail(request.user, pk)
    if a is None:
        raise not_found(Application, pk)
    return a


def _fresh(request, pk: int) -> dict:
    return _out(_app_or_404(request, pk))


class ApplicationIn(Schema):
    model_config = ConfigDict(extra="forbid")
    project_id: Id
    claimed_equipment_investment_yuan: Yuan
    claimed_fixed_asset_investment_yuan: Yuan
    support_mode: SupportMode = SupportMode.AWARD


class ApplicationChange(Schema):
    model_config = ConfigDict(extra="forbid")
    claimed_equipment_investment_yuan: Yuan
    claimed_fixed_asset_investment_yuan: Yuan
    support_mode: SupportMode
    version: int


class EquipmentLineIn(Schema):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=100)
    model: str = Field("", max_length=100)
    quantity: int = Field(ge=1, le=1_000_000)
    supplier: str = Field(max_length=100)
    invoice_number: str = Field(max_length=40)
    amount_yuan: Yuan


class LoanLineIn(Schema):
    model_config = ConfigDict(extra="forbid")
    bank: str = Field(max_length=100)
    amount_yuan: Yuan
    interest_paid_yuan: Yuan
    start_date: dt.date
    end_date: dt.date


class ApplicationReturnIn(Schema):
    model_config = ConfigDict(extra="forbid")
    reasons: str = Field(max_length=2000)


class ApplicationPage(Schema):
    items: list[ApplicationOut]


class StoredDecisionOut(Schema):
    clause: str
    outcome: str
    amount_yuan: str
    explanation: str
    decided_at: dt.datetime
    decision: dict[str, Any]
    funds: list[dict[str, Any]]


class ApplicationDecisionsOut(Schema):
    application_id: int
    state: str
    decisions: list[StoredDecisionOut]


@router.get(
    "/applications", response=ApplicationPage, summary="奖补申报列表（企业只见本企业的，经办人只见本县市的）"
)
@guard("application.view")
def list_applications(request, state: str = ""):
    qs = selectors.application_list(request.user, state=state).prefetch_related(
        "equipment_lines", "loan_lines"
    )
    return {"items": [_out(a) for a in qs[:500]]}


@router.post(
    "/applications", response={201: ApplicationOut, **ERRORS}, summary="创建奖补申报（竣工投产项目）"
)
@guard("application.edit")
def create_application(request, payload: ApplicationIn):
    project = registry_selectors.project_detail(request.user, payload.project_id)
    if project is None:
        raise not_found(Project, payload.project_id)
    a = services.application_create(
        user=request.user,
        project=project,
        claimed_equipment_investment_yuan=payload.claimed_equipment_investment_yuan,
        claimed_fixed_asset_investment_yuan=payload.claimed_fixed_asset_investment_yuan,
        support_mode=payload.support_mode,
        at=timezone.now(),
    )
    return Status(201, _fresh(request, a.pk))


@router.get("/applications/{int:pk}", response={200: ApplicationOut, 404: ErrorOut}, summary="奖补申报详情")
@guard("application.view")
def get_application(request, pk: Id):
    return _fresh(request, pk)


@router.put(
    "/applications/{int:pk}", response={200: ApplicationOut, **ERRORS}, summary="修改申报（草稿或退回补正）"
)
@guard("application.edit")
def change_application(request, pk: Id, payload: ApplicationChange):
    a = _app_or_404(request, pk)
    services.application_update(
        user=request.user,
        application=a,
        claimed_equipment_investment_yuan=payload.claimed_equipment_investment_yuan,
        claimed_fixed_asset_investment_yuan=payload.claimed_fixed_asset_investment_yuan,
        support_mode=payload.support_mode,
        expected_version=payload.version,
        at=timezone.now(),
    )
    return _fresh(request, pk)


@router.post(
    "/applications/{int:pk}/lines", response={201: ApplicationOut, **ERRORS}, summary="添加设备清单行"
)
@guard("application.edit")
def add_line(request, pk: Id, payload: EquipmentLineIn):
    services.equipment_line_add(
        user=request.user, application=_app_or_404(request, pk), at=timezone.now(), **payload.dict()
    )
    return Status(201, _fresh(request, pk))


@router.delete(
    "/applications/{int:pk}/lines/{int:line_pk}",
    response={200: ApplicationOut, **ERRORS},
    summary="删除设备清单行",
)
@guard("application.edit")
def delete_line(request, pk: Id, line_pk: Id):
    a = _app_or_404(request, pk)
    line = EquipmentLine.objects.filter(pk=line_pk, application=a).first()
    if line is None:
        raise not_found(EquipmentLine, line_pk)
    services.equipment_line_delete(user=request.user, line=line, at=timezone.now())
    return _fresh(request, pk)


@router.post(
    "/applications/{int:pk}/loans", response={201: ApplicationOut, **ERRORS}, summary="登记贷款及实际支付利息"
)
@guard("application.edit")
def add_loan(request, pk: Id, payload: LoanLineIn):
    services.loan_line_add(
        user=request.user, application=_app_or_404(request, pk), at=timezone.now(), **payload.dict()
    )
    return Status(201, _fresh(request, pk))


@router.delete(
    "/applications/{int:pk}/loans/{int:loan_pk}", response={200: ApplicationOut, **ERRORS}, summary="删除贷款"
)
@guard("application.edit")
def delete_loan(request, pk: Id, loan_pk: Id):
    a = _app_or_404(request, pk)
    loan = LoanLine.objects.filter(pk=loan_pk, application=a).first()
    if loan is None:
        raise not_found(LoanLine, loan_pk)
    services.loan_line_delete(user=request.user, line=loan, at=timezone.now())
    return _fresh(request, pk)


@router.post("/applications/{int:pk}/submit", response={200: ApplicationOut, **ERRORS}, summary="提交申报")
@guard("application.edit")
def submit(request, pk: Id):
    services.application_submit(user=request.user, application=_app_or_404(request, pk), at=timezone.now())
    return _fresh(request, pk)


@router.post(
    "/applications/{int:pk}/forward", response={200: ApplicationOut, **ERRORS}, summary="受理并转验收"
)
@guard("application.check")
def forward(request, pk: Id):
    services.application_forward(user=request.user, application=_app_or_404(request, pk), at=timezone.now())
    return _fresh(request, pk)


@router.post(
    "/applications/{int:pk}/return",
    response={200: ApplicationOut, **ERRORS},
    summary="退回补正（须说明原因）",
)
@guard("application.check")
def send_back(request, pk: Id, payload: ApplicationReturnIn):
    services.application_return(
        user=request.user, application=_app_or_404(request, pk), reasons=payload.reasons, at=timezone.now()
    )
    return _fresh(request, pk)


@router.get(
    "/applications/{int:pk}/decision",
    response={200: ApplicationDecisionsOut, 404: ErrorOut},
    summary="按验收核定数的奖补决定、说明及资金审批拨付状态",
)
@guard("application.view")
def decision(request, pk: Id):
    a = _app_or_404(request, pk)
    out = []
    for d in a.decisions.all():
        out.append(
            {
                "clause": d.clause,
                "outcome": d.outcome,
                "amount_yuan": str(d.amount_yuan),
                "explanation": d.explanation,
                "decided_at": d.decided_at,
                "decision": d.decision,
                "funds": [
                    {
                        "state": i.state,
                        "state_label": str(i.get_state_display()),
                        "entitled_yuan": str(i.entitled_yuan),
                        "approved_yuan": str(i.approved_yuan),
                        "paid_yuan": str(i.paid_yuan),
                        "paid_on": i.paid_on.isoformat() if i.paid_on else None,
                    }
                    for i in selectors.funds_items_for(d)
                ],
            }
        )
    return {"application_id": a.pk, "state": a.state, "decisions": out}
