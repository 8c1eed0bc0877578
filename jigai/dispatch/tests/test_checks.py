"""The pure calculations: months and deadlines, the flags on a project's series, growth and rank."""

import datetime as dt
from decimal import Decimal

import pytest

from jigai.dispatch import checks
from jigai.dispatch.bulletin import time_share
from jigai.dispatch.periods import BEIJING, Month
from jigai.dispatch.selectors import competition_ranks, growth, growth_rank_key

W = Decimal(10000)


@pytest.mark.parametrize(
    ("month", "day", "deadline_date", "last_on_time"),
    [
        (Month(2019, 6), 5, dt.date(2019, 7, 5), dt.datetime(2019, 7, 5, 23, 59, 59, tzinfo=BEIJING)),
        (Month(2019, 12), 5, dt.date(2020, 1, 5), dt.datetime(2020, 1, 5, 23, 59, 59, tzinfo=BEIJING)),
        (Month(2020, 1), 10, dt.date(2020, 2, 10), dt.datetime(2020, 2, 10, 23, 0, tzinfo=BEIJING)),
    ],
)
def test_a_months_report_is_due_by_the_end_of_the_deadline_day_of_the_next_month(month, day, deadline_date,
                                                                               last_on_time):  # fmt: skip
    assert month.deadline_date(day) == deadline_date
    assert last_on_time < month.deadline(day)
    assert last_on_time + dt.timedelta(hours=1) >= month.deadline(day)


def test_months_shift_across_years_and_know_their_last_day():
    assert Month(2019, 12).next == Month(2020, 1)
    assert Month(2020, 1).previous == Month(2019, 12)
    assert Month(2020, 2).last_day == dt.date(2020, 2, 29)
    assert Month.of(dt.datetime(2019, 6, 30, 17, 0, tzinfo=dt.UTC)) == Month(2019, 7)  # Beijing time
    with pytest.raises(ValueError):
        Month(2019, 13)


def pts(*rows):
    return [checks.Point(y, m, Decimal(a) * W, Decimal(c) * W) for y, m, a, c in rows]


SERIES = [
    # (series of (year, month, month wan, cumulative wan), planned total wan, expected codes by month)
    ("a clean series has no flags", pts((2019, 1, 100, 100), (2019, 2, 120, 220), (2019, 3, 80, 300)), 5000,
     {}),
    ("a cumulative figure below last month's falls", pts((2019, 1, 100, 500), (2019, 2, 50, 450)), 5000,
     {(2019, 2): ["cumulative_falling"]}),
    ("last month plus this month must give the cumulative", pts((2019, 1, 100, 500), (2019, 2, 50, 560)), 5000,
     {(2019, 2): ["cumulative_inconsistent"]}),
    ("a gap month is not checked for consistency", pts((2019, 1, 100, 500), (2019, 3, 50, 620)), 5000, {}),
    ("a cumulative above the planned total is flagged", pts((2019, 1, 100, 4900), (2019, 2, 200, 5100)), 5000,
     {(2019, 2): ["above_planned_total"]}),
    ("exactly the planned total is not above it", pts((2019, 1, 100, 4900), (2019, 2, 100, 5000)), 5000, {}),
    ("a month more than 3 times the median of the others is out of line",
     pts((2019, 1, 100, 100), (2019, 2, 100, 200), (2019, 3, 120, 320), (2019, 4, 400, 720)), 5000,
     {(2019, 4): ["month_outlier"]}),
    ("exactly 3 times the median is not out of line",
     pts((2019, 1, 100, 100), (2019, 2, 100, 200), (2019, 3, 100, 300), (2019, 4, 300, 600)), 5000, {}),
    ("with fewer than 3 other months nothing is out of line",
     pts((2019, 1, 100, 100), (2019, 2, 100, 200), (2019, 3, 900, 1100)), 5000, {}),
    ("an early month is judged against later ones too",
     pts((2019, 1, 900, 900), (2019, 2, 100, 1000), (2019, 3, 100, 1100), (2019, 4, 100, 1200)), 5000,
     {(2019, 1): ["month_outlier"]}),
]  # fmt: skip


@pytest.mark.parametrize(("case", "points", "total", "expected"), SERIES, ids=[s[0] for s in SERIES])
def test_series_flags(case, points, total, expected):
    flags = checks.series_flags(points, planned_total_yuan=Decimal(total) * W, outlier_factor=Decimal(3),
                                outlier_min_months=3)  # fmt: skip
    got = {k: [f["code"] for f in v] for k, v in flags.items() if v}
    assert got == expected
    for v in flags.values():
        for f in v:
            assert f["message"] and f["label"] == checks.FLAG_LABELS[f["code"]]


@pytest.mark.parametrize(
    ("official", "library", "codes"),
    [
        (None, 100, ["statistic_missing"]),
        (1000, 600, []),  # 40 % below: within a 50 % threshold
        (1000, 500, []),  # exactly 50 %: not more than the threshold
        (1000, 490, ["library_gap"]),
        (1000, 1600, ["library_gap"]),
        (0, 0, []),
        (0, 10, ["library_gap"]),
    ],
)
def test_a_units_library_sum_far_from_its_official_figure_is_flagged(official, library, codes):
    flags = checks.unit_flags(
        official_yuan=None if official is None else Decimal(official) * W, library_yuan=Decimal(library) * W,
        gap=Decimal("0.5"),
    )  # fmt: skip
    assert [f["code"] for f in flags] == codes


def test_the_library_gap_flag_states_its_threshold_as_a_plain_percentage():
    flags = checks.unit_flags(
        official_yuan=Decimal(1000) * W, library_yuan=Decimal(400) * W, gap=Decimal("0.5")
    )
    assert flags[0]["message"].endswith("相差 60.0%（阈值 50%）")


@pytest.mark.parametrize(
    ("month", "cumulative", "pct", "fields"),
    [
        ("100", "500", 30, set()),
        ("-1", "500", 30, {"month_investment_yuan"}),
        ("100", "-5", 30, {"cumulative_investment_yuan"}),
        ("600", "500", 30, {"cumulative_investment_yuan"}),  # this month is part of the cumulative
        ("100", "500", 101, {"progress_pct"}),
        ("100.001", "500", 30, {"month_investment_yuan"}),  # finer than a fen
    ],
)
def test_only_impossible_values_block_a_report(month, cumulative, pct, fields):
    errors = checks.impossible(
        month_yuan=Decimal(month), cumulative_yuan=Decimal(cumulative), progress_pct=pct
    )
    assert set(errors) == fields


@pytest.mark.parametrize(
    ("current", "base", "expected"),
    [("120", "100", Decimal("0.2")), ("90", "100", Decimal("-0.1")), ("5", "0", None), (None, "100", None),
     ("100", None, None)],
)  # fmt: skip
def test_year_on_year_growth_is_undefined_on_a_zero_or_missing_base(current, base, expected):
    cur = None if current is None else Decimal(current)
    b = None if base is None else Decimal(base)
    assert growth(cur, b) == expected


def test_ranking_is_competition_ranking_with_reading_11_for_zero_bases_and_missing_figures():
    data = {
        "A": (Decimal(120), Decimal(100)),  # +20 %
        "B": (Decimal(125), Decimal(100)),  # +25 %
        "C": (Decimal(60), Decimal(50)),  # +20 %: tied with A
        "D": (Decimal(10), Decimal(0)),  # zero base, investment now: above every rate
        "E": (Decimal(0), Decimal(0)),  # zero base, none now: last
        "F": (None, Decimal(100)),  # not reported: last
        "G": (Decimal(50), Decimal(100)),  # -50 %
    }
    ranks = competition_ranks({k: growth_rank_key(*v) for k, v in data.items()})
    assert ranks == {"D": 1, "B": 2, "A": 3, "C": 3, "G": 5, "E": 6, "F": 6}


@pytest.mark.parametrize(
    ("start", "end", "at", "share"),
    [
        (dt.date(2019, 1, 1), dt.date(2019, 12, 31), dt.date(2019, 6, 30), Decimal(180) / Decimal(364)),
        (dt.date(2019, 1, 1), dt.date(2019, 12, 31), dt.date(2018, 12, 31), Decimal(0)),
        (dt.date(2019, 1, 1), dt.date(2019, 6, 30), dt.date(2019, 12, 31), Decimal(1)),
        (dt.date(2019, 1, 1), None, dt.date(2019, 6, 30), None),
    ],
)
def test_the_time_elapsed_share_of_the_planned_period(start, end, at, share):
    assert time_share(start=start, end=end, at=at) == share
