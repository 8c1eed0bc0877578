"""Number and date formatting shared by the Word and Excel writers.

Money is stored in yuan (``Decimal`` with two places) and shown in 万元, with the conversion and its
rounding from jigai.core.money (the platform's one definition). Floats are refused: a float amount has
already lost the exact figure.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from jigai.core.money import (
    EXACT,
    UNDEFINED,
    format_decimal,
    format_wan,
    to_decimal,
    wan_to_yuan,
    yuan_to_wan,
)

__all__ = [
    "UNDEFINED",
    "format_date_cn",
    "format_decimal",
    "format_pct",
    "format_wan",
    "text_width",
    "to_decimal",
    "wan_to_yuan",
    "yuan_to_wan",
]


# Money (reading, conversion, rounding, formatting) is defined once in jigai.core.money and re-exported
# here for the writers; percentages and dates are the documents' own.
def format_pct(ratio: Decimal | int | str | None, *, places: int = 2) -> str:
    """A ratio as a percentage: ``Decimal("0.12345")`` → ``"12.35%"`` (half up).

    The argument is the ratio (growth = (this - last) / last), not a number of percent. ``None`` or a
    non-finite value (growth over a zero base) gives ``"—"``.
    """
    if ratio is None:
        return UNDEFINED
    if isinstance(ratio, Decimal) and not ratio.is_finite():
        return UNDEFINED
    return format_decimal(to_decimal(ratio).scaleb(2, EXACT), places=places) + "%"


def format_date_cn(value: datetime.date | None) -> str:
    """``2019年7月5日``: Arabic numerals, year in full, no leading zeros (GB/T 9704-2012 7.3.5)."""
    if value is None:
        return UNDEFINED
    if not isinstance(value, datetime.date):
        raise TypeError(f"日期必须是 datetime.date，而不是 {type(value).__name__}")
    return f"{value.year}年{value.month}月{value.day}日"


def text_width(text: str) -> float:
    """Width of ``text`` in full-width characters: CJK and full-width forms count 1, ASCII ½."""
    width = 0.0
    for ch in text:
        code = ord(ch)
        if code < 0x2E80 and not (0x2014 <= code <= 0x2026) and ch not in "○":
            width += 0.5
        else:
            width += 1.0
    return width


def months_to(month: int) -> str:
    """A January-to-month span as the statistics bureau writes it: 1—6月, but 1月 alone (never 1—1月)."""
    return "1月" if int(month) == 1 else f"1—{int(month)}月"
