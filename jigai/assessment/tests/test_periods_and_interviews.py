"""Periods and the interviews a round opens (docs/programme.md, reading 12), as tables: pure, no database."""

from decimal import Decimal

import pytest

from jigai.assessment.interviews import DEPUTY, PRINCIPAL, cases_for_round
from jigai.assessment.periods import Period, PeriodError, periods_ending
from jigai.assessment.ranking import RegionFigures, rank_period


@pytest.mark.parametrize(
    ("text", "code", "months", "label"),
    [
        ("2019Q1", "2019Q1", (1, 3), "2019年第一季度"),
        ("2019q2", "2019Q2", (4, 6), "2019年第二季度"),
        (" 2019-Q4 ", "2019Q4", (10, 12), "2019年第四季度"),
        ("2019H1", "2019H1", (1, 6), "2019年上半年"),
        ("2020h2", "2020H2", (7, 12), "2020年下半年"),
    ],
)
def test_a_period_is_read_from_its_code(text, code, months, label):
    p = Period.parse(text)
    assert (str(p), (p.start_month, p.end_month), p.label) == (code, months, label)


@pytest.mark.parametrize("text", ["2019Q5", "2019H3", "2019Q0", "2019", "Q2", "2019M6", "", "19Q2"])
def test_a_bad_period_is_refused_with_a_chinese_message(text):
    with pytest.raises(PeriodError, match=r"考核期间|没有第"):
        Period.parse(text)


@pytest.mark.parametrize(
    ("month", "periods"),
    [(3, ["2019Q1"]), (6, ["2019Q2", "2019H1"]), (9, ["2019Q3"]), (12, ["2019Q4", "2019H2"]), (5, [])],
)
def test_june_and_december_each_close_a_quarter_and_a_half_year(month, periods):
    assert [str(p) for p in periods_ending(2019, month)] == periods


def _figures(
    quarter: dict[str, int], half: dict[str, int] | None = None, *, month: int = 6
) -> list[RegionFigures]:
    """Units whose Q (single basis: the quarter's months) and H/cumulative growth are set apart:
    ``quarter`` drives the months of the quarter, ``half`` the months before it."""
    out = []
    for code in quarter:
        q_growth = Decimal(quarter[code])
        h_growth = Decimal((half or quarter)[code])
        out.append(RegionFigures(code, f"单位{code}", {
            (2018, month): Decimal(100), (2019, month): Decimal(100) * (1 + h_growth / 100),
            (2018, month - 3): Decimal(50), (2019, month - 3): Decimal(50) * (1 + q_growth / 100),
        }))  # fmt: skip
    return out


def _round(period: str, cumulative_growth: dict[str, int], quarter_growth: dict[str, int] | None = None):
    """A round ranked on the cumulative basis: both periods ending in June read ytd June — unless the
    quarter is given its own growth through a second set of figures."""
    p = Period.parse(period)
    figs = _figures(cumulative_growth, month=p.end_month)
    results = [rank_period(figs, q) for q in p.round()]
    if quarter_growth is not None:
        figs_q = _figures(quarter_growth, month=p.end_month)
        results = [rank_period(figs_q if q.is_quarter else figs, q) for q in p.round()]
    return results


NINE = {"A": 40, "B": 35, "C": 30, "D": 25, "E": 20, "F": 15, "G": 10, "H": 5, "I": 1}


@pytest.mark.parametrize(
    ("period", "quarter", "half", "expected"),
    [
        pytest.param(
            "2019Q1",
            None,
            NINE,
            [("H", DEPUTY, False), ("I", DEPUTY, False)],
            id="March: the quarter only, deputy leaders",
        ),
        pytest.param(
            "2019Q3",
            None,
            NINE,
            [("H", DEPUTY, False), ("I", DEPUTY, False)],
            id="September: the quarter only, deputy leaders",
        ),
        pytest.param(
            "2019Q2",
            None,
            NINE,
            [("H", PRINCIPAL, True), ("I", PRINCIPAL, True)],
            id="June: bottom of Q2 and H1 → one interview, principal with deputy attending",
        ),
        pytest.param(
            "2019Q4",
            None,
            NINE,
            [("H", PRINCIPAL, True), ("I", PRINCIPAL, True)],
            id="December: bottom of Q4 and H2 → one interview, principal with deputy attending",
        ),
        pytest.param(
            "2019Q2",
            {**NINE, "I": 50, "G": 2},
            NINE,
            [("I", PRINCIPAL, False), ("G", DEPUTY, False), ("H", PRINCIPAL, True)],
            id="June: bottom of H1 only → principal; of Q2 only → deputy; of both → combined",
        ),
        pytest.param(
            "2019Q4",
            {**NINE, "H": 50, "A": 0},
            NINE,
            [("H", PRINCIPAL, False), ("I", PRINCIPAL, True), ("A", DEPUTY, False)],
            id="December: each level for its own bottom group",
        ),
        pytest.param(
            "2019Q2",
            None,
            {**NINE, "G": 5},
            [("G", PRINCIPAL, True), ("H", PRINCIPAL, True), ("I", PRINCIPAL, True)],
            id="June with a tie at the boundary: three combined interviews",
        ),
    ],
)
def test_a_round_opens_interviews_at_the_level_reading_12_gives(period, quarter, half, expected):
    results = _round(period, half, quarter)
    cases = cases_for_round(results)
    assert sorted((c.region_code, c.level, c.deputy_attends) for c in cases) == sorted(expected)
    for c in cases:
        assert "解读12" in c.explanation


def test_a_combined_case_cites_both_periods_and_both_figures():
    case = next(c for c in cases_for_round(_round("2019Q2", NINE)) if c.region_code == "I")
    assert case.periods == ("2019Q2", "2019H1")
    assert case.level_label == "主要领导（分管领导参加）"
    assert case.as_dict()["figures"]["2019H1"]["rank"] == 9
    assert "合并为一次约谈" in case.explanation


def test_rankings_of_different_period_ends_are_not_one_round():
    figs = _figures(NINE)
    with pytest.raises(ValueError, match="same month"):
        cases_for_round(
            [rank_period(figs, Period.parse("2019Q2")), rank_period(figs, Period.parse("2019Q1"))]
        )


def test_the_interview_levels_are_a_parameter_of_the_round():
    # June: I is in the bottom of Q2 and H1, G in Q2's only. A programme that calls the principal leader
    # for a quarter too holds every interview at that level, with no deputy "attending" beside it.
    results = _round("2019Q2", NINE, {**NINE, "G": 2})
    levels = {"quarter": PRINCIPAL, "half_year": PRINCIPAL}
    cases = {c.region_code: c for c in cases_for_round(results, levels=levels)}
    assert (cases["G"].level, cases["G"].deputy_attends) == (PRINCIPAL, False)
    assert (cases["I"].level, cases["I"].deputy_attends) == (PRINCIPAL, False)
    assert "约谈主要领导" in cases["G"].explanation and "合并" not in cases["I"].explanation
    shipped = {c.region_code: c for c in cases_for_round(results)}
    assert (shipped["G"].level, shipped["I"].level, shipped["I"].deputy_attends) == (DEPUTY, PRINCIPAL, True)
