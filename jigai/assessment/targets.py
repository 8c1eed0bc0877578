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

A line's note is written in Chinese by the selectors (documents keep it so); ``TargetLine.note_text``
reads it in the active language at render time from the figures it carries (``NOTE_FORMS``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.translation import gettext, gettext_noop

from .ranking import fraction_text

__all__ = [
    "AT_RISK",
    "DONE",
    "MISSED",
    "NOTE_FORMS",
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
    ON_COURSE: gettext_noop("进度正常"),
    AT_RISK: gettext_noop("有风险"),
    MISSED: gettext_noop("未完成"),
    NO_DATA: gettext_noop("暂无数据"),
    DONE: gettext_noop("完成"),
}


_MONTHS = r"(?:1—(?P<months>\d+)月|1月)"
#: Every note the selectors write, as a pattern over the Chinese and the message that reads it (its
#: figures as named placeholders); a note without figures is its own message.
NOTE_FORMS = (
    (re.compile(r"^其中新开工 (?P<new>\d+) 个$"), gettext_noop("其中新开工 %(new)s 个")),
    (
        re.compile(r"^其中新开工 (?P<new>\d+) 个；各单位任务数合计 (?P<quotas>\d+) 个$"),
        gettext_noop("其中新开工 %(new)s 个；各单位任务数合计 %(quotas)s 个"),
    ),
    (re.compile(r"^(?P<covered>\d+)/(?P<all>\d+) 户$"), gettext_noop("%(covered)s/%(all)s 户")),
    (
        re.compile(
            r"^(?P<year>\d{4})年规上企业 (?P<above>\d+) 户，已实施技改 (?P<covered>\d+) 户，"
            r"未覆盖 (?P<uncovered>\d+) 户$"
        ),
        gettext_noop("%(year)s年规上企业 %(above)s 户，已实施技改 %(covered)s 户，未覆盖 %(uncovered)s 户"),
    ),
    (re.compile(rf"^{_MONTHS}累计同比$"), gettext_noop("%(months)s累计同比")),
    (
        re.compile(rf"^{_MONTHS}累计同比，九个报送单位合计$"),
        gettext_noop("%(months)s累计同比，九个报送单位合计"),
    ),
    (re.compile(r"^未报送统计数据$"), gettext_noop("未报送统计数据")),
    (re.compile(r"^尚有单位未报送统计数据$"), gettext_noop("尚有单位未报送统计数据")),
    (
        re.compile(r"^按已批准的第3\.1\.2条奖励统计：截至当日尚无$"),
        gettext_noop("按已批准的第3.1.2条奖励统计：截至当日尚无"),
    ),
    (
        re.compile(r"^按已批准的第3\.1\.2条奖励统计：(?P<names>.+)等 (?P<n>\d+) 户$"),
        gettext_noop("按已批准的第3.1.2条奖励统计：%(names)s等 %(n)s 户"),
    ),
    (
        re.compile(r"^按已批准的第3\.1\.2条奖励统计：(?P<names>.+)$"),
        gettext_noop("按已批准的第3.1.2条奖励统计：%(names)s"),
    ),
    (
        re.compile(r"^本年度尚无经批准的隐形冠军奖励，领导小组办公室也未登记历史数据$"),
        gettext_noop("本年度尚无经批准的隐形冠军奖励，领导小组办公室也未登记历史数据"),
    ),
    (
        re.compile(r"^历史数据（领导小组办公室手工登记，平台无本年度奖励记录）：(?P<note>.+)$", re.S),
        gettext_noop("历史数据（领导小组办公室手工登记，平台无本年度奖励记录）：%(note)s"),
    ),
    (
        re.compile(r"^历史数据（领导小组办公室手工登记，平台无本年度奖励记录）$"),
        gettext_noop("历史数据（领导小组办公室手工登记，平台无本年度奖励记录）"),
    ),
    (
        re.compile(r"^缺少(?P<year>\d{4})年全年数据（上年基数）$"),
        gettext_noop("缺少%(year)s年全年数据（上年基数）"),
    ),
    (re.compile(r"^(?P<year>\d{4})年全年统计数据未齐$"), gettext_noop("%(year)s年全年统计数据未齐")),
    (
        re.compile(
            r"^(?P<year>\d{4})年全年 (?P<actual>[\d,.]+) 比(?P<previous_year>\d{4})年全年 (?P<previous>[\d,.]+)"
            r"（万元），九个报送单位合计；目标为(?P<target_year>\d{4})年参数$"
        ),
        gettext_noop(
            "%(year)s年全年 %(actual)s 比%(previous_year)s年全年 %(previous)s（万元），九个报送单位合计；"
            "目标为%(target_year)s年参数"
        ),
    ),
    (re.compile(r"^暂无$"), gettext_noop("暂无")),
)


def note_text(note: str) -> str:
    """A line's note in the active language (as written when it has no known form)."""
    for pattern, message in NOTE_FORMS:
        m = pattern.match(note)
        if m is None:
            continue
        params = m.groupdict()
        if "months" in params:
            n = params["months"]
            params["months"] = gettext("1月") if n is None else gettext("1—%(m)s月") % {"m": n}
        return gettext(message) % params if params else gettext(message)
    return note


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
    def note_text(self) -> str:
        return note_text(self.note)

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
