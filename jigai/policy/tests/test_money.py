"""The platform's one money module (jigai.policy.money, re-exported by jigai.core.money): reading, bounds,
conversion and formatting agree on every input the strategies draw (issue 10 point 3, issue 13 point 2)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jigai.policy import projects_from_records
from jigai.policy.money import (
    MAX_WAN,
    MAX_YUAN,
    MoneyError,
    format_wan,
    format_wan_exact,
    parse_decimal,
    parse_yuan,
    wan_to_yuan,
    yuan_to_wan,
)

SETTINGS = settings(max_examples=300, deadline=None)
fen = st.integers(min_value=0, max_value=int(MAX_YUAN * 100))
yuan = fen.map(lambda f: Decimal(f).scaleb(-2))
FULL_WIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")

RECORD = {
    "project_id": "P-1", "registered_in_prefecture": True, "conforms_industrial_policy": True,
    "plan_year": 2019, "industry_division": "13", "key_project": True, "start_date": "2019-01-01",
    "completion_date": "2020-06-30", "in_production": True, "equipment_investment_yuan": "5000000.00",
    "fixed_asset_investment_yuan": "10000000.00",
}  # fmt: skip


@SETTINGS
@given(yuan)
def test_an_amount_written_with_valid_grouping_half_or_full_width_reads_back_exactly(y):
    for text in (f"{y:,f}", f"{y:f}", f"{y:,f}".translate(FULL_WIDTH), f" {y:,f} "):
        assert parse_yuan(text) == y
    wan = yuan_to_wan(y)
    assert parse_yuan(f"{wan:,f}", scale=10000) == y == wan_to_yuan(f"{wan:f}".translate(FULL_WIDTH))
    assert wan_to_yuan(format_wan_exact(y)) == y


@SETTINGS
@given(st.integers(min_value=1000, max_value=10**15), st.data())
def test_a_comma_anywhere_but_between_groups_of_three_is_refused(n, data):
    digits = str(n)
    grouped = f"{n:,}"
    position = data.draw(st.integers(min_value=1, max_value=len(digits) - 1))
    text = digits[:position] + "," + digits[position:]
    if text == grouped:
        assert parse_decimal(text) == n
    else:
        with pytest.raises(MoneyError, match="千位分隔符位置不正确"):
            parse_decimal(text)


@SETTINGS
@given(yuan)
def test_formatting_in_wan_rounds_the_exact_quotient_half_up_once(y):
    fen_ = int(y * 100)
    hundredths, remainder = divmod(fen_, 10000)
    hundredths += remainder >= 5000
    assert format_wan(y, grouping=True) == f"{hundredths // 100:,}.{hundredths % 100:02d}"


@pytest.mark.parametrize("typed", ["3000000,50", "3,0,0,0,0,0,0", "1,2345", "12,34.5"])
def test_the_policy_input_refuses_a_decimal_comma_naming_the_row_and_column(typed):
    _, errors = projects_from_records([{**RECORD, "equipment_investment_yuan": typed}], first_row=2)
    assert [(e.row, e.column) for e in errors] == [(2, "equipment_investment_yuan")]
    assert "千位分隔符位置不正确" in errors[0].message


def test_the_policy_input_reads_valid_grouping_and_full_width_digits():
    for typed in ("3,000,000.50", "３，０００，０００．５０"):
        projects, errors = projects_from_records([{**RECORD, "equipment_investment_yuan": typed}])
        assert errors == [] and projects[0].equipment_investment_yuan == Decimal("3000000.50")


def test_the_one_bound_is_accepted_and_a_fen_more_is_refused_on_every_reading():
    assert parse_yuan(MAX_YUAN) == MAX_YUAN == wan_to_yuan(MAX_WAN)
    for value, scale in ((MAX_YUAN + Decimal("0.01"), 1), (MAX_WAN + Decimal("0.000001"), 10000)):
        with pytest.raises(MoneyError, match=re.escape("超出上限（最多 99,999,999,999,999.99 元）")):
            parse_yuan(value, scale=scale)
