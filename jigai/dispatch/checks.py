"""The checks on every report (issue 5, point 3): flags that never block, and the few impossible values
that do.

Pure functions over plain values, shared by the services (one report), imports, the demo and the
bulletin (thousands), so every path flags the same way. Flags are derived data: they are recomputed for
a project's whole series whenever one of its reports changes, so an early month can be flagged by a
later one (a month is "out of line" against all of the project's other months).

A flag is ``{"code", "label", "message", "params"}``: the label and the message are record text in
Chinese (the bulletin and its documents keep them as written), and ``params`` are the figures the message
was written from, so a page reads the message in its own language at render time (``flag_text``, and the
template ``dispatch/_flag_message.html``). A flag stored before ``params`` existed reads as written.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.utils.translation import gettext, gettext_noop

from jigai.core.money import amount_problem, format_wan

from . import conf

_wan = partial(format_wan, grouping=True)  # 万元 with thousands separators, as the pages show them

CUMULATIVE_FALLING = "cumulative_falling"
CUMULATIVE_INCONSISTENT = "cumulative_inconsistent"
ABOVE_PLANNED_TOTAL = "above_planned_total"
MONTH_OUTLIER = "month_outlier"
LIBRARY_GAP = "library_gap"
STATISTIC_MISSING = "statistic_missing"
TECH_ABOVE_INDUSTRIAL = "tech_above_industrial"

FLAG_LABELS = {
    CUMULATIVE_FALLING: gettext_noop("累计投资回落"),
    CUMULATIVE_INCONSISTENT: gettext_noop("累计数与上月不衔接"),
    ABOVE_PLANNED_TOTAL: gettext_noop("累计超计划总投资"),
    MONTH_OUTLIER: gettext_noop("当月投资异常偏大"),
    LIBRARY_GAP: gettext_noop("项目库与统计数差距大"),
    STATISTIC_MISSING: gettext_noop("统计数据未报送"),
    TECH_ABOVE_INDUSTRIAL: gettext_noop("技改投资大于工业投资"),
}

#: Each flag's message, by its code (the library gap has a second form, for a zero official figure):
#: written in Chinese into the record, read in the active language by ``flag_text``.
MESSAGES = {
    CUMULATIVE_FALLING: gettext_noop(
        "开工累计完成投资 %(now)s 万元，低于%(year)s年%(month)s月的 %(before)s 万元"
    ),
    CUMULATIVE_INCONSISTENT: gettext_noop(
        "上月累计 %(before)s 万元 + 本月 %(month)s 万元 = %(expected)s 万元，与本月累计 %(now)s 万元不符"
    ),
    ABOVE_PLANNED_TOTAL: gettext_noop("开工累计完成投资 %(now)s 万元，超过计划总投资 %(planned)s 万元"),
    MONTH_OUTLIER: gettext_noop(
        "本月完成投资 %(month)s 万元，是该项目其他 %(n)s 个月中位数 %(median)s 万元的 %(ratio)s 倍"
    ),
    LIBRARY_GAP: gettext_noop(
        "项目库月调度累计 %(library)s 万元，与统计技改投资 %(official)s 万元相差 %(gap)s%%（阈值 %(threshold)s%%）"
    ),
    STATISTIC_MISSING: gettext_noop("统计局技改投资累计数未报送"),
    TECH_ABOVE_INDUSTRIAL: gettext_noop(
        "技改投资累计 %(tech)s 万元大于工业投资累计 %(industrial)s 万元（技改投资是工业投资的一部分），请核实"
    ),
}
LIBRARY_GAP_ZERO = gettext_noop("统计技改投资为 0，项目库月调度累计 %(library)s 万元")

ZERO = Decimal(0)


@dataclass(frozen=True)
class Point:
    """One month of a project's series."""

    year: int
    month: int
    month_yuan: Decimal
    cumulative_yuan: Decimal

    @property
    def index(self) -> int:
        return self.year * 12 + self.month - 1


def _message(code: str, params: dict) -> str:
    if code == LIBRARY_GAP and "official" not in params:
        return LIBRARY_GAP_ZERO
    return MESSAGES[code]


def _flag(code: str, **params: str) -> dict:
    """A flag as recorded: its message written in Chinese (record text), with the figures it was written
    from."""
    message = _message(code, params)
    return {
        "code": code,
        "label": FLAG_LABELS[code],
        "message": message % params if params else message,
        "params": params,
    }


def flag_text(flag: dict) -> str:
    """A flag's message in the active language, from its code and figures; as written for a flag
    recorded without them."""
    params = flag.get("params")
    if params is None or flag.get("code") not in MESSAGES:
        return flag.get("message", "")
    message = gettext(_message(flag["code"], params))
    return message % params if params else message


def _ratio_text(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.1'))}"


def series_flags(
    points: Sequence[Point],
    *,
    planned_total_yuan: Decimal | None,
    outlier_factor: Decimal | None = None,
    outlier_min_months: int | None = None,
) -> dict[tuple[int, int], list[dict]]:
    """Flags for every month of one project's reports, keyed by (year, month)."""
    factor = outlier_factor if outlier_factor is not None else conf.get("JIGAI_DISPATCH_OUTLIER_FACTOR")
    min_months = (
        outlier_min_months
        if outlier_min_months is not None
        else int(conf.get("JIGAI_DISPATCH_OUTLIER_MIN_MONTHS"))
    )
    ordered = sorted(points, key=lambda p: p.index)
    out: dict[tuple[int, int], list[dict]] = {}
    for i, p in enumerate(ordered):
        flags: list[dict] = []
        prev = ordered[i - 1] if i else None
        if prev is not None and p.cumulative_yuan < prev.cumulative_yuan:
            flags.append(_flag(
                CUMULATIVE_FALLING, now=_wan(p.cumulative_yuan), year=str(prev.year), month=str(prev.month),
                before=_wan(prev.cumulative_yuan),
            ))  # fmt: skip
        elif prev is not None and prev.index == p.index - 1:
            expected = prev.cumulative_yuan + p.month_yuan
            if expected != p.cumulative_yuan:
                flags.append(_flag(
                    CUMULATIVE_INCONSISTENT, before=_wan(prev.cumulative_yuan), month=_wan(p.month_yuan),
                    expected=_wan(expected), now=_wan(p.cumulative_yuan),
                ))  # fmt: skip
        if planned_total_yuan is not None and p.cumulative_yuan > planned_total_yuan:
            flags.append(_flag(
                ABOVE_PLANNED_TOTAL, now=_wan(p.cumulative_yuan), planned=_wan(planned_total_yuan)
            ))  # fmt: skip
        others = [o.month_yuan for o in ordered if o is not p and o.month_yuan > ZERO]
        if p.month_yuan > ZERO and len(others) >= min_months:
            median = Decimal(statistics.median(others))
            if median > ZERO and p.month_yuan > factor * median:
                flags.append(_flag(
                    MONTH_OUTLIER, month=_wan(p.month_yuan), n=str(len(others)), median=_wan(median),
                    ratio=_ratio_text(p.month_yuan / median),
                ))  # fmt: skip
        out[(p.year, p.month)] = flags
    return out


def _statistic_flags(*, industrial_yuan: Decimal | None, tech_yuan: Decimal | None) -> list[dict]:
    if industrial_yuan is None or tech_yuan is None or tech_yuan <= industrial_yuan:
        return []
    return [_flag(TECH_ABOVE_INDUSTRIAL, tech=_wan(tech_yuan), industrial=_wan(industrial_yuan))]


def statistic_warnings(*, industrial_yuan: Decimal | None, tech_yuan: Decimal | None) -> list[dict]:
    """A unit's official figures that cannot both be right: technical-renovation investment is part of
    industrial investment (2.1.a), so it is never the larger. Saved all the same (the statistics bureau's
    figure is the official one), with a warning, and flagged in the bulletin (``unit_flags``). The
    warning is for the page that saved them: its message reads in the active language."""
    return [
        {**f, "message": flag_text(f)}
        for f in _statistic_flags(industrial_yuan=industrial_yuan, tech_yuan=tech_yuan)
    ]


def unit_flags(
    *,
    official_yuan: Decimal | None,
    library_yuan: Decimal,
    gap: Decimal,
    industrial_yuan: Decimal | None = None,
) -> list[dict]:
    """A unit's month: its official tech-renovation figure against the sum over its project library;
    ``gap`` is docs/programme.md, reading 10's threshold (``4.3.library_gap_share``, the same the ranking flags with),
    and the tech-renovation figure against the industrial one."""
    if official_yuan is None:
        return [_flag(STATISTIC_MISSING)]
    return _statistic_flags(industrial_yuan=industrial_yuan, tech_yuan=official_yuan) + _library_flags(
        official_yuan, library_yuan, gap
    )


def _library_flags(official_yuan: Decimal, library_yuan: Decimal, gap: Decimal) -> list[dict]:
    threshold = gap
    if official_yuan == ZERO:
        if library_yuan > ZERO:
            return [_flag(LIBRARY_GAP, library=_wan(library_yuan))]
        return []
    ratio = abs(library_yuan - official_yuan) / official_yuan
    if ratio > threshold:
        return [_flag(
            LIBRARY_GAP, library=_wan(library_yuan), official=_wan(official_yuan),
            gap=f"{(ratio * 100).quantize(Decimal('0.1'))}", threshold=f"{(threshold * 100).normalize():f}",
        )]  # fmt: skip
    return []


def impossible(*, month_yuan, cumulative_yuan, progress_pct) -> dict[str, list[str]]:
    """Values that cannot be true; these block the save (everything else only flags)."""
    errors: dict[str, list[str]] = {}

    def add(field, msg):
        errors.setdefault(field, []).append(msg)

    for name, value in (
        ("month_investment_yuan", month_yuan),
        ("cumulative_investment_yuan", cumulative_yuan),
    ):
        problem = gettext("金额不能为空") if value is None else gettext(amount_problem(value) or "")
        if problem:
            add(name, problem)
    if progress_pct is None or not 0 <= progress_pct <= 100:
        add("progress_pct", gettext("形象进度百分比应在 0–100 之间"))
    if not errors and month_yuan > cumulative_yuan:
        add("cumulative_investment_yuan", gettext("开工累计完成投资不能小于本月完成投资（累计数包含本月）"))
    return errors
