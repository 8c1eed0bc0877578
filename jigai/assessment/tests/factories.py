"""Test data for the assessment: region statistics and leaders in a line each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jigai.core.models import Region
from jigai.dispatch.models import RegionStatistic

UNITS = ["422801", "422802", "422822", "422823", "422825", "422826", "422827", "422828", "GXQ"]


def stats(year: int, month: int, amounts: dict[str, object], *, industrial: dict | None = None) -> None:
    """RegionStatistic rows: {code: tech ytd yuan}; a code mapped to None gets no row."""
    regions = {r.code: r for r in Region.objects.filter(code__in=list(amounts))}
    for code, amount in amounts.items():
        if amount is None:
            continue
        ind = (industrial or {}).get(code, Decimal(amount) * 3)
        RegionStatistic.objects.update_or_create(
            region=regions[code], year=year, month=month,
            defaults={"tech_investment_ytd_yuan": Decimal(amount), "industrial_investment_ytd_yuan": Decimal(ind)},
        )  # fmt: skip


def growth_stats(year: int, month: int, growth_pct: dict[str, object], *, base: int = 10_000_000) -> None:
    """Base year at ``base`` yuan and the year at base × (1 + growth %), for each code."""
    stats(year - 1, month, {c: base for c in growth_pct})
    stats(year, month, {c: Decimal(base) * (1 + Decimal(str(g)) / 100) for c, g in growth_pct.items()})


def june_2019(overrides: dict[str, object] | None = None) -> dict[str, object]:
    """Nine growths for 2019 H1/Q2 (cumulative): 恩施市 best … 鹤峰县 and 来凤县 last."""
    growth = {"422801": 40, "422802": 35, "422822": 30, "422823": 25, "422825": 20, "422826": 15,
              "GXQ": 12, "422827": 5, "422828": -3}  # fmt: skip
    growth.update(overrides or {})
    growth_stats(2019, 6, growth)
    return growth


AT = dt.datetime(2019, 7, 10, 9, 0, tzinfo=dt.UTC)
