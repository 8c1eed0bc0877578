"""Non-money measures: 3.3 (no extra land price for raising the plot ratio) and 3.5 (zero-approval
online filing). Pure functions of a typed case and the parameters in force on its date."""

from __future__ import annotations

from .decision import ELIGIBLE, INELIGIBLE, REVIEW, Decision, Reason
from .inputs import LAND_MEASURES, PROJECT_TYPES, FilingCase, LandCase
from .params import ClauseParams, ParameterSet, default_parameters

# Approvals of the ordinary route, in the order the secretary (秘书制) handles them, with the fact that
# makes each necessary.
APPROVAL_FILING = "项目备案（核准）"
APPROVAL_EIA = "环评（环境影响评价）"
APPROVAL_SAFETY = "安评（安全评价）"
APPROVAL_LAND = "土地报批"
APPROVAL_PLANNING = "规划许可（建设工程规划许可）"


def ordinary_approvals(case: FilingCase) -> tuple[str, ...]:
    """The approvals a project needs on the ordinary route, from its facts."""
    out = [APPROVAL_FILING]
    if case.changes_pollutant_discharge:
        out.append(APPROVAL_EIA)
    if case.involves_major_hazard:
        out.append(APPROVAL_SAFETY)
    if case.new_land_area_m2 > 0:
        out.append(APPROVAL_LAND)
    if case.new_buildings:
        out.append(APPROVAL_PLANNING)
    return tuple(out)


def _r(code: str, clause: str, message: str, **values: object) -> Reason:
    return Reason(code=code, clause=clause, message=message, values=values)


def evaluate_filing(case: FilingCase, params: ParameterSet | None = None) -> Decision:
    """3.5: eligible = online filing with zero approval; ineligible = the ordinary approvals, listed.

    An equipment-renewal project on zero new land, or an expansion using an advanced mature process,
    qualifies. An expansion that still takes new land goes to review: land approval (土地报批) is statutory
    and the programme cannot waive it, so the decision lists it. One function per branch of the clause:
    ``_filing_no_rule``, ``_filing_equipment_renewal``, ``_filing_expansion``, ``_filing_type_not_covered``.
    """
    params = params or default_parameters()
    cp = params.clause_on("3.5", case.filing_date)
    if not cp.in_force or not cp.values["3.5.zero_approval_filing"]:
        return _filing_no_rule(case, cp)
    if case.project_type == "equipment_renewal":
        return _filing_equipment_renewal(case, cp)
    if case.project_type == "expansion":
        return _filing_expansion(case, cp)
    return _filing_type_not_covered(case, cp)


def _filing_decision(
    case: FilingCase,
    cp: ClauseParams,
    *,
    outcome: str,
    reasons: tuple[Reason, ...],
    approvals: tuple[str, ...],
) -> Decision:
    return Decision(
        clause="3.5",
        subject={"case_id": case.case_id},
        outcome=outcome,
        reasons=reasons,
        parameters=cp.used if cp.in_force else (),
        year=case.filing_date.year,
        approvals=approvals,
    )


def _filing_ordinary(case: FilingCase, cp: ClauseParams, reason: Reason) -> Decision:
    """Ineligible: the reason, then the ordinary approvals the project needs (with the secretary's help)."""
    ordinary = ordinary_approvals(case)
    approvals_reason = _r(
        "ORDINARY_APPROVALS",
        "3.5",
        f"按常规程序办理：{'、'.join(ordinary)}（提供“一对一”全程服务）",
        approvals=list(ordinary),
    )
    return _filing_decision(
        case, cp, outcome=INELIGIBLE, reasons=(reason, approvals_reason), approvals=ordinary
    )


def _filing_no_rule(case: FilingCase, cp: ClauseParams) -> Decision:
    """No 3.5 in force on the filing date (or the flag is off): the ordinary route."""
    reason = _r(
        "NO_RULE_IN_FORCE",
        "3.5",
        f"备案日期{case.filing_date}无有效的第3.5条“零审批”规定",
        date=case.filing_date.isoformat(),
    )
    return _filing_ordinary(case, cp, reason)


def _filing_equipment_renewal(case: FilingCase, cp: ClauseParams) -> Decision:
    """3.5 设备更新改造“零新增地”: zero approval when no new land is taken."""
    land = case.new_land_area_m2
    if land == 0:
        reason = _r(
            "ZERO_NEW_LAND_RENEWAL",
            "3.5",
            "设备更新改造项目，不新增用地（“零新增地”），实行网上备案“零审批”",
            project_type=case.project_type,
            new_land_area_m2=f"{land:f}",
        )
        return _filing_decision(case, cp, outcome=ELIGIBLE, reasons=(reason,), approvals=())
    reason = _r(
        "NEW_LAND_REQUIRED",
        "3.5",
        f"设备更新改造项目新增用地{land:f}平方米，不属于“零新增地”项目",
        project_type=case.project_type,
        new_land_area_m2=f"{land:f}",
    )
    return _filing_ordinary(case, cp, reason)


def _filing_expansion(case: FilingCase, cp: ClauseParams) -> Decision:
    """3.5 采取先进成熟工艺的扩建项目: zero approval; new land still needs 土地报批 (review)."""
    land = case.new_land_area_m2
    if not case.advanced_mature_process:
        reason = _r(
            "NOT_ADVANCED_PROCESS",
            "3.5",
            "扩建项目未采取先进成熟工艺",
            project_type=case.project_type,
            advanced_mature_process=False,
        )
        return _filing_ordinary(case, cp, reason)
    if land > 0:
        reason = _r(
            "NEW_LAND_NEEDS_APPROVAL",
            "3.5",
            f"采取先进成熟工艺的扩建项目可网上备案“零审批”，但新增用地{land:f}平方米，"
            "土地报批为法定程序，需人工审核",
            project_type=case.project_type,
            advanced_mature_process=True,
            new_land_area_m2=f"{land:f}",
        )
        return _filing_decision(case, cp, outcome=REVIEW, reasons=(reason,), approvals=(APPROVAL_LAND,))
    reason = _r(
        "ADVANCED_PROCESS_EXPANSION",
        "3.5",
        "采取先进成熟工艺的扩建项目，实行网上备案“零审批”",
        project_type=case.project_type,
        advanced_mature_process=True,
    )
    return _filing_decision(case, cp, outcome=ELIGIBLE, reasons=(reason,), approvals=())


def _filing_type_not_covered(case: FilingCase, cp: ClauseParams) -> Decision:
    """Any other project type: not covered by 3.5, the ordinary route."""
    type_zh = PROJECT_TYPES.get(case.project_type, case.project_type)
    reason = _r(
        "PROJECT_TYPE_NOT_COVERED",
        "3.5",
        f"{type_zh}项目不属于设备更新改造“零新增地”项目或采取先进成熟工艺的扩建项目",
        project_type=case.project_type,
    )
    return _filing_ordinary(case, cp, reason)


def evaluate_land(case: LandCase, params: ParameterSet | None = None) -> Decision:
    """3.3: raising the plot ratio on existing industrial land, within the original site, without change
    of use and in line with the city plan, costs no additional land price. Every failed condition is
    listed."""
    params = params or default_parameters()
    clause = "3.3"
    subject = {"case_id": case.case_id}
    cp = params.clause_on(clause, case.application_date)
    year = case.application_date.year
    if not cp.in_force or not cp.values["3.3.no_extra_land_price"]:
        reason = _r(
            "NO_RULE_IN_FORCE",
            clause,
            f"申请日期{case.application_date}无有效的第3.3条规定",
            date=case.application_date.isoformat(),
        )
        return Decision(
            clause=clause, subject=subject, outcome=INELIGIBLE, reasons=(reason,), parameters=(), year=year
        )
    reasons: list[Reason] = []
    if not case.industrial_land:
        reasons.append(_r("NOT_INDUSTRIAL_LAND", clause, "用地性质不是工业用地", industrial_land=False))
    if not case.existing_stock_land:
        reasons.append(_r("NOT_EXISTING_LAND", clause, "不是原出让的存量工业用地", existing_stock_land=False))
    if case.change_of_use:
        reasons.append(
            _r("CHANGE_OF_USE", clause, "改变土地用途，不适用不再收取土地价款的规定", change_of_use=True)
        )
    if not case.conforms_urban_plan:
        reasons.append(_r("NOT_CONFORMING_PLAN", clause, "不符合城市规划", conforms_urban_plan=False))
    if not case.within_original_site:
        reasons.append(_r("OUTSIDE_ORIGINAL_SITE", clause, "超出原用地范围", within_original_site=False))
    before, after = case.plot_ratio_before, case.plot_ratio_after
    if not after > before:
        reasons.append(
            _r(
                "NO_PLOT_RATIO_INCREASE",
                clause,
                f"容积率未提高（{before:f} → {after:f}）",
                plot_ratio_before=f"{before:f}",
                plot_ratio_after=f"{after:f}",
            )
        )
    if reasons:
        return Decision(
            clause=clause,
            subject=subject,
            outcome=INELIGIBLE,
            reasons=tuple(reasons),
            parameters=cp.used,
            year=year,
        )
    how = "、".join(LAND_MEASURES[m] for m in case.measures) or "技术改造"
    reason = _r(
        "CONDITIONS_MET",
        clause,
        f"原出让的存量工业用地，符合城市规划、不改变用途，经批准在原用地范围内{how}，"
        f"容积率由{before:f}提高到{after:f}，不再收取土地出让价款",
        plot_ratio_before=f"{before:f}",
        plot_ratio_after=f"{after:f}",
        measures=list(case.measures),
    )
    return Decision(
        clause=clause, subject=subject, outcome=ELIGIBLE, reasons=(reason,), parameters=cp.used, year=year
    )
