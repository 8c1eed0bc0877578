import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jigai.documents.formatting import (
    format_date_cn,
    format_decimal,
    format_pct,
    format_wan,
    text_width,
    wan_to_yuan,
    yuan_to_wan,
)

yuan_amounts = st.decimals(
    min_value=Decimal("-99999999999.99"),
    max_value=Decimal("99999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@pytest.mark.parametrize(
    ("yuan", "expected"),
    [
        (Decimal("1234567.89"), "123.46"),
        (Decimal("12345678.90"), "1234.57"),
        (Decimal("50"), "0.01"),  # 0.005 万元 rounds half up
        (Decimal("49.99"), "0.00"),
        (Decimal("0"), "0.00"),
        (Decimal("-49.99"), "0.00"),  # never "-0.00"
        (Decimal("-50"), "-0.01"),
        (Decimal("2000000"), "200.00"),
        (12345, "1.23"),
        ("3000000.00", "300.00"),
    ],
)
def test_format_wan_shows_yuan_as_wan_with_two_decimals_rounded_half_up(yuan, expected):
    assert format_wan(yuan) == expected


def test_format_wan_groups_thousands_only_when_asked():
    assert format_wan(Decimal("123456789012.34")) == "12345678.90"
    assert format_wan(Decimal("123456789012.34"), grouping=True) == "12,345,678.90"


def test_format_wan_shows_a_dash_for_a_missing_amount():
    assert format_wan(None) == "—"


def test_format_wan_refuses_a_float_because_it_is_not_exact():
    with pytest.raises(TypeError, match="浮点"):
        format_wan(0.1)


def test_format_wan_refuses_text_that_is_not_a_number_with_a_chinese_message():
    with pytest.raises(ValueError, match="不是有效的数字"):
        format_wan("十万")


@given(yuan_amounts)
def test_format_wan_equals_the_exact_quotient_rounded_half_up(yuan):
    # Independent computation: integer fen arithmetic, no Decimal rounding modes involved.
    fen = int(yuan * 100)
    sign = -1 if fen < 0 else 1
    hundredths_of_wan, remainder = divmod(abs(fen), 10000)  # 1 万元 = 1,000,000 fen; 0.01 万元 = 10,000 fen
    if remainder >= 5000:
        hundredths_of_wan += 1
    whole, cents = divmod(hundredths_of_wan, 100)
    expected = f"{'-' if sign < 0 and hundredths_of_wan else ''}{whole}.{cents:02d}"
    assert format_wan(yuan) == expected


@given(yuan_amounts)
def test_yuan_to_wan_and_back_is_exact(yuan):
    assert wan_to_yuan(yuan_to_wan(yuan)) == yuan


@given(yuan_amounts.filter(lambda d: abs(d) < Decimal("1e13")))
def test_a_wan_figure_read_back_as_a_double_gives_the_yuan_exactly(yuan):
    written = format(yuan_to_wan(yuan), "f")
    assert wan_to_yuan(float(written)) == yuan


def test_wan_to_yuan_refuses_a_figure_finer_than_a_fen():
    with pytest.raises(ValueError, match="精度超过1分"):
        wan_to_yuan("0.0000001")


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        (Decimal("0.12345"), "12.35%"),
        (Decimal("0.12344"), "12.34%"),
        (Decimal("-0.05"), "-5.00%"),
        (Decimal("0"), "0.00%"),
        (Decimal("1.5"), "150.00%"),
        (None, "—"),
        (Decimal("Infinity"), "—"),
        (Decimal("NaN"), "—"),
    ],
)
def test_format_pct_shows_a_ratio_as_a_percentage_or_a_dash_when_undefined(ratio, expected):
    assert format_pct(ratio) == expected


def test_format_pct_takes_one_decimal_when_asked():
    assert format_pct(Decimal("0.12345"), places=1) == "12.3%"


def test_format_decimal_keeps_fixed_places():
    assert format_decimal(Decimal("3.14159")) == "3.14"
    assert format_decimal(None) == "—"


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (datetime.date(2019, 7, 5), "2019年7月5日"),
        (datetime.date(2019, 12, 31), "2019年12月31日"),
        (datetime.date(2020, 1, 1), "2020年1月1日"),
    ],
)
def test_dates_are_written_in_arabic_numerals_without_leading_zeros(date, expected):
    assert format_date_cn(date) == expected


def test_text_width_counts_chinese_as_one_and_ascii_as_half():
    assert text_width("2019年7月5日") == 6
    assert text_width("恩施州") == 3
