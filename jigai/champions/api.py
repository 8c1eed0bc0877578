"""/api/v1 routes for champion declarations (3.1.2): the same permissions, validation and audit as the
pages. The certificate is uploaded through ``POST /api/v1/attachments`` (owner_type
``champions.declaration``, kind ``certificate``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from jigai.accounts.permissions import guard, not_found, scope_enterprises
from jigai.core.params import Id, Year
from jigai.core.schemas import ErrorOut
from jigai.funds import selectors as funds_selectors
from jigai.registry.models import Enterprise

from . import selectors, services
from .models import Declaration, Level, State

router = Router(tags=["隐形冠军"])


class AwardItemOut(Schema):
    seq: int
    state: str
    state_label: str
    entitled_yuan: str
    approved_yuan: str
    paid_yuan: str
    paid_on: dt.date | None


class DeclarationOut(Schema):
    id: int
    enterprise_id: int
    enterprise: str
    technology: str
    year: int
    level: str
    rank: int
    industry: str
    issuer: str
    note: str
    state: str
    state_label: str
    return_reason: str
    outcome: str
    amount_yuan: str
    explanation: str
    version: int
    certificates: list[int]
    funds: list[AwardItemOut]

    @staticmethod
    def from_model(d: Declaration) -> dict:
        from jigai.attachments.selectors import attachments_for

        items = funds_selectors.items_for_source(d.source) if d.state == State.VERIFIED else []
        return {
            "id": d.pk,
            "enterprise_id": d.enterprise_id,
            "enterprise": d.enterprise.name,
            "technology": d.technology,
            "year": d.year,
            "level": d.level,
            "rank": d.rank,
            "industry": d.industry,
            "issuer": d.issuer,
            "note": d.note,
            "state": d.state,
            "state_label": str(d.get_state_display()),
            "return_reason": d.return_reason,
            "outcome": d.outcome,
            "amount_yuan": str(d.amount_yuan),
            "explanation": d.explanation,
            "version": d.version,
            "certificates": [a.pk for a in attachments_for(d).filter(kind=services.CERTIFICATE)],
            "funds": [
                {
                    "seq": i.seq,
                    "state": i.state,
                    "state_label": str(i.get_state_display()),
                    "entitled_yuan": str(i.entitled_yuan),
                    "approved_yuan": str(i.approved_yuan),
                    "paid_yuan": str(i.paid_yuan),
                    "paid_on": i.paid_on,
                }
                for i in items
            ],
        }


class DeclarationIn(Schema):
    model_config = ConfigDict(extra="forbid")
    enterprise_id: Id
    technology: str = Field(max_length=200)
    year: Year
    level: Level
    rank: int = Field(ge=1, le=99)
    industry: str = Field(max_length=50)
    issuer: str = Field("", max_length=200)
    note: str = Field("", max_length=5000)


class VersionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    version: int | None = None


class VerifyIn(Schema):
    model_config = ConfigDict(extra="forbid")
    industry_confirmation: str = Field("", max_length=500)


class ReturnIn(Schema):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(max_length=500)


def _declaration(request, pk: int) -> Declaration:
    d = selectors.declaration_detail(request.user, pk)
    if d is None:
        raise not_found(Declaration, pk)
    return d


@router.get("/champions", response=list[DeclarationOut], summary="隐形冠军奖励申报列表")
@guard("champion.view")
def list_declarations(request, year: Year | None = None, state: State | None = None):
    return [
        DeclarationOut.from_model(d)
        for d in selectors.declaration_list(request.user, year=year, state=state)[:500]
    ]


@router.get(
    "/champions/{int:pk}",
    response={200: DeclarationOut, 404: ErrorOut},
    summary="申报详情（含决定与奖励资金状态）",
)
@guard("champion.view")
def get_declaration(request, pk: Id):
    return DeclarationOut.from_model(_declaration(request, pk))


@router.post(
    "/champions",
    response={201: DeclarationOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="新建申报（草稿）",
)
@guard("champion.declare")
def create_declaration(request, payload: DeclarationIn):
    data = payload.dict()
    enterprise = (
        scope_enterprises(request.user, Enterprise.objects.all()).filter(pk=data.pop("enterprise_id")).first()
    )
    if enterprise is None:
        raise not_found(Enterprise, payload.enterprise_id)
    d = services.declaration_create(user=request.user, enterprise=enterprise, at=timezone.now(), **data)
    return Status(201, DeclarationOut.from_model(_declaration(request, d.pk)))


@router.post(
    "/champions/{int:pk}/submit",
    response={200: DeclarationOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="提交核实（须已上传获奖证书）",
)
@guard("champion.declare")
def submit_declaration(request, pk: Id, payload: VersionIn):
    d = services.declaration_submit(
        user=request.user,
        declaration=_declaration(request, pk),
        expected_version=payload.version,
        at=timezone.now(),
    )
    return DeclarationOut.from_model(_declaration(request, d.pk))


@router.post(
    "/champions/{int:pk}/verify",
    response={200: DeclarationOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="核实并按第3.1.2条决定（符合的转入奖补资金报批）",
)
@guard("champion.verify")
def verify_declaration(request, pk: Id, payload: VerifyIn):
    d = services.declaration_verify(
        user=request.user,
        declaration=_declaration(request, pk),
        industry_confirmation=payload.industry_confirmation,
        at=timezone.now(),
    )
    return DeclarationOut.from_model(_declaration(request, d.pk))


@router.post(
    "/champions/{int:pk}/return",
    response={200: DeclarationOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="退回申报（须说明原因）",
)
@guard("champion.verify")
def return_declaration(request, pk: Id, payload: ReturnIn):
    d = services.declaration_return(
        user=request.user, declaration=_declaration(request, pk), reason=payload.reason, at=timezone.now()
    )
    return DeclarationOut.from_model(_declaration(request, d.pk))
