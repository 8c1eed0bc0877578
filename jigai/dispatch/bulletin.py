"""The monthly bulletin's figures (4.3 月通报), computed from the raw reports and statistics.

``compute(month, as_of=…)`` returns a JSON-ready snapshot: amounts in yuan and ratios as strings
(exact ``Decimal`` text), so a published bulletin can be stored, hashed and rendered again identically.
It runs a fixed number of queries whatever the number of projects (benchmarks/bulletin.py).

Definitions (each cited where it is used):

* implemented this year (2.1.b, docs/programme.md, reading 8): under construction at some time from 1 January to the month's
  end; new starts and completions beside it, for the month and the year to date;
* tech-renovation and industrial investment (2.1.a, docs/programme.md, reading 10): the units' official January-to-month
  figures; growth = (this year − same month last year) / last year, undefined on a zero base; rank by
  competition ranking on the exact growth (docs/programme.md, reading 11 for a zero base or a missing figure); the
  prefecture's figure is the sum of the nine units;
* the project-library sum: the month investments of the year's reports up to the month, per unit;
* 序时进度: the share of the planned construction period (planned start, else actual start, to planned
  completion) elapsed at the month's end; a project is behind when its cumulative investment's share of
  the planned total trails it by more than JIGAI_DISPATCH_SCHEDULE_TOLERANCE, or when it says so itself;
* the targets (2.1.a growth, 2.1.b projects and each unit's quota) and docs/programme.md, reading 10's library gap are the
  programme's dated parameters in force for the bulletin's year (``jigai.core.programme``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from jigai.core import programme

from . import checks, conf
from .models import ProgressReport, ProgressState, RegionStatistic
from .periods import BEIJING, Month
from .selectors import (
    ZERO,
    counts_as_implemented,
    growth,
    investment_growth,
    library_ytd_by_unit,
    project_lines,
    units,
)

SCHEMA = 1
RATIO = Decimal("0.000001")
SHARE = Decimal("0.0001")
COMPLETED = ("completed", "accepted")


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def ratio(value: Decimal | None, quantum: Decimal = RATIO) -> str | None:
    return None if value is None else str(value.quantize(quantum))


def time_share(*, start: dt.date | None, end: dt.date | None, at: dt.date) -> Decimal | None:
    """Share of the planned construction period elapsed at ``at`` (0–1); None without a planned end."""
    if start is None or end is None:
        return None
    if end <= start:
        return Decimal(1)
    elapsed = (min(max(at, start), end) - start).days
    return Decimal(elapsed) / Decimal((end - start).days)


def _sum(values) -> Decimal | None:
    values = [v for v in values if v is not None]
    return sum(values, ZERO) if values else None


def compute(month: Month, *, as_of: dt.datetime) -> dict:
    """The bulletin of ``month`` as of ``as_of``. One function per part of the bulletin:
    ``projects_section`` (三、需要关注的项目, and the per-unit project counts), ``units_section``
    (二、各县市推进情况), ``prefecture_section`` (一、总体情况), ``trend_section`` (the chart), each list
    ordered by ``_order_lists``; the programme figures used are recorded in ``settings``/``parameters``."""
    year = month.year
    unit_list = units()
    # 1. Official statistics of this year and the last (growth, and the trend chart).
    stats = list(
        RegionStatistic.objects.filter(year__in=(year - 1, year), month__lte=month.month).values_list(
            "region_id", "year", "month", "industrial_investment_ytd_yuan", "tech_investment_ytd_yuan"
        )
    )
    growth_rows = {g.region_id: g for g in investment_growth(year=year, month=month.month, stats=stats)}
    # 2. The project library's sum for the year to date.
    library = library_ytd_by_unit(year=year, month=month.month, as_of=as_of)
    projects = projects_section(month, as_of=as_of, unit_list=unit_list)
    unit_rows = units_section(year, unit_list, projects, growth_rows, library)
    prefecture = prefecture_section(year, unit_list, unit_rows, growth_rows, library)
    trend = trend_section(month, unit_list, stats)
    _order_lists(projects, unit_list)
    return {
        "schema": SCHEMA,
        "period": {"year": year, "month": month.month, "label": month.label, "key": month.key},
        "as_of": as_of.astimezone(BEIJING).isoformat(),
        "deadline": month.deadline_date().isoformat(),
        "settings": conf.used_settings(year),
        "parameters": conf.used_parameters(year),
        "units": unit_rows,
        "prefecture": prefecture,
        "behind": projects.behind,
        "stalled": projects.stalled,
        "late": projects.late,
        "missing": projects.missing,
        "problems": projects.problems,
        "flags": projects.flags,
        "trend": trend,
    }


UNIT_COUNTS = (
    "implemented", "new_starts_month", "new_starts_ytd", "completions_month", "completions_ytd", "due", "on_time",
    "late", "missing", "pending", "problems", "stalled", "behind",
)  # fmt: skip


@dataclass
class ProjectsSection:
    """三、需要关注的项目: the lists, and the per-unit counts of 二、 (unit id → {count name: n})."""

    per_unit: dict[int, dict[str, int]]
    behind: list[dict] = field(default_factory=list)
    stalled: list[dict] = field(default_factory=list)
    late: list[dict] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    flags: list[dict] = field(
        default_factory=list
    )  # 四、数据核查提示 (the units' are added by units_section)


def projects_section(month: Month, *, as_of: dt.datetime, unit_list: list) -> ProjectsSection:
    """Projects implemented this year (2.1.b, docs/programme.md, reading 8) with their new starts and completions, and this
    month's reports: on time, late or missing, behind 序时进度, stalled, with problems, flagged."""
    year = month.year
    tolerance = conf.get("JIGAI_DISPATCH_SCHEDULE_TOLERANCE")
    unit_by_id = {u.pk: u for u in unit_list}
    # 3. Projects under construction at some time this year (and 4. their termination dates).
    lines = project_lines(dt.date(year, 1, 1), month.last_day)
    # 5. This month's reports.
    reports = {
        r[0]: r
        # As of the moment: a report first sent after it is not part of this bulletin.
        for r in ProgressReport.objects.filter(year=year, month=month.month, first_submitted_at__lte=as_of).values_list(
            "project_id", "region_id", "cumulative_investment_yuan", "progress_pct",
            "progress_text", "state", "problems", "department_asked", "first_submitted_at", "flags",
        )
    }  # fmt: skip
    deadline = month.deadline()
    out = ProjectsSection(per_unit={u.pk: dict.fromkeys(UNIT_COUNTS, 0) for u in unit_list})

    def ident(ln):
        unit = unit_by_id.get(ln.region_id)
        return {
            "project_id": ln.id, "name": ln.name, "enterprise": ln.enterprise_name,
            "unit_code": unit.code if unit else "", "unit": unit.name if unit else "",
        }  # fmt: skip

    for ln in lines:
        counts = out.per_unit.get(ln.region_id)
        if counts is None:
            continue  # a project of a non-unit region: not part of any unit's figures
        if counts_as_implemented(ln, month.last_day):
            counts["implemented"] += 1
        if ln.actual_start and ln.actual_start.year == year:
            counts["new_starts_ytd"] += 1
            if ln.actual_start.month == month.month:
                counts["new_starts_month"] += 1
        done = ln.actual_completion
        if ln.status in COMPLETED and done and done.year == year and done <= month.last_day:
            counts["completions_ytd"] += 1
            if done.month == month.month:
                counts["completions_month"] += 1
        if not ln.active_between(month.first_day, month.last_day):
            continue
        counts["due"] += 1
        rep = reports.get(ln.id)
        if rep is None:
            if as_of >= deadline:
                counts["missing"] += 1
                out.missing.append(ident(ln))
            else:
                counts["pending"] += 1
            continue
        (_pid, _rid, cum, pct, text, state, probs, dept, first_at, rflags) = rep
        if first_at < deadline:
            counts["on_time"] += 1
        else:
            counts["late"] += 1
            out.late.append({**ident(ln), "submitted_at": first_at.astimezone(BEIJING).isoformat()})
        share = cum / ln.total_yuan if ln.total_yuan > ZERO else None
        elapsed = time_share(start=ln.planned_start or ln.actual_start, end=ln.planned_completion,
                             at=month.last_day)  # fmt: skip
        lag = elapsed - share if elapsed is not None and share is not None else None
        lagging = lag is not None and lag > tolerance
        if lagging or state == ProgressState.BEHIND:
            counts["behind"] += 1
            out.behind.append({
                **ident(ln), "total": money(ln.total_yuan), "cumulative": money(cum),
                "invest_share": ratio(share, SHARE), "time_share": ratio(elapsed, SHARE), "lag": ratio(lag, SHARE),
                "progress_pct": pct, "progress_text": text, "state": state,
                "planned_completion": ln.planned_completion.isoformat() if ln.planned_completion else None,
                "self_reported": state == ProgressState.BEHIND, "lagging": lagging,
            })  # fmt: skip
        if state == ProgressState.STALLED:
            counts["stalled"] += 1
            out.stalled.append(
                {**ident(ln), "progress_text": text, "problems": probs, "department_asked": dept}
            )
        if probs:
            counts["problems"] += 1
            out.problems.append({**ident(ln), "problems": probs, "department_asked": dept, "state": state})
        for f in rflags or ():
            out.flags.append({**ident(ln), "scope": "project", **f})
    return out


def units_section(
    year: int, unit_list: list, projects: ProjectsSection, growth_rows: dict, library: dict
) -> list:
    """二、各县市推进情况: each unit's projects against its 2.1.b quota, its investment and growth (2.1.a),
    its library sum, and the unit's data flags (docs/programme.md, reading 10's gap, added to 四、)."""
    goals = programme.targets(year)
    gap = programme.value("4.3.library_gap_share", year)
    unit_rows = []
    for u in unit_list:
        g = growth_rows[u.pk]
        lib = library.get(u.pk, ZERO)
        uflags = checks.unit_flags(
            official_yuan=g.tech_ytd, library_yuan=lib, gap=gap, industrial_yuan=g.industrial_ytd
        )
        for f in uflags:
            projects.flags.append({"project_id": None, "name": "", "enterprise": "", "unit_code": u.code,
                                   "unit": u.name, "scope": "unit", **f})  # fmt: skip
        c = projects.per_unit[u.pk]
        quota = goals.quota(u.code)
        unit_rows.append({
            "id": u.pk, "code": u.code, "name": u.name, "quota": quota,
            "quota_met": c["implemented"] >= quota, **c,
            "tech_ytd": money(g.tech_ytd), "tech_base": money(g.tech_base), "tech_growth": ratio(g.tech_growth),
            "tech_rank": g.tech_rank, "industrial_ytd": money(g.industrial_ytd),
            "industrial_base": money(g.industrial_base), "industrial_growth": ratio(g.industrial_growth),
            "industrial_rank": g.industrial_rank, "library_ytd": money(lib),
            "library_ratio": ratio(lib / g.tech_ytd, SHARE) if g.tech_ytd else None,
            "flags": uflags,
        })  # fmt: skip
    return unit_rows


def prefecture_section(year: int, unit_list: list, unit_rows: list, growth_rows: dict, library: dict) -> dict:
    """一、总体情况: the prefecture's totals against the year's targets (2.1.a growth, 2.1.b projects)."""

    def total(key):
        return sum(r[key] for r in unit_rows)

    tech = _sum(g.tech_ytd for g in growth_rows.values())
    tech_base = _sum(g.tech_base for g in growth_rows.values())
    ind = _sum(g.industrial_ytd for g in growth_rows.values())
    ind_base = _sum(g.industrial_base for g in growth_rows.values())
    tech_growth, ind_growth = growth(tech, tech_base), growth(ind, ind_base)
    tech_target = programme.value("2.1.a.tech_growth", year)
    ind_target = programme.value("2.1.a.industrial_growth", year)
    projects_target = programme.value("2.1.b.projects_per_year", year)
    prefecture = {
        "quota": total("quota"), "projects_target": projects_target,
        **{k: total(k) for k in UNIT_COUNTS},
        "tech_ytd": money(tech), "tech_base": money(tech_base), "tech_growth": ratio(tech_growth),
        "tech_target": conf.snapshot_text(tech_target),
        "tech_target_met": None if tech_growth is None else tech_growth >= tech_target,
        "industrial_ytd": money(ind), "industrial_base": money(ind_base), "industrial_growth": ratio(ind_growth),
        "industrial_target": conf.snapshot_text(ind_target),
        "industrial_target_met": None if ind_growth is None else ind_growth >= ind_target,
        "library_ytd": money(sum(library.get(u.pk, ZERO) for u in unit_list)),
        "units_reporting_statistics": sum(1 for g in growth_rows.values() if g.tech_ytd is not None),
    }  # fmt: skip
    prefecture["projects_target_met"] = prefecture["implemented"] >= projects_target
    return prefecture


def trend_section(month: Month, unit_list: list, stats: list) -> list[dict]:
    """The trend chart: the prefecture's investment and growth month by month up to ``month``."""
    year = month.year
    unit_ids = {u.pk for u in unit_list}
    by_month: dict[tuple[int, int], list] = defaultdict(list)
    for rid, y, m, ind_v, tech_v in stats:
        if rid in unit_ids:
            by_month[(y, m)].append((ind_v, tech_v))
    trend = []
    for m in range(1, month.month + 1):
        cur, base = by_month.get((year, m), []), by_month.get((year - 1, m), [])
        t, tb = _sum(v[1] for v in cur), _sum(v[1] for v in base)
        i, ib = _sum(v[0] for v in cur), _sum(v[0] for v in base)
        trend.append({
            "month": m, "tech_ytd": money(t), "tech_base": money(tb), "tech_growth": ratio(growth(t, tb)),
            "industrial_ytd": money(i), "industrial_base": money(ib), "industrial_growth": ratio(growth(i, ib)),
        })  # fmt: skip
    return trend


def _order_lists(projects: ProjectsSection, unit_list: list) -> None:
    """Behind: the largest lag first; the other lists by unit (in the bulletin's order), then project."""
    projects.behind.sort(key=lambda r: (-Decimal(r["lag"] or 0), r["unit_code"], r["project_id"]))
    order = {u.code: i for i, u in enumerate(unit_list)}

    def by_unit(r):
        return (order.get(r["unit_code"], 99), r["project_id"] or 0)

    for rows in (projects.stalled, projects.late, projects.missing, projects.problems):
        rows.sort(key=by_unit)
    projects.flags.sort(
        key=lambda r: (order.get(r["unit_code"], 99), r["scope"] != "unit", r["project_id"] or 0, r["code"])
    )
