"""ECharts options of the budget page (display only: floats are fine here)."""

from __future__ import annotations

from jigai.core.money import format_wan


def _wan(value) -> float:
    return float(format_wan(value))


def budget_chart(book) -> dict:
    names = [b.unit_name for b in book.budgets]
    series = [
        ("已拨付（万元）", [_wan(b.paid_yuan) for b in book.budgets]),
        ("已批准待拨付（万元）", [_wan(b.committed_yuan) for b in book.budgets]),
        ("结余（万元）", [_wan(b.remaining_yuan) for b in book.budgets]),
    ]
    return {
        "title": {
            "text": f"{book.year}年奖补预算执行（州级与各县市）",
            "left": "center",
            "textStyle": {"fontSize": 14},
        },
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 24, "data": [s[0] for s in series]},
        "grid": {"top": 64, "left": 64, "right": 24, "bottom": 64},
        "xAxis": {"type": "category", "data": names, "axisLabel": {"interval": 0, "rotate": 35}},
        "yAxis": {"type": "value", "name": "万元"},
        "series": [{"name": n, "type": "bar", "stack": "budget", "data": d} for n, d in series],
    }
