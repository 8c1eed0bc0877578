"""Money: exact yuan as ``Decimal`` with 2 places, or integer fen. Rounding is defined here, once.

docs/programme.md, reading 2: amounts are exact, never binary floats; a computed subsidy is rounded once,
at the end, half-up to the fen.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
#: Largest amount accepted as input: 1 万亿元. Keeps every product of fen and a rate inside int64.
MAX_YUAN = Decimal("1000000000000")

# Wide enough that a product of an amount and a rate is never rounded before the final quantize.
EXACT = Context(prec=60, rounding=ROUND_HALF_UP)

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def round_yuan(value: Decimal) -> Decimal:
    """The one rounding rule: half-up to the fen."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP, context=EXACT)


def format_yuan(value: Decimal | int) -> str:
    """``Decimal('60000')`` → ``'60000.00'`` (exact; rejects amounts that are not whole fen)."""
    d = Decimal(value)
    q = d.quantize(FEN, context=EXACT)
    if q != d:
        raise ValueError(f"{value} is not a whole number of fen")
    return f"{q:f}"


def format_yuan_zh(value: Decimal | int) -> str:
    """Thousands-separated yuan for Chinese text: ``1,234,567.89``."""
    return f"{Decimal(value).quantize(FEN, context=EXACT):,f}"


def yuan_to_fen(value: Decimal) -> int:
    fen = value * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"{value} is not a whole number of fen")
    return int(fen)


def fen_to_yuan(fen: int) -> Decimal:
    return Decimal(int(fen)).scaleb(-2)


def parse_decimal(value: object) -> Decimal:
    """A number as typed: str, int, Decimal, or a float from a spreadsheet cell.

    A float is read as Excel displays it (15 significant digits), so ``1234567.89`` stays exact and
    binary noise such as ``90000.00000000001`` from a formula disappears. Raises ``ValueError`` with a
    Chinese message.
    """
    if isinstance(value, bool):
        raise ValueError(f"应为数字，实为布尔值 {value}")
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"不是有效数字：{value}")
        d = Decimal(format(value, ".15g"))
    elif isinstance(value, str):
        s = value.strip().replace(",", "").replace("，", "").replace(" ", "")
        if not _NUMBER.match(s):
            raise ValueError(f"不是有效数字：{value!r}")
        d = Decimal(s)
    else:
        raise ValueError(f"不是有效数字：{value!r}")
    if not d.is_finite():
        raise ValueError(f"不是有效数字：{value!r}")
    return d


def parse_yuan(value: object, *, scale: int = 1) -> Decimal:
    """An amount in yuan (``scale=1``) or 万元 (``scale=10000``) → yuan with exactly 2 places.

    Raises ``ValueError`` (Chinese message) for non-numbers, negatives, fractions of a fen and amounts
    above ``MAX_YUAN``.
    """
    d = parse_decimal(value)
    if scale != 1:
        d = EXACT.multiply(d, Decimal(scale))
    if d < 0:
        raise ValueError(f"金额不能为负数：{value}")
    try:
        q = d.quantize(FEN, context=EXACT)
    except InvalidOperation as exc:  # pragma: no cover - guarded by MAX_YUAN below
        raise ValueError(f"金额过大：{value}") from exc
    if q != d:
        unit = "万元最多保留6位小数" if scale == 10000 else "元最多保留2位小数（精确到分）"
        raise ValueError(f"金额精度超出：{value}（{unit}）")
    if q > MAX_YUAN:
        raise ValueError(f"金额过大：{value}（上限为 1 万亿元）")
    return q + ZERO  # normalise -0.00 to 0.00
