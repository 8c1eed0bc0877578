"""ECharts options of the budget page (display only: floats are fine here), in the active language."""

from __future__ import annotations

from django.utils.translation import gettext

from jigai.core.money import format_wan

PAID, COMMITTED, BALANCE = "#16a34a", "#3b82f6", "#cbd5e1"


def _wan(value) -> float:
    return float(format_wan(value))


def budget_chart(book) -> dict:
    names = [b.unit_name for b in book.budgets]
    # Colours by meaning: paid is done (green), approved and waiting is under way (blue), the balance is
    # what is left (grey) — no amber, which the pages keep for warnings.
    series = [
        (gettext("已拨付（万元）"), PAID, [_wan(b.paid_yuan) for b in book.budgets]),
        (gettext("已批准待拨付（万元）"), COMMITTED, [_wan(b.committed_yuan) for b in book.budgets]),
        (gettext("结余（万元）"), BALANCE, [_wan(b.remaining_yuan) for b in book.budgets]),
    ]
    return {
        "title": {
            "text": gettext("%(year)s年奖补预算执行（州级与各县市）") % {"year": book.year},
            "left": "center",
            "textStyle": {"fontSize": 14},
        },
        "tooltip": {"trigger": "axis"},
        # One line of legend (scrolling when narrow), clear of the 万元 axis name below it.
        "legend": {"top": 24, "type": "scroll", "data": [s[0] for s in series]},
        "grid": {"top": 80, "left": 64, "right": 24, "bottom": 64},
        "xAxis": {"type": "category", "data": names, "axisLabel": {"interval": 0, "rotate": 35}},
        "yAxis": {"type": "value", "name": gettext("万元")},
        "series": [
            {"name": n, "type": "bar", "stack": "budget", "itemStyle": {"color": colour}, "data": d}
            for n, colour, d in series
        ],
    }
