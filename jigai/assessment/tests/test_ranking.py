"""The 4.3 ranking as tables (docs/programme.md, readings 10 and 11): pure, no database."""

from decimal import Decimal
from fractions import Fraction

import pytest

from jigai.assessment.periods import Period
from jigai.assessment.ranking import (
    CUMULATIVE,
    SINGLE,
    RegionFigures,
    Window,
    pct_text,
    rank_period,
    rank_window,
)

CODES = ["A", "B", "C", "D", "E", "F", "G", "H", "I"]


def units(current: list, base: list | int = 100, *, year: int = 2019, month: int = 6) -> list[RegionFigures]:
    """Nine units A–I with January-to-``month`` figures; None = not reported that year."""
    bases = base if isinstance(base, list) else [base] * len(current)
    out = []
    for code, now, then in zip(CODES, current, bases, strict=False):
        ytd = {}
        if now is not None:
            ytd[(year, month)] = Decimal(str(now))
        if then is not None:
            ytd[(year - 1, month)] = Decimal(str(then))
        out.append(RegionFigures(code, f"单位{code}", ytd))
    return out


def table(result) -> list[tuple]:
    return [(r.region_code, r.rank, r.bottom) for r in result.rows]


Q2 = Period.parse("2019Q2")


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        pytest.param(
            [190, 180, 170, 160, 150, 140, 130, 120, 110],
            [
                ("A", 1, False),
                ("B", 2, False),
                ("C", 3, False),
                ("D", 4, False),
                ("E", 5, False),
                ("F", 6, False),
                ("G", 7, False),
                ("H", 8, True),
                ("I", 9, True),
            ],
            id="no tie: exactly the last two",
        ),
        pytest.param(
            [190, 180, 170, 160, 150, 140, 130, 110, 110],
            [
                ("A", 1, False),
                ("B", 2, False),
                ("C", 3, False),
                ("D", 4, False),
                ("E", 5, False),
                ("F", 6, False),
                ("G", 7, False),
                ("H", 8, True),
                ("I", 8, True),
            ],
            id="8th and 9th tie: both share rank 8, still two",
        ),
        pytest.param(
            [190, 180, 170, 160, 150, 140, 120, 120, 110],
            [
                ("A", 1, False),
                ("B", 2, False),
                ("C", 3, False),
                ("D", 4, False),
                ("E", 5, False),
                ("F", 6, False),
                ("G", 7, True),
                ("H", 7, True),
                ("I", 9, True),
            ],
            id="7th and 8th tie at the boundary: the bottom group grows to three",
        ),
        pytest.param(
            [190, 180, 170, 160, 150, 140, 110, 110, 110],
            [
                ("A", 1, False),
                ("B", 2, False),
                ("C", 3, False),
                ("D", 4, False),
                ("E", 5, False),
                ("F", 6, False),
                ("G", 7, True),
                ("H", 7, True),
                ("I", 7, True),
            ],
            id="three-way tie at the bottom: all three",
        ),
        pytest.param(
            [190, 180, 170, 160, 140, 140, 130, 120, 110],
            [
                ("A", 1, False),
                ("B", 2, False),
                ("C", 3, False),
                ("D", 4, False),
                ("E", 5, False),
                ("F", 5, False),
                ("G", 7, False),
                ("H", 8, True),
                ("I", 9, True),
            ],
            id="a tie above the boundary skips the next rank and changes nothing below",
        ),
        pytest.param(
            [150, 150, 170, 160, 140, 130, 125, 120, 110],
            [
                ("C", 1, False),
                ("D", 2, False),
                ("A", 3, False),
                ("B", 3, False),
                ("E", 5, False),
                ("F", 6, False),
                ("G", 7, False),
                ("H", 8, True),
                ("I", 9, True),
            ],
            id="competition ranks 1, 2, 3, 3, 5",
        ),
    ],
)
def test_ties_share_a_rank_and_a_tie_at_the_boundary_puts_every_tied_unit_in_the_bottom(current, expected):
    assert table(rank_period(units(current), Q2)) == expected


@pytest.mark.parametrize(
    ("current", "base", "expected", "flags"),
    [
        pytest.param(
            [190, 180, 170, 160, 150, 140, 130, 120, None],
            100,
            [
                ("A", 1, False),
                ("B", 2, False),
                ("C", 3, False),
                ("D", 4, False),
                ("E", 5, False),
                ("F", 6, False),
                ("G", 7, False),
                ("H", 8, True),
                ("I", 9, True),
            ],
            {"I": ["missing"]},
            id="a unit that has not reported this year ranks last, flagged",
        ),
        pytest.param(
            [100, 180, 170, 160, 150, 140, 130, 120, 110],
            [None, 100, 100, 100, 100, 100, 100, 100, 100],
            [
                ("B", 1, False),
                ("C", 2, False),
                ("D", 3, False),
                ("E", 4, False),
                ("F", 5, False),
                ("G", 6, False),
                ("H", 7, False),
                ("I", 8, True),
                ("A", 9, True),
            ],
            {"A": ["missing"]},
            id="no base-year figure is not reported too, even with a figure now",
        ),
        pytest.param(
            [190, 180, 170, 160, 150, 140, 130, None, None],
            100,
            [
                ("A", 1, False),
                ("B", 2, False),
                ("C", 3, False),
                ("D", 4, False),
                ("E", 5, False),
                ("F", 6, False),
                ("G", 7, False),
                ("H", 8, True),
                ("I", 8, True),
            ],
            {"H": ["missing"], "I": ["missing"]},
            id="two units missing share the last rank",
        ),
        pytest.param(
            [190, 180, 170, 160, 150, 140, 130, 120, None],
            [100, 100, 100, 100, 100, 100, 100, 100, None],
            [
                ("A", 1, False),
                ("B", 2, False),
                ("C", 3, False),
                ("D", 4, False),
                ("E", 5, False),
                ("F", 6, False),
                ("G", 7, False),
                ("H", 8, True),
                ("I", 9, True),
            ],
            {"I": ["missing"]},
            id="a unit absent from the statistics altogether",
        ),
        pytest.param(
            [190, 180, 170, 160, 150, 140, 130, 120, 5],
            [100, 100, 100, 100, 100, 100, 100, 100, 0],
            [
                ("I", 1, False),
                ("A", 2, False),
                ("B", 3, False),
                ("C", 4, False),
                ("D", 5, False),
                ("E", 6, False),
                ("F", 7, False),
                ("G", 8, True),
                ("H", 9, True),
            ],
            {"I": ["zero_base"]},
            id="zero base with investment now ranks above every unit with a rate",
        ),
        pytest.param(
            [190, 180, 170, 160, 150, 140, 130, 120, 0],
            [100, 100, 100, 100, 100, 100, 100, 100, 0],
            [
                ("A", 1, False),
                ("B", 2, False),
                ("C", 3, False),
                ("D", 4, False),
                ("E", 5, False),
                ("F", 6, False),
                ("G", 7, False),
                ("H", 8, True),
                ("I", 9, True),
            ],
            {"I": ["zero_base", "no_investment"]},
            id="zero base and still no investment ranks last",
        ),
        pytest.param(
            [190, 180, 170, 160, 150, 140, 130, 0, None],
            [100, 100, 100, 100, 100, 100, 100, 0, 100],
            [
                ("A", 1, False),
                ("B", 2, False),
                ("C", 3, False),
                ("D", 4, False),
                ("E", 5, False),
                ("F", 6, False),
                ("G", 7, False),
                ("H", 8, True),
                ("I", 8, True),
            ],
            {"H": ["zero_base", "no_investment"], "I": ["missing"]},
            id="zero base without investment and a missing unit share the last rank",
        ),
        pytest.param(
            [9, 7, 170, 160, 150, 140, 130, 120, 110],
            [0, 0, 100, 100, 100, 100, 100, 100, 100],
            [
                ("A", 1, False),
                ("B", 1, False),
                ("C", 3, False),
                ("D", 4, False),
                ("E", 5, False),
                ("F", 6, False),
                ("G", 7, False),
                ("H", 8, True),
                ("I", 9, True),
            ],
            {"A": ["zero_base"], "B": ["zero_base"]},
            id="two units rising from zero share the top rank",
        ),
        pytest.param(
            [190, 180, 170, 160, 150, 140, 130, 100, 40],
            100,
            [
                ("A", 1, False),
                ("B", 2, False),
                ("C", 3, False),
                ("D", 4, False),
                ("E", 5, False),
                ("F", 6, False),
                ("G", 7, False),
                ("H", 8, True),
                ("I", 9, True),
            ],
            {},
            id="zero and negative growth are ordinary rates",
        ),
    ],
)
def test_missing_units_and_zero_bases_follow_reading_11(current, base, expected, flags):
    result = rank_period(units(current, base), Q2)
    assert table(result) == expected
    assert {r.region_code: list(r.flags) for r in result.rows if r.flags} == flags


def test_a_zero_base_row_has_no_growth_and_says_which_reading_applied():
    result = rank_period(units([190, 180, 170, 160, 150, 140, 130, 120, 5], [100] * 8 + [0]), Q2)
    row = result.row("I")
    assert row.growth is None and row.growth_pct is None
    assert row.as_dict()["base_yuan"] == "0.00" and row.as_dict()["current_yuan"] == "5.00"
    assert "解读11" in row.explanation and "11" in row.readings


@pytest.mark.parametrize(
    ("basis", "expected_bottom"),
    [
        # Cumulative (Jan–Jun): D 200 vs 100 = 100 %, A 120 = 20 %, B 115 = 15 %, C 105 = 5 %.
        (CUMULATIVE, ["B", "C"]),
        # Single (Apr–Jun against 100 − 50 = 50): D 150 → 200 %, B 60 → 20 %, C 55 → 10 %, A 40 → −20 %.
        (SINGLE, ["C", "A"]),
    ],
)
def test_the_single_period_basis_ranks_the_quarter_alone(basis, expected_bottom):
    figures = []
    for code, mar, jun in (("A", 80, 120), ("B", 55, 115), ("C", 50, 105), ("D", 50, 200)):
        figures.append(RegionFigures(code, code, {
            (2018, 3): Decimal(50), (2018, 6): Decimal(100), (2019, 3): Decimal(mar), (2019, 6): Decimal(jun),
        }))  # fmt: skip
    result = rank_period(figures, Q2, basis=basis, bottom_count=2)
    assert [r.region_code for r in result.rows if r.bottom] == expected_bottom
    if basis == SINGLE:
        a = result.row("A")
        assert (a.current_yuan, a.base_yuan, a.growth_pct) == (Decimal(40), Decimal(50), "-20.00")
        assert [(r.region_code, r.rank, r.growth_pct) for r in result.rows] == [
            ("D", 1, "200.00"), ("B", 2, "20.00"), ("C", 3, "10.00"), ("A", 4, "-20.00"),
        ]  # fmt: skip


@pytest.mark.parametrize(
    ("period", "basis", "window"),
    [
        ("2019Q1", CUMULATIVE, (3, 0)),
        ("2019Q1", SINGLE, (3, 0)),  # Q1 single is the same as cumulative
        ("2019Q2", SINGLE, (6, 3)),
        ("2019Q3", SINGLE, (9, 6)),
        ("2019Q4", CUMULATIVE, (12, 0)),
        ("2019Q4", SINGLE, (12, 9)),
        ("2019H1", SINGLE, (6, 0)),  # H1 single is the same as cumulative
        ("2019H2", CUMULATIVE, (12, 0)),
        ("2019H2", SINGLE, (12, 6)),  # ytd Dec − ytd Jun
    ],
)
def test_each_period_and_basis_reads_the_right_months(period, basis, window):
    result = rank_period([], Period.parse(period), basis=basis)
    assert (result.window.end_month, result.window.after_month) == window


def test_the_single_basis_needs_the_month_before_the_period_too():
    figures = [
        RegionFigures("A", "A", {(2018, 12): Decimal(200), (2018, 6): Decimal(100), (2019, 12): Decimal(300)})
    ]
    row = rank_period(figures, Period.parse("2019H2"), basis=SINGLE).row("A")
    assert row.flags == ("missing",) and row.missing_months == ("2019年6月",)


def test_growth_is_compared_exactly_not_as_displayed():
    # A: 11.234 % and B: 11.2349 % both show "11.23" but B ranks above A; C equals A exactly (other amounts).
    figures = [
        RegionFigures("A", "A", {(2018, 6): Decimal("100000"), (2019, 6): Decimal("111234")}),
        RegionFigures("B", "B", {(2018, 6): Decimal("100000"), (2019, 6): Decimal("111234.9")}),
        RegionFigures("C", "C", {(2018, 6): Decimal("200000"), (2019, 6): Decimal("222468")}),
    ]
    result = rank_period(figures, Q2, bottom_count=1)
    assert [(r.region_code, r.growth_pct, r.rank, r.bottom) for r in result.rows] == [
        ("B", "11.23", 1, False), ("A", "11.23", 2, True), ("C", "11.23", 2, True),
    ]  # fmt: skip
    assert "精确值" in result.row("A").explanation
    assert result.row("A").growth == Fraction(11234, 100000)


@pytest.mark.parametrize(
    ("ratio", "text"),
    [
        (Fraction(12345, 100000), "12.35"),  # half up
        (Fraction(-12345, 100000), "-12.35"),  # away from zero
        (Fraction(12344, 100000), "12.34"),
        (Fraction(1, 3), "33.33"),
        (Fraction(-1, 100000), "0.00"),  # no "-0.00"
        (Fraction(0), "0.00"),
        (Fraction(-1), "-100.00"),
        (None, None),
    ],
)
def test_growth_is_shown_as_percent_with_two_decimals_rounded_half_up(ratio, text):
    assert pct_text(ratio) == text


def test_each_row_carries_the_public_fields():
    row = rank_period(units([190, 180, 170, 160, 150, 140, 130, 120, 110]), Q2).rows[0]
    assert row.as_dict() == {
        "region_code": "A", "name": "单位A", "current_yuan": "190.00", "base_yuan": "100.00", "growth_pct": "90.00",
        "rank": 1, "bottom": False, "flags": [],
    }  # fmt: skip
    assert "解读10" in row.explanation


def test_a_large_gap_to_the_project_library_is_flagged_but_never_moves_a_rank():
    figures = units([190, 180, 170, 160, 150, 140, 130, 120, 110])
    plain = rank_period(figures, Q2)
    flagged = rank_period(
        figures, Q2, library={"A": Decimal(100), "B": Decimal(170)}, library_gap=Fraction(3, 10)
    )
    assert table(plain) == table(flagged)
    assert "library_gap" in flagged.row("A").flags and "library_gap" not in flagged.row("B").flags


def test_an_early_warning_window_ranks_the_months_reported_so_far():
    figures = units([190, 180, 170, 160, 150, 140, 130, 120, 110], month=4)
    result = rank_window(figures, Window(2019, 4), period=Q2)
    assert result.window.label == "1—4月" and [r.region_code for r in result.bottom] == ["H", "I"]


def test_without_a_gap_given_the_ranking_flags_by_the_shipped_4_3_library_gap_share_of_one_half():
    # A: library 100 against 190 official (47 % apart) — flagged at 3/10, not at the shipped 1/2, which is
    # the one the monthly bulletin flags with (jigai/policy/parameters/4.3/library_gap_share.yaml).
    figures = units([190, 180, 170, 160, 150, 140, 130, 120, 110])
    result = rank_period(figures, Q2, library={"A": Decimal(100), "B": Decimal(80)})
    assert "library_gap" not in result.row("A").flags and "library_gap" in result.row("B").flags
    assert result.parameters["library_gap_share"] == "1/2"
    assert (result.basis, result.bottom_count) == ("cumulative", 2)
