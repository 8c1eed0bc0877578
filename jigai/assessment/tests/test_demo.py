"""The assessment demo: built on the dispatch demo's statistics, deterministic, every state of an interview."""

import pytest

from jigai.assessment import demo, services
from jigai.assessment.models import InterviewCase, Ranking, UnitLeader
from jigai.core.models import Region
from jigai.dispatch.models import RegionStatistic

from .factories import stats

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_each_quarter_with_statistics_and_runs_its_interviews():
    units = [r.code for r in Region.objects.filter(level="unit")]
    for year in (2018, 2019):
        for month in (3, 6):
            stats(year, month, {c: 1_000_000 * (1 + i / 10) ** (year - 2017) for i, c in enumerate(units)})
    summary = demo.build(seed=2018)
    assert sorted(Ranking.objects.values_list("period", flat=True)) == ["2019H1", "2019Q1", "2019Q2"]
    assert summary["rankings"] == 3 and UnitLeader.objects.filter(year=2020).count() == 9
    cases = InterviewCase.objects.all()
    assert {c.status for c in cases if (c.year, c.end_month) == (2019, 6)} == {"notified"}
    assert {c.status for c in cases if (c.year, c.end_month) == (2019, 3)} <= {
        "held",
        "followed_up",
        "closed",
    }
    assert all(services.ranking_recheck(r) for r in Ranking.objects.all())
    assert RegionStatistic.objects.exists()
