"""Demo data for the monthly dispatch, 2017-01 to 2020-12 (``jigai demo``), deterministic from a seed.

The story: the prefecture grows its tech-renovation investment by about the 20 % target (2.1.a), the
high-tech zone and 利川 ahead, 来凤 and 鹤峰 lagging (slower projects, more stalls, growth near zero in
2019); each project under construction reports every month, mostly by the 5th, a few late and a few
never; the programme office publishes a bulletin for every month from 2018-01, and the bulletin for
May 2019 is corrected after a clerk fixes a report typed in yuan instead of 万元.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from decimal import Decimal

from jigai.accounts.models import Role, User
from jigai.core import audit
from jigai.core.dates import local_date
from jigai.core.models import Region

from . import checks, services
from .models import Bulletin, ProgressReport, ProgressReportRevision, ProgressState, RegionStatistic, Source
from .periods import BEIJING, Month, months_between
from .selectors import project_lines

FIRST, LAST = Month(2017, 1), Month(2020, 12)
HUNDRED = Decimal(100)
# Units' pace: share of the planned investment pace they keep, and their tech-investment growth by year.
PACE = {"GXQ": 1.05, "422802": 1.02, "422801": 0.95, "422827": 0.72, "422828": 0.7}
GROWTH = {
    "422801": (0.19, 0.21, 0.18), "422802": (0.24, 0.26, 0.22), "422822": (0.2, 0.19, 0.17),
    "422823": (0.18, 0.22, 0.2), "422825": (0.21, 0.17, 0.19), "422826": (0.17, 0.2, 0.23),
    "422827": (0.12, 0.02, 0.08), "422828": (0.09, -0.04, 0.06), "GXQ": (0.28, 0.3, 0.25),
}  # fmt: skip
# Share of the year's tech investment done by the end of each month (slow around the Spring Festival).
SEASON = (0.04, 0.09, 0.17, 0.25, 0.34, 0.45, 0.54, 0.63, 0.73, 0.82, 0.91, 1.0)
PROBLEMS = [
    ("项目用地报批手续尚未完成，影响厂房开工", "州自然资源和规划局"),
    ("环评批复未下达，设备无法安装调试", "州生态环境局"),
    ("企业流动资金紧张，银行贷款审批进度慢", "州政府金融办"),
    ("10千伏专线接入未完成，设备无法试车", "国网恩施供电公司"),
    ("园区道路和供水管网未配套到位", "县市人民政府"),
    ("消防验收排队时间长", "州住房和城乡建设局"),
    ("进口设备到货延迟", "州商务局"),
]
PHASES = [(10, "前期手续办理"), (35, "土建施工"), (60, "主体完工，设备采购"), (90, "设备安装调试"), (99, "试生产"),
          (100, "竣工投产")]  # fmt: skip


def _money(value: float) -> Decimal:
    """Yuan rounded to 100 yuan: a 万元 figure with two decimals, as clerks type it."""
    return (Decimal(str(round(value, -2)))).quantize(Decimal("0.01"))


def _phase(pct: int) -> str:
    for limit, text in PHASES:
        if pct <= limit:
            return text
    return PHASES[-1][1]


def _stamp(rng, month: Month, *, late: bool) -> dt.datetime:
    nxt = month.next
    if late:
        day = rng.randint(6, 13) if rng.random() < 0.8 else rng.randint(16, 25)
    else:
        day = rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 3, 4, 5])[0]
    return dt.datetime(nxt.year, nxt.month, day, rng.randint(8, 18), rng.randint(0, 59), tzinfo=BEIJING)


def _weights(rng, months: list[Month]) -> list[float]:
    n = len(months)
    out = []
    for k, m in enumerate(months):
        w = (0.6 + 0.4 * math.sin(math.pi * (k + 0.5) / n)) * rng.uniform(0.6, 1.4)
        if m.month in (1, 2):
            w *= 0.55
        out.append(w)
    if n > 3 and rng.random() < 0.25:  # a month of equipment payments
        out[rng.randrange(n // 3, n)] *= 2.2
    return out


def build_reports(rng, *, clerks: dict[int, str]) -> tuple[list[ProgressReport], list[tuple[int, Month]]]:
    regions = {r.pk: r for r in Region.objects.filter(level=Region.Level.UNIT)}
    lines = project_lines(FIRST.first_day, LAST.last_day)
    reports: list[ProgressReport] = []
    for ln in lines:
        unit = regions.get(ln.region_id)
        if unit is None:
            continue
        first = max(Month.of(ln.actual_start), FIRST)
        end = ln.end
        last = min(Month.of(end), LAST) if end else LAST
        months = months_between(first, last)
        if not months:
            continue
        pace = PACE.get(unit.code, 1.0) * rng.uniform(0.8, 1.12)
        total = float(ln.total_yuan)
        if ln.status in ("completed", "accepted") and end and end <= LAST.last_day:
            final = total * min(rng.uniform(0.88, 1.0) if rng.random() > 0.03 else 1.04, 1.04)
        elif ln.status == "terminated":
            final = total * rng.uniform(0.1, 0.4)
        else:
            begin = ln.planned_start or ln.actual_start
            planned = ln.planned_completion or (begin + dt.timedelta(days=365))
            span = max((planned - begin).days, 30)
            elapsed = (LAST.last_day - begin).days
            final = total * min(0.97, elapsed / span * pace * rng.uniform(0.85, 1.05))
        weights = _weights(rng, months)
        stall = None
        if len(months) > 6 and rng.random() < (0.12 if pace < 0.85 else 0.05):
            start = rng.randrange(2, len(months) - 2)
            stall = range(start, min(start + rng.randint(2, 4), len(months)))
            for k in stall:
                weights[k] = 0.0
        scale = final / (sum(weights) or 1)
        cumulative, pct = Decimal(0), 0
        problem = rng.choice(PROBLEMS)
        planned_end = ln.planned_completion or months[-1].last_day
        for k, m in enumerate(months):
            amount = (
                _money(weights[k] * scale)
                if k < len(months) - 1
                else max(_money(final) - cumulative, Decimal(0))
            )
            cumulative += amount
            share = float(cumulative) / total if total else 0
            pct = max(pct, min(100, int(share * 100 + rng.uniform(-3, 6))))
            if (
                k == len(months) - 1
                and end
                and end <= LAST.last_day
                and ln.status in ("completed", "accepted")
            ):
                pct = 100
            stalled = stall is not None and k in stall
            span = max((planned_end - ln.actual_start).days, 1)
            time_share = min(1.0, max(0, (m.last_day - ln.actual_start).days) / span)
            state = ProgressState.STALLED if stalled else (
                ProgressState.BEHIND if time_share - share > 0.25 else ProgressState.ON_SCHEDULE)  # fmt: skip
            problems = dept = ""
            if stalled or (state == ProgressState.BEHIND and rng.random() < 0.25) or rng.random() < 0.02:
                problems, dept = problem
            if rng.random() < 0.012:
                continue  # never reported: listed as missing
            late = rng.random() < 0.025
            reported = cumulative
            if k and rng.random() < 0.002:  # a slip of the keyboard: the cumulative figure mistyped
                reported = cumulative + _money(float(amount) * rng.choice([-2.5, 1.5, 9]))
            at = _stamp(rng, m, late=late)
            reports.append(ProgressReport(
                project_id=ln.id, region_id=ln.region_id, year=m.year, month=m.month, month_investment_yuan=amount,
                cumulative_investment_yuan=max(reported, amount), progress_pct=pct, progress_text=_phase(pct), state=state,
                problems=problems, department_asked=dept, first_submitted_at=at, submitted_at=at,
                submitted_by_name=clerks.get(ln.region_id, ""), source=Source.PAGE,
            ))  # fmt: skip
    return reports, []


def _flag_all(reports: list[ProgressReport], totals: dict[int, Decimal]) -> None:
    by_project = defaultdict(list)
    for r in reports:
        by_project[r.project_id].append(r)
    for pid, rows in by_project.items():
        flags = checks.series_flags(
            [
                checks.Point(r.year, r.month, r.month_investment_yuan, r.cumulative_investment_yuan)
                for r in rows
            ],
            planned_total_yuan=totals.get(pid),
        )
        for r in rows:
            r.flags = flags[(r.year, r.month)]


def build_statistics(rng, reports: list[ProgressReport]) -> list[RegionStatistic]:
    """Official figures: 2020 sized a little above the project library's sum, earlier years from each
    unit's growth story; industrial investment about 2.4–3.2 times tech investment, growing ~15 %."""
    library = defaultdict(Decimal)
    for r in reports:
        if r.year == 2020:
            library[r.region_id] += r.month_investment_yuan
    rows = []
    for unit in Region.objects.filter(level=Region.Level.UNIT).order_by("sort_order", "id"):
        g = GROWTH[unit.code]
        tech = {2020: float(library.get(unit.pk, Decimal(0))) * rng.uniform(1.1, 1.25) or 2.0e8}
        for year, rate in zip((2020, 2019, 2018), reversed(g), strict=True):
            tech[year - 1] = tech[year] / (1 + rate)
        lagging = unit.code in ("422827", "422828")
        industrial = {2017: tech[2017] * rng.uniform(2.4, 3.2)}
        for year in (2018, 2019, 2020):
            industrial[year] = industrial[year - 1] * (
                1 + (rng.uniform(0.03, 0.1) if lagging else rng.uniform(0.12, 0.2))
            )
        # The unit's own season, the same every year, so January-to-month growth tracks the year's.
        shape = [min(s * rng.uniform(0.97, 1.03), 1.0) for s in SEASON[:-1]] + [1.0]
        shape = [max(shape[: i + 1]) for i in range(12)]
        for year in range(2017, 2021):
            for month in range(1, 13):
                rows.append(RegionStatistic(
                    region=unit, year=year, month=month, tech_investment_ytd_yuan=_money(tech[year] * shape[month - 1]),
                    industrial_investment_ytd_yuan=_money(industrial[year] * shape[month - 1]), source=Source.IMPORT,
                ))  # fmt: skip
    return rows


def build(*, seed: int) -> dict:
    rng = random.Random(seed * 31 + 5)
    units = list(Region.objects.filter(level=Region.Level.UNIT).order_by("sort_order", "id"))
    clerks = {u.pk: f"clerk_{u.code.lower()}" for u in units}
    # The reports carry the clerk's name as people know it (their display name), not the login.
    reports, _ = build_reports(rng, clerks={u.pk: f"{u.name}经信局 经办人" for u in units})
    from jigai.registry.models import Project

    totals = dict(Project.objects.values_list("pk", "total_investment_yuan"))
    # The typo of the story: a May 2019 report typed in yuan as 万元 (ten thousand times too much is
    # impossible to miss; ten times is what happens), corrected in June.
    typo = next((r for r in reports if (r.year, r.month) == (2019, 5) and r.month_investment_yuan > 0
                 and r.region_id == units[0].pk), None)  # fmt: skip
    correct_values = None
    if typo is not None:
        correct_values = (typo.month_investment_yuan, typo.cumulative_investment_yuan)
        wrong = typo.month_investment_yuan * 10
        typo.cumulative_investment_yuan += wrong - typo.month_investment_yuan
        typo.month_investment_yuan = wrong
    _flag_all(reports, totals)
    ProgressReport.objects.bulk_create(reports, batch_size=1000)
    saved = list(ProgressReport.objects.order_by("id"))
    ProgressReportRevision.objects.bulk_create(
        [ProgressReportRevision(report=r, version=1, data=services._revision_data(r), at=r.first_submitted_at,
                                by_name=r.submitted_by_name) for r in saved],
        batch_size=1000,
    )  # fmt: skip
    stats = build_statistics(rng, reports)
    RegionStatistic.objects.bulk_create(stats, batch_size=1000)
    # Bulk writes bypass the per-save audit signals: every created row gets its own record (issue 10
    # point 5), as the registry's demo data does, then one summary of the build.
    created = [*saved, *RegionStatistic.objects.order_by("id")]
    audit.record_many({"event": "create", "obj": r, "after": audit.snapshot(r)} for r in created)
    audit.record(
        "demo_build", object_type="dispatch.progressreport",
        after={"reports": len(saved), "statistics": len(stats)}, message=f"演示月调度数据（种子 {seed}）",
    )  # fmt: skip

    office = User(username="office", role=Role.OFFICE, display_name="州经信委 技改科")
    published = corrections = 0
    for m in months_between(Month(2018, 1), LAST):
        nxt = m.next
        at = dt.datetime(nxt.year, nxt.month, 15, 15, 0, tzinfo=BEIJING)
        services.bulletin_publish(user=office, year=m.year, month=m.month, at=at, issue_date=local_date(at))
        published += 1
        if m == Month(2019, 5) and typo is not None:
            report = ProgressReport.objects.select_related("project__enterprise").get(
                project_id=typo.project_id, year=2019, month=5
            )
            clerk = User(
                username=clerks[units[0].pk],
                role=Role.CLERK,
                region=units[0],
                display_name=f"{units[0].name}经信局 经办人",
            )
            services.report_correct(
                user=clerk, report=report, reason="企业核实发票后更正：本月完成投资误将元录入为万元口径，多录9倍",
                data={"month_investment_yuan": correct_values[0], "cumulative_investment_yuan": correct_values[1]},
                at=dt.datetime(2019, 6, 17, 9, 30, tzinfo=BEIJING),
            )  # fmt: skip
            first = Bulletin.objects.get(year=2019, month=5, edition=1)
            services.bulletin_correct(
                user=office, bulletin=first, reason="恩施市1个项目5月完成投资数据录入有误，经核实更正",
                at=dt.datetime(2019, 6, 19, 16, 0, tzinfo=BEIJING), issue_date=dt.date(2019, 6, 19),
            )  # fmt: skip
            corrections += 1
    return {
        "reports": len(saved),
        "statistics": len(stats),
        "bulletins": published + corrections,
        "corrections": corrections,
    }
