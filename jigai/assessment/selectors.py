"""Reads for the assessment: statistics as ranking input, rankings live or as published, interview cases
scoped to the user, targets, early warning. Plain data for templates, the API and the CLI."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet
from django.utils.translation import gettext, gettext_noop

from jigai.accounts.models import Role
from jigai.accounts.permissions import ALL_UNITS_ROLES
from jigai.core import programme
from jigai.core.models import Region
from jigai.core.money_fields import MoneySum
from jigai.dispatch.models import ProgressReport, RegionStatistic
from jigai.dispatch.selectors import implemented_lines
from jigai.documents import months_to
from jigai.funds.models import HELD_STATES, Item
from jigai.policy.params import ParameterUsed
from jigai.registry.models import EnterpriseScaleYear, Project, ProjectStatus

from . import targets as T
from .accountability import BEIJING
from .interviews import CaseDraft, cases_for_round
from .models import InterviewCase, Ranking, TargetClause, TargetFigure, UnitLeader
from .periods import Period
from .ranking import (
    RankingResult,
    RegionFigures,
    Window,
    fraction_text,
    pct_text,
    rank_period,
    wan_text,
    window_for,
)
from .warning import Outlook, early_warning

# --- statistics ------------------------------------------------------------------------------------


def units() -> list[Region]:
    return list(Region.objects.filter(level=Region.Level.UNIT).order_by("sort_order", "id"))


def region_figures(years: Iterable[int], *, regions: list[Region] | None = None) -> list[RegionFigures]:
    """Each unit's official January-to-month tech-renovation investment for ``years``: two queries."""
    regions = units() if regions is None else regions
    ytd: dict[int, dict[tuple[int, int], Decimal]] = {r.pk: {} for r in regions}
    rows = RegionStatistic.objects.filter(year__in=sorted(set(years)), region__in=regions).values_list(
        "region_id", "year", "month", "tech_investment_ytd_yuan"
    )
    for region_id, year, month, amount in rows:
        ytd[region_id][(year, month)] = amount
    return [RegionFigures(r.code, r.name, ytd[r.pk]) for r in regions]


def library_sums(window: Window, *, regions: list[Region] | None = None) -> dict[str, Decimal]:
    """docs/programme.md, reading 10: the project library's own sum over the window (monthly dispatch), per unit code."""
    regions = units() if regions is None else regions
    rows = (
        ProgressReport.objects.filter(
            year=window.year, month__gt=window.after_month, month__lte=window.end_month, region__in=regions
        )
        .values("region_id")
        .annotate(total=MoneySum("month_investment_yuan"))
    )
    by_id = {r["region_id"]: r["total"] for r in rows}
    # A unit with no report in the window has no library sum to compare (not a sum of zero).
    return {r.code: by_id[r.pk] or Decimal("0.00") for r in regions if r.pk in by_id}


def default_basis(year: int) -> str:
    """The growth basis a page shows when none is asked for (``4.3.ranking_basis``)."""
    return programme.ranking_rules(year).basis


def latest_statistic_month(year: int | None = None) -> tuple[int, int] | None:
    qs = RegionStatistic.objects.filter(region__level=Region.Level.UNIT)
    if year is not None:
        qs = qs.filter(year=year)
    row = qs.order_by("-year", "-month").values_list("year", "month").first()
    return tuple(row) if row else None


# --- rankings --------------------------------------------------------------------------------------


def ranking_compute(
    period: Period,
    basis: str | None = None,
    *,
    figures: list[RegionFigures] | None = None,
    with_library: bool = True,
) -> RankingResult:
    """The ranking from the statistics as they stand now (not necessarily as published), with the 4.3
    figures in force for the period's year (docs/programme.md, reading 10's library gap is the one the bulletin flags too)."""
    rules = programme.ranking_rules(period.year)
    basis = basis or rules.basis
    regions = units()
    if figures is None:
        figures = region_figures((period.year - 1, period.year), regions=regions)
    library = library_sums(window_for(period, basis), regions=regions) if with_library else None
    return rank_period(
        figures, period, basis=basis, bottom_count=rules.bottom_count, library=library,
        library_gap=rules.library_gap,
    )  # fmt: skip


def published_ranking(period: Period, basis: str | None = None) -> Ranking | None:
    qs = Ranking.objects.filter(period=str(period))
    if basis:
        qs = qs.filter(basis=basis)
    return qs.order_by("id").first()


def published_rankings(limit: int | None = None) -> QuerySet[Ranking]:
    qs = Ranking.objects.order_by("-year", "-end_month", "id")
    return qs[:limit] if limit else qs


@dataclass
class RankingView:
    """A ranking as shown: the frozen snapshot when published, otherwise computed now."""

    period: Period
    basis: str
    rows: list[dict]
    published: Ranking | None
    live: RankingResult
    changed_since: bool = False  # the statistics changed after publication

    @property
    def bottom(self) -> list[dict]:
        return [r for r in self.rows if r["bottom"]]


def ranking_view(period: Period, basis: str | None = None) -> RankingView:
    basis = basis or default_basis(period.year)
    live = ranking_compute(period, basis)
    published = published_ranking(period, basis)
    if published is None:
        return RankingView(period, basis, [r.as_record() for r in live.rows], None, live)
    live_rows = [r.as_dict() for r in live.rows]
    frozen = [{k: r[k] for k in live_rows[0]} for r in published.rows] if live_rows else []
    return RankingView(
        period, basis, list(published.rows), published, live, changed_since=frozen != live_rows
    )


def round_results(period: Period, basis: str | None = None) -> list[RankingResult]:
    """The rankings of the period's round (June: Q2 and H1; December: Q4 and H2), one statistics read."""
    regions = units()
    figures = region_figures((period.year - 1, period.year), regions=regions)
    return [ranking_compute(p, basis, figures=figures) for p in period.round()]


def interview_drafts(period: Period, basis: str | None = None) -> list[CaseDraft]:
    """The interview cases the round of ``period`` would open (docs/programme.md, reading 12)."""
    levels = programme.ranking_rules(period.year).interview_levels
    return cases_for_round(round_results(period, basis), levels=levels)


# --- interviews ------------------------------------------------------------------------------------


def case_queryset(user) -> QuerySet[InterviewCase]:
    qs = InterviewCase.objects.all()
    if user.role in ALL_UNITS_ROLES:
        return qs
    if user.role == Role.CLERK:
        return qs.filter(region_id=user.region_id)
    return qs.none()


def case_list(
    user, *, year: int | None = None, status: str = "", region: str = ""
) -> QuerySet[InterviewCase]:
    qs = case_queryset(user)
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if region:
        qs = qs.filter(region__code=region)
    return qs.select_related("region", "ranking", "record").order_by(
        "-year", "-end_month", "region__sort_order", "id"
    )


def case_detail(user, pk: int) -> InterviewCase | None:
    return (
        case_queryset(user)
        .select_related("region", "ranking", "record")
        .prefetch_related("follow_ups")
        .filter(pk=pk)
        .first()
    )


def leaders_for(year: int) -> dict[int, UnitLeader]:
    return {u.region_id: u for u in UnitLeader.objects.filter(year=year)}


# --- early warning ---------------------------------------------------------------------------------


def warning_compute(year: int, month: int, basis: str | None = None) -> list[Outlook]:
    """The quarter and half-year containing the month, projected. Without the project-library check of
    docs/programme.md, reading 10: that compares an official period-end figure, which a projection does not have yet."""
    rules = programme.ranking_rules(year)
    figures = region_figures((year - 1, year))
    return early_warning(
        figures, year=year, month=month, basis=basis or rules.basis, bottom_count=rules.bottom_count
    )


# --- targets ---------------------------------------------------------------------------------------


def _pct(value: Fraction | None, places: int = 2) -> str:
    return "—" if value is None else f"{pct_text(value, places)}%"


def _growth(now: Decimal | None, base: Decimal | None) -> Fraction | None:
    if now is None or base is None or base <= 0:
        return None
    return (Fraction(now) - Fraction(base)) / Fraction(base)


@dataclass(kw_only=True)
class TargetsReport:
    year: int
    as_of: dt.date
    elapsed: Fraction
    stats_month: int | None
    lines: list[T.TargetLine]
    programme: list[T.TargetLine]
    uncovered: list[dict]
    charts: dict
    goals: programme.ProgrammeTargets  # the figures of 2.1 and 2.2 in force for the year

    @property
    def parameters(self) -> tuple[ParameterUsed, ...]:
        """The programme's figures used, each with its clause and period (shown under the page)."""
        return self.goals.used

    @property
    def programme_title(self) -> str:
        years, base = self.goals.years, self.goals.base_year
        return f"三年目标（{years[0]}—{years[-1]}年，逐年比上年增长，{years[0]}年以{base}年为基数）"

    @property
    def elapsed_pct(self) -> str:
        return _pct(self.elapsed, 1)

    def by_clause(self, clause: str) -> list[T.TargetLine]:
        return [t for t in self.lines if t.clause == clause]


def _stat_rows(years: Iterable[int], year_ends: Iterable[int] = ()) -> dict[int, dict]:
    """{region_id: {(year, month): (industrial, tech)}} for every month of ``years`` and December of
    ``year_ends``: one query."""
    out: dict[int, dict] = defaultdict(dict)
    q = Q(year__in=sorted(set(years)))
    if year_ends:
        q |= Q(year__in=sorted(set(year_ends)), month=12)
    for region_id, year, month, ind, tech in RegionStatistic.objects.filter(
        q, region__level=Region.Level.UNIT
    ).values_list("region_id", "year", "month", "industrial_investment_ytd_yuan", "tech_investment_ytd_yuan"):
        out[region_id][(year, month)] = (ind, tech)
    return out


@dataclass(frozen=True, kw_only=True)
class _TargetsContext:
    """What every section of the targets page (目标任务完成情况) shares."""

    year: int
    as_of: dt.date
    regions: list[Region]
    goals: programme.ProgrammeTargets
    stats: dict[int, dict]  # _stat_rows, only the months ended by ``as_of``
    elapsed: Fraction  # share of the year elapsed
    # As of a day only projects started by that day count: a past date shows the programme as it stood.
    until: dt.date

    @property
    def final(self) -> bool:
        return self.elapsed >= 1


def targets_report(year: int, *, as_of: dt.date, uncovered_limit: int = 200) -> TargetsReport:
    """2.1.a–c and 2.2.a–b for ``year`` (and 2018–2020 for the programme) as of ``as_of``: the targets
    page, one function per section: ``targets_growth_2_1_a``, ``targets_projects_2_1_b``,
    ``targets_coverage_2_1_c``, ``targets_champions_2_2_a``, ``targets_demonstrations_2_2_b`` and, for the
    three-year table, ``targets_programme_2_1_a``."""
    goals = programme.targets(year)
    stats = _stat_rows((year - 1, year), (goals.base_year, *goals.years))
    # As of a day, only the months that have ended count (a month's statistics come after it).
    for rows in stats.values():
        for key in [k for k in rows if k >= (as_of.year, as_of.month)]:
            del rows[key]
    ctx = _TargetsContext(
        year=year,
        as_of=as_of,
        regions=units(),
        goals=goals,
        stats=stats,
        elapsed=T.year_share(year, as_of),
        until=min(as_of, dt.date(year, 12, 31)),
    )
    growth, common = targets_growth_2_1_a(ctx)
    counts = _project_counts(ctx)
    projects = targets_projects_2_1_b(ctx, counts)
    coverage, uncovered = targets_coverage_2_1_c(ctx)
    lines = [
        *growth,
        projects,
        coverage,
        targets_champions_2_2_a(ctx),
        targets_demonstrations_2_2_b(ctx, counts),
    ]
    charts = {
        "units": [r.name for r in ctx.regions],
        "projects": [counts.implemented.get(r.pk, 0) for r in ctx.regions],
        "quotas": [goals.quota(r.code) for r in ctx.regions],
        "tech_growth": [_chart_pct(t) for t in growth[1].details],
        "industrial_growth": [_chart_pct(t) for t in growth[0].details],
        "coverage": [_chart_pct(t) for t in coverage.details],
    }
    return TargetsReport(
        year=year,
        as_of=as_of,
        elapsed=ctx.elapsed,
        stats_month=common,
        lines=lines,
        programme=targets_programme_2_1_a(ctx),
        uncovered=uncovered[:uncovered_limit] if uncovered_limit else uncovered,
        charts=charts,
        goals=goals,
    )


def targets_growth_2_1_a(ctx: _TargetsContext) -> tuple[list[T.TargetLine], int | None]:
    """2.1.a 工业投资增长 / 技改投资增长: growth per unit at its latest month, and the prefecture at the
    latest month every unit has reported (returned too: the page's 统计月份)."""
    year, stats, regions = ctx.year, ctx.stats, ctx.regions

    def both_years(region_id: int) -> set[int]:
        return {m for (y, m) in stats.get(region_id, {}) if y == year and (year - 1, m) in stats[region_id]}

    months_all = [max(both_years(r.pk), default=None) for r in regions]
    common = None
    if regions and all(m is not None for m in months_all):
        candidates = set.intersection(*[both_years(r.pk) for r in regions])
        common = max(candidates) if candidates else None
    lines = []
    for index, (clause_label, target) in enumerate(
        (
            (gettext_noop("工业投资增长"), ctx.goals.industrial_growth),
            (gettext_noop("技改投资增长"), ctx.goals.tech_growth),
        )
    ):
        label = gettext("%(indicator)s（目标 %(target)s 以上）") % {
            "indicator": gettext(clause_label),
            "target": _pct(target, 0),
        }
        unit_lines = []
        for r, month in zip(regions, months_all, strict=True):
            if month is None:
                unit_lines.append(
                    T.TargetLine(
                        clause="2.1.a",
                        label=label,
                        scope=r.name,
                        actual="—",
                        target=_pct(target, 0),
                        status=T.NO_DATA,
                        note="未报送统计数据",
                        region_code=r.code,
                    )
                )
                continue
            g = _growth(stats[r.pk][(year, month)][index], stats[r.pk][(year - 1, month)][index])
            unit_lines.append(
                T.TargetLine(
                    clause="2.1.a",
                    label=label,
                    scope=r.name,
                    actual=_pct(g),
                    target=_pct(target, 0),
                    status=T.rate_status(g, target, final=ctx.final and month == 12),
                    progress=(g / target) if g is not None else None,
                    note=f"{months_to(month)}累计同比",
                    region_code=r.code,
                )
            )
        if common is None:
            lines.append(
                T.TargetLine(
                    clause="2.1.a",
                    label=label,
                    scope="全州",
                    actual="—",
                    target=_pct(target, 0),
                    status=T.NO_DATA,
                    note="尚有单位未报送统计数据",
                    region_code="422800",
                    details=unit_lines,
                )
            )
            continue
        total_now = sum((stats[r.pk][(year, common)][index] for r in regions), Decimal(0))
        total_base = sum((stats[r.pk][(year - 1, common)][index] for r in regions), Decimal(0))
        g = _growth(total_now, total_base)
        lines.append(
            T.TargetLine(
                clause="2.1.a",
                label=label,
                scope="全州",
                actual=_pct(g),
                target=_pct(target, 0),
                status=T.rate_status(g, target, final=ctx.final and common == 12),
                progress=(g / target) if g is not None else None,
                note=f"{months_to(common)}累计同比，九个报送单位合计",
                region_code="422800",
                details=unit_lines,
            )
        )
    return lines, common


@dataclass(frozen=True)
class _ProjectCounts:
    implemented: dict[int, int]  # region id → projects implemented in the year (docs/programme.md, reading 8)
    new_starts: dict[int, int]
    demonstrations: dict[int, int]  # only regions with one or more


def _project_counts(ctx: _TargetsContext) -> _ProjectCounts:
    # The bulletin's own count (dispatch.selectors.implemented_lines), so both pages say the same number.
    ids = [ln.id for ln in implemented_lines(ctx.year, until=ctx.until)]
    rows = (
        Project.objects.filter(pk__in=ids)
        .values("region_id")
        .annotate(
            n=Count("id"),
            new=Count("id", filter=Q(actual_start_date__gte=dt.date(ctx.year, 1, 1))),
            demo=Count("id", filter=Q(is_demonstration=True)),
        )
    )
    counts = {row["region_id"]: row for row in rows}
    return _ProjectCounts(
        {k: v["n"] for k, v in counts.items()},
        {k: v["new"] for k, v in counts.items()},
        {k: v["demo"] for k, v in counts.items() if v["demo"]},
    )


def targets_projects_2_1_b(ctx: _TargetsContext, counts: _ProjectCounts) -> T.TargetLine:
    """2.1.b 实施技改项目: projects implemented per unit against its quota, ≥100 in all (docs/programme.md, reading 8)."""
    elapsed, goal = ctx.elapsed, ctx.goals.projects_per_year
    unit_lines = []
    for r in ctx.regions:
        n = counts.implemented.get(r.pk, 0)
        quota = ctx.goals.quota(r.code)
        unit_lines.append(
            T.TargetLine(
                clause="2.1.b",
                label=gettext_noop("实施技改项目（个）"),
                scope=r.name,
                actual=str(n),
                target=str(quota),
                status=T.count_status(n, quota, elapsed),
                expected=_num(quota * elapsed),
                progress=Fraction(n, quota) if quota else None,
                note=f"其中新开工 {counts.new_starts.get(r.pk, 0)} 个",
                region_code=r.code,
            )
        )
    total = sum(counts.implemented.get(r.pk, 0) for r in ctx.regions)
    quotas = sum(ctx.goals.quota(r.code) for r in ctx.regions)
    return T.TargetLine(
        clause="2.1.b",
        label=gettext_noop("实施技改项目（个）"),
        scope="全州",
        actual=str(total),
        target=f"{goal}",
        status=T.count_status(total, goal, elapsed),
        expected=_num(goal * elapsed),
        progress=Fraction(total, goal),
        note=f"其中新开工 {sum(counts.new_starts.values())} 个；各单位任务数合计 {quotas} 个",
        region_code="422800",
        details=unit_lines,
    )


def targets_coverage_2_1_c(ctx: _TargetsContext) -> tuple[T.TargetLine, list[dict]]:
    """2.1.c 规上工业企业技改覆盖率: above-scale enterprises of the year that implemented a project from
    the programme's first year to the year (docs/programme.md, reading 9), and the list of those not covered."""
    year, years = ctx.year, ctx.goals.years
    first = years[0]
    covering = Project.objects.filter(
        enterprise_id=OuterRef("enterprise_id"),
        actual_start_date__lte=ctx.until,
    ).filter(
        Q(actual_completion_date__isnull=True) | Q(actual_completion_date__gte=dt.date(first, 1, 1)),
        ~Q(status__in=[ProjectStatus.RESERVE, ProjectStatus.TERMINATED]),
    )
    above_list = list(
        EnterpriseScaleYear.objects.filter(year=year, above_scale=True)
        .annotate(covered=Exists(covering))
        .order_by("enterprise__region__sort_order", "enterprise__name", "enterprise_id")
        .values(
            "enterprise_id",
            "enterprise__name",
            "enterprise__credit_code",
            "enterprise__region__name",
            "enterprise__region_id",
            "covered",
        )
    )
    covered_ids = {e["enterprise_id"] for e in above_list if e["covered"]}
    programme_elapsed = T.elapsed_share(
        dt.date(first, 1, 1), dt.date(years[-1], 12, 31), min(ctx.as_of, dt.date(year, 12, 31))
    )
    uncovered = [
        {
            "id": e["enterprise_id"],
            "name": e["enterprise__name"],
            "credit_code": e["enterprise__credit_code"],
            "unit": e["enterprise__region__name"],
        }
        for e in above_list
        if not e["covered"]
    ]
    per_unit: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for e in above_list:
        per_unit[e["enterprise__region_id"]][0] += 1
        per_unit[e["enterprise__region_id"]][1] += bool(e["covered"])
    target_text = gettext("%(rate)s（%(year)s年）") % {"rate": _pct(ctx.goals.coverage, 0), "year": years[-1]}

    def status(share: Fraction | None) -> str:
        return (
            T.count_status(share, ctx.goals.coverage, programme_elapsed) if share is not None else T.NO_DATA
        )

    unit_lines = []
    for r in ctx.regions:
        n_all, n_cov = per_unit.get(r.pk, (0, 0))
        share = Fraction(n_cov, n_all) if n_all else None
        unit_lines.append(
            T.TargetLine(
                clause="2.1.c",
                label=gettext_noop("规上工业企业技改覆盖率"),
                scope=r.name,
                actual=_pct(share, 1),
                target=target_text,
                status=status(share),
                expected=_pct(programme_elapsed, 1),
                progress=share,
                note=f"{n_cov}/{n_all} 户",
                region_code=r.code,
            )
        )
    share = Fraction(len(covered_ids), len(above_list)) if above_list else None
    line = T.TargetLine(
        clause="2.1.c",
        label=gettext_noop("规上工业企业技改覆盖率"),
        scope="全州",
        actual=_pct(share, 1),
        target=target_text,
        status=status(share),
        expected=_pct(programme_elapsed, 1),
        progress=share,
        note=f"{year}年规上企业 {len(above_list)} 户，已实施技改 {len(covered_ids)} 户，未覆盖 {len(uncovered)} 户",
        region_code="422800",
        details=unit_lines,
    )
    return line, uncovered


def approved_champions(year: int, *, as_of: dt.date | None = None) -> list[str]:
    """The enterprises awarded under 3.1.2 for ``year`` whose award the finance bureau had approved by
    ``as_of`` (funds items of clause 3.1.2 approved or later, not refused or reversed), by name."""
    qs = Item.objects.filter(clause="3.1.2", year=year, state__in=HELD_STATES)
    if as_of is not None:
        qs = qs.filter(decided_at__date__lte=as_of)
    return sorted(set(qs.values_list("enterprise__name", flat=True)))


def champion_awards_exist(year: int) -> bool:
    """Whether the platform holds approved 3.1.2 awards for ``year``: then 2.2.a is counted from them."""
    return Item.objects.filter(clause="3.1.2", year=year, state__in=HELD_STATES).exists()


def targets_champions_2_2_a(ctx: _TargetsContext) -> T.TargetLine:
    """2.2.a 培育“隐形冠军”企业: the enterprises whose 3.1.2 award for the year was approved (champion
    declarations verified by the office, approved by the finance bureau). A year the platform holds no
    award for keeps the figure the office typed in by hand, labelled as such."""
    goal = ctx.goals.champions_per_year
    line = {
        "clause": "2.2.a",
        "label": gettext_noop("培育“隐形冠军”企业（户）"),
        "scope": "全州",
        "target": f"{goal}",
    }
    if champion_awards_exist(ctx.year):
        names = approved_champions(ctx.year, as_of=ctx.as_of)
        n = len(names)
        shown = "、".join(names[:10]) + (f"等 {n} 户" if n > 10 else "")
        return T.TargetLine(
            **line,
            actual=str(n),
            status=T.count_status(n, goal, ctx.elapsed),
            expected=_num(goal * ctx.elapsed),
            progress=Fraction(n, goal),
            note=f"按已批准的第3.1.2条奖励统计：{shown}"
            if n
            else "按已批准的第3.1.2条奖励统计：截至当日尚无",
            region_code="422800",
        )
    fig = TargetFigure.objects.filter(year=ctx.year, clause=TargetClause.CHAMPIONS).first()
    if fig is None:
        return T.TargetLine(
            **line,
            actual="—",
            status=T.NO_DATA,
            note="本年度尚无经批准的隐形冠军奖励，领导小组办公室也未登记历史数据",
            region_code="422800",
        )
    return T.TargetLine(
        **line,
        actual=str(fig.value),
        status=T.count_status(fig.value, goal, ctx.elapsed),
        expected=_num(goal * ctx.elapsed),
        progress=Fraction(fig.value, goal),
        note="历史数据（领导小组办公室手工登记，平台无本年度奖励记录）"
        + (f"：{fig.note}" if fig.note else ""),
        region_code="422800",
    )


def targets_demonstrations_2_2_b(ctx: _TargetsContext, counts: _ProjectCounts) -> T.TargetLine:
    """2.2.b 试点示范技改项目: demonstration projects implemented in the year (counted with 2.1.b)."""
    goal, demo = ctx.goals.demonstrations_per_year, counts.demonstrations
    n_demo = sum(demo.values())
    return T.TargetLine(
        clause="2.2.b",
        label=gettext_noop("试点示范技改项目（个）"),
        scope="全州",
        actual=str(n_demo),
        target=f"{goal}",
        status=T.count_status(n_demo, goal, ctx.elapsed),
        expected=_num(goal * ctx.elapsed),
        progress=Fraction(n_demo, goal),
        note="、".join(f"{r.name} {demo[r.pk]}" for r in ctx.regions if demo.get(r.pk)) or "暂无",
        region_code="422800",
    )


def _chart_pct(line: T.TargetLine) -> str | None:
    return line.actual.rstrip("%") if line.actual not in ("—", "") else None


def _num(value: Fraction) -> str:
    return fraction_text(value, 1)


def targets_programme_2_1_a(ctx: _TargetsContext) -> list[T.TargetLine]:
    """2.1.a over the programme's years (三年目标). The text says 工业投资年增长15%以上，技改投资年增长20%以上:
    growth every year, so each year's full-year investment is set against its own previous year's (the
    first year against the base year), each against that year's target from the dated parameters
    (``programme.targets(year)``). A compound average from the base year is not the clause: a year that
    falls short is short even when the three-year average is met (issue 13, point 9)."""
    regions, stats, as_of, goals = ctx.regions, ctx.stats, ctx.as_of, ctx.goals

    def total(year: int, index: int) -> Decimal | None:
        values = [stats.get(r.pk, {}).get((year, 12)) for r in regions]
        if not values or any(v is None for v in values):
            return None
        return sum((v[index] for v in values), Decimal(0))

    out = []
    for index, (label, name) in enumerate(
        (("工业投资年增长", "industrial_growth"), ("技改投资年增长", "tech_growth"))
    ):
        for year in goals.years:
            rate = getattr(goals if year == ctx.year else programme.targets(year), name)
            line = dict(
                clause="2.1.a",
                label=gettext(label),
                scope=gettext("%(year)s年") % {"year": year},
                target=gettext("%(rate)s以上") % {"rate": _pct(rate, 0)},
            )
            previous, actual = total(year - 1, index), total(year, index)
            if previous is None or previous <= 0:
                out.append(
                    T.TargetLine(
                        **line, actual="—", status=T.NO_DATA, note=f"缺少{year - 1}年全年数据（上年基数）"
                    )
                )
                continue
            if actual is None:
                out.append(
                    T.TargetLine(**line, actual="—", status=T.NO_DATA, note=f"{year}年全年统计数据未齐")
                )
                continue
            g = _growth(actual, previous)
            out.append(
                T.TargetLine(
                    **line,
                    actual=_pct(g),
                    status=T.rate_status(g, rate, final=as_of >= dt.date(year, 12, 31)),
                    progress=g / rate if rate else None,
                    note=f"{year}年全年 {wan_text(actual)} 比{year - 1}年全年 {wan_text(previous)}（万元），"
                    f"九个报送单位合计；目标为{year}年参数",
                )
            )
    return out


def unit_month_reported(year: int) -> dict[str, int]:
    """Latest month each unit reported in ``year`` (for the dashboard)."""
    rows = RegionStatistic.objects.filter(year=year).values("region__code").annotate(m=Max("month"))
    return {r["region__code"]: r["m"] for r in rows}


# --- quarterly joint meeting pack (4.1) ------------------------------------------------------------


def _day_after(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=BEIJING)


def meeting_pack_data(period: Period, *, as_of: dt.date, user=None):
    """What the pack for the quarter ``period`` shows (a half-year gives the quarter ending with it)."""
    from . import accountability
    from .documents import PackData
    from .models import CaseStatus

    if not period.is_quarter:
        period = Period.containing(period.year, period.end_month)
    regions = units()
    stats = _stat_rows((period.year - 1, period.year))
    reported = [
        m for r in regions for (y, m) in stats.get(r.pk, {}) if y == period.year and m <= period.end_month
    ]
    month = period.end_month if period.end_month in reported else (max(reported) if reported else None)
    investment, missing = [], []
    sums = [Decimal(0)] * 4
    for r in regions:
        now = stats.get(r.pk, {}).get((period.year, month)) if month else None
        base = stats.get(r.pk, {}).get((period.year - 1, month)) if month else None
        if now is None or base is None:
            missing.append(r.name)
            investment.append({"name": r.name, "tech_now": now[1] if now else None, "tech_base": base[1] if base
                               else None, "tech_growth": None, "ind_now": now[0] if now else None,
                               "ind_growth": None})  # fmt: skip
            continue
        for i, v in enumerate((now[1], base[1], now[0], base[0])):
            sums[i] += v
        investment.append({"name": r.name, "tech_now": now[1], "tech_base": base[1],
                           "tech_growth": pct_text(_growth(now[1], base[1])), "ind_now": now[0],
                           "ind_growth": pct_text(_growth(now[0], base[0]))})  # fmt: skip
    prefecture = {"tech_now": sums[0], "tech_base": sums[1], "tech_growth": pct_text(_growth(sums[0], sums[1])),
                  "ind_now": sums[2], "ind_growth": pct_text(_growth(sums[2], sums[3])),
                  "missing": "、".join(missing)}  # fmt: skip
    if month is not None:
        investment.append(
            {
                "name": "全州",
                **{
                    k: prefecture[k]
                    for k in ("tech_now", "tech_base", "tech_growth", "ind_now", "ind_growth")
                },
            }
        )

    report = targets_report(period.year, as_of=min(as_of, dt.date(period.year, 12, 31)))
    targets = [t for t in report.lines if t.scope == "全州"]

    rankings = []
    rules = programme.ranking_rules(period.year)
    figures = region_figures((period.year - 1, period.year), regions=regions)
    for p in period.round():
        published = published_ranking(p)
        if published is not None:
            rankings.append(
                {"period": p, "basis": published.basis, "published": True, "rows": published.rows}
            )
        else:
            live = ranking_compute(p, rules.basis, figures=figures)
            rankings.append(
                {
                    "period": p,
                    "basis": rules.basis,
                    "published": False,
                    "rows": [r.as_record() for r in live.rows],
                }
            )

    cases = case_queryset(user) if user is not None else InterviewCase.objects.all()
    held = []
    # As of the meeting's date, not today: a follow-up reported later was not yet in (the same for
    # interviews held later, which were still due then).
    for c in (
        cases.filter(record__isnull=False, record__held_date__lte=as_of, year=period.year)
        .select_related("region", "record")
        .annotate(
            first_report=Min("follow_ups__reported_date", filter=Q(follow_ups__reported_date__lte=as_of))
        )
        .order_by("record__held_date", "id")
    ):
        follow = (
            "已报送整改情况"
            if c.first_report is not None
            else ("逾期未报" if c.record.follow_up_deadline_date < as_of else "整改中")
        )
        held.append({"unit": c.region.name, "level": c.get_level_display(), "held_date": c.record.held_date,
                     "deadline": c.record.follow_up_deadline_date, "follow_up": follow})  # fmt: skip
    due = [
        {"unit": c.region.name, "level": c.get_level_display() + ("（分管领导参加）" if c.deputy_attends else ""),
         "periods": "、".join(Period.parse(p).label for p in c.period_list), "status": c.get_status_display()}
        for c in cases.filter(ranking__published_at__lt=_day_after(as_of))
        .filter(Q(status__in=[CaseStatus.OPEN, CaseStatus.NOTIFIED]) | Q(record__held_date__gt=as_of))
        .select_related("region").order_by("year", "end_month", "region__sort_order", "id")
    ]  # fmt: skip
    problems = []
    if missing and month is not None:
        problems.append(
            f"{'、'.join(missing)}未报送{period.year}年{month}月统计数据，建议通报并限期报送（解读11：未报送的单位排名列最后）。"
        )
    if not all(r["published"] for r in rankings):
        live = [ranking_compute(p, rules.basis, figures=figures) for p in period.round()]
        drafts = cases_for_round(live, levels=rules.interview_levels)
        if drafts:
            names = "；".join(f"{d.name}（{d.level_label}）" for d in drafts)
            problems.append(
                f"按4.3和解读12，本期排名后两位的单位拟约谈：{names}。请会议审定排名并确定约谈安排。"
            )
    for t in targets:
        if t.status in (T.AT_RISK, T.MISSED):
            problems.append(
                f"{t.clause} {t.label}：完成{t.actual}，目标{t.target}，{t.status_label}，请研究推进措施。"
            )
    items = accountability.overdue_items(as_of=as_of)
    for g in accountability.summarise(items)[:5]:
        if g["open"]:
            problems.append(
                f"{g['unit']}{g['department']}逾期未办 {g['open']} 项、逾期办理 {g['late']} 项，最长逾期"
                f" {g['max_days']} 天，建议按4.3督办问责。"
            )
    return PackData(period, as_of, month, investment, prefecture, targets, rankings, held, due, problems)
