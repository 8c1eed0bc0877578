"""Non-money measures: 3.3 (no extra land price for raising the plot ratio) and 3.5 (zero-approval
online filing). Pure functions of a typed case and the parameters in force on its date."""

from __future__ import annotations

from .decision import ELIGIBLE, INELIGIBLE, REVIEW, Decision, Reason
from .inputs import LAND_ACQUISITION, LAND_MEASURES, LAND_PRIORITY, PROJECT_TYPES, FilingCase, LandCase
from .params import ClauseParams, ParameterSet, default_parameters

# Approvals of the ordinary route, in the order the secretary (秘书制) handles them, with the fact that
# makes each necessary.
APPROVAL_FILING = "项目备案（核准）"
APPROVAL_EIA = "环评（环境影响评价）"
APPROVAL_SAFETY = "安评（安全评价）"
APPROVAL_LAND = "土地报批"
APPROVAL_PLANNING = "规划许可（建设工程规划许可）"
APPROVAL_ENERGY = "能评（节能审查）"


def statutory_approvals(case: FilingCase) -> tuple[str, ...]:
    """The statutory approvals a project's facts call for. "零审批" waives none of them: they remain on
    every route and every decision lists them (docs/programme.md, reading 19)."""
    out = []
    if case.changes_pollutant_discharge:
        out.append(APPROVAL_EIA)
    if case.involves_major_hazard:
        out.append(APPROVAL_SAFETY)
    if case.new_land_area_m2 > 0:
        out.append(APPROVAL_LAND)
    if case.new_buildings:
        out.append(APPROVAL_PLANNING)
    if case.energy_review_required:
        out.append(APPROVAL_ENERGY)
    return tuple(out)


def ordinary_approvals(case: FilingCase) -> tuple[str, ...]:
    """The approvals a project needs on the ordinary route: the project's own filing (or approval), then
    the statutory ones from its facts."""
    return (APPROVAL_FILING, *statutory_approvals(case))


def _r(code: str, clause: str, message: str, **values: object) -> Reason:
    return Reason(code=code, clause=clause, message=message, values=values)


def evaluate_filing(case: FilingCase, params: ParameterSet | None = None) -> Decision:
    """3.5: eligible = the project itself is filed online with zero approval; ineligible = the ordinary
    route. Either way ``approvals`` lists what remains (docs/programme.md, reading 19).

    An equipment-renewal project on zero new land, or an expansion using an advanced mature process (new
    land or not), qualifies. "零审批" is the project's own filing: the statutory approvals its facts call
    for (环评, 安评, 土地报批, 规划许可, 能评) remain on both routes and are listed — with the one-to-one
    service the same paragraph promises. One function per branch of the clause: ``_filing_no_rule``,
    ``_filing_equipment_renewal``, ``_filing_expansion``, ``_filing_type_not_covered``.
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


def _filing_zero_approval(case: FilingCase, cp: ClauseParams, reason: Reason) -> Decision:
    """Eligible: the project is filed online with zero approval; the statutory approvals remain, listed."""
    remaining = statutory_approvals(case)
    if remaining:
        message = f"“零审批”不免除法定审批，仍须依法办理：{'、'.join(remaining)}（提供“一对一”全程服务）"
    else:
        message = "按所填事实（不改变污染物排放、不涉及重大危险源、不新增用地、不新建建筑物、无需节能审查），无需另办法定审批"
    statutory = _r("STATUTORY_APPROVALS", "3.5", message, approvals=list(remaining))
    return _filing_decision(case, cp, outcome=ELIGIBLE, reasons=(reason, statutory), approvals=remaining)


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
        return _filing_zero_approval(case, cp, reason)
    reason = _r(
        "NEW_LAND_REQUIRED",
        "3.5",
        f"设备更新改造项目新增用地{land:f}平方米，不属于“零新增地”项目",
        project_type=case.project_type,
        new_land_area_m2=f"{land:f}",
    )
    return _filing_ordinary(case, cp, reason)


def _filing_expansion(case: FilingCase, cp: ClauseParams) -> Decision:
    """3.5 采取先进成熟工艺的扩建项目: zero approval of the project's filing, new land or not; new land keeps
    its 土地报批, listed with the other statutory approvals (docs/programme.md, reading 19)."""
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
    reason = _r(
        "ADVANCED_PROCESS_EXPANSION",
        "3.5",
        "采取先进成熟工艺的扩建项目，实行网上备案“零审批”"
        + (f"（新增用地{land:f}平方米，土地报批照常办理）" if land > 0 else ""),
        project_type=case.project_type,
        advanced_mature_process=True,
        new_land_area_m2=f"{land:f}",
    )
    return _filing_zero_approval(case, cp, reason)


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


def _land_recorded(case: LandCase) -> tuple[str, ...]:
    """The priority handling and the way of obtaining the land a case records (3.3), in Chinese."""
    out = [LAND_PRIORITY[k] for k in case.priority]
    if case.acquisition is not None:
        out.append(f"以{LAND_ACQUISITION[case.acquisition]}方式取得工业用地使用权")
    return tuple(out)


def _land_recorded_reason(case: LandCase) -> tuple[Reason, ...]:
    if not case.priority and case.acquisition is None:
        return ()
    parts = []
    if case.priority:
        parts.append("对技改企业发展所需用地" + "、".join(LAND_PRIORITY[k] for k in case.priority))
    if case.acquisition is not None:
        how = LAND_ACQUISITION[case.acquisition]
        note = (
            "（原文：可采取先租后让、租让结合等方式取得工业用地使用权）"
            if case.acquisition
            in (
                "lease_then_transfer",
                "lease_and_transfer",
            )
            else ""
        )
        parts.append(f"以{how}方式取得工业用地使用权{note}")
    return (
        _r(
            "LAND_MEASURES_RECORDED",
            "3.3",
            "用地保障措施：" + "；".join(parts),
            priority=list(case.priority),
            acquisition=case.acquisition,
        ),
    )


#: What is pending while the raised plot ratio is not yet approved (docs/programme.md, reading 18).
LAND_APPROVAL_PENDING = "城乡规划主管部门批准提高容积率（变更规划条件，《城乡规划法》第四十三条）"


def evaluate_land(case: LandCase, params: ParameterSet | None = None) -> Decision:
    """3.3, both sentences (docs/programme.md, reading 18).

    First sentence: industrial land, use unchanged, land use and plot ratio raised → 不再增收土地价款, however
    the land is held. Second (零新增地): besides, 原出让的存量工业用地, in line with the city plan, within the
    original site → 不再收取土地出让价款. The raise must be approved (经批准): ``approved`` is a fact —
    True: eligible; None: ``review`` with ``APPROVAL_PENDING`` saying what is pending (no memo says 经批准);
    False: ineligible ``NOT_APPROVED``. Every failed condition is listed; whether the second sentence holds
    is said beside an eligible decision; priority handling and 先租后让/租让结合 are recorded
    (``land_measures``, ``LAND_MEASURES_RECORDED``) without changing the outcome.
    """
    params = params or default_parameters()
    clause = "3.3"
    subject = {"case_id": case.case_id}
    cp = params.clause_on(clause, case.application_date)
    year = case.application_date.year
    recorded = _land_recorded_reason(case)
    first = cp.in_force and bool(cp.values["3.3.industrial_land_no_extra_price"])
    second = cp.in_force and bool(cp.values["3.3.no_extra_land_price"])

    def decision(outcome: str, reasons: list[Reason] | tuple[Reason, ...], used: bool = True) -> Decision:
        return Decision(
            clause=clause,
            subject=subject,
            outcome=outcome,
            reasons=(*reasons, *recorded),
            parameters=cp.used if used and cp.in_force else (),
            year=year,
            land_measures=_land_recorded(case),
        )

    if not first and not second:
        reason = _r(
            "NO_RULE_IN_FORCE",
            clause,
            f"申请日期{case.application_date}无有效的第3.3条规定",
            date=case.application_date.isoformat(),
        )
        return decision(INELIGIBLE, (reason,), used=False)
    before, after = case.plot_ratio_before, case.plot_ratio_after
    # The first sentence's conditions (also the second's).
    basic: list[Reason] = []
    if not case.industrial_land:
        basic.append(_r("NOT_INDUSTRIAL_LAND", clause, "用地性质不是工业用地", industrial_land=False))
    if case.change_of_use:
        basic.append(
            _r("CHANGE_OF_USE", clause, "改变土地用途，不适用不再增收土地价款的规定", change_of_use=True)
        )
    if not after > before:
        basic.append(
            _r(
                "NO_PLOT_RATIO_INCREASE",
                clause,
                f"容积率未提高（{before:f} → {after:f}）",
                plot_ratio_before=f"{before:f}",
                plot_ratio_after=f"{after:f}",
            )
        )
    # The second sentence's own conditions (零新增地).
    zero: list[Reason] = []
    if not case.existing_stock_land:
        zero.append(
            _r(
                "NOT_EXISTING_LAND",
                clause,
                "不是原出让的存量工业用地（第二句“零新增地”的条件）",
                existing_stock_land=False,
            )
        )
    if not case.conforms_urban_plan:
        zero.append(
            _r(
                "NOT_CONFORMING_PLAN",
                clause,
                "不符合城市规划（第二句“零新增地”的条件）",
                conforms_urban_plan=False,
            )
        )
    if not case.within_original_site:
        zero.append(
            _r(
                "OUTSIDE_ORIGINAL_SITE",
                clause,
                "超出原用地范围（第二句“零新增地”的条件）",
                within_original_site=False,
            )
        )
    first_ok = first and not basic
    second_ok = second and not basic and not zero
    if not first_ok and not second_ok:
        return decision(INELIGIBLE, basic + (zero if second else []))
    how = "、".join(LAND_MEASURES[m] for m in case.measures) or "技术改造"
    ratio = {"plot_ratio_before": f"{before:f}", "plot_ratio_after": f"{after:f}"}
    if case.approved is False:
        reason = _r(
            "NOT_APPROVED",
            clause,
            f"提高容积率（{before:f} → {after:f}）未获批准，不适用不再增收土地价款的规定",
            approved=False,
            **ratio,
        )
        return decision(INELIGIBLE, (reason,))
    approved = case.approved is True
    zero_reason: tuple[Reason, ...] = ()
    if second_ok:
        if approved:
            text = (
                f"同时属“零新增地”技术改造：原出让的存量工业用地，符合城市规划、不改变用途，经批准在原用地范围内"
                f"{how}而提高容积率，不再收取土地出让价款（三（三）第二句）"
            )
        else:
            text = (
                f"批准后同时属“零新增地”技术改造：原出让的存量工业用地，符合城市规划、不改变用途，在原用地范围内"
                f"{how}提高容积率，尚待批准；获批后不再收取土地出让价款（三（三）第二句）"
            )
        zero_reason = (_r("ZERO_NEW_LAND_STOCK", clause, text, measures=list(case.measures), **ratio),)
    elif second:
        zero_reason = (
            _r(
                "NOT_ZERO_NEW_LAND",
                clause,
                "不属“零新增地”技术改造（三（三）第二句）："
                + "；".join(r.message.split("（")[0] for r in zero),
                conditions=[r.code for r in zero],
            ),
        )
    if first_ok:
        what = (
            f"工业用地，不改变用途，提高土地利用率和容积率（{before:f} → {after:f}），"
            "不再增收土地价款（三（三）第一句）"
        )
    else:  # only the second sentence in force
        what = f"原出让的存量工业用地，提高容积率（{before:f} → {after:f}），不再收取土地出让价款（三（三）第二句）"
    if not approved:
        reason = _r(
            "APPROVAL_PENDING",
            clause,
            f"其余条件均符合：{what.replace('不再', '获批后不再')}；提高容积率尚待批准，待办：{LAND_APPROVAL_PENDING}",
            approved=None,
            pending=[LAND_APPROVAL_PENDING],
            **ratio,
        )
        return decision(REVIEW, (reason, *zero_reason))
    reason = _r("CONDITIONS_MET", clause, f"{what}；提高容积率已经批准", approved=True, **ratio)
    return decision(ELIGIBLE, (reason, *zero_reason))
