"""/api/v1/funds routes: items, batches and approvals, budgets, payments and the ledger, with the same
permissions, validation and audit as the pages (every write through ``services``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from jigai.accounts.permissions import guard, not_found
from jigai.core.errors import ValidationError
from jigai.core.models import Region
from jigai.core.money import Yuan
from jigai.core.params import Id, Year
from jigai.core.schemas import ErrorOut

from . import ledger, selectors, services
from .models import Batch, Clause, Item, ItemState, Level, Payment

router = Router(tags=["奖补资金"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class FundPaymentOut(Schema):
    id: int
    item_id: int
    level: str
    amount_yuan: str
    paid_on: dt.date
    voucher_no: str
    by: str
    reversed: bool
    reverse_reason: str

    @staticmethod
    def from_model(p: Payment) -> dict:
        return {
            "id": p.pk,
            "item_id": p.item_id,
            "level": p.level,
            "amount_yuan": str(p.amount_yuan),
            "paid_on": p.paid_on,
            "voucher_no": p.voucher_no,
            "by": p.by.username,
            "reversed": p.reversed_at is not None,
            "reverse_reason": p.reverse_reason,
        }


class FundItemOut(Schema):
    id: int
    source: str
    clause: str
    year: int
    enterprise_id: int
    enterprise: str
    project_id: int | None
    region: str
    entitled_yuan: str
    proposed_yuan: str
    approved_yuan: str
    paid_yuan: str
    recover_yuan: str
    prefecture_share_yuan: str
    county_share_yuan: str
    state: str
    state_label: str
    batch_id: int | None
    cap_exception_reason: str
    cap_exception_approved: bool
    decision_reason: str
    explanation: str
    notice_ends_on: dt.date | None
    paid_on: dt.date | None
    version: int

    @staticmethod
    def from_model(i: Item) -> dict:
        return {
            "id": i.pk,
            "source": i.source,
            "clause": i.clause,
            "year": i.year,
            "enterprise_id": i.enterprise_id,
            "enterprise": i.enterprise.name,
            "project_id": i.project_id,
            "region": i.region.code,
            **{
                f: str(getattr(i, f))
                for f in (
                    "entitled_yuan",
                    "proposed_yuan",
                    "approved_yuan",
                    "paid_yuan",
                    "recover_yuan",
                    "prefecture_share_yuan",
                    "county_share_yuan",
                )
            },
            "state": i.state,
            "state_label": str(i.get_state_display()),
            "batch_id": i.batch_id,
            "cap_exception_reason": i.cap_exception_reason,
            "cap_exception_approved": i.cap_exception_approved,
            "decision_reason": i.decision_reason,
            "explanation": i.explanation,
            "notice_ends_on": i.notice_ends_on,
            "paid_on": i.paid_on,
            "version": i.version,
        }


class FundItemPage(Schema):
    items: list[FundItemOut]


class FundBatchOut(Schema):
    id: int
    title: str
    state: str
    prepared_by: str
    prepared_at: dt.datetime
    items: list[FundItemOut]

    @staticmethod
    def from_model(b: Batch) -> dict:
        items = b.items.select_related("enterprise", "region").order_by("pk")
        return {
            "id": b.pk,
            "title": b.title,
            "state": b.state,
            "prepared_by": b.prepared_by.username,
            "prepared_at": b.prepared_at,
            "items": [FundItemOut.from_model(i) for i in items],
        }


class FundAmountIn(Schema):
    model_config = ConfigDict(extra="forbid")
    item: Id
    amount_yuan: Yuan
    reason: str = Field("", max_length=500)


class FundBatchIn(Schema):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(max_length=120)
    items: list[Id] = Field(min_length=1, max_length=2000)
    amounts: list[FundAmountIn] = Field(
        default_factory=list, description="与应得金额不同的报批金额（须说明理由）"
    )
    note: str = Field("", max_length=2000)


class FundDecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    approve: bool
    reason: str = Field("", max_length=500)
    approve_cap_exception: bool = False
    version: Id | None = Field(None, description="记录的版本号（防止覆盖他人修改）")


class FundBudgetIn(Schema):
    model_config = ConfigDict(extra="forbid")
    year: int = Field(ge=2000, le=2100)
    unit: str | None = Field(None, description="县市代码；空为州级")
    allocated_yuan: Yuan
    reason: str = Field("", max_length=200)
    version: Id | None = Field(None, description="记录的版本号（防止覆盖他人修改）")


class FundBudgetOut(Schema):
    year: int
    level: str
    unit: str
    allocated_yuan: str
    committed_yuan: str
    paid_yuan: str
    remaining_yuan: str


class FundPaymentIn(Schema):
    model_config = ConfigDict(extra="forbid")
    level: Level
    amount_yuan: Yuan
    paid_on: dt.date
    voucher_no: str = Field(max_length=40)


class FundReverseIn(Schema):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(max_length=500)


class FundLedgerItemOut(Schema):
    project_id: int | None = None
    enterprise_id: int | None = None
    clause: str
    entitled_yuan: str
    approved_yuan: str
    paid_yuan: str
    state: str


class FundLedgerOut(Schema):
    year: int
    reconciled: bool
    budgets: list[FundBudgetOut]
    items: list[FundLedgerItemOut]


def _item_or_404(request, pk: int) -> Item:
    item = selectors.item_detail(request.user, pk)
    if item is None:
        raise not_found(Item, pk)
    return item


@router.get("/items", response=FundItemPage, summary="奖补资金事项（按年度、单位、条款、状态筛选）")
@guard("funds.view")
def list_items(
    request,
    year: Year | None = None,
    unit: str | None = None,
    clause: Clause | None = None,
    state: ItemState | None = None,
):
    qs = selectors.item_list(request.user, year=year, region_code=unit, clause=clause, state=state)[:2000]
    return {"items": [FundItemOut.from_model(i) for i in qs]}


@router.get("/items/{int:pk}", response={200: FundItemOut, 404: ErrorOut}, summary="奖补资金事项详情")
@guard("funds.view")
def get_item(request, pk: Id):
    return FundItemOut.from_model(_item_or_404(request, pk))


@router.get(
    "/items/{int:pk}/payments", response={200: list[FundPaymentOut], 404: ErrorOut}, summary="事项的拨付记录"
)
@guard("funds.view")
def item_payments(request, pk: Id):
    item = _item_or_404(request, pk)
    return [FundPaymentOut.from_model(p) for p in item.payments.all()]


@router.post("/batches", response={201: FundBatchOut, **ERRORS}, summary="报批（州项目办，报批人不能审批）")
@guard("funds.prepare")
def prepare_batch(request, payload: FundBatchIn):
    items = list(selectors.item_queryset(request.user).filter(pk__in=payload.items))
    if len(items) != len(set(payload.items)):
        raise ValidationError({"items": [gettext("所选事项中有的不存在")]})
    batch = services.batch_prepare(
        user=request.user,
        title=payload.title,
        items=items,
        amounts={a.item: (a.amount_yuan, a.reason) for a in payload.amounts},
        note=payload.note,
        at=timezone.now(),
    )
    return Status(201, FundBatchOut.from_model(batch))


@router.get(
    "/batches/{int:pk}", response={200: FundBatchOut, 403: ErrorOut, 404: ErrorOut}, summary="报批批次详情"
)
@guard("funds.ledger")
def get_batch(request, pk: Id):
    batch = selectors.batch_queryset(request.user).filter(pk=pk).first()
    if batch is None:
        raise not_found(Batch, pk)
    return FundBatchOut.from_model(batch)


@router.post(
    "/items/{int:pk}/decision",
    response={200: FundItemOut, **ERRORS},
    summary="审批一个事项（州财政局：批准或不予批准）",
)
@guard("funds.approve")
def decide_item(request, pk: Id, payload: FundDecisionIn):
    item = _item_or_404(request, pk)
    if payload.approve:
        item = services.item_approve(
            user=request.user,
            item=item,
            reason=payload.reason,
            approve_cap_exception=payload.approve_cap_exception,
            expected_version=payload.version,
            at=timezone.now(),
        )
    else:
        item = services.item_reject(
            user=request.user,
            item=item,
            reason=payload.reason,
            expected_version=payload.version,
            at=timezone.now(),
        )
    return FundItemOut.from_model(_item_or_404(request, item.pk))


@router.get("/budgets", response=list[FundBudgetOut], summary="某年度预算执行（州级与各县市）")
@guard("funds.ledger")
def list_budgets(request, year: Year):
    return [b.as_dict() for b in ledger.build(request.user, year).budgets]


@router.post(
    "/budgets",
    response={200: FundBudgetOut, **ERRORS},
    summary="安排预算（州财政局；增加后自动安排排队事项）",
)
@guard("funds.budget")
def allocate_budget(request, payload: FundBudgetIn):
    region = None
    if payload.unit:
        region = Region.objects.filter(code=payload.unit, level=Region.Level.UNIT).first()
        if region is None:
            raise ValidationError({"unit": [gettext("未知的报送单位：%(code)s") % {"code": payload.unit}]})
    services.budget_allocate(
        user=request.user,
        year=payload.year,
        level=Level.COUNTY if region is not None else Level.PREFECTURE,
        region=region,
        allocated_yuan=payload.allocated_yuan,
        reason=payload.reason,
        expected_version=payload.version,
        at=timezone.now(),
    )
    book = ledger.build(request.user, payload.year, unit=payload.unit or None)
    level = Level.COUNTY if region is not None else Level.PREFECTURE
    return next(b.as_dict() for b in book.budgets if b.level == level)


@router.post(
    "/items/{int:pk}/payments",
    response={201: FundPaymentOut, **ERRORS},
    summary="登记拨付（州财政局，每级一次）",
)
@guard("funds.pay")
def record_payment(request, pk: Id, payload: FundPaymentIn):
    item = _item_or_404(request, pk)
    p = services.payment_record(
        user=request.user,
        item=item,
        level=payload.level,
        amount_yuan=payload.amount_yuan,
        paid_on=payload.paid_on,
        voucher_no=payload.voucher_no,
        at=timezone.now(),
    )
    return Status(201, FundPaymentOut.from_model(p))


@router.post(
    "/payments/{int:pk}/reversal",
    response={200: FundPaymentOut, **ERRORS},
    summary="冲回一笔拨付（须说明原因）",
)
@guard("funds.pay")
def reverse_payment(request, pk: Id, payload: FundReverseIn):
    payment = selectors.payment_queryset(request.user).filter(pk=pk).first()
    if payment is None:
        raise not_found(Payment, pk)
    p = services.payment_reverse(user=request.user, payment=payment, reason=payload.reason, at=timezone.now())
    return FundPaymentOut.from_model(p)


@router.get(
    "/ledger",
    response={200: FundLedgerOut, 400: ErrorOut, 403: ErrorOut},
    summary="资金台账（预算与事项，金额为两位小数的字符串）",
)
@guard("funds.ledger")
def get_ledger(
    request, year: Year, unit: str | None = None, clause: Clause | None = None, state: ItemState | None = None
):
    book = ledger.build(request.user, year, unit=unit, clause=clause, state=state)
    return {
        "year": year,
        "reconciled": book.reconciled,
        "budgets": [b.as_dict() for b in book.budgets],
        "items": [ledger.item_dict(r) for r in book.items],
    }
