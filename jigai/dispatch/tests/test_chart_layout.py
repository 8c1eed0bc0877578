"""The bulletin's charts keep their labels apart: the legend under the plot (not over the 万元 axis name)
and the growth target's label right of the plot (not on the last unit's bar, 州高新区)."""

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
    label = investment["series"][2]["markLine"]["label"]
    assert label["position"] == "end" and investment["grid"]["right"] >= 72
    assert charts["trend"]["xAxis"]["data"][0] == "1月"
