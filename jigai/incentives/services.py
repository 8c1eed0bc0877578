"""Writes of the money path: acceptance inspections (验收, 4.2) and their amendments (issue 12 point 3).

Every write goes through these functions (docs/architecture.md): keyword-only, atomic, raising the
shared domain errors; "now" comes from the edge.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction

from jigai.accounts.models import Role, User
from jigai.accounts.permissions import require
from jigai.core import audit
from jigai.core.docnumbers import Kind as DocKind
from jigai.core.docnumbers import next_document_number
from jigai.core.errors import ConflictError, StaleEditError, ValidationError
from jigai.core.money import amount_problem, format_yuan_zh, round_yuan
from jigai.registry import services as registry_services
from jigai.registry.models import Project, ProjectStatus

from .documents import OPINION_NUMBER_PREFIX, opinion_title
from .models import Acceptance, AcceptanceAmendment, Outcome

# 4.2 (原文：对竣工投产的技改项目及时检查验收): the team is the programme office's and the finance
# bureau's people (issue 12 point 3), one of them its leader.
TEAM_ROLES = frozenset({Role.OFFICE, Role.FINANCE})


def _amount(errors: dict, field: str, label: str, value) -> Decimal | None:
    if value is None or value == "":
        errors.setdefault(field, []).append(f"请填写{label}")
        return None
    value = Decimal(value)
    if problem := amount_problem(value):
        errors.setdefault(field, []).append(f"{label}：{problem}")
        return None
    return round_yuan(value)  # exact already (amount_problem refuses a fraction of a fen): 2 places


def _team(errors: dict, team: Iterable[User], leader: User | None) -> list[User]:
    members = {u.pk: u for u in team}
    if leader is not None:
        members.setdefault(leader.pk, leader)
    out = sorted(members.values(), key=lambda u: u.pk)
    wrong = [str(u) for u in out if u.role not in TEAM_ROLES or not u.is_active]
    if wrong:
        errors.setdefault("team", []).append(
            f"验收组只能由州项目办和财政部门的在岗人员组成，以下人员不符：{'、'.join(wrong)}"
        )
    if leader is None:
        errors.setdefault("leader", []).append("请指定验收组组长")
    if len(out) < 2:
        errors.setdefault("team", []).append("验收组至少需要两名成员")
    return out


def _verified(errors, data: dict, claimed_eq: Decimal, claimed_fa: Decimal) -> tuple:
    eq = data.get("verified_equipment_investment_yuan")
    fa = data.get("verified_fixed_asset_investment_yuan")
    eq = (
        claimed_eq
        if eq is None or eq == ""
        else _amount(errors, "verified_equipment_investment_yuan", "核定设备投资", eq)
    )
    fa = (
        claimed_fa
        if fa is None or fa == ""
        else _amount(errors, "verified_fixed_asset_investment_yuan", "核定固定资产投资", fa)
    )
    return eq, fa


@transaction.atomic
def acceptance_record(
    *,
    user,
    project: Project,
    inspection_date: dt.date,
    team: Iterable[User],
    leader: User | None,
    findings: str,
    outcome: str,
    rectify_deadline_date: dt.date | None = None,
    verified_equipment_investment_yuan: Decimal | None = None,
    verified_fixed_asset_investment_yuan: Decimal | None = None,
    adjustment_reason: str = "",
    at: dt.datetime,
) -> Acceptance:
    """Record one inspection of a 竣工投产 project (4.2). A pass moves the project to 已验收 (through
    registry's project_accept: no other path makes that move); a fail or a rectify-and-reinspect leaves it
    竣工投产 for the next inspection. The verified figures default to the claimed ones; a different figure
    needs its reason."""
    require(user, "acceptance.inspect", project)
    current = Project.objects.select_for_update().get(pk=project.pk)
    errors: dict[str, list[str]] = {}
    if current.status != ProjectStatus.COMPLETED:
        label = ProjectStatus(current.status).label
        raise ValidationError({"project": [f"只有“竣工投产”的项目可以验收，该项目当前为“{label}”"]})
    if outcome not in Outcome.values:
        errors["outcome"] = [f"未知的验收结论：{outcome}"]
    members = _team(errors, team, leader)
    if user.pk not in {u.pk for u in members}:
        errors.setdefault("team", []).append("验收结果须由验收组成员登记")
    findings = (findings or "").strip()
    if not findings:
        errors["findings"] = ["请填写验收发现（检查了什么、发现了什么）"]
    if inspection_date is None:
        errors["inspection_date"] = ["请填写验收日期"]
    elif current.actual_completion_date and inspection_date < current.actual_completion_date:
        errors["inspection_date"] = [
            f"验收日期不能早于实际竣工日期 {current.actual_completion_date:%Y-%m-%d}"
        ]
    if outcome == Outcome.RECTIFY:
        if rectify_deadline_date is None:
            errors["rectify_deadline_date"] = ["限期整改须填写整改期限"]
        elif inspection_date and rectify_deadline_date <= inspection_date:
            errors["rectify_deadline_date"] = ["整改期限须晚于验收日期"]
    elif rectify_deadline_date is not None:
        errors["rectify_deadline_date"] = ["只有“限期整改后复验”才填写整改期限"]
    claimed_eq, claimed_fa = current.equipment_investment_yuan, current.fixed_asset_investment_yuan
    eq, fa = _verified(
        errors,
        {
            "verified_equipment_investment_yuan": verified_equipment_investment_yuan,
            "verified_fixed_asset_investment_yuan": verified_fixed_asset_investment_yuan,
        },
        claimed_eq,
        claimed_fa,
    )
    adjustment_reason = (adjustment_reason or "").strip()
    if eq is not None and fa is not None and (eq, fa) != (claimed_eq, claimed_fa) and not adjustment_reason:
        errors["adjustment_reason"] = ["核定投资与申报数不同，须说明调整原因"]
    if eq is not None and eq > current.total_investment_yuan:
        errors.setdefault("verified_equipment_investment_yuan", []).append("核定设备投资不能大于项目总投资")
    if fa is not None and fa > current.total_investment_yuan:
        errors.setdefault("verified_fixed_asset_investment_yuan", []).append(
            "核定固定资产投资不能大于项目总投资"
        )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            acceptance = Acceptance.objects.create(
                project=current,
                inspection_date=inspection_date,
                leader=leader,
                findings=findings,
                outcome=outcome,
                rectify_deadline_date=rectify_deadline_date,
                claimed_equipment_investment_yuan=claimed_eq,
                claimed_fixed_asset_investment_yuan=claimed_fa,
                verified_equipment_investment_yuan=eq,
                verified_fixed_asset_investment_yuan=fa,
                adjustment_reason=adjustment_reason,
                recorded_by=user,
                recorded_at=at,
            )
    except IntegrityError as exc:
        raise ConflictError("该项目已通过验收，不能重复登记“验收通过”") from exc
    acceptance.team.set(members)
    audit.record(
        "acceptance",
        obj=acceptance,
        after={
            "project": current.pk,
            "outcome": outcome,
            "team": [u.get_username() for u in members],
            "leader": leader.get_username(),
            "verified_equipment_investment_yuan": eq,
            "verified_fixed_asset_investment_yuan": fa,
        },
        message=f"{current.name}：{Outcome(outcome).label}",
    )
    # The opinion (验收意见) is an official document: its 发文字号 comes from the office's one register.
    next_document_number(
        issuer=OPINION_NUMBER_PREFIX, year=inspection_date.year, kind=DocKind.ACCEPTANCE_OPINION, at=at,
        user=user, title=opinion_title(acceptance), issue_date=inspection_date, obj=acceptance,
    )  # fmt: skip
    if outcome == Outcome.PASS:
        registry_services.project_accept(
            user=user,
            project=current,
            reason=f"验收通过（验收记录 {acceptance.pk}，组长 {leader}）",
            at=at,
            accepted_date=inspection_date,
        )
    return acceptance


@transaction.atomic
def acceptance_amend(
    *,
    user,
    acceptance: Acceptance,
    verified_equipment_investment_yuan: Decimal,
    verified_fixed_asset_investment_yuan: Decimal,
    reason: str,
    expected_version: int,
    at: dt.datetime,
) -> AcceptanceAmendment:
    """The programme office corrects the verified figures of a passed inspection, with its reason (4.2);
    the subsidy is then decided on the corrected figures. The project's own figures stay frozen."""
    require(user, "acceptance.amend", acceptance.project)
    current = Acceptance.objects.select_for_update().select_related("project").get(pk=acceptance.pk)
    if current.version != expected_version:
        raise StaleEditError()
    if current.outcome != Outcome.PASS:
        raise ValidationError({"acceptance": ["只能更正“验收通过”的核定数；未通过的请重新验收"]})
    errors: dict[str, list[str]] = {}
    eq = _amount(
        errors, "verified_equipment_investment_yuan", "核定设备投资", verified_equipment_investment_yuan
    )
    fa = _amount(
        errors,
        "verified_fixed_asset_investment_yuan",
        "核定固定资产投资",
        verified_fixed_asset_investment_yuan,
    )
    total = current.project.total_investment_yuan
    if eq is not None and eq > total:
        errors.setdefault("verified_equipment_investment_yuan", []).append("核定设备投资不能大于项目总投资")
    if fa is not None and fa > total:
        errors.setdefault("verified_fixed_asset_investment_yuan", []).append(
            "核定固定资产投资不能大于项目总投资"
        )
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = ["请填写更正原因"]
    if not errors and (eq, fa) == (
        current.verified_equipment_investment_yuan,
        current.verified_fixed_asset_investment_yuan,
    ):
        errors["verified_equipment_investment_yuan"] = ["更正后的核定数与现有核定数相同，无需更正"]
    if errors:
        raise ValidationError(errors)
    amendment = AcceptanceAmendment.objects.create(
        acceptance=current,
        before_equipment_investment_yuan=current.verified_equipment_investment_yuan,
        before_fixed_asset_investment_yuan=current.verified_fixed_asset_investment_yuan,
        after_equipment_investment_yuan=eq,
        after_fixed_asset_investment_yuan=fa,
        reason=reason,
        by=user,
        at=at,
    )
    before = {
        "verified_equipment_investment_yuan": current.verified_equipment_investment_yuan,
        "verified_fixed_asset_investment_yuan": current.verified_fixed_asset_investment_yuan,
    }
    current.verified_equipment_investment_yuan = eq
    current.verified_fixed_asset_investment_yuan = fa
    current.version += 1
    current.save()
    audit.record(
        "amendment",
        obj=current,
        before=before,
        after={"verified_equipment_investment_yuan": eq, "verified_fixed_asset_investment_yuan": fa},
        message=f"更正验收核定数：{reason}（设备投资 {format_yuan_zh(eq)} 元）",
    )
    return amendment
