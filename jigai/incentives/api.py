"""POST /api/v1/policy/evaluate, /awards, /land, /filings, /simulate: the policy engine over HTTP, same fields
as the CLI."""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema, Status

from jigai.accounts.permissions import guard
from jigai.core import audit
from jigai.policy import award_records, evaluate_records, filing_records, land_records, simulate_records

router = Router(tags=["政策计算"])


class RecordsIn(Schema):
    records: list[dict[str, Any]]


class SimulateIn(Schema):
    records: list[dict[str, Any]]
    settings: list[str]
    carry_forward: list[int] = []


class DecisionsOut(Schema):
    decisions: list[dict[str, Any]]
    errors: list[dict[str, Any]]


class SimulationOut(Schema):
    report: dict[str, Any] | None
    errors: list[dict[str, Any]]


MAX_RECORDS = 100_000


def _check_size(records):
    if len(records) > MAX_RECORDS:
        return [{"row": None, "column": "records", "message": f"一次最多 {MAX_RECORDS} 条记录"}]
    return []


@router.post("/evaluate", response={200: DecisionsOut, 400: DecisionsOut}, summary="3.1.1、3.2 奖补测算")
@guard("policy.evaluate")
def evaluate(request, payload: RecordsIn):
    errors = _check_size(payload.records)
    decisions, errors = ([], errors) if errors else evaluate_records(payload.records)
    audit.record(
        "calculation",
        object_type="policy.evaluate",
        outcome="failure" if errors else "success",
        message=f"{len(payload.records)} 个项目",
    )
    return Status(400 if errors else 200, {"decisions": decisions, "errors": errors})


@router.post("/awards", response={200: DecisionsOut, 400: DecisionsOut}, summary="3.1.2 隐形冠军奖励")
@guard("policy.evaluate")
def awards(request, payload: RecordsIn):
    errors = _check_size(payload.records)
    decisions, errors = ([], errors) if errors else award_records(payload.records)
    audit.record(
        "calculation",
        object_type="policy.awards",
        outcome="failure" if errors else "success",
        message=f"{len(payload.records)} 条",
    )
    return Status(400 if errors else 200, {"decisions": decisions, "errors": errors})


@router.post(
    "/land",
    response={200: DecisionsOut, 400: DecisionsOut},
    summary="3.3 提高容积率不再增收土地价款（两句；经批准为事实；记录用地保障措施）",
)
@guard("policy.evaluate")
def land(request, payload: RecordsIn):
    errors = _check_size(payload.records)
    decisions, errors = ([], errors) if errors else land_records(payload.records)
    audit.record(
        "calculation",
        object_type="policy.land",
        outcome="failure" if errors else "success",
        message=f"{len(payload.records)} 宗用地",
    )
    return Status(400 if errors else 200, {"decisions": decisions, "errors": errors})


@router.post(
    "/filings",
    response={200: DecisionsOut, 400: DecisionsOut},
    summary="3.5 网上备案“零审批”及仍须办理的法定审批",
)
@guard("policy.evaluate")
def filings(request, payload: RecordsIn):
    errors = _check_size(payload.records)
    decisions, errors = ([], errors) if errors else filing_records(payload.records)
    audit.record(
        "calculation",
        object_type="policy.filings",
        outcome="failure" if errors else "success",
        message=f"{len(payload.records)} 个项目",
    )
    return Status(400 if errors else 200, {"decisions": decisions, "errors": errors})


@router.post(
    "/simulate", response={200: SimulationOut, 400: SimulationOut}, summary="政策调整模拟（what-if）"
)
@guard("policy.evaluate")
def simulate(request, payload: SimulateIn):
    errors = _check_size(payload.records)
    report, errors = (
        (None, errors)
        if errors
        else simulate_records(payload.records, payload.settings, carry_forward=payload.carry_forward)
    )
    audit.record(
        "calculation",
        object_type="policy.simulate",
        outcome="failure" if errors else "success",
        message=f"{len(payload.records)} 个项目；{'；'.join(payload.settings)[:300]}",
    )
    return Status(400 if errors else 200, {"report": report, "errors": errors})
