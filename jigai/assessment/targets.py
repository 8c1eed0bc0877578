"""Target tracking (2.1, 2.2): a figure against its target and against the share of the year elapsed.
Standard library only; the figures themselves come from `selectors`.

Status, for a target to reach by the end of a span (a year, or the programme 2018–2020):

* a count (projects 2.1.b, champions 2.2.a, demonstration projects 2.2.b) or a share reached step by
  step (coverage 2.1.c): on course when the figure is at least the target × the share of the span
  elapsed, at risk when below it, missed when the span has ended below the target;
* a growth rate (2.1.a): on course when at or above the target, at risk when below with the year still
  running, missed when the year has ended below it; no figure yet → no data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from .ranking import fraction_text

__all__ = [
    "AT_RISK",
    "MISSED",
    "NO_DATA",
    "ON_COURSE",
    "STATUS_LABELS",
    "TargetLine",
    "count_status",
    "elapsed_share",
    "rate_status",
]

ON_COURSE, AT_RISK, MISSED, NO_DATA = "on_course", "at_risk", "missed", "no_data"
STATUS_LABELS = {ON_COURSE: "进度正常", AT_RISK: "有风险", MISSED: "未完成", NO_DATA: "暂无数据"}

# 2.1.a: 工业投资年增长15%以上，技改投资年增长20%以上 (以上 includes the number itself: docs/programme.md, reading 1).
INDUSTRIAL_GROWTH = Fraction(15, 100)
TECH_GROWTH = Fraction(20, 100)
# 2.1.b: 每年实施100个以上技改项目.
PROJECTS_PER_YEAR = 100
# 2.1.c: 力争到2020年规模以上工业企业实现技术改造全覆盖.
COVERAGE = Fraction(1)
# 2.2.a / 2.2.b: 每年培育"隐形冠军"企业10户以上，试点示范工业技改项目10个.
CHAMPIONS_PER_YEAR = 10
DEMONSTRATIONS_PER_YEAR = 10
PROGRAMME_YEARS = (2018, 2019, 2020)
BASE_YEAR = 2017


def elapsed_share(start: dt.date, end: dt.date, as_of: dt.date) -> Fraction:
    """Share of the span [start, end] (both inclusive) elapsed at the end of ``as_of``, in 0..1."""
    if as_of < start:
        return Fraction(0)
    if as_of >= end:
        return Fraction(1)
    return Fraction((as_of - start).days + 1, (end - start).days + 1)


def year_share(year: int, as_of: dt.date) -> Fraction:
    return elapsed_share(dt.date(year, 1, 1), dt.date(year, 12, 31), as_of)


def count_status(actual: Fraction | int, target: Fraction | int, elapsed: Fraction) -> str:
    if actual >= target:
        return ON_COURSE
    if elapsed >= 1:
        return MISSED
    return ON_COURSE if actual >= target * elapsed else AT_RISK


def rate_status(actual: Fraction | None, target: Fraction, *, final: bool) -> str:
    if actual is None:
        return NO_DATA
    if actual >= target:
        return ON_COURSE
    return MISSED if final else AT_RISK


@dataclass
class TargetLine:
    """One row of the targets dashboard."""

    clause: str
    label: str
    scope: str  # 全州 or a unit's name
    actual: str  # as shown
    target: str
    status: str
    expected: str = ""  # where the figure should be by now (target × share elapsed)
    progress: Fraction | None = None  # actual / target, for the bar and the chart
    note: str = ""
    region_code: str = ""
    details: list = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def progress_pct(self) -> str:
        if self.progress is None:
            return ""
        return fraction_text(max(min(self.progress, Fraction(2)), Fraction(0)) * 100, 1)

    def as_dict(self) -> dict:
        return {
            "clause": self.clause, "label": self.label, "scope": self.scope, "region_code": self.region_code,
            "actual": self.actual, "target": self.target, "expected": self.expected, "status": self.status,
            "status_label": self.status_label, "progress_pct": self.progress_pct, "note": self.note,
        }  # fmt: skip
