"""The bulletin's charts keep their labels apart: the legend under the plot (not over the 万元 axis name)
and the growth target named under the title (not written on the last unit's bar, 州高新区)."""

import pytest

from jigai.dispatch import bulletin
from jigai.dispatch.charts import chart_options
from jigai.dispatch.periods import Month
from jigai.dispatch.tests.helpers import bj

pytestmark = pytest.mark.django_db


def test_legends_sit_below_and_the_target_label_beside_the_plot(users):
    charts = chart_options(bulletin.compute(Month(2019, 1), as_of=bj(2019, 2, 10)))
    for name, chart in charts.items():
        assert "bottom" in chart["legend"] and "top" not in chart["legend"], name
        assert chart["grid"]["bottom"] >= 56, name
    investment = charts["investment"]
    assert investment["series"][2]["markLine"]["label"] == {"show": False}  # not on the last bar
    assert "增长目标" in investment["title"]["subtext"]
    assert charts["trend"]["xAxis"]["data"][0] == "1月"
