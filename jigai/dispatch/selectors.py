"""Reads of the monthly dispatch, scoped to what the user may see, returning plain data.

Public for other apps (assessment reads these rather than the tables):

* :func:`tech_investment_ytd` — a unit's official January-to-month tech-renovation investment;
* :func:`investment_growth` — every unit's January-to-month figures, year-on-year growth and rank
  (the 4.3 basis: Q1 = March, H1 = June …);
* :func:`library_ytd_by_unit` — the same period summed over the project library's reports;
* :func:`month_status` — which projects reported a month on time, late, or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Q, QuerySet

from jigai.accounts.models import Role
from jigai.accounts.permissions import ALL_UNITS_ROLES
from jigai.core.models import Region
from jigai.core.money_fields import MoneySum
from jigai.registry.models import Project, ProjectStatus, ProjectTransition

from .models import Bulletin, ProgressReport, RegionStatistic
from .periods import BEIJING, Month

ZERO = Decimal(0)
S = ProjectStatus


# --- scoping ----------------------------------------------------------------------------------------


def report_queryset(user) -> QuerySet[ProgressReport]:
    qs = ProgressReport.objects.all()
    if user.role in ALL_UNITS_ROLES:
        return qs
    if user.role == Role.CLERK:
        return qs.filter(region_id=user.region_id)
    if user.role == Role.ENTERPRISE and user.credit_code:
        return qs.filter(project__enterprise__credit_code=user.credit_code)
    return qs.none()


def units() -> list[Region]:
    return list(Region.objects.filter(level=Region.Level.UNIT).order_by("sort_order", "id"))


def visible_units(user) -> list[Region]:
    if user.role == Role.CLERK:
        return [u for u in units() if u.pk == user.region_id]
    if user.role in ALL_UNITS_ROLES:
        return units()
    return []


# --- which projects report ----------------------------------------------------------------------------


@dataclass(slots=True)
class ProjectLine:
    """What the dispatch needs of a project, read as one row."""

    id: int
    region_id: int
    name: str
    enterprise_name: str
    credit_code: str
    total_yuan: Decimal
    planned_start: dt.date | None
    planned_completion: dt.date | None
    actual_start: dt.date | None
    actual_completion: dt.date | None
    status: str
    is_key: bool
    terminated: dt.date | None = None

    @property
    def end(self) -> dt.date | None:
        """The last day the project is under construction (None: still going)."""
        ends = [d for d in (self.actual_completion, self.terminated) if d is not None]
        return min(ends) if ends else None

    def active_between(self, first: dt.date, last: dt.date) -> bool:
        """Under construction at some time in [first, last] (docs/programme.md, reading 8; the reporting rule of 4.2)."""
        if self.actual_start is None or self.actual_start > last or self.status == S.RESERVE:
            return False
        if self.status == S.TERMINATED and self.terminated is None:
            return False  # terminated with no recorded date: nothing to report
        end = self.end
        return end is None or end >= first


_LINE_FIELDS = (
    "id", "region_id", "name", "enterprise__name", "enterprise__credit_code", "total_investment_yuan",
    "planned_start_date", "planned_completion_date", "actual_start_date", "actual_completion_date", "status",
    "is_key",
)  # fmt: skip


def project_lines(
    first: dt.date,
    last: dt.date,
    *,
    region_ids: Iterable[int] | None = None,
    projects: QuerySet | None = None,
) -> list[ProjectLine]:
    """Projects under construction at some time in [first, last], in two queries."""
    qs = projects if projects is not None else Project.objects.all()
    qs = (
        qs.filter(actual_start_date__lte=last)
        .exclude(status=S.RESERVE)
        .filter(Q(actual_completion_date__isnull=True) | Q(actual_completion_date__gte=first))
    )
    if region_ids is not None:
        qs = qs.filter(region_id__in=list(region_ids))
    lines = [ProjectLine(*row) for row in qs.order_by("region_id", "id").values_list(*_LINE_FIELDS)]
    ended = [ln.id for ln in lines if ln.status == S.TERMINATED]
    if ended:
        dates = termination_dates(ended if len(ended) < 500 else None)
        for ln in lines:
            if ln.status == S.TERMINATED:
                ln.terminated = dates.get(ln.id)
    return [ln for ln in lines if ln.active_between(first, last)]


def counts_as_implemented(line: ProjectLine, end: dt.date) -> bool:
    """2.1.b (docs/programme.md, reading 8): a project under construction in the year counts, unless it had
    been cancelled (终止) by ``end``; one cancelled later still counted as of ``end``."""
    if line.status != S.TERMINATED:
        return True
    return line.terminated is not None and line.terminated > end


def implemented_lines(
    year: int, *, until: dt.date | None = None, region_ids: Iterable[int] | None = None
) -> list[ProjectLine]:
    """The one count of 2.1.b 实施项目 (docs/programme.md, reading 8), used by the bulletin and the targets:
    under construction at some time from 1 January to ``until`` (at most 31 December), not cancelled by
    then. Pipeline-only (储备) projects never count."""
    end = dt.date(year, 12, 31) if until is None else min(until, dt.date(year, 12, 31))
    lines = project_lines(dt.date(year, 1, 1), end, region_ids=region_ids)
    return [ln for ln in lines if counts_as_implemented(ln, end)]


def termination_dates(project_ids: list[int] | None = None) -> dict[int, dt.date]:
    """The date each terminated project stopped: the transition's effective date, else its day."""
    qs = ProjectTransition.objects.filter(to_status=S.TERMINATED, project__status=S.TERMINATED)
    if project_ids is not None:
        qs = qs.filter(project_id__in=project_ids)
    out: dict[int, dt.date] = {}
    for pid, eff, at in qs.order_by("at", "id").values_list("project_id", "effective_date", "at"):
        out[pid] = eff or at.astimezone(BEIJING).date()
    return out


def due_projects(
    month: Month, *, region_ids: Iterable[int] | None = None, projects=None
) -> list[ProjectLine]:
    """4.2: every project under construction at any time in the month reports that month."""
    return project_lines(month.first_day, month.last_day, region_ids=region_ids, projects=projects)


def scoped_projects(user) -> QuerySet[Project] | None:
    if user.role in ALL_UNITS_ROLES:
        return None
    if user.role == Role.CLERK:
        return Project.objects.filter(region_id=user.region_id)
    if user.role == Role.ENTERPRISE and user.credit_code:
        return Project.objects.filter(enterprise__credit_code=user.credit_code)
    return Project.objects.none()


# --- a month's reports: the entry screen and the late/missing lists -------------------------------------


@dataclass
class EntryRow:
    project: Project
    report: ProgressReport | None
    previous: ProgressReport | None  # the latest earlier report, to prefill and to check against


def month_entry_rows(user, month: Month, *, region: Region | None = None) -> list[EntryRow]:
    """The rows of the month screen: every due project the user may report, with its report if any."""
    scope = scoped_projects(user)
    region_ids = [region.pk] if region is not None else None
    lines = due_projects(month, region_ids=region_ids, projects=scope)
    ids = [ln.id for ln in lines]
    projects = {p.pk: p for p in Project.objects.filter(pk__in=ids).select_related("enterprise", "region")}
    reports = {r.project_id: r for r in ProgressReport.objects.filter(project_id__in=ids, year=month.year,
                                                                         month=month.month)}  # fmt: skip
    before = Q(year__lt=month.year) | Q(year=month.year, month__lt=month.month)
    previous: dict[int, ProgressReport] = {}
    for r in ProgressReport.objects.filter(before, project_id__in=ids).order_by(
        "project_id", "year", "month"
    ):
        previous[r.project_id] = r
    return [EntryRow(projects[i], reports.get(i), previous.get(i)) for i in ids]


@dataclass
class ProjectReportState:
    line: ProjectLine
    status: str  # on_time, late, missing, pending
    submitted_at: dt.datetime | None = None


STATUS_LABELS = {"on_time": "按时报送", "late": "逾期报送", "missing": "未报送", "pending": "待报送"}


@dataclass
class UnitMonthStatus:
    region: Region
    due: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    pending: int = 0
    late_projects: list[ProjectReportState] = field(default_factory=list)
    missing_projects: list[ProjectReportState] = field(default_factory=list)

    @property
    def reported(self) -> int:
        return self.on_time + self.late


def report_states(month: Month, lines: list[ProjectLine], *, now: dt.datetime) -> list[ProjectReportState]:
    """On time, late (first submitted after the deadline), missing (none by the deadline) or pending."""
    deadline = month.deadline()
    qs = ProgressReport.objects.filter(year=month.year, month=month.month)
    if len(lines) < 2000:  # a long IN list costs more than reading the whole month
        qs = qs.filter(project_id__in=[ln.id for ln in lines])
    submitted = dict(qs.values_list("project_id", "first_submitted_at"))
    out = []
    for ln in lines:
        at = submitted.get(ln.id)
        if at is None:
            status = "missing" if now >= deadline else "pending"
        else:
            status = "on_time" if at < deadline else "late"
        out.append(ProjectReportState(ln, status, at))
    return out


def month_status(user, month: Month, *, now: dt.datetime) -> list[UnitMonthStatus]:
    """Per unit the user may see: due, on time, late, missing and pending, with the late and missing lists."""
    visible = visible_units(user)
    if not visible:
        return []
    lines = due_projects(month, region_ids=[u.pk for u in visible])
    by_unit = {u.pk: UnitMonthStatus(u) for u in visible}
    for st in report_states(month, lines, now=now):
        u = by_unit[st.line.region_id]
        u.due += 1
        setattr(u, st.status, getattr(u, st.status) + 1)
        if st.status == "late":
            u.late_projects.append(st)
        elif st.status == "missing":
            u.missing_projects.append(st)
    return list(by_unit.values())


def latest_month(default: Month) -> Month:
    """The latest month with reports or statistics (the demo's data ends in 2020), else ``default``."""
    best = None
    for model in (ProgressReport, RegionStatistic):
        row = model.objects.aggregate(y=Max("year"))
        if row["y"] is None:
            continue
        m = model.objects.filter(year=row["y"]).aggregate(m=Max("month"))["m"]
        candidate = Month(row["y"], m)
        best = candidate if best is None or candidate > best else best
    if best is None or best > default:
        return default
    return best


# --- official statistics, growth and rank (2.1.a, 4.3, docs/programme.md, readings 10 and 11) ------------------------------


def statistics_for(year: int, month: int) -> dict[int, RegionStatistic]:
    return {s.region_id: s for s in RegionStatistic.objects.filter(year=year, month=month)}


def tech_investment_ytd(*, region: Region, year: int, month: int) -> Decimal | None:
    """A unit's official January-to-month tech-renovation investment in yuan (None: not reported)."""
    return (
        RegionStatistic.objects.filter(region=region, year=year, month=month)
        .values_list("tech_investment_ytd_yuan", flat=True)
        .first()
    )


def growth(current: Decimal | None, base: Decimal | None) -> Decimal | None:
    """Year-on-year growth (current − base) / base, exact; undefined (None) without a base or with 0."""
    if current is None or base is None or base == ZERO:
        return None
    return (current - base) / base


def competition_ranks(keys: dict, *, reverse: bool = True) -> dict:
    """Competition ranking (1, 2, 2, 4): equal keys share a rank and nothing breaks the tie."""
    ordered = sorted(keys.items(), key=lambda kv: kv[1], reverse=reverse)
    ranks, prev_key, prev_rank = {}, object(), 0
    for position, (item, key) in enumerate(ordered, start=1):
        rank = prev_rank if key == prev_key else position
        ranks[item] = rank
        prev_key, prev_rank = key, rank
    return ranks


def growth_rank_key(current: Decimal | None, base: Decimal | None) -> tuple:
    """docs/programme.md, reading 11: a unit with a rate ranks by it; one with a zero base ranks above every rate when it
    has investment now and last when it has none; one that has not reported ranks last."""
    if current is None or base is None:
        return (0, ZERO)
    if base == ZERO:
        return (2, ZERO) if current > ZERO else (0, ZERO)
    return (1, (current - base) / base)


@dataclass
class UnitGrowth:
    region_id: int
    code: str
    name: str
    tech_ytd: Decimal | None
    tech_base: Decimal | None
    tech_growth: Decimal | None
    tech_rank: int
    industrial_ytd: Decimal | None
    industrial_base: Decimal | None
    industrial_growth: Decimal | None
    industrial_rank: int


def investment_growth(*, year: int, month: int, stats: list | None = None) -> list[UnitGrowth]:
    """Every unit's official January-to-month figures against the same month a year before, with the
    growth rank (1 = highest), in the units' display order. One query (or none, given ``stats`` rows of
    (region_id, year, month, industrial, tech))."""
    if stats is None:
        stats = list(
            RegionStatistic.objects.filter(Q(year=year) | Q(year=year - 1), month=month).values_list(
                "region_id", "year", "month", "industrial_investment_ytd_yuan", "tech_investment_ytd_yuan"
            )
        )
    cur = {r[0]: r for r in stats if r[1] == year and r[2] == month}
    base = {r[0]: r for r in stats if r[1] == year - 1 and r[2] == month}
    rows = []
    for u in units():
        c, b = cur.get(u.pk), base.get(u.pk)
        rows.append(UnitGrowth(
            u.pk, u.code, u.name, c[4] if c else None, b[4] if b else None,
            growth(c[4] if c else None, b[4] if b else None), 0,
            c[3] if c else None, b[3] if b else None, growth(c[3] if c else None, b[3] if b else None), 0,
        ))  # fmt: skip
    tech = competition_ranks({r.region_id: growth_rank_key(r.tech_ytd, r.tech_base) for r in rows})
    ind = competition_ranks({r.region_id: growth_rank_key(r.industrial_ytd, r.industrial_base) for r in rows})
    for r in rows:
        r.tech_rank, r.industrial_rank = tech[r.region_id], ind[r.region_id]
    return rows


def library_ytd_by_unit(*, year: int, month: int, as_of: dt.datetime | None = None) -> dict[int, Decimal]:
    """January-to-month investment summed over the project library's reports, per unit (yuan)."""
    qs = ProgressReport.objects.filter(year=year, month__lte=month)
    if as_of is not None:
        qs = qs.filter(first_submitted_at__lte=as_of)
    rows = (
        qs.values("region_id")
        .annotate(total=MoneySum("month_investment_yuan"))
        .values_list("region_id", "total")
    )
    return {rid: total or ZERO for rid, total in rows}


def statistics_table(user, year: int) -> list[dict]:
    """A year of statistics for the units the user may see: one row per unit, 12 months."""
    visible = visible_units(user)
    data = defaultdict(dict)
    for s in RegionStatistic.objects.filter(year=year, region__in=visible):
        data[s.region_id][s.month] = s
    return [{"region": u, "months": [data[u.pk].get(m) for m in range(1, 13)]} for u in visible]


# --- bulletins -------------------------------------------------------------------------------------


def bulletin_list() -> QuerySet[Bulletin]:
    """Published bulletins, newest month first, editions in order (every role with dispatch.bulletin)."""
    return Bulletin.objects.defer("snapshot").order_by("-year", "-month", "-edition", "-id")


def latest_editions() -> dict[tuple[int, int], int]:
    return {
        (y, m): e
        for y, m, e in Bulletin.objects.values("year", "month")
        .annotate(e=Max("edition"))
        .values_list("year", "month", "e")
    }
