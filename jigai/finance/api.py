"""/api/v1/finance routes (金融支持, 3.4): the same permissions, row level, validation and audit as the pages.
Amounts in yuan as strings with 2 decimals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from jigai.accounts.permissions import guard, not_found
from jigai.core.money import Yuan
from jigai.core.params import Id, Year
from jigai.core.schemas import ErrorOut
from jigai.registry import selectors as registry_selectors
from jigai.registry.models import Project

from . import selectors, services
from .models import CompensationClaim, FinancingNeed, Intention, Loan, NeedStatus

router = Router(tags=["金融支持"])
WRITE = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class NeedOut(Schema):
    id: int
    project_id: int
    project: str
    enterprise: str
    region: str
    amount_yuan: str
    met_yuan: str
    purpose: str
    term_months: int
    status: str
    status_label: str
    posted_on: dt.date
    version: int

    @staticmethod
    def from_model(n: FinancingNeed) -> dict:
        return {
            "id": n.pk,
            "project_id": n.project_id,
            "project": n.project.name,
            "enterprise": n.project.enterprise.name,
            "region": n.project.region.name,
            "amount_yuan": str(n.amount_yuan),
            "met_yuan": str(services.met_amount(n)),
            "purpose": n.purpose,
            "term_months": n.term_months,
            "status": n.status,
            "status_label": str(n.get_status_display()),
            "posted_on": n.posted_on,
            "version": n.version,
        }


class LoanOut(Schema):
    id: int
    bank: str
    project_id: int
    project: str
    enterprise: str
    need_id: int | None
    amount_yuan: str
    rate_percent: str
    issued_on: dt.date
    maturity_on: dt.date
    defaulted_on: dt.date | None

    @staticmethod
    def from_model(loan: Loan) -> dict:
        return {
            "id": loan.pk,
            "bank": loan.bank.name,
            "project_id": loan.project_id,
            "project": loan.project.name,
            "enterprise": loan.project.enterprise.name,
            "need_id": loan.need_id,
            "amount_yuan": str(loan.amount_yuan),
            "rate_percent": str(loan.rate_percent),
            "issued_on": loan.issued_on,
            "maturity_on": loan.maturity_on,
            "defaulted_on": loan.defaulted_on,
        }


class IntentionOut(Schema):
    id: int
    meeting_id: int
    held_on: dt.date
    bank: str
    project_id: int
    project: str
    amount_yuan: str

    @staticmethod
    def from_model(i: Intention) -> dict:
        return {
            "id": i.pk,
            "meeting_id": i.meeting_id,
            "held_on": i.meeting.held_on,
            "bank": i.bank.name,
            "project_id": i.project_id,
            "project": i.project.name,
            "amount_yuan": str(i.amount_yuan),
        }


class ClaimOut(Schema):
    id: int
    loan_id: int
    bank: str
    defaulted_on: dt.date
    outstanding_principal_yuan: str
    ratio: str
    amount_yuan: str
    status: str
    status_label: str
    reason: str
    review_note: str
    version: int

    @staticmethod
    def from_model(c: CompensationClaim) -> dict:
        return {
            "id": c.pk,
            "loan_id": c.loan_id,
            "bank": c.loan.bank.name,
            "defaulted_on": c.defaulted_on,
            "outstanding_principal_yuan": str(c.outstanding_principal_yuan),
            "ratio": str(c.ratio),
            "amount_yuan": str(c.amount_yuan),
            "status": c.status,
            "status_label": str(c.get_status_display()),
            "reason": c.reason,
            "review_note": c.review_note,
            "version": c.version,
        }


class ScorePart(Schema):
    component: str
    label: str
    share_percent: str
    weight_percent: str
    points: str


class ScoreOut(Schema):
    rank: int
    bank_id: int
    bank: str
    score: str
    loans_yuan: str
    projects: int
    parts: list[ScorePart]


class ScoresOut(Schema):
    year: int
    items: list[ScoreOut]
    parameters: list[dict]


class CoverageRowOut(Schema):
    label: str
    needs: int
    needed_yuan: str
    met_yuan: str
    met_needs: int
    ratio_percent: str | None


class CoverageOut(Schema):
    year: int | None
    units: list[CoverageRowOut]
    banks: list[CoverageRowOut]
    total: CoverageRowOut | None


class FundOut(Schema):
    name: str
    balance_yuan: str
    entries: list[dict]


class NeedIn(Schema):
    model_config = ConfigDict(extra="forbid")
    project_id: Id
    amount_yuan: Yuan
    purpose: str = Field(max_length=200)
    term_months: int = Field(ge=1, le=services.MAX_TERM_MONTHS)
    posted_on: dt.date


class LoanIn(Schema):
    model_config = ConfigDict(extra="forbid")
    need_id: Id | None = None
    intention_id: Id | None = None
    amount_yuan: Yuan
    rate_percent: Decimal = Field(gt=0, le=services.MAX_RATE_PERCENT, decimal_places=3)
    issued_on: dt.date
    maturity_on: dt.date


class ClaimIn(Schema):
    model_config = ConfigDict(extra="forbid")
    defaulted_on: dt.date
    outstanding_principal_yuan: Yuan
    reason: str = Field(max_length=300)


class ReviewIn(Schema):
    model_config = ConfigDict(extra="forbid")
    approve: bool
    note: str = Field("", max_length=300)
    version: int


class PayIn(Schema):
    model_config = ConfigDict(extra="forbid")
    paid_on: dt.date
    version: int


class ContributionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    amount_yuan: Yuan
    source: str = Field(max_length=100)
    entry_date: dt.date


def _row(r) -> dict:
    return {
        "label": r.label,
        "needs": r.needs,
        "needed_yuan": str(r.needed_yuan),
        "met_yuan": str(r.met_yuan),
        "met_needs": r.met_needs,
        "ratio_percent": None if r.ratio is None else str(r.ratio),
    }


def _need_or_404(request, pk):
    n = selectors.need_detail(request.user, pk)
    if n is None:
        raise not_found(FinancingNeed, pk)
    return n


def _loan_or_404(request, pk):
    loan = selectors.loan_detail(request.user, pk)
    if loan is None:
        raise not_found(Loan, pk)
    return loan


def _claim_or_404(request, pk):
    c = selectors.claim_detail(request.user, pk)
    if c is None:
        raise not_found(CompensationClaim, pk)
    return c


@router.get("/needs", response=list[NeedOut], summary="融资需求（银行用户：待对接的需求及本行放款的需求）")
@guard("finance.view")
def list_needs(request, status: NeedStatus | None = None):
    return [NeedOut.from_model(n) for n in selectors.need_list(request.user, status=status or "")[:500]]


@router.get("/needs/{int:pk}", response={200: NeedOut, 404: ErrorOut}, summary="融资需求详情")
@guard("finance.view")
def get_need(request, pk: Id):
    return NeedOut.from_model(_need_or_404(request, pk))


@router.post("/needs", response={201: NeedOut, **WRITE}, summary="发布融资需求（企业、县市经办人、州项目办）")
@guard("finance.need.post")
def create_need(request, payload: NeedIn):
    project = registry_selectors.project_detail(request.user, payload.project_id)
    if project is None:
        raise not_found(Project, payload.project_id)
    data = payload.dict()
    data.pop("project_id")
    n = services.need_post(user=request.user, project=project, at=timezone.now(), **data)
    return Status(201, NeedOut.from_model(_need_or_404(request, n.pk)))


@router.get("/loans", response=list[LoanOut], summary="贷款（银行用户只看本行的）")
@guard("finance.view")
def list_loans(request, year: Year | None = None):
    return [LoanOut.from_model(loan) for loan in selectors.loan_list(request.user, year=year)[:1000]]


@router.get("/loans/{int:pk}", response={200: LoanOut, 404: ErrorOut}, summary="贷款详情")
@guard("finance.view")
def get_loan(request, pk: Id):
    return LoanOut.from_model(_loan_or_404(request, pk))


@router.post("/loans", response={201: LoanOut, **WRITE}, summary="登记贷款（满足融资需求或签约意向）")
@guard("finance.loan.record")
def create_loan(request, payload: LoanIn):
    need = _need_or_404(request, payload.need_id) if payload.need_id else None
    intention = None
    if payload.intention_id:
        intention = selectors.intention_list(request.user).filter(pk=payload.intention_id).first()
        if intention is None:
            raise not_found(Intention, payload.intention_id)
    data = payload.dict()
    data.pop("need_id")
    data.pop("intention_id")
    loan = services.loan_record(user=request.user, need=need, intention=intention, at=timezone.now(), **data)
    return Status(201, LoanOut.from_model(_loan_or_404(request, loan.pk)))


@router.get("/intentions", response=list[IntentionOut], summary="银企对接会签约意向")
@guard("finance.view")
def list_intentions(request):
    return [IntentionOut.from_model(i) for i in selectors.intention_list(request.user)[:1000]]


@router.get("/scores", response=ScoresOut, summary="银行技改贡献度（银行用户只看本行）")
@guard("finance.score.view")
def get_scores(request, year: Year):
    data = selectors.scores(request.user, year)
    return {
        "year": year,
        "items": [
            {
                "rank": r.rank,
                "bank_id": r.bank_id,
                "bank": r.name,
                "score": str(r.score),
                "loans_yuan": str(r.facts.amount),
                "projects": r.facts.projects,
                "parts": [{k: str(v) for k, v in p.items()} for p in r.parts],
            }
            for r in data["rows"]
        ],
        "parameters": [{"name": u.name, "value": u.value, "start": str(u.start)} for u in data["used"]],
    }


@router.get("/coverage", response=CoverageOut, summary="应贷尽贷：按报送单位和银行")
@guard("finance.view")
def get_coverage(request, year: Year | None = None):
    data = selectors.coverage(request.user, year)
    return {
        "year": year,
        "units": [_row(r) for r in data["units"]],
        "banks": [_row(r) for r in data["banks"]],
        "total": _row(data["total"]) if data["total"] else None,
    }


@router.get("/claims", response=list[ClaimOut], summary="风险补偿申请")
@guard("finance.view")
def list_claims(request):
    return [ClaimOut.from_model(c) for c in selectors.claim_list(request.user)[:500]]


@router.post("/loans/{int:pk}/claims", response={201: ClaimOut, **WRITE}, summary="申请风险补偿（贷款银行）")
@guard("finance.claim.file")
def create_claim(request, pk: Id, payload: ClaimIn):
    loan = _loan_or_404(request, pk)
    c = services.claim_file(user=request.user, loan=loan, at=timezone.now(), **payload.dict())
    return Status(201, ClaimOut.from_model(_claim_or_404(request, c.pk)))


@router.post(
    "/claims/{int:pk}/review", response={200: ClaimOut, **WRITE}, summary="审核风险补偿申请（州项目办）"
)
@guard("finance.claim.review")
def review_claim(request, pk: Id, payload: ReviewIn):
    c = _claim_or_404(request, pk)
    services.claim_review(
        user=request.user, claim=c, approve=payload.approve, note=payload.note,
        expected_version=payload.version, at=timezone.now(),
    )  # fmt: skip
    return ClaimOut.from_model(_claim_or_404(request, pk))


@router.post("/claims/{int:pk}/pay", response={200: ClaimOut, **WRITE}, summary="支付代偿（州财政局）")
@guard("finance.claim.pay")
def pay_claim(request, pk: Id, payload: PayIn):
    c = _claim_or_404(request, pk)
    services.claim_pay(
        user=request.user,
        claim=c,
        paid_on=payload.paid_on,
        expected_version=payload.version,
        at=timezone.now(),
    )
    return ClaimOut.from_model(_claim_or_404(request, pk))


def _fund_out() -> dict:
    f, entries = selectors.fund_state()
    return {
        "name": f.name if f else services.FUND_NAME,
        "balance_yuan": str(f.balance_yuan if f else Decimal("0.00")),
        "entries": [
            {
                "date": str(e.entry_date),
                "kind": e.kind,
                "amount_yuan": str(e.amount_yuan),
                "balance_after_yuan": str(e.balance_after_yuan),
                "source": e.source,
                "claim_id": e.claim_id,
            }
            for e in entries
        ],
    }


@router.get("/fund", response=FundOut, summary="风险补偿资金池：余额与收支")
@guard("finance.fund.view")
def get_fund(request):
    return _fund_out()


@router.post(
    "/fund/contributions", response={201: FundOut, **WRITE}, summary="向风险补偿资金池注资（州财政局）"
)
@guard("finance.fund.contribute")
def contribute(request, payload: ContributionIn):
    services.fund_contribute(user=request.user, at=timezone.now(), **payload.dict())
    return Status(201, _fund_out())


class MatchmakingMeetingOut(Schema):
    id: int
    held_on: dt.date
    place: str
    organiser: str
    region: str | None
    banks: list[str]


@router.get("/meetings", response=list[MatchmakingMeetingOut], summary="银企对接会（按可见范围）")
@guard("finance.view")
def list_meetings(request):
    return [
        {
            "id": m.pk,
            "held_on": m.held_on,
            "place": m.place,
            "organiser": m.organiser,
            "region": m.region.name if m.region else None,
            "banks": [b.name for b in m.banks.all()],
        }
        for m in selectors.meeting_list(request.user)[:500]
    ]


class PolicyOut(Schema):
    id: int
    policy_no: str
    insurer: str
    loan_id: int
    amount_insured_yuan: str
    premium_yuan: str
    premium_subsidy_yuan: str
    start_on: dt.date
    end_on: dt.date


@router.get("/policies", response=list[PolicyOut], summary="信用保证保险保单（按可见范围）")
@guard("finance.view")
def list_policies(request):
    return [
        {
            "id": p.pk,
            "policy_no": p.policy_no,
            "insurer": p.insurer,
            "loan_id": p.loan_id,
            "amount_insured_yuan": str(p.amount_insured_yuan),
            "premium_yuan": str(p.premium_yuan),
            "premium_subsidy_yuan": str(p.premium_subsidy_yuan),
            "start_on": p.start_on,
            "end_on": p.end_on,
        }
        for p in selectors.policy_list(request.user)[:500]
    ]
