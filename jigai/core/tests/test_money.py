from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jigai.core.money import MoneyError, format_wan, wan_to_yuan
from jigai.core.money import yuan_to_wan as yuan_to_wan_exact


@pytest.mark.parametrize(
    ("wan", "yuan"),
    [
        ("300", "3000000.00"),
        ("0.0001", "1.00"),
        ("0.000001", "0.01"),
        ("1,234.5678", "12345678.00"),
        (0.1, "1000.00"),
    ],
)
def test_wan_converts_to_exact_yuan(wan, yuan):
    assert wan_to_yuan(wan) == Decimal(yuan)


def test_more_precision_than_a_fen_is_refused_not_rounded():
    with pytest.raises(MoneyError, match="精度超过1分"):
        wan_to_yuan("0.0000001")


def test_yuan_display_in_wan_rounds_half_up_once():
    assert format_wan(Decimal("12345.00"), grouping=True) == "1.23"
    assert format_wan(Decimal("12350.00"), grouping=True) == "1.24"
    assert format_wan(Decimal("123456789.00"), grouping=True) == "12,345.68"
    assert format_wan(None) == "—"


@given(st.integers(min_value=0, max_value=10**15))
def test_a_yuan_amount_round_trips_through_wan_exactly(fen):
    yuan = Decimal(fen) / 100
    assert wan_to_yuan(yuan_to_wan_exact(yuan)) == yuan.quantize(Decimal("0.01"))


def test_every_refusal_of_amount_problem_reads_in_english():
    """Its sentences are Chinese (the pure money module has no Django) and in the catalogue, so every path
    that shows one with gettext reads it in the request's language; TOO_LARGE is marked as it reads."""
    from django.utils import translation
    from django.utils.translation import gettext

    from jigai.core.money import MAX_YUAN, amount_problem

    problems = [amount_problem(v) for v in (Decimal("NaN"), Decimal("-1"), MAX_YUAN + 1, Decimal("0.001"))]
    assert all(problems)
    with translation.override("en"):
        english = [gettext(p) for p in problems]
    assert all(e != p and e.isascii() for e, p in zip(english, problems, strict=True)), english
