"""Accountability (问责, 4.3: 对…不作为、慢作为的部门，严肃追责问责): every task on the platform that has a
deadline, overdue or done late, per unit and department.

A *source* turns one kind of task into :class:`OverdueItem` rows. Two are built in: monthly dispatch
reports (月调度, due on a day of the following month) and interview follow-ups (约谈整改报告). Another app
adds its own tasks — approval items, meeting decisions — without this module knowing it::

    from jigai.assessment import accountability

    def approval_items(query: accountability.Query):
        for item in ApprovalItem.objects.filter(due_date__lt=query.as_of, done_at__isnull=True):
            yield accountability.OverdueItem(source="approvals", unit=..., department=..., ...)

    accountability.register("approvals", "审批事项", approval_items)   # in that app's AppConfig.ready()
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from django.urls import reverse
from django.utils.translation import gettext_noop

__all__ = ["OverdueItem", "Query", "Source", "overdue_items", "register", "sources", "summarise"]

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class OverdueItem:
    source: str  # the source's key
    unit: str  # 报送单位 (or 州直 for a prefecture department)
    department: str  # 责任部门
    item: str  # what was due, in Chinese
    deadline_date: dt.date
    days_overdue: int
    done_date: dt.date | None = None  # done late on this date; None: still not done
    region_id: int | None = None
    url: str = ""
    unit_order: int = 0

    @property
    def state(self) -> str:
        return "逾期未办" if self.done_date is None else "逾期办理"

    def as_dict(self) -> dict:
        return {
            "source": self.source, "unit": self.unit, "department": self.department, "item": self.item,
            "deadline_date": self.deadline_date.isoformat(), "days_overdue": self.days_overdue,
            "done_date": self.done_date.isoformat() if self.done_date else None, "state": self.state,
            "url": self.url,
        }  # fmt: skip


@dataclass(frozen=True)
class Query:
    as_of: dt.date  # passed in from the edge: domain code never reads the clock
    region_id: int | None = None  # a county clerk sees the own unit only
    months_back: int = 12  # how far back recurring tasks (monthly reports) are examined


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    collect: Callable[[Query], Iterable[OverdueItem]]


_SOURCES: dict[str, Source] = {}


def register(key: str, label: str, collect: Callable[[Query], Iterable[OverdueItem]]) -> None:
    """Add (or replace) a source of tasks with deadlines."""
    _SOURCES[key] = Source(key, label, collect)


def sources() -> list[Source]:
    return list(_SOURCES.values())


def overdue_items(
    *, as_of: dt.date, region_id: int | None = None, only: Iterable[str] | None = None, months_back: int = 12
) -> list[OverdueItem]:
    """Every overdue task, most overdue first (then by unit and deadline)."""
    query = Query(as_of=as_of, region_id=region_id, months_back=months_back)
    keys = set(only) if only is not None else None
    items: list[OverdueItem] = []
    for source in sources():
        if keys is None or source.key in keys:
            items.extend(source.collect(query))
    items.sort(key=lambda i: (-i.days_overdue, i.unit_order, i.unit, i.deadline_date, i.item))
    return items


def summarise(items: Iterable[OverdueItem]) -> list[dict]:
    """Per unit and department: how many tasks are overdue (still open) and done late, the worst delay."""
    groups: dict[tuple, dict] = {}
    for item in items:
        key = (item.unit_order, item.unit, item.department)
        g = groups.setdefault(key, {"unit": item.unit, "department": item.department, "open": 0, "late": 0,
                                    "max_days": 0, "sources": set()})  # fmt: skip
        g["open" if item.done_date is None else "late"] += 1
        g["max_days"] = max(g["max_days"], item.days_overdue)
        g["sources"].add(item.source)
    out = []
    for key in sorted(groups, key=lambda k: (-groups[k]["open"], -groups[k]["max_days"], k)):
        g = groups[key]
        g["sources"] = sorted(g["sources"])
        out.append(g)
    return out


# --- built-in sources --------------------------------------------------------------------------------


def dispatch_reports(query: Query) -> list[OverdueItem]:
    """Per unit and month (the dispatch's own rules: which projects are due, the deadline): projects
    whose report is still missing after the deadline, and reports sent after it."""
    from jigai.core.models import Region
    from jigai.dispatch.periods import FIRST_YEAR, Month
    from jigai.dispatch.selectors import project_lines, report_states

    regions = Region.objects.filter(level=Region.Level.UNIT)
    if query.region_id is not None:
        regions = regions.filter(pk=query.region_id)
    regions = {r.pk: r for r in regions}
    now = dt.datetime.combine(query.as_of + dt.timedelta(days=1), dt.time(0, 0), tzinfo=BEIJING)
    end = Month.of(query.as_of)
    # Nothing was due before the platform's first month (January 2000).
    back = min(query.months_back, (end.year - FIRST_YEAR) * 12 + end.month - 1)
    months = [m for m in (end.shift(-i) for i in range(1, back + 1)) if m.deadline() <= now]
    if not months:
        return []
    lines = project_lines(min(months).first_day, max(months).last_day, region_ids=list(regions))
    out: list[OverdueItem] = []
    url = reverse("dispatch:index")
    for month in sorted(months, reverse=True):
        due = [ln for ln in lines if ln.active_between(month.first_day, month.last_day)]
        if not due:
            continue
        per_unit: dict[int, dict] = {}
        for st in report_states(month, due, now=now):
            if st.submitted_at is not None and st.submitted_at >= now:
                # Sent after the day asked about: as of that day it was still missing.
                st = replace(st, status="missing", submitted_at=None)
            u = per_unit.setdefault(st.line.region_id, {"due": 0, "missing": 0, "late": 0, "last_late": None})
            u["due"] += 1
            if st.status in ("missing", "late"):
                u[st.status] += 1
            if st.status == "late":
                day = st.submitted_at.astimezone(BEIJING).date()
                u["last_late"] = max(u["last_late"] or day, day)
        deadline = month.deadline_date()
        for region_id, u in per_unit.items():
            region = regions[region_id]
            base = {"source": "dispatch_reports", "unit": region.name, "department": gettext_noop("县市经信部门（月调度）"),
                    "deadline_date": deadline, "region_id": region_id, "unit_order": region.sort_order,
                    "url": url}  # fmt: skip
            if u["missing"]:
                out.append(OverdueItem(
                    item=f"{month.label}项目月调度：应报 {u['due']} 个项目，逾期未报 {u['missing']} 个",
                    days_overdue=(query.as_of - deadline).days, **base,
                ))  # fmt: skip
            if u["late"]:
                out.append(OverdueItem(
                    item=f"{month.label}项目月调度：{u['late']} 个项目逾期报送",
                    days_overdue=(u["last_late"] - deadline).days, done_date=u["last_late"], **base,
                ))  # fmt: skip
    return out


def interview_follow_ups(query: Query) -> list[OverdueItem]:
    """Interviews whose follow-up report (整改报告) is past its deadline, or came in after it."""
    from django.db.models import Min, Q

    from .models import CaseStatus, InterviewCase

    qs = (
        InterviewCase.objects.filter(record__follow_up_deadline_date__lt=query.as_of)
        .select_related("region", "record")
        # Only what had been reported by the date asked about counts as done (as of that date).
        .annotate(
            first_report=Min(
                "follow_ups__reported_date", filter=Q(follow_ups__reported_date__lte=query.as_of)
            )
        )
    )
    if query.region_id is not None:
        qs = qs.filter(region_id=query.region_id)
    out = []
    for case in qs.order_by("record__follow_up_deadline_date", "id"):
        deadline = case.record.follow_up_deadline_date
        done = case.first_report
        if done is not None and done <= deadline:
            continue
        if case.status == CaseStatus.CLOSED and done is None:
            continue
        days = ((done or query.as_of) - deadline).days
        out.append(OverdueItem(
            source="interview_follow_ups", unit=case.region.name, department=gettext_noop("县市人民政府"),
            item=f"约谈整改报告（{case.get_level_display()}，{case.year}年{case.end_month}月期末排名）",
            deadline_date=deadline, days_overdue=days, done_date=done, region_id=case.region_id,
            url=reverse("assessment:case_detail", args=[case.pk]), unit_order=case.region.sort_order,
        ))  # fmt: skip
    return out


# Steps the two sources above already count from the records themselves (with the done-late ones too).
COUNTED_STEPS = frozenset({"dispatch.report", "interview.follow_up"})


def todo_items(query: Query) -> list[OverdueItem]:
    """Every to-do item past its deadline at the date asked for (jigai.core.todo.overdue) whose actor is a
    government department or its official (``Todo.accountable``): approval items (审批代办) with their
    department, consultation-meeting decisions with their owner, claims waiting on the office or the
    finance bureau, interview steps. A bank's or an enterprise's overdue item (an open financing need no
    bank has met) is not a department's 不作为、慢作为 and stays off (docs/programme.md, reading 23). Days
    are counted to ``query.as_of``, never to today; a unit's item belongs to its unit, any other to 州直."""
    from jigai.core import todo
    from jigai.core.models import Region

    items = [t for t in todo.overdue(query.as_of) if t.accountable and t.step not in COUNTED_STEPS]
    if not items:
        return []
    regions = {r.code: r for r in Region.objects.filter(code__in={t.unit_code for t in items if t.unit_code})}
    out = []
    for t in items:
        region = regions.get(t.unit_code or "")
        if query.region_id is not None and (region is None or region.pk != query.region_id):
            continue
        deadline = t.due_date()
        out.append(OverdueItem(
            source="todos", unit=region.name if region else gettext_noop("州直"), department=t.actor or "—", item=t.title,
            deadline_date=deadline, days_overdue=(query.as_of - deadline).days,
            region_id=region.pk if region else None, url=t.url, unit_order=region.sort_order if region else -1,
        ))  # fmt: skip
    return out


register("dispatch_reports", gettext_noop("项目月调度报送"), dispatch_reports)
register("interview_follow_ups", gettext_noop("约谈整改报告"), interview_follow_ups)
register("todos", "待办事项", todo_items)
