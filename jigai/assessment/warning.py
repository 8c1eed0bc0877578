"""Early warning (预警): from the months already reported, which units are on course to finish the quarter
(and the half-year) in the bottom group. Standard library only.

Projection: the period's growth is taken to stay what it is over the months reported so far — on the
cumulative basis January to the latest month against the same months a year earlier, on the single
basis the period's months so far against the same months a year earlier. (Scaling this year's figure by
last year's seasonal pattern gives the same rate, so no further assumption is made.) The projected
growth is ranked with the very rules of the ranking (docs/programme.md, readings 10–11), from the period's first month.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .periods import HALF, QUARTER, Period
from .ranking import SINGLE, RankingResult, RegionFigures, Window, rank_window, shipped

__all__ = ["Outlook", "early_warning"]


@dataclass(frozen=True)
class Outlook:
    period: Period
    as_of_month: int
    result: RankingResult  # rows carry the projected growth and the projected rank

    @property
    def final(self) -> bool:
        """The period has ended: the projection is the ranking itself."""
        return self.as_of_month == self.period.end_month

    @property
    def months_reported(self) -> int:
        return self.as_of_month - self.period.start_month + 1

    @property
    def label(self) -> str:
        return f"{self.period.label}（据 {self.period.year}年{self.as_of_month}月数据推算）"


def early_warning(
    figures: Iterable[RegionFigures],
    *,
    year: int,
    month: int,
    basis: str | None = None,
    bottom_count: int | None = None,
    library: Mapping[str, Decimal] | None = None,
    library_gap: Fraction | None = None,
) -> list[Outlook]:
    """The quarter and the half-year that contain ``year``-``month``, projected from the months up to it.
    ``basis``, ``bottom_count``, ``library_gap``: as ``rank_window`` (the shipped 4.3 values when None)."""
    figures = list(figures)
    if basis is None:
        basis = shipped("4.3.ranking_basis", year)
    out = []
    for kind in (QUARTER, HALF):
        period = Period.containing(year, month, kind)
        after = period.previous_end_month if basis == SINGLE else 0
        window = Window(year, month, after)
        result = rank_window(
            figures,
            window,
            basis=basis,
            bottom_count=bottom_count,
            period=period,
            library=library,
            library_gap=library_gap,
        )
        out.append(Outlook(period, month, result))
    return out
