"""Targets 2.1.a–c and 2.2.a–b from the database, against the share of the year elapsed."""

import datetime as dt

import pytest

from conftest import EnterpriseFactory, ProjectFactory
from jigai.assessment import selectors, services
from jigai.registry.models import EnterpriseScaleYear

from .factories import june_2019, stats

pytestmark = pytest.mark.django_db


def _line(report, clause, scope="全州", label_part=""):
    lines = [d for t in report.lines for d in (t, *t.details)]
    return next(t for t in lines if t.clause == clause and t.scope == scope and label_part in t.label)


@pytest.fixture
def library(region):
    building = dict(status="construction", actual_start_date=dt.date(2019, 3, 1))
    covered = EnterpriseFactory(region=region, name="已技改企业")
    uncovered = EnterpriseFactory(region=region, name="未技改企业")
    for e in (covered, uncovered):
        EnterpriseScaleYear.objects.create(enterprise=e, year=2019, above_scale=True)
    ProjectFactory(enterprise=covered, is_demonstration=True, **building)
    ProjectFactory(enterprise__region=region, **building)
    ProjectFactory(enterprise__region=region, status="completed", actual_start_date=dt.date(2018, 1, 1),
                   actual_completion_date=dt.date(2019, 2, 1))  # continuing into 2019: counts  # fmt: skip
    ProjectFactory(enterprise__region=region, status="completed", actual_start_date=dt.date(2017, 1, 1),
                   actual_completion_date=dt.date(2018, 6, 1))  # finished in 2018: not in 2019  # fmt: skip
    ProjectFactory(enterprise__region=region, status="reserve")
    ProjectFactory(enterprise__region=region, status="terminated", actual_start_date=dt.date(2019, 1, 1))


def test_projects_implemented_count_per_reading_8_against_quota_and_time(library):
    report = selectors.targets_report(2019, as_of=dt.date(2019, 7, 1))
    unit = _line(report, "2.1.b").details[0]
    assert (unit.scope, unit.actual, unit.target, unit.status) == ("恩施市", "3", "15", "at_risk")
    assert unit.note == "其中新开工 2 个"
    assert _line(report, "2.1.b").actual == "3"
    final = selectors.targets_report(2019, as_of=dt.date(2020, 1, 15))
    assert _line(final, "2.1.b").status == "missed"


def test_coverage_lists_the_above_scale_enterprises_not_yet_covered(library):
    report = selectors.targets_report(2019, as_of=dt.date(2019, 7, 1))
    line = _line(report, "2.1.c")
    assert line.actual == "50.0%" and "未覆盖 1 户" in line.note
    assert [e["name"] for e in report.uncovered] == ["未技改企业"]


def test_growth_targets_use_the_official_statistics(library):
    june_2019()
    report = selectors.targets_report(2019, as_of=dt.date(2019, 7, 1))
    tech = _line(report, "2.1.a", label_part="技改")
    industrial = _line(report, "2.1.a", label_part="工业")
    # Nine units of 10,000,000 grown 40, 35, 30, 25, 20, 15, 12, 5, −3 %: 179 / 9 = 19.89 %.
    assert (tech.actual, tech.status) == ("19.89%", "at_risk")
    assert (industrial.actual, industrial.status) == ("19.89%", "on_course")
    assert report.stats_month == 6
    assert [d.actual for d in tech.details][:2] == ["40.00%", "35.00%"]


def test_champions_are_recorded_by_the_office_and_demonstrations_counted(library, users):
    report = selectors.targets_report(2019, as_of=dt.date(2019, 7, 1))
    assert _line(report, "2.2.a").status == "no_data"
    assert _line(report, "2.2.b").actual == "1"
    services.target_figure_set(user=users["office"], year=2019, clause="2.2.a", value=12, note="省级认定")
    report = selectors.targets_report(2019, as_of=dt.date(2019, 7, 1))
    assert (_line(report, "2.2.a").actual, _line(report, "2.2.a").status) == ("12", "on_course")


def test_a_past_date_shows_the_targets_as_they_stood_then(library, region):
    june_2019()
    stats(2018, 9, {"422801": 1})
    stats(2019, 9, {"422801": 2})
    ProjectFactory(enterprise__region=region, status="construction", actual_start_date=dt.date(2019, 8, 1))
    mid = selectors.targets_report(2019, as_of=dt.date(2019, 7, 1))
    assert mid.stats_month == 6 and _line(mid, "2.1.b").actual == "3"
    assert _line(mid, "2.1.a", scope="恩施市", label_part="技改").note == "1—6月累计同比"
    later = selectors.targets_report(2019, as_of=dt.date(2020, 1, 10))
    assert _line(later, "2.1.b").actual == "4"
    assert _line(later, "2.1.a", scope="恩施市", label_part="技改").note == "1—9月累计同比"


def _programme_years(tech_growth_pct: dict[int, int]) -> None:
    """Every unit's December tech investment: 2017 at 10,000,000 yuan, then each year grown by its own
    percentage on the previous year (industrial is three times tech, so it grows alike)."""
    from decimal import Decimal

    from .factories import UNITS

    amount = Decimal(10_000_000)
    stats(2017, 12, dict.fromkeys(UNITS, amount))
    for year, pct in sorted(tech_growth_pct.items()):
        amount = amount * (100 + pct) / 100
        stats(year, 12, dict.fromkeys(UNITS, amount))


def test_a_year_short_of_its_own_growth_target_is_missed_even_when_the_compound_average_is_met():
    # 2.1.a 年增长 (issue 13, point 9): +50 %, +10 %, +20 %: three-year average above 20 % (1.98 ≥ 1.2³)
    # and each year end above 2017 × 1.2ⁿ, but 2019 grew 10 % on 2018.
    _programme_years({2018: 50, 2019: 10, 2020: 20})
    report = selectors.targets_report(2020, as_of=dt.date(2021, 1, 15))
    tech = {t.scope: t for t in report.programme if t.label.startswith("技改")}
    industrial = {t.scope: t for t in report.programme if t.label.startswith("工业")}
    assert [(t.actual, t.target, t.status) for t in tech.values()] == [
        ("50.00%", "20%以上", "done"),
        ("10.00%", "20%以上", "missed"),
        ("20.00%", "20%以上", "done"),
    ]
    assert [t.status for t in industrial.values()] == ["done", "missed", "done"]
    assert "2019年全年" in tech["2019年"].note and "比2018年全年" in tech["2019年"].note
    assert not any("年均" in t.label for t in report.programme)


def test_a_programme_year_shows_no_figure_until_its_december_statistics_count():
    # A month's statistics count once the month has ended, so a year's growth is final when it shows.
    _programme_years({2018: 25, 2019: 10})
    running = selectors.targets_report(2019, as_of=dt.date(2019, 12, 31))
    tech = {t.scope: t for t in running.programme if t.label.startswith("技改")}
    assert (tech["2018年"].actual, tech["2018年"].status) == ("25.00%", "done")
    assert tech["2019年"].status == "no_data" and "2019年全年统计数据未齐" in tech["2019年"].note
    ended = selectors.targets_report(2019, as_of=dt.date(2020, 1, 15))
    tech = {t.scope: t for t in ended.programme if t.label.startswith("技改")}
    assert (tech["2019年"].actual, tech["2019年"].status) == ("10.00%", "missed")
    assert tech["2020年"].status == "no_data" and "缺少2019年" not in tech["2020年"].note


def test_champions_are_counted_from_approved_awards_once_there_are_any(library, users):
    """2.2.a: approved 3.1.2 awards (funds items approved or later) count, one per enterprise; the
    hand-typed figure stays only for a year without award data, labelled as history."""
    from decimal import Decimal

    from jigai.core.errors import ConflictError
    from jigai.funds import services as funds_services
    from jigai.funds.tests.helpers import AT, allocate

    services.target_figure_set(user=users["office"], year=2019, clause="2.2.a", value=12, note="省级认定")
    line = _line(selectors.targets_report(2019, as_of=dt.date(2020, 7, 1)), "2.2.a")
    assert line.actual == "12" and line.note.startswith("历史数据")
    allocate(users["finance"], 2019, "10000000")
    ents = [EnterpriseFactory(name=f"冠军企业{i}") for i in range(3)]
    for region in {e.region for e in ents}:
        allocate(users["finance"], 2019, "10000000", region=region)
    items = [
        funds_services.item_propose(
            user=users["office"],
            source=f"champion:{i}",
            clause="3.1.2",
            year=2019,
            enterprise=e,
            region=e.region,
            entitled_yuan=Decimal("100000.00"),
            prefecture_share_yuan=Decimal("50000.00"),
            county_share_yuan=Decimal("50000.00"),
            decision={},
            explanation="",
            at=AT,
        )
        for i, e in enumerate(ents)
    ]
    funds_services.batch_prepare(user=users["office"], title="奖励", items=items, at=AT)
    funds_services.item_approve(user=users["finance"], item=items[0], at=AT)
    funds_services.item_approve(user=users["finance"], item=items[1], at=AT)
    funds_services.item_reject(user=users["finance"], item=items[2], reason="证书不实", at=AT)
    line = _line(selectors.targets_report(2019, as_of=dt.date(2020, 7, 1)), "2.2.a")
    assert line.actual == "2" and "冠军企业0" in line.note and "冠军企业2" not in line.note
    assert "第3.1.2条" in line.note
    # As of a day before the approvals, none had been approved yet.
    assert _line(selectors.targets_report(2019, as_of=dt.date(2020, 3, 1)), "2.2.a").actual == "0"
    with pytest.raises(ConflictError, match="自动统计"):
        services.target_figure_set(user=users["office"], year=2019, clause="2.2.a", value=5)
