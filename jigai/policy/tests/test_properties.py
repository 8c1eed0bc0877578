"""Property tests: caps, monotonicity, non-negativity, batch == one by one, exact decimal strings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jigai.policy import (
    Project,
    ProjectColumns,
    add_months,
    default_parameters,
    evaluate_batch,
    evaluate_equipment_subsidy,
    evaluate_large_investment,
    evaluate_project,
    format_yuan,
    parse_yuan,
    random_columns,
)
from jigai.policy.batch import _too_long, civil
from jigai.policy.money import MAX_YUAN, yuan_to_fen
from jigai.policy.params import OverrideError
from jigai.policy.simulate import simulate

PARAMS = default_parameters()
STACKED = PARAMS.with_overrides(["stacking=higher_only"])
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Amounts clustered on the boundaries (thresholds, caps, half fen) as well as anywhere.
_edges = [300_000_000, 6_666_666_650, 6_666_666_667, 2_000_000_000, 10_000_000_000]
fen = st.one_of(
    st.integers(0, int(MAX_YUAN * 100)),  # up to the platform's one bound (jigai.policy.money)
    st.builds(lambda c, d: max(c + d, 0), st.sampled_from(_edges), st.integers(-200, 200)),
)
yuan = fen.map(lambda f: Decimal(f).scaleb(-2))
dates = st.dates(date(2014, 1, 1), date(2023, 12, 31))


@st.composite
def projects(draw) -> Project:
    start = draw(dates)
    months = draw(st.sampled_from([0, 1, 12, 35, 36, 37]))
    completion = add_months(start, months) + timedelta(days=draw(st.integers(-2, 2)))
    completion = max(completion, start)
    return Project(
        project_id=draw(st.text(min_size=1, max_size=5)),
        registered_in_prefecture=draw(st.booleans()),
        conforms_industrial_policy=draw(st.booleans()),
        plan_year=draw(st.sampled_from([None, 2017, 2018, 2019, 2020, 2021])),
        industry_division=draw(st.sampled_from([None, "06", "12", "13", "27", "43", "44"])),
        key_project=draw(st.booleans()),
        start_date=start,
        completion_date=completion,
        in_production=draw(st.booleans()),
        equipment_investment_yuan=draw(yuan),
        fixed_asset_investment_yuan=draw(yuan),
        verified_equipment_investment_yuan=draw(st.none() | yuan),
        verified_fixed_asset_investment_yuan=draw(st.none() | yuan),
    )


def _row(d) -> dict:
    return {
        "clause": d.clause,
        "decision": d.outcome,
        "amount_fen": d.amount_fen,
        "capped": d.capped,
        "estimate": d.estimate,
        "reason_codes": frozenset(d.reason_codes),
        "year": d.year,
    }


@SETTINGS
@given(projects())
def test_an_amount_never_exceeds_its_cap_and_is_never_negative(p: Project) -> None:
    for d in evaluate_project(p, PARAMS):
        cap = PARAMS.clause(d.clause, d.year).values.get(f"{d.clause}.cap_yuan") if d.year else None
        assert d.amount >= 0
        assert d.prefecture_share + d.county_share == d.amount
        assert d.prefecture_share >= 0 and d.county_share >= 0
        if cap is not None:
            assert d.amount <= cap
        if d.outcome != "eligible":
            assert d.amount == Decimal("0.00")


@SETTINGS
@given(projects(), fen, fen)
def test_an_amount_never_falls_with_more_investment(p: Project, a: int, b: int) -> None:
    lo, hi = sorted((Decimal(a).scaleb(-2), Decimal(b).scaleb(-2)))
    for field, rule in (
        ("equipment_investment_yuan", evaluate_equipment_subsidy),
        ("fixed_asset_investment_yuan", evaluate_large_investment),
    ):
        base = replace(p, verified_equipment_investment_yuan=None, verified_fixed_asset_investment_yuan=None)
        small = rule(replace(base, **{field: lo}), PARAMS)
        large = rule(replace(base, **{field: hi}), PARAMS)
        assert small.amount <= large.amount


@SETTINGS
@given(st.lists(projects(), min_size=1, max_size=40), st.sampled_from([PARAMS, STACKED]))
def test_the_batch_path_equals_the_one_by_one_path(ps: list[Project], params) -> None:
    batch = evaluate_batch(ProjectColumns.from_projects(ps), params)
    for i, p in enumerate(ps):
        for d in evaluate_project(p, params):
            assert batch[d.clause].row(i) == _row(d), p
            assert int(batch[d.clause].prefecture_fen[i]) * 1 == int(d.prefecture_share * 100)


def test_the_batch_path_equals_the_one_by_one_path_on_random_columns() -> None:
    cols = random_columns(3000, seed=7)
    for params in (PARAMS, STACKED):
        batch = evaluate_batch(cols, params)
        total = 0
        for i, p in enumerate(cols.to_projects()):
            for d in evaluate_project(p, params):
                assert batch[d.clause].row(i) == _row(d)
                total += d.amount_fen
        assert batch.total_fen() == total


@SETTINGS
@given(fen)
def test_a_decimal_string_round_trips_exactly(f: int) -> None:
    text = f"{f // 100}.{f % 100:02d}"
    assert format_yuan(parse_yuan(text)) == text
    d = Decimal(f).scaleb(-2)
    assert parse_yuan(format_yuan(d)) == d


@SETTINGS
@given(st.integers(0, 10**10).map(lambda f: Decimal(f).scaleb(-6)))
def test_an_amount_in_wan_yuan_with_six_decimals_is_exact_yuan(wan: Decimal) -> None:
    assert parse_yuan(f"{wan:f}", scale=10000) == (wan * 10000).quantize(Decimal("0.01"))


@SETTINGS
@given(dates, st.integers(0, 120))
def test_adding_months_moves_the_month_exactly_and_never_the_day_forward(start: date, months: int) -> None:
    latest = add_months(start, months)
    assert latest.day <= start.day
    assert (latest.year * 12 + latest.month) - (start.year * 12 + start.month) == months


def test_civil_dates_match_the_standard_library_over_three_centuries() -> None:
    days = (
        np.arange(date(1900, 1, 1).toordinal(), date(2200, 1, 1).toordinal()) - date(1970, 1, 1).toordinal()
    )
    y, m, d = civil(days.astype("datetime64[D]"))
    for k in range(0, len(days), 97):
        expected = date(1970, 1, 1) + timedelta(days=int(days[k]))
        assert (int(y[k]), int(m[k]), int(d[k])) == (expected.year, expected.month, expected.day)


def test_civil_dates_by_lookup_match_the_standard_library() -> None:
    """Many rows over a few years take the lookup path (the span converted once, rows looked up)."""
    rng = np.random.default_rng(7)
    days = (
        rng.integers(date(2016, 1, 1).toordinal(), date(2022, 1, 1).toordinal(), 50_000)
        - date(1970, 1, 1).toordinal()
    )
    y, m, d = civil(days.astype("datetime64[D]"))
    for k in range(0, len(days), 101):
        expected = date(1970, 1, 1) + timedelta(days=int(days[k]))
        assert (int(y[k]), int(m[k]), int(d[k])) == (expected.year, expected.month, expected.day)


def test_the_period_check_clamps_month_ends_like_the_scalar_path() -> None:
    """``_too_long`` decides the same-month rows by their days, clamping a 29th–31st start to the target
    month's end, as ``add_months`` does."""
    starts, completions, expected = [], [], []
    for start in (
        date(2016, 1, 29),
        date(2016, 1, 30),
        date(2016, 1, 31),
        date(2017, 3, 31),
        date(2017, 8, 31),
    ):
        for months in (1, 12, 36):
            target = add_months(start, months)
            for delta in (-2, -1, 0, 1, 2):
                starts.append(start)
                completions.append(target + timedelta(days=delta))
                expected.append(delta > 0)

    def cols(ds):
        return (np.array([x.toordinal() for x in ds]) - date(1970, 1, 1).toordinal()).astype("datetime64[D]")

    for months in (1, 12, 36):
        rows = [i for i in range(len(starts)) if (i // 5) % 3 == (1, 12, 36).index(months)]
        out = _too_long(
            civil(cols([starts[i] for i in rows])),
            civil(cols([completions[i] for i in rows])),
            np.int64(months),
        )
        assert out.tolist() == [expected[i] for i in rows]


# --- issue 13, point 1: exact under any parameter the loader accepts -----------------------------------

_MAX_FEN = int(MAX_YUAN * 100)


def _ratio_text(n: int, k: int) -> str:
    return f"{Decimal(n).scaleb(-k):f}"


# A ratio as the loader reads it: up to 38 decimals (money.read_number takes 40 characters), as a
# fraction or a percentage, with the reported 0.0333333333333 and 0.3333333333333 among the edges.
ratios = st.one_of(
    st.integers(0, 38).flatmap(lambda k: st.integers(0, 10**k).map(lambda n: _ratio_text(n, k))),
    st.sampled_from(["0", "1", "0.03", "0.5", "0.0333333333333", "0.3333333333333", "3.33333333333%"]),
    st.integers(0, 36).flatmap(
        lambda k: st.integers(0, 10 ** (k + 2)).map(lambda n: _ratio_text(n, k) + "%")
    ),
)
yuan_param = st.one_of(
    st.integers(0, _MAX_FEN), st.sampled_from([0, 1, 300_000_000, 200_000_000, 2_000_000_000, _MAX_FEN])
).map(lambda f: f"{Decimal(f).scaleb(-2):f}")


@st.composite
def parameter_overrides(draw) -> list[str]:
    settings_ = []
    for clause in ("3.1.1", "3.2"):
        settings_.append(f"{clause}.rate={draw(ratios)}")
        settings_.append(f"{clause}.cap_yuan={draw(yuan_param)}")
        settings_.append(f"{clause}.threshold_yuan={draw(yuan_param)}")
    settings_.append(f"cost_split.prefecture_share={draw(ratios)}")
    settings_.append(f"3.1.1.max_period_months={draw(st.integers(1, 600))}")
    settings_.append(f"stacking={draw(st.sampled_from(['both', 'higher_only']))}")
    # One year set apart: the batch path then looks parameters up per row instead of using scalars.
    if draw(st.booleans()):
        year = draw(st.sampled_from([2018, 2019, 2020]))
        settings_.append(f"3.1.1.rate@{year}={draw(ratios)}")
        settings_.append(f"3.2.cap_yuan@{year}={draw(yuan_param)}")
        settings_.append(f"3.1.1.max_period_months@{year}={draw(st.integers(1, 600))}")
        settings_.append(f"stacking@{year}={draw(st.sampled_from(['both', 'higher_only']))}")
    return settings_


@SETTINGS
@given(parameter_overrides(), st.lists(projects(), min_size=1, max_size=8))
def test_the_batch_path_equals_the_one_by_one_path_under_any_parameters(
    overrides: list[str], ps: list[Project]
) -> None:
    params = PARAMS.with_overrides(overrides)
    batch = evaluate_batch(ProjectColumns.from_projects(ps), params)
    total = 0
    for i, p in enumerate(ps):
        for d in evaluate_project(p, params):
            assert batch[d.clause].row(i) == _row(d), (overrides, p)
            assert int(batch[d.clause].prefecture_fen[i]) == d.prefecture_share * 100
            assert int(batch[d.clause].county_fen[i]) == d.county_share * 100
            total += d.amount_fen
    assert batch.total_fen() == total


@pytest.mark.parametrize(
    "setting",
    [
        "3.1.1.rate=0.0333333333333",
        "3.1.1.rate=3.33333333333%",
        "cost_split.prefecture_share=0.3333333333333",
    ],
)
def test_a_ratio_with_thirteen_decimals_gives_the_decimal_totals_in_the_batch_path(setting: str) -> None:
    cols = random_columns(2000, seed=13)
    params = PARAMS.with_overrides([setting])
    batch = evaluate_batch(cols, params)
    expected = {"3.1.1": 0, "3.2": 0}
    prefecture = 0
    for i, p in enumerate(cols.to_projects()):
        for d in evaluate_project(p, params):
            assert batch[d.clause].row(i) == _row(d)
            expected[d.clause] += d.amount_fen
            prefecture += yuan_to_fen(d.prefecture_share)
    assert {c: batch[c].total_fen() for c in expected} == expected
    report = simulate(cols, [setting])
    assert Decimal(report["reform"]["total_yuan"]) * 100 == sum(expected.values())
    assert Decimal(report["reform"]["prefecture_yuan"]) * 100 == prefecture


def test_totals_beyond_int64_are_summed_exactly() -> None:
    cols = random_columns(5000, seed=5)
    cols.equipment_fen[:] = _MAX_FEN
    cols.verified_equipment_fen[:] = -1
    settings_ = ["3.1.1.rate=1", f"3.1.1.cap_yuan={MAX_YUAN}", "3.1.1.threshold_yuan=0"]
    params = PARAMS.with_overrides(settings_)
    batch = evaluate_batch(cols, params)
    eligible = int((batch["3.1.1"].outcome == 1).sum())
    assert eligible * _MAX_FEN > 2**63
    assert batch["3.1.1"].total_fen() == eligible * _MAX_FEN
    report = simulate(cols, settings_)
    assert Decimal(report["reform"]["by_clause"]["3.1.1"]["total_yuan"]) * 100 == eligible * _MAX_FEN


def test_a_yuan_parameter_above_the_platform_bound_is_refused_in_chinese() -> None:
    with pytest.raises(OverrideError, match="金额超出上限"):
        PARAMS.with_overrides(["3.1.1.cap_yuan=100000000000000.00"])
