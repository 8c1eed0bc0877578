"""Number and date formatting shared by the Word and Excel writers.

Money is stored in yuan (``Decimal`` with two places) and shown in 万元; these helpers are the one place
where that conversion and its rounding are defined for documents. Floats are refused: a float amount has
already lost the exact figure.
"""

from __future__ import annotations

import datetime
import decimal
from decimal import ROUND_HALF_UP, Decimal

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

#: Shown where a figure is undefined (a growth rate with no base, a missing amount).
UNDEFINED = "—"

# Wide enough for any DecimalField(max_digits=16) and its 万元 form, with room to spare.
_CONTEXT = decimal.Context(prec=60, rounding=ROUND_HALF_UP)
_CENT = Decimal("0.01")


def to_decimal(value: Decimal | int | str) -> Decimal:
    """An exact ``Decimal`` from a Decimal, an int or a numeric string; floats are refused."""
    if isinstance(value, bool):
        raise TypeError("金额不能是布尔值")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip().replace(",", ""))
        except decimal.InvalidOperation:
            raise ValueError(f"“{value}”不是有效的数字") from None
    elif isinstance(value, float):
        raise TypeError("金额不能用浮点数表示，请传入 Decimal")
    else:
        raise TypeError(f"不支持的数值类型：{type(value).__name__}")
    if not result.is_finite():
        raise ValueError(f"“{value}”不是有限的数字")
    return result


def yuan_to_wan(yuan: Decimal | int | str) -> Decimal:
    """The exact 万元 value of an amount in yuan (no rounding: 123.45 yuan → 0.012345)."""
    return to_decimal(yuan).scaleb(-4, _CONTEXT)


def wan_to_yuan(wan: Decimal | int | float | str) -> Decimal:
    """Yuan, to the fen, from a 万元 figure read back from a spreadsheet; a figure finer than a fen is
    refused, not rounded (it was not written by us).

    A spreadsheet cell holds a binary double; ``repr`` gives the shortest decimal that reads back as
    the same double, which is the digits we wrote (up to 15 significant digits), so the yuan come back
    exactly.
    """
    if isinstance(wan, float):
        wan = repr(wan)
    yuan = to_decimal(wan).scaleb(4, _CONTEXT)
    fen = yuan.quantize(_CENT, context=_CONTEXT)
    if fen != yuan:
        raise ValueError(f"“{wan}”万元精度超过1分（最多6位小数）")
    return fen


def _plain(value: Decimal, places: int, grouping: bool) -> str:
    quantum = Decimal(1).scaleb(-places)
    rounded = value.quantize(quantum, context=_CONTEXT)
    if rounded.is_zero():
        rounded = abs(rounded)  # never print "-0.00"
    return f"{rounded:,.{places}f}" if grouping else f"{rounded:.{places}f}"


def format_wan(yuan: Decimal | int | str | None, *, places: int = 2, grouping: bool = False) -> str:
    """Yuan as a 万元 figure with ``places`` decimals, rounded half up: ``Decimal("1234567.89")`` →
    ``"123.46"``. ``None`` gives ``"—"``. The unit itself goes in the caption or header (单位：万元)."""
    if yuan is None:
        return UNDEFINED
    return _plain(yuan_to_wan(yuan), places, grouping)


def format_decimal(value: Decimal | int | str | None, *, places: int = 2, grouping: bool = False) -> str:
    """A plain number with fixed decimals, rounded half up; ``None`` gives ``"—"``."""
    if value is None:
        return UNDEFINED
    return _plain(to_decimal(value), places, grouping)


def format_pct(ratio: Decimal | int | str | None, *, places: int = 2) -> str:
    """A ratio as a percentage: ``Decimal("0.12345")`` → ``"12.35%"`` (half up).

    The argument is the ratio (growth = (this - last) / last), not a number of percent. ``None`` or a
    non-finite value (growth over a zero base) gives ``"—"``.
    """
    if ratio is None:
        return UNDEFINED
    if isinstance(ratio, Decimal) and not ratio.is_finite():
        return UNDEFINED
    return _plain(to_decimal(ratio).scaleb(2, _CONTEXT), places, False) + "%"


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
