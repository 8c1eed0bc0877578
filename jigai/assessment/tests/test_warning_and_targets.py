"""Early warning (projection from the months reported) and target statuses, as tables: pure."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from jigai.assessment import targets as T
from jigai.assessment.ranking import SINGLE, RegionFigures
from jigai.assessment.warning import early_warning


def _figures(rows: dict[str, dict[tuple[int, int], int]]) -> list[RegionFigures]:
    return [RegionFigures(code, code, {k: Decimal(v) for k, v in ytd.items()}) for code, ytd in rows.items()]


FIGS = _figures({
    # Jan–Apr growth: A +50 %, B +10 %, C −10 %; single April: A 0 %, B +100 %, C +20 %.
    "A": {(2018, 3): 60, (2018, 4): 80, (2019, 3): 100, (2019, 4): 120},
    "B": {(2018, 3): 80, (2018, 4): 100, (2019, 3): 70, (2019, 4): 110},
    "C": {(2018, 3): 50, (2018, 4): 100, (2019, 3): 66, (2019, 4): 90},
})  # fmt: skip


def test_the_warning_starts_from_the_first_month_of_the_quarter_and_covers_the_half_year_too():
    quarter, half = early_warning(FIGS, year=2019, month=4, bottom_count=1)
    assert (str(quarter.period), str(half.period)) == ("2019Q2", "2019H1")
    assert not quarter.final and quarter.months_reported == 1 and half.months_reported == 4
    assert [(r.region_code, r.growth_pct, r.bottom) for r in quarter.result.rows] == [
        ("A", "50.00", False), ("B", "10.00", False), ("C", "-10.00", True),
    ]  # fmt: skip


def test_on_the_single_basis_the_warning_projects_the_quarters_own_months():
    quarter, _half = early_warning(FIGS, year=2019, month=4, basis=SINGLE, bottom_count=1)
    # April alone: A 20 vs 20 = 0 %, B 40 vs 20 = 100 %, C 24 vs 50 = −52 %.
    assert [(r.region_code, r.growth_pct) for r in quarter.result.rows] == [
        ("B", "100.00"),
        ("A", "0.00"),
        ("C", "-52.00"),
    ]


def test_at_the_period_end_the_warning_is_the_ranking():
    quarter, half = early_warning(FIGS, year=2019, month=6)
    assert quarter.final and half.final
    assert all("missing" in r.flags for r in quarter.result.rows)


@pytest.mark.parametrize(
    ("actual", "target", "elapsed", "status"),
    [
        (100, 100, Fraction(1, 2), T.ON_COURSE),  # 以上 includes the target itself
        (50, 100, Fraction(1, 2), T.ON_COURSE),  # on the time line
        (49, 100, Fraction(1, 2), T.AT_RISK),
        (99, 100, Fraction(1), T.MISSED),
        (0, 10, Fraction(0), T.ON_COURSE),
        (Fraction(2, 3), Fraction(1), Fraction(2, 3), T.ON_COURSE),  # coverage on its three-year path
    ],
)
def test_a_count_is_judged_against_the_share_of_the_span_elapsed(actual, target, elapsed, status):
    assert T.count_status(actual, target, elapsed) == status


@pytest.mark.parametrize(
    ("actual", "final", "status"),
    [
        (Fraction(20, 100), False, T.ON_COURSE),
        (Fraction(19, 100), False, T.AT_RISK),
        (Fraction(19, 100), True, T.MISSED),
        (None, True, T.NO_DATA),
    ],
)
def test_a_growth_rate_is_judged_against_its_target(actual, final, status):
    assert T.rate_status(actual, Fraction(20, 100), final=final) == status  # 2.1.a: 技改投资年增长20%以上


@pytest.mark.parametrize(
    ("as_of", "share"),
    [
        (dt.date(2019, 12, 31), Fraction(1)),
        (dt.date(2019, 1, 1), Fraction(1, 365)),
        (dt.date(2020, 5, 1), Fraction(1)),
        (dt.date(2019, 7, 2), Fraction(183, 365)),
        (dt.date(2018, 6, 1), Fraction(0)),
    ],
)
def test_the_share_of_the_year_elapsed_counts_days(as_of, share):
    assert T.year_share(2019, as_of) == share
