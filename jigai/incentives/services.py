"""Writes of the money path: acceptance inspections (验收, 4.2) and their amendments (issue 12 point 3).

Every write goes through these functions (docs/architecture.md): keyword-only, atomic, raising the
shared domain errors; "now" comes from the edge.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext, gettext_noop

from jigai.accounts.models import Role, User
from jigai.accounts.permissions import can, in_unit, require
from jigai.attachments.models import Kind as AttachmentKind
from jigai.attachments.selectors import attachments_for
from jigai.core import audit
from jigai.core.docnumbers import Kind as DocKind
from jigai.core.docnumbers import next_document_number
from jigai.core.errors import ConflictError, StaleEditError, ValidationError
from jigai.core.money import amount_problem, format_yuan_zh, round_yuan
from jigai.funds import selectors as funds_selectors
from jigai.funds import services as funds_services
from jigai.registry import services as registry_services
from jigai.registry.models import Project, ProjectStatus

from .documents import OPINION_NUMBER_PREFIX, opinion_title
from .models import (
    EDITABLE_STATES,
    INSPECTABLE_STATES,
    Acceptance,
    AcceptanceAmendment,
    Application,
    ApplicationState,
    EquipmentLine,
    LineVerdict,
    LoanLine,
    Outcome,
    StoredDecision,
    SupportMode,
)

# 4.2 (原文：对竣工投产的技改项目及时检查验收): the team is the programme office's and the finance
# bureau's people (issue 12 point 3), one of them its leader.
TEAM_ROLES = frozenset({Role.OFFICE, Role.FINANCE})


def _amount(errors: dict, field: str, label: str, value) -> Decimal | None:
    if value is None or value == "":
        errors.setdefault(field, []).append(gettext("请填写%(label)s") % {"label": label})
        return None
    value = Decimal(value)
    if problem := amount_problem(value):
        errors.setdefault(field, []).append(
            gettext("%(label)s：%(problem)s") % {"label": label, "problem": gettext(problem)}
        )
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
            gettext("验收组只能由州项目办和财政部门的在岗人员组成，以下人员不符：%(people)s")
            % {"people": "、".join(wrong)}
        )
    if leader is None:
        errors.setdefault("leader", []).append(gettext("请指定验收组组长"))
    if len(out) < 2:
        errors.setdefault("team", []).append(gettext("验收组至少需要两名成员"))
    return out


def _verified(errors, data: dict, claimed_eq: Decimal, claimed_fa: Decimal) -> tuple:
    eq = data.get("verified_equipment_investment_yuan")
    fa = data.get("verified_fixed_asset_investment_yuan")
    eq = (
        claimed_eq
        if eq is None or eq == ""
        else _amount(errors, "verified_equipment_investment_yuan", gettext("核定设备投资"), eq)
    )
    fa = (
        claimed_fa
        if fa is None or fa == ""
        else _amount(errors, "verified_fixed_asset_investment_yuan", gettext("核定固定资产投资"), fa)
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
    line_verdicts: Mapping[int, tuple[str, str]] | None = None,
    at: dt.datetime,
) -> Acceptance:
    """Record one inspection of a 竣工投产 project (4.2). A pass moves the project to 已验收 (through
    registry's project_accept: no other path makes that move); a fail or a rectify-and-reinspect leaves it
    竣工投产 for the next inspection. The verified figures default to the claimed ones; a different figure
    needs its reason.

    When the project has an application (申报), each line of its equipment list is accepted or rejected
    with a reason (``line_verdicts``: line id → (``accepted`` | ``rejected``, reason)); the verified
    equipment investment then defaults to the sum of the accepted lines and the fixed-asset investment to
    the claimed one, and a different figure needs its reason. A pass decides 3.1.1 and 3.2 on the verified
    figures and hands each decision to funds (``application_decide``)."""
    require(user, "acceptance.inspect", project)
    current = Project.objects.select_for_update().get(pk=project.pk)
    application = Application.objects.select_for_update().filter(project=current).first()
    errors: dict[str, list[str]] = {}
    if current.status != ProjectStatus.COMPLETED:
        label = ProjectStatus(current.status).label
        raise ValidationError(
            {
                "project": [
                    gettext("只有“竣工投产”的项目可以验收，该项目当前为“%(status)s”") % {"status": label}
                ]
            }
        )
    if outcome not in Outcome.values:
        errors["outcome"] = [gettext("未知的验收结论：%(outcome)s") % {"outcome": outcome}]
    members = _team(errors, team, leader)
    if user.pk not in {u.pk for u in members}:
        errors.setdefault("team", []).append(gettext("验收结果须由验收组成员登记"))
    findings = (findings or "").strip()
    if not findings:
        errors["findings"] = [gettext("请填写验收发现（检查了什么、发现了什么）")]
    if inspection_date is None:
        errors["inspection_date"] = [gettext("请填写验收日期")]
    elif current.actual_completion_date and inspection_date < current.actual_completion_date:
        errors["inspection_date"] = [
            gettext("验收日期不能早于实际竣工日期 %(date)s")
            % {"date": f"{current.actual_completion_date:%Y-%m-%d}"}
        ]
    if outcome == Outcome.RECTIFY:
        if rectify_deadline_date is None:
            errors["rectify_deadline_date"] = [gettext("限期整改须填写整改期限")]
        elif inspection_date and rectify_deadline_date <= inspection_date:
            errors["rectify_deadline_date"] = [gettext("整改期限须晚于验收日期")]
    elif rectify_deadline_date is not None:
        errors["rectify_deadline_date"] = [gettext("只有“限期整改后复验”才填写整改期限")]
    claimed_eq, claimed_fa = current.equipment_investment_yuan, current.fixed_asset_investment_yuan
    baseline_eq = claimed_eq
    judged: list[tuple[EquipmentLine, str, str]] = []
    if application is not None:
        if application.state not in INSPECTABLE_STATES:
            label = ApplicationState(application.state).label
            raise ValidationError(
                {
                    "project": [
                        gettext("该项目的申报当前为“%(state)s”，须经县市经办人受理后才能验收")
                        % {"state": label}
                    ]
                }
            )
        claimed_eq = application.claimed_equipment_investment_yuan
        claimed_fa = application.claimed_fixed_asset_investment_yuan
        judged = _line_verdicts(errors, application, line_verdicts or {})
        baseline_eq = sum(
            (line.amount_yuan for line, v, _r in judged if v == LineVerdict.ACCEPTED), Decimal("0.00")
        )
    elif line_verdicts:
        errors["lines"] = [gettext("该项目没有申报设备清单，无需逐项核定")]
    eq, fa = _verified(
        errors,
        {
            "verified_equipment_investment_yuan": verified_equipment_investment_yuan,
            "verified_fixed_asset_investment_yuan": verified_fixed_asset_investment_yuan,
        },
        baseline_eq,
        claimed_fa,
    )
    adjustment_reason = (adjustment_reason or "").strip()
    if (
        eq is not None
        and fa is not None
        and "lines" not in errors  # the baseline is the sum of the judged lines: all of them first
        and (eq, fa) != (baseline_eq, claimed_fa)
        and not adjustment_reason
    ):
        errors["adjustment_reason"] = [
            gettext("核定设备投资与核定的设备清单合计不同，或核定固定资产投资与申报数不同，须说明调整原因")
            if application is not None
            else gettext("核定投资与申报数不同，须说明调整原因")
        ]
    if eq is not None and eq > current.total_investment_yuan:
        errors.setdefault("verified_equipment_investment_yuan", []).append(
            gettext("核定设备投资不能大于项目总投资")
        )
    if fa is not None and fa > current.total_investment_yuan:
        errors.setdefault("verified_fixed_asset_investment_yuan", []).append(
            gettext("核定固定资产投资不能大于项目总投资")
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
        raise ConflictError(gettext("该项目已通过验收，不能重复登记“验收通过”")) from exc
    acceptance.team.set(members)
    for line, verdict, reason in judged:
        line.verdict, line.rejection_reason, line.acceptance = verdict, reason, acceptance
        line.save()
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
    if application is not None:
        application.state = {
            Outcome.PASS: ApplicationState.ACCEPTED,
            Outcome.FAIL: ApplicationState.FAILED,
            Outcome.RECTIFY: ApplicationState.RECTIFYING,
        }[Outcome(outcome)]
        if outcome == Outcome.PASS:
            application.accepted_at = at
        application.version += 1
        application.save()
        if outcome == Outcome.PASS:
            application_decide(user=user, application=application, at=at)
    return acceptance


def _line_verdicts(
    errors: dict, application: Application, verdicts: Mapping[int, tuple[str, str]]
) -> list[tuple[EquipmentLine, str, str]]:
    """Every line of the equipment list judged: accepted, or rejected with its reason (4.2)."""
    lines = list(application.equipment_lines.order_by("id"))
    known = {line.pk for line in lines}
    out, problems = [], []
    for extra in sorted(set(verdicts) - known):
        problems.append(gettext("设备清单中没有编号为 %(id)s 的设备") % {"id": extra})
    for n, line in enumerate(lines, start=1):
        verdict, reason = verdicts.get(line.pk, ("", ""))
        reason = (reason or "").strip()
        if verdict not in (LineVerdict.ACCEPTED, LineVerdict.REJECTED):
            problems.append(
                gettext("第%(n)s项“%(name)s”：请选择核定或不予核定") % {"n": n, "name": line.name}
            )
        elif verdict == LineVerdict.REJECTED and not reason:
            problems.append(gettext("第%(n)s项“%(name)s”：不予核定须说明原因") % {"n": n, "name": line.name})
        elif len(reason) > 300:
            problems.append(gettext("第%(n)s项“%(name)s”：原因不能超过300字") % {"n": n, "name": line.name})
        else:
            out.append((line, verdict, reason if verdict == LineVerdict.REJECTED else ""))
    if problems:
        errors["lines"] = problems
    return out


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
        raise ValidationError({"acceptance": [gettext("只能更正“验收通过”的核定数；未通过的请重新验收")]})
    errors: dict[str, list[str]] = {}
    eq = _amount(
        errors,
        "verified_equipment_investment_yuan",
        gettext("核定设备投资"),
        verified_equipment_investment_yuan,
    )
    fa = _amount(
        errors,
        "verified_fixed_asset_investment_yuan",
        gettext("核定固定资产投资"),
        verified_fixed_asset_investment_yuan,
    )
    total = current.project.total_investment_yuan
    if eq is not None and eq > total:
        errors.setdefault("verified_equipment_investment_yuan", []).append(
            gettext("核定设备投资不能大于项目总投资")
        )
    if fa is not None and fa > total:
        errors.setdefault("verified_fixed_asset_investment_yuan", []).append(
            gettext("核定固定资产投资不能大于项目总投资")
        )
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [gettext("请填写更正原因")]
    if not errors and (eq, fa) == (
        current.verified_equipment_investment_yuan,
        current.verified_fixed_asset_investment_yuan,
    ):
        errors["verified_equipment_investment_yuan"] = [gettext("更正后的核定数与现有核定数相同，无需更正")]
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
    application = Application.objects.select_for_update().filter(project_id=current.project_id).first()
    if application is not None and application.state in (ApplicationState.ACCEPTED, ApplicationState.DECIDED):
        # 4.2: a correction re-decides the subsidy; funds proposes only the difference (FUNDS_CONTRACT).
        application_decide(user=user, application=application, at=at)
    return amendment


# --- Applications (申报): the enterprise applies, the county clerk checks and forwards ------------------

# 4.2 (原文：对竣工投产的技改项目及时检查验收…对通过验收的企业予以奖补): an application is for a completed
# project; the verified figures of its inspection decide 3.1.1 and 3.2.

_APPLICATION_FIELDS = (
    "claimed_equipment_investment_yuan",
    "claimed_fixed_asset_investment_yuan",
    "support_mode",
)


def _application_values(errors: dict, project: Project, data: Mapping) -> dict:
    out = {}
    for field, label in (
        ("claimed_equipment_investment_yuan", gettext("申报设备投资")),
        ("claimed_fixed_asset_investment_yuan", gettext("申报固定资产投资")),
    ):
        value = _amount(errors, field, label, data.get(field))
        if value is not None and value > project.total_investment_yuan:
            errors.setdefault(field, []).append(
                gettext("%(label)s不能大于项目总投资 %(total)s 元")
                % {"label": label, "total": format_yuan_zh(project.total_investment_yuan)}
            )
        out[field] = value
    mode = data.get("support_mode") or SupportMode.AWARD
    if mode not in SupportMode.values:
        errors["support_mode"] = [gettext("未知的支持方式：%(mode)s") % {"mode": mode}]
    out["support_mode"] = mode
    return out


def _snapshot(app: Application) -> dict:
    return {f: getattr(app, f) for f in (*_APPLICATION_FIELDS, "state", "return_reasons")}


@transaction.atomic
def application_create(
    *,
    user,
    project: Project,
    claimed_equipment_investment_yuan: Decimal | None,
    claimed_fixed_asset_investment_yuan: Decimal | None,
    support_mode: str = SupportMode.AWARD,
    at: dt.datetime,
) -> Application:
    """An enterprise user (or the county clerk on its behalf) starts an application (草稿) for a
    completed project (竣工投产) of its own."""
    require(user, "application.edit", project)
    current = Project.objects.select_for_update().get(pk=project.pk)
    if current.status != ProjectStatus.COMPLETED:
        label = ProjectStatus(current.status).label
        raise ValidationError(
            {
                "project": [
                    gettext("只有“竣工投产”的项目可以申报奖补，该项目当前为“%(status)s”") % {"status": label}
                ]
            }
        )
    if Application.objects.filter(project=current).exists():
        raise ConflictError(gettext("该项目已有奖补申报，请在原申报上修改或补正"))
    errors: dict[str, list[str]] = {}
    values = _application_values(
        errors,
        current,
        {
            "claimed_equipment_investment_yuan": claimed_equipment_investment_yuan,
            "claimed_fixed_asset_investment_yuan": claimed_fixed_asset_investment_yuan,
            "support_mode": support_mode,
        },
    )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return Application.objects.create(
                project=current,
                enterprise_id=current.enterprise_id,
                region_id=current.region_id,
                created_by=user,
                created_at=at,
                **values,
            )
    except IntegrityError as exc:
        raise ConflictError(gettext("该项目已有奖补申报，请在原申报上修改或补正")) from exc


def _editable(user, application: Application, expected_version: int | None = None) -> Application:
    require(user, "application.edit", application)
    current = Application.objects.select_for_update().select_related("project").get(pk=application.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEditError()
    if current.state not in EDITABLE_STATES:
        label = ApplicationState(current.state).label
        raise ConflictError(gettext("申报当前为“%(state)s”，不能再修改") % {"state": label})
    return current


@transaction.atomic
def application_update(
    *,
    user,
    application: Application,
    claimed_equipment_investment_yuan: Decimal | None,
    claimed_fixed_asset_investment_yuan: Decimal | None,
    support_mode: str,
    expected_version: int,
    at: dt.datetime,
) -> Application:
    """Change the claimed figures or the 3.2 support mode of a draft or returned application."""
    current = _editable(user, application, expected_version)
    errors: dict[str, list[str]] = {}
    values = _application_values(
        errors,
        current.project,
        {
            "claimed_equipment_investment_yuan": claimed_equipment_investment_yuan,
            "claimed_fixed_asset_investment_yuan": claimed_fixed_asset_investment_yuan,
            "support_mode": support_mode,
        },
    )
    if errors:
        raise ValidationError(errors)
    for k, v in values.items():
        setattr(current, k, v)
    current.version += 1
    current.save()
    return current


def _text(errors: dict, field: str, label: str, value, max_length: int, required: bool = True) -> str:
    value = " ".join(str(value or "").split())
    if required and not value:
        errors.setdefault(field, []).append(gettext("请填写%(label)s") % {"label": label})
    elif len(value) > max_length:
        errors.setdefault(field, []).append(
            gettext("%(label)s不能超过%(max)s个字") % {"label": label, "max": max_length}
        )
    return value


def _line_values(errors: dict, data: Mapping) -> dict:
    values = {
        "name": _text(errors, "name", gettext("设备名称"), data.get("name"), 100),
        "model": _text(errors, "model", gettext("规格型号"), data.get("model"), 100, required=False),
        "supplier": _text(errors, "supplier", gettext("供应商"), data.get("supplier"), 100),
        "invoice_number": _text(
            errors, "invoice_number", gettext("发票号码"), data.get("invoice_number"), 40
        ),
        "amount_yuan": _amount(errors, "amount_yuan", gettext("金额"), data.get("amount_yuan")),
    }
    quantity = data.get("quantity")
    if quantity in (None, ""):
        errors.setdefault("quantity", []).append(gettext("请填写数量"))
    elif not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1 or quantity > 1_000_000:
        errors.setdefault("quantity", []).append(gettext("数量须为1至1000000之间的整数"))
    values["quantity"] = quantity
    return values


@transaction.atomic
def equipment_line_add(*, user, application: Application, at: dt.datetime, **data) -> EquipmentLine:
    """Add one line to the equipment list (设备清单) of a draft or returned application."""
    current = _editable(user, application)
    errors: dict[str, list[str]] = {}
    values = _line_values(errors, data)
    if errors:
        raise ValidationError(errors)
    return EquipmentLine.objects.create(application=current, **values)


@transaction.atomic
def equipment_line_delete(*, user, line: EquipmentLine, at: dt.datetime) -> None:
    _editable(user, line.application)
    EquipmentLine.objects.filter(pk=line.pk).delete()


@transaction.atomic
def equipment_lines_save(
    *, user, application: Application, new_rows: list[dict], changed: list[tuple[int, dict]], source: str = ""
) -> int:
    """The batched form for the equipment-list import: new lines, and changes to stored lines (by id).
    Every row is checked as one added by hand; any refusal raises before anything is written."""
    current = _editable(user, application)
    problems: dict[str, list[str]] = {}
    checked_new = []
    for i, row in enumerate(new_rows, start=1):
        errors: dict[str, list[str]] = {}
        values = _line_values(errors, row)
        for field, msgs in errors.items():
            problems.setdefault(field, []).extend(
                gettext("第%(row)s行：%(message)s") % {"row": i, "message": m} for m in msgs
            )
        checked_new.append(values)
    stored = {line.pk: line for line in current.equipment_lines.all()}
    checked_changed = []
    for pk, changes in changed:
        line = stored.get(pk)
        if line is None:
            problems.setdefault("__all__", []).append(
                gettext("设备清单中没有编号为 %(id)s 的设备") % {"id": pk}
            )
            continue
        errors = {}
        merged = {
            f: getattr(line, f)
            for f in ("name", "model", "quantity", "supplier", "invoice_number", "amount_yuan")
        }
        merged.update(changes)
        values = _line_values(errors, merged)
        for field, msgs in errors.items():
            problems.setdefault(field, []).extend(msgs)
        checked_changed.append((line, values))
    if problems:
        raise ValidationError(problems)
    for values in checked_new:
        EquipmentLine.objects.create(application=current, **values)
    for line, values in checked_changed:
        for k, v in values.items():
            setattr(line, k, v)
        line.save()
    if checked_new or checked_changed:
        audit.record(
            "import",
            obj=current,
            message=f"导入设备清单：新增 {len(checked_new)} 项，修改 {len(checked_changed)} 项 {source}"[
                :500
            ],
        )
    return len(checked_new) + len(checked_changed)


@transaction.atomic
def loan_line_add(
    *,
    user,
    application: Application,
    bank: str,
    amount_yuan: Decimal | None,
    interest_paid_yuan: Decimal | None,
    start_date: dt.date | None,
    end_date: dt.date | None,
    at: dt.datetime,
) -> LoanLine:
    """A loan and the interest actually paid in the support period (for 3.2 as 贷款贴息)."""
    current = _editable(user, application)
    errors: dict[str, list[str]] = {}
    bank = _text(errors, "bank", gettext("贷款银行"), bank, 100)
    amount = _amount(errors, "amount_yuan", gettext("贷款金额"), amount_yuan)
    interest = _amount(errors, "interest_paid_yuan", gettext("实际支付利息"), interest_paid_yuan)
    if start_date is None:
        errors["start_date"] = [gettext("请填写贷款起始日")]
    if end_date is None:
        errors["end_date"] = [gettext("请填写贷款到期日")]
    elif start_date is not None and end_date < start_date:
        errors["end_date"] = [gettext("贷款到期日不能早于起始日")]
    if amount is not None and interest is not None and interest > amount:
        errors["interest_paid_yuan"] = [gettext("实际支付利息不能大于贷款金额")]
    if errors:
        raise ValidationError(errors)
    return LoanLine.objects.create(
        application=current,
        bank=bank,
        amount_yuan=amount,
        interest_paid_yuan=interest,
        start_date=start_date,
        end_date=end_date,
    )


@transaction.atomic
def loan_line_delete(*, user, line: LoanLine, at: dt.datetime) -> None:
    _editable(user, line.application)
    LoanLine.objects.filter(pk=line.pk).delete()


def completeness_problems(application: Application) -> dict[str, list[str]]:
    """What the clerk checks before forwarding (and the enterprise before submitting): the equipment list
    is there and adds up to the claimed equipment investment; loans for 贷款贴息; required files."""
    errors: dict[str, list[str]] = {}
    lines = list(application.equipment_lines.all())
    if not lines:
        errors["equipment_lines"] = [gettext("请导入或填写设备清单")]
    else:
        total = sum((line.amount_yuan for line in lines), Decimal("0.00"))
        if total != application.claimed_equipment_investment_yuan:
            errors["equipment_lines"] = [
                gettext("设备清单合计 %(total)s 元与申报设备投资 %(claimed)s 元不一致")
                % {
                    "total": format_yuan_zh(total),
                    "claimed": format_yuan_zh(application.claimed_equipment_investment_yuan),
                }
            ]
    if application.claimed_equipment_investment_yuan > application.claimed_fixed_asset_investment_yuan:
        errors.setdefault("claimed_equipment_investment_yuan", []).append(
            gettext("申报设备投资不能大于申报固定资产投资")
        )
    if application.support_mode == SupportMode.LOAN_INTEREST and not application.loan_lines.exists():
        errors["loan_lines"] = [gettext("第3.2条选择贷款贴息，须填写贷款及支持期内实际支付的利息")]
    kinds = set(attachments_for(application).values_list("kind", flat=True))
    required = dict(REQUIRED_FILES)
    if application.support_mode == SupportMode.LOAN_INTEREST:
        required.update(LOAN_FILES)
    missing = [label for kind, label in required.items() if kind not in kinds]
    if missing:
        errors["attachments"] = [
            gettext("请上传证明材料：%(files)s") % {"files": "、".join(gettext(m) for m in missing)}
        ]
    return errors


# Supporting files an application needs before it can be submitted or forwarded (jigai.attachments kinds).
REQUIRED_FILES = (
    (AttachmentKind.INVOICE, gettext_noop("设备发票")),
    (AttachmentKind.CONTRACT, gettext_noop("设备购置合同")),
    (AttachmentKind.COMPLETION_REPORT, gettext_noop("竣工报告")),
)
LOAN_FILES = (
    (AttachmentKind.LOAN_CONTRACT, gettext_noop("借款合同")),
    (AttachmentKind.INTEREST_VOUCHER, gettext_noop("付息凭证")),
)


def may_view(user, application: Application) -> bool:
    """Who may see an application and its files (jigai.attachments owner rule)."""
    return can(user, "application.view") and in_unit(user, application)


def may_attach(user, application: Application) -> bool:
    """Who may add or remove its files: the enterprise (or its clerk) while it is a draft or returned."""
    return (
        application.state in EDITABLE_STATES and can(user, "application.edit") and in_unit(user, application)
    )


@transaction.atomic
def application_submit(*, user, application: Application, at: dt.datetime) -> Application:
    """草稿 or 退回补正 → 已提交: the application goes to the county clerk, complete."""
    current = _editable(user, application)
    if errors := completeness_problems(current):
        raise ValidationError(errors)
    before = _snapshot(current)
    current.state = ApplicationState.SUBMITTED
    current.submitted_at = at
    current.version += 1
    current.save()
    audit.record("submit", obj=current, before=before, after=_snapshot(current), message="提交奖补申报")
    return current


def _checkable(user, application: Application) -> Application:
    require(user, "application.check", application)
    current = Application.objects.select_for_update().get(pk=application.pk)
    if current.state != ApplicationState.SUBMITTED:
        label = ApplicationState(current.state).label
        raise ConflictError(
            gettext("申报当前为“%(state)s”，只有“已提交”的申报可以受理或退回") % {"state": label}
        )
    return current


@transaction.atomic
def application_forward(*, user, application: Application, at: dt.datetime) -> Application:
    """The county clerk (or the office) finds the application complete and forwards it (已受理) to the
    inspection team."""
    current = _checkable(user, application)
    if errors := completeness_problems(current):
        raise ValidationError(errors)
    before = _snapshot(current)
    current.state = ApplicationState.FORWARDED
    current.checked_by, current.checked_at = user, at
    current.return_reasons = ""
    current.version += 1
    current.save()
    audit.record(
        "forward", obj=current, before=before, after=_snapshot(current), message="受理奖补申报，转验收"
    )
    return current


@transaction.atomic
def application_return(*, user, application: Application, reasons: str, at: dt.datetime) -> Application:
    """The clerk returns an incomplete application with its reasons (退回补正); the enterprise corrects
    and submits it again."""
    current = _checkable(user, application)
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": [gettext("请填写退回补正的原因")]})
    if len(reasons) > 2000:
        raise ValidationError({"reasons": [gettext("退回原因不能超过2000字")]})
    before = _snapshot(current)
    current.state = ApplicationState.RETURNED
    current.return_reasons = reasons
    current.checked_by, current.checked_at = user, at
    current.version += 1
    current.save()
    audit.record(
        "return", obj=current, before=before, after=_snapshot(current), message=f"退回补正：{reasons}"[:500]
    )
    return current


# --- The decision on the verified figures, handed to funds -------------------------------------------


def interest_paid(application: Application) -> Decimal:
    return sum((line.interest_paid_yuan for line in application.loan_lines.all()), Decimal("0.00"))


def decision_record(application: Application) -> dict:
    """The policy engine's input for an application: the project's record (with the figures verified
    at acceptance) and the 3.2 support mode with the interest actually paid
    (docs/programme.md, reading 15)."""
    from .projects import project_record

    record = project_record(application.project)
    record["support_mode"] = application.support_mode
    if application.support_mode == SupportMode.LOAN_INTEREST:
        record["interest_paid_yuan"] = str(interest_paid(application))
    return record


def source_key(application: Application, clause: str) -> str:
    return f"application:{application.pk}:{clause}"


@transaction.atomic
def application_decide(*, user, application: Application, at: dt.datetime) -> list[StoredDecision]:
    """Decide 3.1.1 and 3.2 on the verified figures (4.2; docs/programme.md, reading 14), store each
    decision with its reasons, parameter snapshot and Chinese explanation, and hand each eligible one —
    and any earlier-proposed one whose amount changed — to funds (``item_propose``). Called by a passed
    acceptance and by an amendment of it; deciding again replaces the stored decisions (audited)."""
    from jigai.policy import evaluate_records

    require(user, "acceptance.inspect", application)
    current = (
        Application.objects.select_for_update()
        .select_related("project", "project__enterprise", "project__region", "project__industry")
        .get(pk=application.pk)
    )
    if current.state not in (ApplicationState.ACCEPTED, ApplicationState.DECIDED):
        raise ConflictError(gettext("只有通过验收的申报才能决定奖补"))
    acceptance = Acceptance.objects.filter(project_id=current.project_id, outcome=Outcome.PASS).first()
    if acceptance is None:
        raise ConflictError(gettext("该项目尚未通过验收"))
    decisions, errors = evaluate_records([decision_record(current)])
    if errors:
        raise ValidationError({"project": [f"{e['column']}：{e['message']}" for e in errors]})
    stored = []
    previous = {d.clause: d for d in current.decisions.all()}
    for d in decisions:
        clause = d["clause"]
        values = {
            "outcome": d["decision"],
            "amount_yuan": Decimal(d["amount_yuan"]),
            "decision": d,
            "explanation": d["explanation"],
            "acceptance": acceptance,
            "decided_at": at,
            "source": source_key(current, clause),
        }
        row = previous.get(clause)
        if row is None:
            row = StoredDecision.objects.create(application=current, clause=clause, **values)
        else:
            for k, v in values.items():
                setattr(row, k, v)
            row.save()
        stored.append(row)
    before = _snapshot(current)
    current.state = ApplicationState.DECIDED
    current.decided_at = at
    current.version += 1
    current.save()
    audit.record(
        "decide",
        obj=current,
        before=before,
        after={d.clause: str(d.amount_yuan) for d in stored},
        message="按验收核定数决定："
        + "；".join(f"第{d.clause}条 {format_yuan_zh(d.amount_yuan)} 元" for d in stored),
    )
    if can(user, "funds.propose") or current.proposed_at is not None:
        # The office hands the decisions to funds at once; after an amendment they are handed again
        # (funds proposes only the difference). When the finance bureau recorded the pass, the office
        # hands them over from its to-do list (application_propose).
        application_propose(user=user if can(user, "funds.propose") else None, application=current, at=at)
    return stored


@transaction.atomic
def application_propose(*, user, application: Application, at: dt.datetime) -> list:
    """Hand each stored decision to funds (``jigai.funds.services.item_propose``, FUNDS_CONTRACT.md):
    every eligible one with an amount, and any clause handed over before (so that a lower or nil amount
    after an amendment is compared with what was approved). ``user`` None: a re-decision on behalf of
    the office that proposed first (the platform's own process)."""
    current = Application.objects.select_for_update().select_related("project").get(pk=application.pk)
    proposer = user if user is not None else current.proposed_by
    require(proposer, "funds.propose", current)
    if current.state != ApplicationState.DECIDED:
        raise ConflictError(gettext("只有已决定的申报才能提交资金审批"))
    items = []
    for row in current.decisions.order_by("clause"):
        handed = bool(funds_selectors.items_for_source(row.source))
        if not handed and (row.outcome != "eligible" or row.amount_yuan <= 0):
            continue
        d = row.decision
        items.append(
            funds_services.item_propose(
                user=proposer,
                source=row.source,
                clause=row.clause,
                year=row.acceptance.inspection_date.year,
                enterprise=current.project.enterprise,
                project=current.project,
                region=current.project.region,
                entitled_yuan=row.amount_yuan,
                prefecture_share_yuan=Decimal(d["prefecture_share_yuan"]),
                county_share_yuan=Decimal(d["county_share_yuan"]),
                decision=d,
                explanation=row.explanation,
                at=at,
            )
        )
    if current.proposed_at is None:
        current.proposed_at, current.proposed_by = at, proposer
        current.version += 1
        current.save()
    return items
