"""What-if: the same projects under changed parameters, against the parameters in force."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

import numpy as np

from .batch import BatchResult, ClauseResult, ProjectColumns, evaluate_batch, exact_sum
from .inputs import Project
from .money import fen_to_yuan, format_yuan, format_yuan_zh
from .params import (
    CLAUSE_PARAMETERS,
    Override,
    OverrideError,
    ParameterSet,
    default_parameters,
    display,
    parse_override,
)

CLAUSES = ("3.1.1", "3.2")
NO_UNIT = "（未填）"
#: The year each clause's amount is counted in (``by_year``): the year whose parameters apply
#: (docs/programme.md, reading 13): 3.1.1 the plan year, 3.2 the year the project started.
YEAR_BASIS = {"3.1.1": "plan_year", "3.2": "start_year"}
YEAR_BASIS_ZH = {"plan_year": "计划年度", "start_year": "开工年度"}
#: The parameters the simulated clauses read (issue 13, point 8): a ``--set`` of any other parameter
#: (3.1.2's awards, a target) cannot change a project's amount and is refused, not priced as 0.00.
SIMULATED_PARAMETERS = frozenset(name for c in CLAUSES for name in CLAUSE_PARAMETERS[c])
#: The nine reporting units (docs/programme.md, 2.1.b): code → name. The same table as
#: jigai/core/reference.py REPORTING_UNITS; jigai/policy/tests/test_decisions.py checks they agree.
REPORTING_UNITS: dict[str, str] = {
    "422801": "恩施市",
    "422802": "利川市",
    "422822": "建始县",
    "422823": "巴东县",
    "422825": "宣恩县",
    "422826": "咸丰县",
    "422827": "来凤县",
    "422828": "鹤峰县",
    "GXQ": "州高新区",
}
_UNIT_ALIASES: dict[str, str] = {
    **{code.casefold(): code for code in REPORTING_UNITS},
    **{name: code for code, name in REPORTING_UNITS.items()},
    "高新区": "GXQ",
    "恩施高新区": "GXQ",
}


def reporting_unit(value: str | None) -> str:
    """The reporting unit's code for a unit given as code, name or ``gxq`` in any case; ``""`` when
    blank. Raises ``ValueError`` (Chinese message) for anything else (issue 13, point 8)."""
    text = (value or "").strip()
    if not text:
        return ""
    code = _UNIT_ALIASES.get(text.casefold()) or _UNIT_ALIASES.get(text)
    if code is None:
        units = "、".join(f"{c} {n}" for c, n in REPORTING_UNITS.items())
        raise ValueError(f"填报单位「{text}」不是九个填报单位之一（{units}），无法按填报单位汇总")
    return code


def unsimulated_override(override: Override, params: ParameterSet) -> str | None:
    """Why ``override`` cannot change what ``simulate`` prices, or None when it can."""
    if override.name in SIMULATED_PARAMETERS:
        return None
    clause = params[override.name].clause if override.name in params.names else ""
    where = f"（第{clause}条）" if clause else ""
    hint = "；3.1.2 奖励请用 jigai policy awards 按排名表计算" if override.name.startswith("3.1.2.") else ""
    return (
        f"--set {override}：政策测算只计算项目表的第3.1.1条、第3.2条，参数 {override.name}{where}"
        f"不影响测算结果，不予调整{hint}"
    )


def _yuan(fen: int) -> str:
    return format_yuan(fen_to_yuan(int(fen)))


def _group(keys: np.ndarray, n_groups: int, values: np.ndarray) -> list[int]:
    """Sums per group, exact: int64 (unlike bincount's float64 weights) when no sum can pass 2^63, else
    Python integers (issue 13, point 1: an overridden cap can make the amounts large)."""
    if values.size and max(abs(int(values.max())), abs(int(values.min()))) * values.size >= 2**62:
        sums = [0] * n_groups
        for k, v in zip(keys.tolist(), values.tolist(), strict=True):
            sums[k] += v
        return sums
    out = np.zeros(n_groups, dtype=np.int64)
    np.add.at(out, keys, values)
    return out.tolist()


def _factorize(values: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    index: dict[str, int] = {}
    codes = np.fromiter(
        (index.setdefault(v or NO_UNIT, len(index)) for v in values), dtype=np.int64, count=len(values)
    )
    return codes, list(index)


def _summary(res: BatchResult, units: np.ndarray, unit_names: list[str]) -> dict:
    out: dict = {"total_yuan": _yuan(res.total_fen()), "by_clause": {}, "by_year": {}, "by_unit": {}}
    pref_total = county_total = 0
    years: dict[int, dict[str, int]] = {}
    per_unit = {name: {} for name in unit_names}
    for c in CLAUSES:
        r: ClauseResult = res[c]
        pref, county = exact_sum(r.prefecture_fen), exact_sum(r.county_fen)
        pref_total += pref
        county_total += county
        out["by_clause"][c] = {
            "total_yuan": _yuan(r.total_fen()),
            "eligible": int((r.outcome == 1).sum()),
            "ineligible": int((r.outcome == 0).sum()),
            "review": int((r.outcome == 2).sum()),
            "capped": int(r.capped.sum()),
            "prefecture_yuan": _yuan(pref),
            "county_yuan": _yuan(county),
        }
        year = r.year.astype(np.int64)
        has_year = year > 0
        if has_year.any():
            y0 = int(year[has_year].min())
            sums = _group(year[has_year] - y0, int(year[has_year].max()) - y0 + 1, r.amount_fen[has_year])
            for k, v in enumerate(sums):
                if v or np.any(year == y0 + k):
                    years.setdefault(y0 + k, {})[c] = v
        for k, v in enumerate(_group(units, len(unit_names), r.amount_fen)):
            per_unit[unit_names[k]][c] = v
    for y in sorted(years):
        row = {c: _yuan(years[y].get(c, 0)) for c in CLAUSES}
        row["total"] = _yuan(sum(years[y].values()))
        out["by_year"][str(y)] = row
    for name in sorted(per_unit):
        row = {c: _yuan(per_unit[name].get(c, 0)) for c in CLAUSES}
        row["total"] = _yuan(sum(per_unit[name].values()))
        out["by_unit"][name] = row
    out["prefecture_yuan"] = _yuan(pref_total)
    out["county_yuan"] = _yuan(county_total)
    return out


def _diff(a: dict, b: dict) -> dict:
    """b − a for every amount (yuan string) and count in two summaries of the same shape."""
    out: dict = {}
    for k, v in b.items():
        if isinstance(v, dict):
            out[k] = _diff(a.get(k, {}), v)
        elif isinstance(v, str):
            out[k] = format_yuan(Decimal(v) - Decimal(a.get(k, "0.00")))
        elif isinstance(v, int):
            out[k] = v - a.get(k, 0)
    return out


def _drop_empty_years(b: dict, r: dict) -> None:
    for y in list(b["by_year"]):
        if b["by_year"][y]["total"] == "0.00" and r["by_year"][y]["total"] == "0.00":
            del b["by_year"][y], r["by_year"][y]


def _changes(base: BatchResult, reform: BatchResult) -> dict:
    bt = base.equipment.amount_fen + base.large.amount_fen
    rt = reform.equipment.amount_fen + reform.large.amount_fen
    outcome = np.zeros(len(bt), dtype=bool)
    per_clause = {}
    for c in CLAUSES:
        b, r = base[c], reform[c]
        changed = b.outcome != r.outcome
        outcome |= changed
        per_clause[c] = {
            "gain": int((r.amount_fen > b.amount_fen).sum()),
            "lose": int((r.amount_fen < b.amount_fen).sum()),
            "outcome_changed": int(changed.sum()),
            "became_eligible": int(((b.outcome != 1) & (r.outcome == 1)).sum()),
            "no_longer_eligible": int(((b.outcome == 1) & (r.outcome != 1)).sum()),
        }
    return {
        "gain": int((rt > bt).sum()),
        "lose": int((rt < bt).sum()),
        "unchanged": int((rt == bt).sum()),
        "outcome_changed": int(outcome.sum()),
        "by_clause": per_clause,
    }


def simulate(
    projects: ProjectColumns | Sequence[Project],
    overrides: Iterable[Override | str],
    params: ParameterSet | None = None,
    *,
    carry_forward: Iterable[int] = (),
) -> dict:
    """Evaluate every project under the parameters in force (``baseline``) and under the same
    parameters with ``overrides`` (``reform``): totals by clause, year (the year whose parameters apply)
    and reporting unit, the prefecture and county shares, and how many projects gain, lose or change
    outcome. ``carry_forward`` years first extend every parameter into those years with its latest value
    (reform only), so ``carry_forward=[2021]`` with ``3.1.1.rate@2021=0.04`` prices next year's policy.
    Raises ``OverrideError`` for an unknown parameter, a bad value or a parameter outside 3.1.1 and 3.2
    (it could not change the result), ``ValueError`` for a unit outside the nine reporting units
    (``reporting_unit``; the report's units are their codes). JSON-able result."""
    params = params or default_parameters()
    overrides = [o if isinstance(o, Override) else parse_override(o) for o in overrides]
    for o in overrides:
        if o.name in params.names and (why := unsimulated_override(o, params)):
            raise OverrideError(why)
    carry = sorted(set(carry_forward))
    reform_params = params
    for year in carry:
        reform_params = reform_params.carried_forward(year)
    reform_params = reform_params.with_overrides(overrides)
    cols = projects if isinstance(projects, ProjectColumns) else ProjectColumns.from_projects(projects)
    base = evaluate_batch(cols, params)
    reform = evaluate_batch(cols, reform_params)
    regions = cols.region_code.tolist() if cols.region_code is not None else [""] * len(cols)
    regions = [reporting_unit(r) for r in regions]
    units, unit_names = _factorize(regions)
    b = _summary(base, units, unit_names)
    r = _summary(reform, units, unit_names)
    _drop_empty_years(b, r)
    return {
        "projects": len(cols),
        "carry_forward": carry,
        "year_basis": dict(YEAR_BASIS),
        "year_basis_zh": {c: f"第{c}条按{YEAR_BASIS_ZH[YEAR_BASIS[c]]}计" for c in CLAUSES},
        "units": {code: REPORTING_UNITS.get(code, code) for code in unit_names},
        "overrides": [
            {
                "set": str(o),
                "parameter": o.name,
                "year": o.year,
                "value": o.raw,
                "in_force": [
                    {
                        "start": p.start.isoformat(),
                        "end": p.end.isoformat() if p.end else None,
                        "display": display(params[o.name].unit, p.value),
                    }
                    for p in params[o.name].periods
                ],
            }
            for o in overrides
        ],
        "baseline": b,
        "reform": r,
        "difference": _diff(b, r),
        "changes": _changes(base, reform),
    }


def simulate_text(report: dict) -> str:
    """The what-if as a short Chinese note for the leading group."""
    b, r, d, ch = report["baseline"], report["reform"], report["difference"], report["changes"]
    lines = [f"政策测算：{report['projects']}个项目"]
    for y in report.get("carry_forward", []):
        lines.append(f"延续：各参数按现行最后取值延续至{y}年")
    if report["overrides"]:
        for o in report["overrides"]:
            now = "；".join(f"{p['display']}（{p['start']}至{p['end'] or '今'}）" for p in o["in_force"])
            scope = f"{o['year']}年" if o["year"] else "各期间"
            lines.append(f"调整：{o['parameter']} {scope}改为 {o['value']}（现行：{now or '无'}）")
    elif not report.get("carry_forward"):
        lines.append("调整：无（现行参数）")

    def row(label: str, x: str, y: str, z: str) -> str:
        return (
            f"{label}：现行 {format_yuan_zh(_d(x))} 元 → 调整后 {format_yuan_zh(_d(y))} 元（{_signed(z)} 元）"
        )

    lines.append(row("合计", b["total_yuan"], r["total_yuan"], d["total_yuan"]))
    for c in CLAUSES:
        lines.append(
            row(
                f"  第{c}条（按{YEAR_BASIS_ZH[YEAR_BASIS[c]]}计入年度）",
                b["by_clause"][c]["total_yuan"],
                r["by_clause"][c]["total_yuan"],
                d["by_clause"][c]["total_yuan"],
            )
        )
    lines.append(row("  州级承担", b["prefecture_yuan"], r["prefecture_yuan"], d["prefecture_yuan"]))
    lines.append(row("  县市承担", b["county_yuan"], r["county_yuan"], d["county_yuan"]))
    basis = "、".join(f"第{c}条按{YEAR_BASIS_ZH[YEAR_BASIS[c]]}" for c in CLAUSES)
    lines.append(f"分年度（{basis}计）：")
    for y in r["by_year"]:
        lines.append(
            row(f"  {y}年", b["by_year"][y]["total"], r["by_year"][y]["total"], d["by_year"][y]["total"])
        )
    lines.append("分填报单位：")
    names = report.get("units", {})
    for u in r["by_unit"]:
        label = f"{u} {names[u]}" if names.get(u, u) != u else u
        lines.append(
            row(f"  {label}", b["by_unit"][u]["total"], r["by_unit"][u]["total"], d["by_unit"][u]["total"])
        )
    lines.append(
        f"项目变化：增加 {ch['gain']} 个，减少 {ch['lose']} 个，不变 {ch['unchanged']} 个；"
        f"结论改变 {ch['outcome_changed']} 个"
    )
    return "\n".join(lines)


def _d(text: str) -> Decimal:
    return Decimal(text)


def _signed(text: str) -> str:
    v = _d(text)
    return ("+" if v > 0 else "") + format_yuan_zh(v)
