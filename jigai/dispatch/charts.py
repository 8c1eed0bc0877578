"""ECharts options for the bulletin page, built from the snapshot (display only: floats are fine here)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext

from jigai.core.money import format_wan


def _wan(value) -> float | None:
    return None if value is None else float(format_wan(value))


def _pct(value) -> float | None:
    return None if value is None else float((Decimal(value) * 100).quantize(Decimal("0.01")))


def _months(month: int) -> str:
    """January to ``month`` as the x axis names it, in the active language: 1月, 1—6月."""
    return gettext("1月") if month == 1 else gettext("1—%(m)s月") % {"m": month}


def chart_options(snapshot: dict) -> dict:
    units = snapshot["units"]
    names = [u["name"] for u in units]
    p = snapshot["prefecture"]
    tech_target = _pct(p["tech_target"])
    ind_target = _pct(p["industrial_target"])
    investment = {
        "title": {"text": gettext("各县市技改投资（1月至本月累计）"), "left": "center", "textStyle": {"fontSize": 14},
                  "subtext": gettext("虚线为技改投资增长目标 %(target)s%%") % {"target": tech_target}, "itemGap": 4},
        "tooltip": {"trigger": "axis"},
        # The legend sits under the chart, clear of the 万元 axis name; the target is named under the title,
        # not written on the plot where it fell on the last unit's bar (州高新区) and the % axis.
        "legend": {"bottom": 0, "data": [gettext("技改投资（万元）"), gettext("项目库月调度累计（万元）"), gettext("同比增长（%）")]},
        "grid": {"top": 70, "left": 64, "right": 48, "bottom": 96},
        "xAxis": {"type": "category", "data": names, "axisLabel": {"interval": 0, "rotate": 35}},
        "yAxis": [{"type": "value", "name": gettext("万元")}, {"type": "value", "name": "%"}],
        "series": [
            {"name": gettext("技改投资（万元）"), "type": "bar", "data": [_wan(u["tech_ytd"]) for u in units]},
            {"name": gettext("项目库月调度累计（万元）"), "type": "bar", "data": [_wan(u["library_ytd"]) for u in units]},
            {"name": gettext("同比增长（%）"), "type": "line", "yAxisIndex": 1, "data": [_pct(u["tech_growth"]) for u in units],
             "markLine": {"symbol": "none", "data": [{"yAxis": tech_target, "name": gettext("目标")}],
                          "label": {"show": False}, "tooltip": {"formatter": gettext("增长目标 %(target)s%%") % {"target": tech_target}}}},
        ],
    }  # fmt: skip
    projects = {
        "title": {"text": gettext("各县市实施技改项目数与年度任务"), "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0, "data": [gettext("实施项目"), gettext("年度任务"), gettext("累计新开工"), gettext("累计竣工投产")]},
        "grid": {"top": 56, "left": 40, "right": 20, "bottom": 96},
        "xAxis": {"type": "category", "data": names, "axisLabel": {"interval": 0, "rotate": 35}},
        "yAxis": {"type": "value", "name": gettext("个"), "minInterval": 1},
        "series": [
            {"name": gettext("实施项目"), "type": "bar", "data": [u["implemented"] for u in units]},
            {"name": gettext("年度任务"), "type": "line", "step": "middle", "data": [u["quota"] for u in units]},
            {"name": gettext("累计新开工"), "type": "bar", "data": [u["new_starts_ytd"] for u in units]},
            {"name": gettext("累计竣工投产"), "type": "bar", "data": [u["completions_ytd"] for u in units]},
        ],
    }  # fmt: skip
    trend = {
        "title": {"text": gettext("全州投资累计增速（按月）"), "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0, "data": [gettext("技改投资增速（%）"), gettext("工业投资增速（%）")]},
        "grid": {"top": 56, "left": 50, "right": 24, "bottom": 56},
        "xAxis": {"type": "category", "data": [_months(t["month"]) for t in snapshot["trend"]]},
        "yAxis": {"type": "value", "name": "%", "scale": True},
        "series": [
            {"name": gettext("技改投资增速（%）"), "type": "line", "data": [_pct(t["tech_growth"]) for t in snapshot["trend"]],
             "markLine": {"symbol": "none", "data": [{"yAxis": tech_target}],
                          "label": {"formatter": gettext("技改目标 %(target)s%%") % {"target": tech_target}, "position": "insideEndTop"}}},
            {"name": gettext("工业投资增速（%）"), "type": "line",
             "data": [_pct(t["industrial_growth"]) for t in snapshot["trend"]],
             "markLine": {"symbol": "none", "data": [{"yAxis": ind_target}],
                          "label": {"formatter": gettext("工业目标 %(target)s%%") % {"target": ind_target}, "position": "insideEndTop"}}},
        ],
    }  # fmt: skip
    return {"investment": investment, "projects": projects, "trend": trend}
