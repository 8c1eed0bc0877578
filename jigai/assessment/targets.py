"""Target tracking (2.1, 2.2): a figure against its target and against the share of the year elapsed.
Standard library only; the figures come from `selectors`, the targets from the programme's dated
parameters (``jigai.core.programme.targets``, files ``jigai/policy/parameters/2.1.*``, ``2.2.*``).

Status, for a target to reach by the end of a span (a year, or the programme 2018–2020):

* a count (projects 2.1.b, champions 2.2.a, demonstration projects 2.2.b) or a share reached step by
  step (coverage 2.1.c): on course when the figure is at least the target × the share of the span
  elapsed, at risk when below it; once the span has ended, done (完成) at or above the target and missed
  (未完成) below it — never "on course" for a year that is over;
* a growth rate (2.1.a): on course when at or above the target, at risk when below with the year still
  running; once the year has ended, done or missed; no figure yet → no data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from .ranking import fraction_text

__all__ = [
    "AT_RISK",
    "DONE",
    "MISSED",
    "NO_DATA",
    "ON_COURSE",
    "STATUS_LABELS",
    "TargetLine",
    "count_status",
    "elapsed_share",
    "rate_status",
]

ON_COURSE, AT_RISK, MISSED, NO_DATA, DONE = "on_course", "at_risk", "missed", "no_data", "done"
STATUS_LABELS = {
    ON_COURSE: "进度正常",
    AT_RISK: "有风险",
    MISSED: "未完成",
    NO_DATA: "暂无数据",
    DONE: "完成",
}


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
        return DONE if elapsed >= 1 else ON_COURSE
    if elapsed >= 1:
        return MISSED
    return ON_COURSE if actual >= target * elapsed else AT_RISK


def rate_status(actual: Fraction | None, target: Fraction, *, final: bool) -> str:
    if actual is None:
        return NO_DATA
    if actual >= target:
        return DONE if final else ON_COURSE
    return MISSED if final else AT_RISK


@dataclass(kw_only=True)
class TargetLine:
    """One row of the targets dashboard (built with keyword arguments: six of its fields are text)."""

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
