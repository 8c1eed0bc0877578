"""The quarterly and half-year ranking by 技改投入增幅 (4.3; docs/programme.md readings 10–11). Standard library
and the programme's shipped parameters only (no Django).

Input: each unit's official January-to-month tech-renovation investment ({(year, month): Decimal yuan}).
Output: one row per unit with the figures, the exact growth, the rank and whether it is in the bottom
group, each with an explanation naming the reading applied.

Decisions (each also shown in the row's explanation):

* Growth (docs/programme.md, reading 10) is year on year. Cumulative basis (the default): Jan → period end, e.g. Q2 =
  ytd June vs ytd June of the year before. Single-period basis (当季/当半年): Q2 = ytd June − ytd March,
  H2 = ytd December − ytd June, against the same difference a year earlier; Q1 and H1 are the same on
  both bases.
* Units are ranked on the exact ratio (a ``Fraction``): two units whose growth shows the same
  two-decimal percentage but differs beyond it are not tied. Only an exactly equal ratio is a tie.
  ``growth_pct`` is that ratio × 100 rounded half up (away from zero) to two decimals, for display.
* Ranks are competition ranks: tied units share a rank and the next rank is skipped (1, 2, 2, 4).
* docs/programme.md, reading 11, no rate: a unit with a base of zero (or, on the single basis, below zero, when the
  statistics bureau revised a cumulative figure down) has no growth rate. With investment now it ranks
  above every unit with a rate (flag ``zero_base``); units in that position share the top rank. With
  none now it ranks last.
* docs/programme.md, reading 11, not reported: a unit without one of the figures the window needs (the period-end month,
  and on the single basis the month before the period, in the current or the base year) ranks last,
  flag ``missing``. All units ranked "last" (missing, or zero base and zero now) share the last rank:
  the reading gives no order among them, and list order must not decide who is interviewed.
* Bottom group (docs/programme.md, reading 11): the units ranked at or below the rank of the unit in the
  ``bottom_count``-th last place (2: 后两位). A tie at the boundary brings every tied unit in.

The basis, the bottom-group size and the library gap are the dated parameters ``4.3.ranking_basis``,
``4.3.bottom_count`` and ``4.3.library_gap_share`` (``jigai/policy/parameters/4.3/``). The apps pass the
installation's values (``jigai.core.programme.ranking_rules``); a caller that passes none gets the shipped
value for the window's year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from jigai.policy.params import default_parameters

from .periods import Period

__all__ = [
    "BASES",
    "CUMULATIVE",
    "FLAGS",
    "SINGLE",
    "RankRow",
    "RankingResult",
    "RegionFigures",
    "Window",
    "fraction_text",
    "pct_text",
    "rank_period",
    "rank_window",
    "wan_text",
    "window_for",
]


def gettext_noop(msgid: str) -> str:
    """Marks a catalogue entry for extraction; the pages translate these labels as they render them."""
    return msgid


CUMULATIVE = "cumulative"
SINGLE = "single"
BASES = {CUMULATIVE: gettext_noop("累计同比（1月至期末）"), SINGLE: gettext_noop("当期同比（当季/当半年）")}

MISSING = "missing"
ZERO_BASE = "zero_base"
NEGATIVE_BASE = "negative_base"
NO_INVESTMENT = "no_investment"
LIBRARY_GAP = "library_gap"
FLAGS = {
    MISSING: gettext_noop("未报送"),
    ZERO_BASE: gettext_noop("基数为零"),
    NEGATIVE_BASE: gettext_noop("基数为负"),
    NO_INVESTMENT: gettext_noop("本期无投资"),
    LIBRARY_GAP: gettext_noop("与项目库差异大"),
}

# Tiers, top to bottom (docs/programme.md, reading 11).
AHEAD, RATED, LAST = 0, 1, 2


def shipped(name: str, year: int) -> Any:
    """A 4.3 figure as shipped (``jigai/policy/parameters/4.3/``), for a caller that passes none."""
    return default_parameters().latest_on(name, dt.date(year, 1, 1)).raw


@dataclass(frozen=True)
class RegionFigures:
    """One unit's official statistics: {(year, month): January-to-month tech-renovation investment}."""

    code: str
    name: str
    ytd: Mapping[tuple[int, int], Decimal]


@dataclass(frozen=True)
class Window:
    """The months a growth is computed over: ``after_month`` + 1 … ``end_month`` of ``year`` (0: from
    January), against the same months of ``year`` − 1."""

    year: int
    end_month: int
    after_month: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.end_month <= 12 or not 0 <= self.after_month < self.end_month:
            raise ValueError(f"bad window {self.after_month}..{self.end_month}")

    @property
    def label(self) -> str:
        return (
            f"{self.after_month + 1}—{self.end_month}月"
            if self.end_month > self.after_month + 1
            else (f"{self.end_month}月")
        )

    def needed(self) -> list[tuple[int, int]]:
        keys = [(self.year, self.end_month), (self.year - 1, self.end_month)]
        if self.after_month:
            keys += [(self.year, self.after_month), (self.year - 1, self.after_month)]
        return keys

    def amount(self, ytd: Mapping[tuple[int, int], Decimal], year: int) -> Decimal | None:
        end = ytd.get((year, self.end_month))
        if end is None:
            return None
        if not self.after_month:
            return end
        before = ytd.get((year, self.after_month))
        return None if before is None else end - before


def fraction_text(value: Fraction | Decimal | int, places: int = 2, *, grouping: bool = False) -> str:
    """An exact number with ``places`` decimals, rounded half up (away from zero): 1/8 → "0.13"."""
    if not isinstance(value, Fraction):
        value = Fraction(value)
    scale = 10**places
    units, rest = divmod(abs(value.numerator) * scale, value.denominator)  # integers only: fast and exact
    if 2 * rest >= value.denominator:
        units += 1
    sign = "-" if value.numerator < 0 and units else ""
    whole, frac = divmod(units, scale)
    whole_text = f"{whole:,}" if grouping else str(whole)
    return f"{sign}{whole_text}.{frac:0{places}d}" if places else f"{sign}{whole_text}"


def pct_text(ratio: Fraction | None, places: int = 2) -> str | None:
    """A ratio as percent with ``places`` decimals, rounded half up (away from zero), exactly:
    Fraction(1234, 10000) → "12.34"; None → None."""
    if ratio is None:
        return None
    ratio = ratio if isinstance(ratio, Fraction) else Fraction(ratio)
    return fraction_text(Fraction(ratio.numerator * 100, ratio.denominator), places)


def wan_text(yuan: Decimal | Fraction | None, places: int = 2) -> str:
    """Yuan as 万元 with thousands separators, exact half-up rounding; None → "—"."""
    if yuan is None:
        return "—"
    return fraction_text(Fraction(yuan) / 10000, places, grouping=True)


def _ym(key: tuple[int, int]) -> str:
    return f"{key[0]}年{key[1]}月"


@dataclass(frozen=True)
class RankRow:
    region_code: str
    name: str
    current_yuan: Decimal | None
    base_yuan: Decimal | None
    growth: Fraction | None  # the exact ratio (current − base) / base
    rank: int
    bottom: bool
    flags: tuple[str, ...]
    tier: int
    tied_with: tuple[str, ...] = ()
    missing_months: tuple[str, ...] = ()
    library_yuan: Decimal | None = None
    explanation: str = ""
    readings: tuple[str, ...] = ()

    @property
    def growth_pct(self) -> str | None:
        return pct_text(self.growth)

    def as_dict(self) -> dict:
        """The ranking's public row: the fields of `jigai assess rank` and the API."""
        return {
            "region_code": self.region_code,
            "name": self.name,
            "current_yuan": None if self.current_yuan is None else f"{self.current_yuan:.2f}",
            "base_yuan": None if self.base_yuan is None else f"{self.base_yuan:.2f}",
            "growth_pct": self.growth_pct,
            "rank": self.rank,
            "bottom": self.bottom,
            "flags": list(self.flags),
        }

    def as_record(self) -> dict:
        """Everything needed to show and re-check the row later (the frozen snapshot)."""
        return {
            **self.as_dict(),
            "growth_exact": None
            if self.growth is None
            else f"{self.growth.numerator}/{self.growth.denominator}",
            "tier": self.tier,
            "tied_with": list(self.tied_with),
            "missing_months": list(self.missing_months),
            "library_yuan": None if self.library_yuan is None else f"{self.library_yuan:.2f}",
            "explanation": self.explanation,
            "readings": list(self.readings),
        }


@dataclass(frozen=True)
class RankingResult:
    window: Window
    basis: str
    bottom_count: int
    rows: tuple[RankRow, ...]
    period: Period | None = None
    parameters: dict = field(default_factory=dict)

    @property
    def bottom(self) -> list[RankRow]:
        return [r for r in self.rows if r.bottom]

    def row(self, code: str) -> RankRow | None:
        return next((r for r in self.rows if r.region_code == code), None)

    def as_dicts(self) -> list[dict]:
        return [r.as_dict() for r in self.rows]


@dataclass
class _Draft:
    order: int
    fig: RegionFigures
    current: Decimal | None
    base: Decimal | None
    growth: Fraction | None
    tier: int
    flags: list[str]
    missing: list[str]
    library: Decimal | None


def _draft(order: int, fig: RegionFigures, window: Window, library: Decimal | None, gap: Fraction) -> _Draft:
    missing = [_ym(k) for k in window.needed() if fig.ytd.get(k) is None]
    current = window.amount(fig.ytd, window.year)
    base = window.amount(fig.ytd, window.year - 1)
    flags: list[str] = []
    growth = None
    if missing:
        tier = LAST
        flags.append(MISSING)
    elif base > 0:
        tier = RATED
        growth = (Fraction(current) - Fraction(base)) / Fraction(base)
    else:
        flags.append(ZERO_BASE if base == 0 else NEGATIVE_BASE)
        if current > 0:
            tier = AHEAD
        else:
            tier = LAST
            flags.append(NO_INVESTMENT)
    if library is not None and current is not None and current > 0:
        if abs(Fraction(library) - Fraction(current)) > gap * Fraction(current):
            flags.append(LIBRARY_GAP)
    return _Draft(order, fig, current, base, growth, tier, flags, missing, library)


def _sort_key(d: _Draft):
    return (d.tier, -d.growth if d.growth is not None else 0, d.order)


def _tie_key(d: _Draft):
    return (d.tier, d.growth)


def rank_window(
    figures: Iterable[RegionFigures],
    window: Window,
    *,
    basis: str | None = None,
    bottom_count: int | None = None,
    period: Period | None = None,
    library: Mapping[str, Decimal] | None = None,
    library_gap: Fraction | Decimal | None = None,
) -> RankingResult:
    """Rank the units on their growth over ``window``. Units keep their input order among equals (for
    display only: equals share a rank). ``basis``, ``bottom_count``, ``library_gap``: see the module."""
    if basis is None:
        basis = shipped("4.3.ranking_basis", window.year)
    if bottom_count is None:
        bottom_count = shipped("4.3.bottom_count", window.year)
    if library_gap is None:
        library_gap = shipped("4.3.library_gap_share", window.year)
    if basis not in BASES:
        raise ValueError(f"unknown basis {basis!r}")
    library = library or {}
    library_gap = Fraction(library_gap)
    drafts = [_draft(i, f, window, library.get(f.code), library_gap) for i, f in enumerate(figures)]
    drafts.sort(key=_sort_key)
    n = len(drafts)
    ranks: list[int] = []
    for i, d in enumerate(drafts):
        ranks.append(ranks[i - 1] if i and _tie_key(drafts[i - 1]) == _tie_key(d) else i + 1)
    k = min(bottom_count, n)
    threshold = ranks[n - k] if k else n + 1
    groups: dict[int, list[str]] = {}
    for d, r in zip(drafts, ranks, strict=True):
        groups.setdefault(r, []).append(d.fig.code)
    names = {d.fig.code: d.fig.name for d in drafts}
    bottom_size = sum(1 for r in ranks if r >= threshold)
    rows = []
    for pos, (d, r) in enumerate(zip(drafts, ranks, strict=True)):
        tied = tuple(c for c in groups[r] if c != d.fig.code)
        bottom = r >= threshold
        explanation, readings = _explain(
            d, r, tied, names, bottom, bottom_size, k, window, basis, drafts, ranks, pos
        )
        rows.append(
            RankRow(
                region_code=d.fig.code,
                name=d.fig.name,
                current_yuan=d.current,
                base_yuan=d.base,
                growth=d.growth,
                rank=r,
                bottom=bottom,
                flags=tuple(d.flags),
                tier=d.tier,
                tied_with=tied,
                missing_months=tuple(d.missing),
                library_yuan=d.library,
                explanation=explanation,
                readings=readings,
            )
        )
    parameters = {
        "basis": basis,
        "bottom_count": bottom_count,
        "window": {"year": window.year, "end_month": window.end_month, "after_month": window.after_month},
        "library_gap_share": f"{library_gap.numerator}/{library_gap.denominator}",
    }
    return RankingResult(
        window=window,
        basis=basis,
        bottom_count=bottom_count,
        rows=tuple(rows),
        period=period,
        parameters=parameters,
    )


def window_for(period: Period, basis: str | None = None) -> Window:
    if basis is None:
        basis = shipped("4.3.ranking_basis", period.year)
    if basis not in BASES:
        raise ValueError(f"unknown basis {basis!r}")
    return Window(period.year, period.end_month, period.previous_end_month if basis == SINGLE else 0)


def rank_period(
    figures: Iterable[RegionFigures],
    period: Period,
    *,
    basis: str | None = None,
    bottom_count: int | None = None,
    library: Mapping[str, Decimal] | None = None,
    library_gap: Fraction | Decimal | None = None,
) -> RankingResult:
    """Rank a quarter or half-year (docs/programme.md, reading 10) on the given basis."""
    if basis is None:
        basis = shipped("4.3.ranking_basis", period.year)
    return rank_window(
        figures, window_for(period, basis), basis=basis, bottom_count=bottom_count, period=period,
        library=library, library_gap=library_gap,
    )  # fmt: skip


def _explain(d, rank, tied, names, bottom, bottom_size, k, window, basis, drafts, ranks, pos):
    span = window.label
    basis_text = "累计同比" if basis == CUMULATIVE else "当期同比"
    parts: list[str] = []
    readings = ["10"]
    if d.tier == RATED:
        parts.append(
            f"{window.year}年{span}技改投资 {wan_text(d.current)} 万元，上年同期 {wan_text(d.base)} 万元，"
            f"增幅 {pct_text(d.growth)}%（解读10：{basis_text}）"
        )
    elif MISSING in d.flags:
        readings.append("11")
        parts.append(f"缺少{'、'.join(d.missing)}的统计数据（未报送），按解读11排在最后")
    elif d.tier == AHEAD:
        readings.append("11")
        what = "为零" if ZERO_BASE in d.flags else "为负（累计数下调）"
        parts.append(
            f"上年同期技改投资{what}，无增幅可算；本期有投资 {wan_text(d.current)} 万元，"
            "按解读11排在所有有增幅的单位之前"
        )
    else:
        readings.append("11")
        what = "为零" if ZERO_BASE in d.flags else "为负（累计数下调）"
        parts.append(f"上年同期技改投资{what}，本期也无投资，无增幅可算，按解读11排在最后")
    if tied:
        parts.append(f"与{'、'.join(names[c] for c in tied)}并列第 {rank} 位（竞争排名，下一名次空缺）")
    else:
        parts.append(f"第 {rank} 位")
    if d.tier == RATED:
        # Neighbours that look equal at two decimals but are not: say so, since the rank differs.
        for j in (pos - 1, pos + 1):
            if 0 <= j < len(drafts) and drafts[j].tier == RATED and ranks[j] != rank:
                other = drafts[j]
                if pct_text(other.growth) == pct_text(d.growth):
                    parts.append(f"与{other.fig.name}的增幅两位小数相同，但精确值不同，按精确值排序")
    if bottom:
        readings.append("11")
        last = {1: "一", 2: "两", 3: "三"}.get(k, str(k))
        if bottom_size > k:
            parts.append(f"列后{last}位：边界上并列，按解读11并列单位全部列入（共 {bottom_size} 个）")
        else:
            parts.append(f"列后{last}位")
    if LIBRARY_GAP in d.flags:
        parts.append(f"项目库月调度合计 {wan_text(d.library)} 万元，与统计数据差异较大，请核实（解读10）")
    return "；".join(parts) + "。", tuple(dict.fromkeys(readings))
