"""The money rules, one project (or award row) at a time: 3.1.1, 3.2, stacking (docs/programme.md, reading 6), 3.1.2.

Pure functions of a typed input and a ``ParameterSet``. Money is ``Decimal``; the exact product is
rounded once, half-up to the fen, then compared with the cap (the cap is whole fen, so capping before or
after rounding gives the same amount).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import replace
from decimal import Decimal

from .dates import add_months, months_and_days, period_zh
from .decision import ELIGIBLE, INELIGIBLE, REVIEW, Decision, Reason
from .divisions import division_name
from .inputs import NATIONAL, Award, Project
from .money import EXACT, ZERO, format_yuan, format_yuan_zh, round_yuan
from .params import ParameterSet, default_parameters, display

_BASIS_ZH = {True: "计划", False: "验收核定"}


def _pct(rate: Decimal) -> str:
    return display("ratio", rate)


def split_cost(amount: Decimal, prefecture_share: Decimal) -> tuple[Decimal, Decimal]:
    """docs/programme.md, reading 7: the prefecture's part rounded half-up to the fen; the county pays the rest."""
    prefecture = round_yuan(EXACT.multiply(amount, prefecture_share))
    return prefecture, amount - prefecture


_BASIS_YEAR = {"plan_year": "计划年度", "start_year": "开工年度", "award_year": "获奖年度"}


def _no_rule(clause: str, year: int, basis: str, missing: Sequence[str]) -> Reason:
    return Reason(
        code="NO_RULE_IN_FORCE",
        clause=clause,
        message=f"{year}年无有效的第{clause}条政策规定（{_BASIS_YEAR[basis]}{year}年不在任何参数有效期内）",
        values={"year": year, "basis": basis, "missing": list(missing)},
    )


def _r(code: str, clause: str, message: str, **values: object) -> Reason:
    return Reason(code=code, clause=clause, message=message, values=values)


_NOT_REGISTERED = {
    c: _r("NOT_REGISTERED", c, "企业未在州内注册（须在州内注册）", registered_in_prefecture=False)
    for c in ("3.1.1", "3.2")
}
_NOT_CONFORMING = _r("NOT_CONFORMING", "3.1.1", "项目不符合国家产业政策", conforms_industrial_policy=False)
_NOT_IN_PLAN = _r("NOT_IN_PLAN", "3.1.1", "项目未列入年度工业技术改造计划", plan_year=None)
_NOT_KEY = _r("NOT_KEY_PROJECT", "3.2", "项目未列为重点技术改造项目", key_project=False)
_NOT_IN_PRODUCTION = _r(
    "NOT_IN_PRODUCTION", "3.2", "项目尚未建成投产（第3.2条在项目建成投产后给予支持）", in_production=False
)
_ESTIMATE = {
    c: _r("ESTIMATE", c, "尚无验收核定数，按计划投资额测算，验收后以核定数为准", basis="planned")
    for c in ("3.1.1", "3.2")
}
_IN_PRINCIPLE = "上限为“原则上”不超过：超出上限须记录理由并经财政部门批准"


def _amount_reasons(
    clause: str, what: str, base: Decimal, rate: Decimal, cap: Decimal, estimate: bool
) -> tuple[Decimal, bool, list[Reason]]:
    raw = EXACT.multiply(base, rate)
    amount = round_yuan(raw)
    capped = raw > cap
    computed = f"{raw:f}"
    raw_zh = f"{raw:,f}" if raw != amount else format_yuan_zh(amount)
    msg = f"按{_BASIS_ZH[estimate]}{what}{format_yuan_zh(base)}元的{_pct(rate)}计算，为{raw_zh}元"
    if amount != raw:
        msg += f"，四舍五入至分为{format_yuan_zh(amount)}元"
    reasons = [
        _r(
            "AMOUNT_COMPUTED",
            clause,
            msg,
            base_yuan=format_yuan(base),
            basis="planned" if estimate else "verified",
            rate=f"{rate:f}",
            computed_yuan=computed,
            amount_yuan=format_yuan(amount),
        )
    ]
    note = f"；{_IN_PRINCIPLE}" if clause == "3.1.1" else ""
    if capped:
        amount = cap
        reasons.append(
            _r(
                "CAPPED",
                clause,
                f"计算额{raw_zh}元超过单个项目上限{format_yuan_zh(cap)}元，按上限核定{note}",
                computed_yuan=computed,
                cap_yuan=format_yuan(cap),
            )
        )
    elif amount == cap:
        reasons.append(
            _r(
                "AT_CAP",
                clause,
                f"金额恰为单个项目上限{format_yuan_zh(cap)}元{note}",
                computed_yuan=computed,
                cap_yuan=format_yuan(cap),
            )
        )
    if estimate:
        reasons.append(_ESTIMATE[clause])
    return amount, capped, reasons


def evaluate_equipment_subsidy(project: Project, params: ParameterSet | None = None) -> Decision:
    """3.1.1 技改设备投资补助, with the parameters in force in the project's plan year."""
    params = params or default_parameters()
    clause = "3.1.1"
    p = project
    verified = p.verified_equipment_investment_yuan
    estimate = verified is None
    base = p.equipment_investment_yuan if estimate else verified
    reasons: list[Reason] = []
    if not p.registered_in_prefecture:
        reasons.append(_NOT_REGISTERED[clause])
    if not p.conforms_industrial_policy:
        reasons.append(_NOT_CONFORMING)
    year = p.plan_year
    cp = None
    if year is None:
        reasons.append(_NOT_IN_PLAN)
    else:
        cp = params.clause(clause, year)
        if not cp.in_force:
            reasons.append(_no_rule(clause, year, "plan_year", cp.missing))
            cp = None
    if cp is not None:
        v = cp.values
        max_months = v["3.1.1.max_period_months"]
        latest = add_months(p.start_date, max_months)
        if p.completion_date > latest:
            reasons.append(
                _r(
                    "PERIOD_TOO_LONG",
                    clause,
                    f"改造期超过{max_months}个月：开工{p.start_date}，竣工{p.completion_date}"
                    f"（改造期{period_zh(p.start_date, p.completion_date)}），最迟应于{latest}竣工",
                    start_date=p.start_date.isoformat(),
                    completion_date=p.completion_date.isoformat(),
                    latest_completion_date=latest.isoformat(),
                    max_months=max_months,
                )
            )
        threshold = v["3.1.1.threshold_yuan"]
        if base < threshold:
            reasons.append(
                _r(
                    "BELOW_THRESHOLD",
                    clause,
                    f"{_BASIS_ZH[estimate]}设备投资{format_yuan_zh(base)}元，低于{format_yuan_zh(threshold)}元的起点",
                    equipment_investment_yuan=format_yuan(base),
                    basis="planned" if estimate else "verified",
                    threshold_yuan=format_yuan(threshold),
                )
            )
    subject = {"project_id": p.project_id}
    if reasons:
        used = cp.used if cp is not None else ()
        return Decision(
            clause=clause, subject=subject, outcome=INELIGIBLE, estimate=estimate,
            reasons=tuple(reasons), parameters=used, year=year,
        )  # fmt: skip
    assert cp is not None and year is not None
    months, days = months_and_days(p.start_date, p.completion_date)
    met = _r(
        "CONDITIONS_MET",
        clause,
        f"符合第3.1.1条条件：州内注册，符合国家产业政策，列入{year}年度技改计划，"
        f"改造期{period_zh(p.start_date, p.completion_date)}（不超过{max_months}个月），{_BASIS_ZH[estimate]}设备投资"
        f"{format_yuan_zh(base)}元（不低于{format_yuan_zh(threshold)}元）",
        plan_year=year,
        start_date=p.start_date.isoformat(),
        completion_date=p.completion_date.isoformat(),
        period_months=months,
        period_days=days,
        latest_completion_date=latest.isoformat(),
        equipment_investment_yuan=format_yuan(base),
        threshold_yuan=format_yuan(threshold),
    )
    amount, capped, more = _amount_reasons(
        clause, "设备投资额", base, v["3.1.1.rate"], v["3.1.1.cap_yuan"], estimate
    )
    pref, county = split_cost(amount, v["cost_split.prefecture_share"])
    return Decision(
        clause=clause, subject=subject, outcome=ELIGIBLE, amount=amount, capped=capped, estimate=estimate,
        reasons=(met, *more), parameters=cp.used, year=year, prefecture_share=pref, county_share=county,
    )  # fmt: skip


def evaluate_large_investment(project: Project, params: ParameterSet | None = None) -> Decision:
    """3.2 重点技改项目支持, with the parameters in force in the year the project started.

    docs/programme.md, reading 13: the start year (the one-time investment's year), so that a project
    started within 2018–2020 keeps its support when it enters production after 2020 (issue 13, point 10).
    """
    params = params or default_parameters()
    clause = "3.2"
    p = project
    verified = p.verified_fixed_asset_investment_yuan
    estimate = verified is None
    base = p.fixed_asset_investment_yuan if estimate else verified
    year = p.start_date.year
    reasons: list[Reason] = []
    if not p.registered_in_prefecture:
        reasons.append(_NOT_REGISTERED[clause])
    cp = params.clause(clause, year)
    if not cp.in_force:
        reasons.append(_no_rule(clause, year, "start_year", cp.missing))
        cp = None
    else:
        v = cp.values
        lo, hi = v["3.2.manufacturing_divisions"]
        div = p.industry_division
        if div is None or not lo <= int(div) <= hi:
            name = division_name(div)
            what = (
                (f"行业大类{div}" + (f"（{name}）" if name else ""))
                if div is not None
                else "未填写行业代码，"
            )
            reasons.append(
                _r(
                    "NOT_MANUFACTURING",
                    clause,
                    f"{what}不属于加工制造业（制造业门类C，大类{lo:02d}–{hi:02d}）",
                    industry_division=div,
                    divisions=[lo, hi],
                )
            )
    if not p.key_project:
        reasons.append(_NOT_KEY)
    if cp is not None:
        threshold = v["3.2.threshold_yuan"]
        if base < threshold:
            reasons.append(
                _r(
                    "BELOW_THRESHOLD",
                    clause,
                    f"{_BASIS_ZH[estimate]}固定资产一次性投资{format_yuan_zh(base)}元，"
                    f"未达到{format_yuan_zh(threshold)}元",
                    fixed_asset_investment_yuan=format_yuan(base),
                    basis="planned" if estimate else "verified",
                    threshold_yuan=format_yuan(threshold),
                )
            )
    if not p.in_production:
        reasons.append(_NOT_IN_PRODUCTION)
    subject = {"project_id": p.project_id}
    if reasons:
        used = cp.used if cp is not None else ()
        return Decision(
            clause=clause, subject=subject, outcome=INELIGIBLE, estimate=estimate,
            reasons=tuple(reasons), parameters=used, year=year,
        )  # fmt: skip
    assert cp is not None
    met = _r(
        "CONDITIONS_MET",
        clause,
        f"符合第3.2条条件：州内注册，加工制造业（行业大类{p.industry_division}"
        f"{' ' + (division_name(p.industry_division) or '')}），重点技术改造项目，"
        f"{_BASIS_ZH[estimate]}固定资产一次性投资{format_yuan_zh(base)}元（达到{format_yuan_zh(threshold)}元），"
        f"{p.start_date.year}年开工（按开工年度适用政策），{p.completion_date.year}年建成投产",
        industry_division=p.industry_division,
        industry_name=division_name(p.industry_division),
        fixed_asset_investment_yuan=format_yuan(base),
        threshold_yuan=format_yuan(threshold),
        start_year=year,
        completion_date=p.completion_date.isoformat(),
    )
    amount, capped, more = _amount_reasons(
        clause, "固定资产投资额", base, v["3.2.rate"], v["3.2.cap_yuan"], estimate
    )
    if p.support_mode == "loan_interest" and v["3.2.interest_mode_cap"] == "actual_interest":
        amount, interest_reason = _interest_cap(amount, p.interest_paid_yuan)
        more.append(interest_reason)
    pref, county = split_cost(amount, v["cost_split.prefecture_share"])
    return Decision(
        clause=clause, subject=subject, outcome=ELIGIBLE, amount=amount, capped=capped, estimate=estimate,
        reasons=(met, *more), parameters=cp.used, year=year, prefecture_share=pref, county_share=county,
    )  # fmt: skip


def _interest_cap(amount: Decimal, interest: Decimal | None) -> tuple[Decimal, Reason]:
    """docs/programme.md, reading 15: 3.2 paid as 贷款贴息 is at most the interest actually paid in the
    support period; the rest of the 1 % amount is not paid in that mode."""
    interest = interest if interest is not None else ZERO
    if interest < amount:
        return interest, _r(
            "INTEREST_CAPPED",
            "3.2",
            f"以贷款贴息方式支持，以支持期内实际支付的利息{format_yuan_zh(interest)}元为限"
            f"（按比例计算的{format_yuan_zh(amount)}元中其余部分在贷款贴息方式下不支付）",
            interest_paid_yuan=format_yuan(interest),
            computed_yuan=format_yuan(amount),
            support_mode="loan_interest",
        )
    return amount, _r(
        "INTEREST_COVERS",
        "3.2",
        f"以贷款贴息方式支持，支持期内实际支付的利息{format_yuan_zh(interest)}元不低于"
        f"按比例计算的{format_yuan_zh(amount)}元，按比例金额支持",
        interest_paid_yuan=format_yuan(interest),
        computed_yuan=format_yuan(amount),
        support_mode="loan_interest",
    )


def apply_stacking(
    equipment: Decision, large: Decision, params: ParameterSet | None = None
) -> tuple[Decision, Decision]:
    """docs/programme.md, reading 6: by default both; with ``stacking = higher_only`` (in force in the 3.2
    year, the start year: docs/programme.md, reading 13) only the
    higher of two eligible decisions stands (3.1.1 on a tie). The other becomes ineligible."""
    if equipment.outcome != ELIGIBLE or large.outcome != ELIGIBLE:
        return equipment, large
    params = params or default_parameters()
    assert large.year is not None
    cp = params.clause("3.2", large.year)
    if cp.values.get("stacking") != "higher_only":
        return equipment, large
    if large.amount > equipment.amount:
        return _superseded(equipment, large), large
    return equipment, _superseded(large, equipment)


def _superseded(loser: Decision, winner: Decision) -> Decision:
    reason = _r(
        "STACKING_HIGHER_ONLY",
        loser.clause,
        f"同一项目同时符合第3.1.1条和第3.2条，按“就高不重复”只享受较高一项：本项{format_yuan_zh(loser.amount)}元，"
        f"第{winner.clause}条{format_yuan_zh(winner.amount)}元",
        this_yuan=format_yuan(loser.amount),
        other_clause=winner.clause,
        other_yuan=format_yuan(winner.amount),
        stacking="higher_only",
    )
    kept = tuple(r for r in loser.reasons if r.code == "CONDITIONS_MET")
    return replace(
        loser,
        outcome=INELIGIBLE,
        amount=ZERO,
        capped=False,
        reasons=(*kept, reason),
        prefecture_share=ZERO,
        county_share=ZERO,
    )


def evaluate_project(project: Project, params: ParameterSet | None = None) -> tuple[Decision, Decision]:
    """Both money clauses of one project (3.1.1, 3.2), stacking applied."""
    params = params or default_parameters()
    return apply_stacking(
        evaluate_equipment_subsidy(project, params), evaluate_large_investment(project, params), params
    )


def evaluate_projects(projects: Iterable[Project], params: ParameterSet | None = None) -> list[Decision]:
    """One by one: for each project its 3.1.1 then its 3.2 decision."""
    params = params or default_parameters()
    out: list[Decision] = []
    for p in projects:
        out.extend(evaluate_project(p, params))
    return out


# --- 3.1.2 champion awards -------------------------------------------------------------------------


def _award_subject(a: Award) -> dict:
    return {
        "enterprise_id": a.enterprise_id,
        "technology": a.technology,
        "year": a.year,
        "level": a.level,
        "rank": a.rank,
    }


def _evaluate_award(a: Award, params: ParameterSet) -> tuple[Decision, Decimal]:
    """The decision for one row alone, and the award it would carry (for the higher-award rule)."""
    clause = "3.1.2"
    subject = _award_subject(a)
    cp = params.clause(clause, a.year)
    if not cp.in_force:
        reason = _no_rule(clause, a.year, "award_year", cp.missing)
        return Decision(
            clause=clause, subject=subject, outcome=INELIGIBLE, reasons=(reason,), parameters=(), year=a.year
        ), ZERO
    v = cp.values
    national = a.level == NATIONAL
    table = v["3.1.2.national_awards_yuan"] if national else v["3.1.2.provincial_awards_yuan"]
    level_zh = _level_zh(a.level)
    amount = table.get(a.rank)
    if amount is None:
        reason = _r(
            "RANK_NOT_AWARDED",
            clause,
            f"{level_zh}第{a.rank}名，奖励限于前{max(table)}名",
            level=a.level,
            rank=a.rank,
            awarded_ranks=sorted(table),
        )
        return Decision(
            clause=clause, subject=subject, outcome=INELIGIBLE, reasons=(reason,), parameters=cp.used,
            year=a.year,
        ), ZERO  # fmt: skip
    industries = v["3.1.2.industries"]
    listed, how = match_industry(a.industry, industries)
    if listed is None:
        reason = _r(
            "INDUSTRY_NOT_LISTED",
            clause,
            f"行业“{a.industry}”不在原文列明的行业（{'、'.join(industries)}）之内；原文以“等”结尾，"
            f"不予拒绝，转人工审核（如认定，奖励{format_yuan_zh(amount)}元）",
            industry=a.industry,
            listed=list(industries),
            prospective_yuan=format_yuan(amount),
        )
        return Decision(
            clause=clause, subject=subject, outcome=REVIEW, reasons=(reason,), parameters=cp.used, year=a.year
        ), amount
    shown = a.industry if how == "exact" else f"{a.industry}（按列明行业“{listed}”认定）"
    met = _r(
        "CONDITIONS_MET",
        clause,
        f"{shown}行业，单项技术“{a.technology}”{a.year}年获{level_zh}第{a.rank}名",
        industry=a.industry,
        listed_industry=listed,
        industry_match=how,
        level=a.level,
        rank=a.rank,
    )
    computed = _r(
        "AMOUNT_COMPUTED",
        clause,
        f"{level_zh}第{a.rank}名奖励{format_yuan_zh(amount)}元",
        amount_yuan=format_yuan(amount),
    )
    pref, county = split_cost(amount, v["cost_split.prefecture_share"])
    return (
        Decision(
            clause=clause,
            subject=subject,
            outcome=ELIGIBLE,
            amount=amount,
            reasons=(met, computed),
            parameters=cp.used,
            year=a.year,
            prefecture_share=pref,
            county_share=county,
        ),
        amount,
    )


def evaluate_award(award: Award, params: ParameterSet | None = None) -> Decision:
    """3.1.2 for one ranking on its own (no comparison with the enterprise's other rankings)."""
    return _evaluate_award(award, params or default_parameters())[0]


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


_INDUSTRY_SUFFIX = re.compile(r"(行业|产业|领域|类)$")


def match_industry(label: str, industries: Sequence[str]) -> tuple[str | None, str]:
    """The listed industry (3.1.2) a label names, and how: ``exact`` (ignoring spaces, width, case and a
    trailing 行业/产业/领域), ``prefix`` (issue 13, point 3: one is the start of the other — 硒食品 for
    硒食品加工, 生物医药产业 or 生物医药制造 for 生物医药 — the shorter of at least 3 characters), or
    ``(None, "none")`` when no listed industry, or more than one, fits: then the row goes to review.
    Only a start matches: 食品加工 is not 硒食品加工."""
    key = _INDUSTRY_SUFFIX.sub("", _norm(label))
    names = {i: _INDUSTRY_SUFFIX.sub("", _norm(i)) for i in industries}
    for i, n in names.items():
        if key == n:
            return i, "exact"
    hits = [
        i for i, n in names.items() if min(len(key), len(n)) >= 3 and (n.startswith(key) or key.startswith(n))
    ]
    if len(hits) == 1:
        return hits[0], "prefix"
    return None, "none"


def evaluate_awards(awards: Sequence[Award], params: ParameterSet | None = None) -> list[Decision]:
    """3.1.2 for a list of rankings, one decision per row, in order.

    docs/programme.md, reading 4: for the same technology in the same year an enterprise gets the higher award, not both.
    Rows are grouped by (enterprise, technology, year), technology compared ignoring spaces, width and
    case. Only decided awards compete (issue 13, point 3): among the group's *eligible* rows the highest
    stands (national before provincial on equal amounts, then the earlier row) and the other eligible
    rows become ineligible, SUPERSEDED_BY_HIGHER_AWARD. A row in review never cancels an eligible award:
    it stays in review, and both it and the eligible rows of its group carry OTHER_AWARD_SAME_TECHNOLOGY
    naming the other (the higher-award rule is applied again once the review is decided).
    """
    params = params or default_parameters()
    results = [_evaluate_award(a, params) for a in awards]
    groups: dict[tuple[str, str, int], list[int]] = {}
    for i, a in enumerate(awards):
        groups.setdefault((a.enterprise_id.strip(), _norm(a.technology), a.year), []).append(i)
    decisions = [d for d, _ in results]
    for rows in groups.values():
        candidates = [i for i in rows if decisions[i].outcome == ELIGIBLE and results[i][1] > 0]
        if len(candidates) >= 2:
            best = min(candidates, key=lambda i: (-results[i][1], awards[i].level != NATIONAL, i))
            winner = awards[best]
            for i in candidates:
                if i == best:
                    continue
                reason = _r(
                    "SUPERSEDED_BY_HIGHER_AWARD",
                    "3.1.2",
                    f"同一单项技术同一年度只享受较高奖励：本项{format_yuan_zh(results[i][1])}元，"
                    f"已按{_level_zh(winner.level)}第{winner.rank}名给予{format_yuan_zh(results[best][1])}元",
                    this_yuan=format_yuan(results[i][1]),
                    higher_level=winner.level,
                    higher_rank=winner.rank,
                    higher_yuan=format_yuan(results[best][1]),
                )
                decisions[i] = replace(
                    decisions[i],
                    outcome=INELIGIBLE,
                    amount=ZERO,
                    reasons=(reason,),
                    prefecture_share=ZERO,
                    county_share=ZERO,
                )
        in_review = [i for i in rows if decisions[i].outcome == REVIEW]
        if not in_review:
            continue
        standing = [i for i in rows if decisions[i].outcome in (ELIGIBLE, REVIEW)]
        notes: dict[int, list[Reason]] = {}
        for i in standing:
            for j in standing:
                if i != j and (i in in_review or j in in_review):
                    notes.setdefault(i, []).append(_other_award(awards[j], decisions[j], results[j][1]))
        for i, extra in notes.items():
            decisions[i] = replace(decisions[i], reasons=(*decisions[i].reasons, *extra))
    return decisions


def _level_zh(level: str) -> str:
    return "全国" if level == NATIONAL else "全省同行业"


def _other_award(other: Award, decision: Decision, amount: Decimal) -> Reason:
    """Issue 13, point 3: the other standing row of the same technology and year, beside this one; it
    states a grant only for an eligible row, never for one in review."""
    what = f"{_level_zh(other.level)}第{other.rank}名"
    if decision.outcome == ELIGIBLE:
        state = f"符合条件，奖励{format_yuan_zh(amount)}元"
    else:
        state = f"行业“{other.industry}”待人工审核（如认定，奖励{format_yuan_zh(amount)}元），尚未给予"
    return _r(
        "OTHER_AWARD_SAME_TECHNOLOGY",
        "3.1.2",
        f"同一单项技术同一年度另有{what}：{state}；人工审核认定后，同一单项技术同一年度只享受较高一项奖励",
        other_level=other.level,
        other_rank=other.rank,
        other_industry=other.industry,
        other_decision=decision.outcome,
        other_yuan=format_yuan(amount),
    )
