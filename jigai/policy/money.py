"""Money, defined once for the whole platform: reading, bounds, conversion, rounding and formatting.

Amounts are exact yuan as ``Decimal`` with 2 places (or integer fen), typed and shown in 万元
(docs/programme.md, reading 2: amounts are exact, never binary floats; a computed subsidy is rounded
once, at the end, half-up to the fen).

This module is pure (standard library only) so that the policy engine can use it without Django; the
apps import it through ``jigai.core.money``, which re-exports it. Forms, the API, the import engine,
documents and the policy input layer all read an amount with :func:`parse_decimal` / :func:`parse_yuan`
and check it against :data:`MAX_YUAN`, so a figure accepted on one path is accepted on every other.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Context, Decimal

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
WAN = Decimal(10000)

#: The largest amount the platform accepts, on every path: what ``numeric(16, 2)`` holds. In fen it is
#: below 10^16, far inside int64, so the policy batch path (which clips the base before multiplying by a
#: rate) and SQLite's integer-fen columns (jigai/core/money_fields.py) hold it exactly.
MAX_YUAN = Decimal("99999999999999.99")
MAX_WAN = MAX_YUAN / WAN  # 9999999999.999999
TOO_LARGE = f"金额超出上限（最多 {MAX_YUAN:,} 元）"

# Wide enough that a product of an amount and a rate is never rounded before the final quantize.
EXACT = Context(prec=60, rounding=ROUND_HALF_UP)

UNIT_PLACES = {"元": 2, "千元": 5, "万元": 6, "亿元": 10}  # decimals down to the fen in each unit


def gettext_noop(msgid: str) -> str:
    """Marks a catalogue entry for extraction (the policy engine imports no Django)."""
    return msgid


class MoneyError(ValueError):
    """An amount that cannot be accepted; the message is a Chinese sentence for the user. ``msgid`` and
    ``params``, when given, say it again in the page's language (``jigai.imports.parsers.money_reason``)."""

    def __init__(self, message: str, msgid: str | None = None, **params: object):
        super().__init__(message)
        self.msgid = msgid
        self.params = params


# --- reading --------------------------------------------------------------------------------------

# Full-width ASCII (０-９, ，, ．, ＋, －) to half-width, odd spaces to a space, invisible marks removed;
# the Chinese full stop is a decimal point in a typed number ("12。5").
_HALFWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_HALFWIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0x2212: ord("-"), 0x3002: ord(".")})
_HALFWIDTH.update(dict.fromkeys([0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD]))

_PLAIN = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)")
# Grouping separators only in groups of three: 3,000,000.50 — never 3000000,50 or 3,0,0,0,0,0,0.
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_SCIENTIFIC = re.compile(r"[\d.,]+e[+-]?\d+", re.IGNORECASE)
_MAX_DIGITS = 40  # more digits than any amount; refuses pathological text before Decimal sees it

GROUPING_ERROR = "千位分隔符位置不正确：逗号只能每三位一个（如 3,000,000.50），小数点请用“.”"
SCIENTIFIC_ERROR = gettext_noop("金额不能用科学计数法（如 1.2E+07），请将单元格设为数值格式后重新填写")
GROUPING_IN = gettext_noop(
    "“%(text)s”的千位分隔符位置不正确：逗号只能每三位一个（如 3,000,000.50），小数点请用“.”"
)
TOO_MANY_DIGITS = gettext_noop("数字位数过多：“%(text)s”")
NOT_A_NUMBER = gettext_noop("不是有效数字：%(value)s")


def number_text(text: str) -> str:
    """Typed text with full-width digits and separators made half-width, outer spaces removed."""
    return text.translate(_HALFWIDTH).strip()


def read_number(text: str) -> Decimal:
    """A number as a person types it: full-width or half-width, an optional sign, grouping commas
    (``，`` too) or spaces only in valid groups of three. Raises :class:`MoneyError` in Chinese."""
    s = number_text(text)
    s = re.sub(r"\s*,\s*", ",", s)
    s = re.sub(r"(?<=\d)\s+(?=\d)", ",", s)  # "1 234 567" groups with spaces: checked like commas
    s = "".join(s.split())
    sign = ""
    if s[:1] in ("+", "-"):
        sign, s = s[0].replace("+", ""), s[1:]
    if _PLAIN.fullmatch(s):
        body = s
    elif _GROUPED.fullmatch(s):
        body = s.replace(",", "")
    elif _SCIENTIFIC.fullmatch(s):
        raise MoneyError(SCIENTIFIC_ERROR, SCIENTIFIC_ERROR)
    elif "," in s and re.fullmatch(r"[\d,]+(?:\.\d*)?", s):
        raise MoneyError(f"“{text.strip()}”的{GROUPING_ERROR}", GROUPING_IN, text=text.strip())
    else:
        raise MoneyError(f"不是有效的数字：“{text.strip()}”")
    if len(body) > _MAX_DIGITS:
        raise MoneyError(f"数字位数过多：“{text.strip()}”", TOO_MANY_DIGITS, text=text.strip())
    return Decimal(sign + body)


def parse_decimal(value: object) -> Decimal:
    """A number as typed or read from a cell: str (see :func:`read_number`), int, Decimal, or a float.

    A float is read as Excel displays it (15 significant digits), so ``1234567.89`` stays exact and
    binary noise such as ``90000.00000000001`` from a formula disappears.
    """
    if isinstance(value, bool):
        raise MoneyError(f"应为数字，实为布尔值 {value}")
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise MoneyError(f"不是有效数字：{value}", NOT_A_NUMBER, value=str(value))
        d = Decimal(format(value, ".15g"))
    elif isinstance(value, str):
        d = read_number(value)
    else:
        raise MoneyError(f"不是有效数字：{value!r}", NOT_A_NUMBER, value=repr(value))
    if not d.is_finite():
        raise MoneyError(f"不是有效数字：{value!r}", NOT_A_NUMBER, value=repr(value))
    return d


def to_decimal(value: object) -> Decimal:
    """An exact ``Decimal`` from a Decimal, an int or numeric text; floats are refused (``TypeError``):
    a float amount has already lost the exact figure. For writers, which must never guess."""
    if isinstance(value, bool):
        raise TypeError("金额不能是布尔值")
    if isinstance(value, float):
        raise TypeError("金额不能用浮点数表示，请传入 Decimal")
    if not isinstance(value, Decimal | int | str):
        raise TypeError(f"不支持的数值类型：{type(value).__name__}")
    return parse_decimal(value)


def too_large(label: str | None = None) -> str:
    """The refusal of an amount above :data:`MAX_YUAN`, naming the field when it is known."""
    return TOO_LARGE if not label else f"{label}超出上限（最多 {MAX_YUAN:,} 元）"


def amount_problem(yuan: Decimal) -> str | None:
    """Why an amount in yuan cannot be stored (a Chinese sentence), or ``None``: the bounds every write
    path checks, in this order, so a page, the API and an import refuse the same figure the same way."""
    if not yuan.is_finite():
        return "不是有效的金额"
    if yuan < 0:
        return "金额不能为负数"
    if yuan > MAX_YUAN:
        return TOO_LARGE
    if yuan != yuan.quantize(FEN, context=EXACT):
        return "金额最多精确到分"
    return None


def parse_yuan(value: object, *, scale: int | Decimal = 1, allow_negative: bool = False) -> Decimal:
    """An amount in yuan (``scale=1``) or 万元 (``scale=10000``) → yuan with exactly 2 places.

    Raises :class:`MoneyError` (Chinese message) for non-numbers, negatives, fractions of a fen and
    amounts above :data:`MAX_YUAN`; more precision than a fen is refused, never rounded away.
    """
    d = parse_decimal(value)
    if scale != 1:
        d = EXACT.multiply(d, Decimal(scale))
    if d < 0 and not allow_negative:
        raise MoneyError(f"金额不能为负数：{value}")
    if abs(d) > MAX_YUAN:
        raise MoneyError(f"{TOO_LARGE}：{value}")
    q = d.quantize(FEN, context=EXACT)
    if q != d:
        if scale == WAN:
            raise MoneyError(f"金额“{value}”万元精度超过1分（最多6位小数）")
        raise MoneyError(f"金额精度超出：{value}（元最多保留2位小数，精确到分）")
    return q + ZERO  # normalise -0.00 to 0.00


def wan_to_yuan(wan: object) -> Decimal:
    """万元 (up to 6 decimals = fen) to yuan; more precision than a fen is refused, not rounded."""
    return parse_yuan(wan, scale=WAN, allow_negative=True)


# --- conversion and rounding ----------------------------------------------------------------------


def round_yuan(value: Decimal) -> Decimal:
    """The one rounding rule: half-up to the fen."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP, context=EXACT)


def yuan_to_fen(value: Decimal) -> int:
    fen = value * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"{value} is not a whole number of fen")
    return int(fen)


def fen_to_yuan(fen: int) -> Decimal:
    return Decimal(int(fen)).scaleb(-2)


def yuan_to_wan(yuan: object) -> Decimal | None:
    """The exact 万元 value of an amount in yuan, without trailing zeros or exponent: 123.45 yuan →
    0.012345, 3000000.00 → 300. ``None`` stays ``None``."""
    if yuan is None:
        return None
    wan = to_decimal(yuan).scaleb(-4, EXACT)
    if wan == wan.to_integral_value():
        return wan.quantize(Decimal(1), context=EXACT)
    return wan.normalize(EXACT)  # a fraction of 万元: at most 6 places (fen), shown without exponent


# --- formatting -----------------------------------------------------------------------------------

UNDEFINED = "—"  # shown where an amount is missing


def _plain(value: Decimal, places: int, grouping: bool) -> str:
    rounded = value.quantize(Decimal(1).scaleb(-places), context=EXACT)
    if rounded.is_zero():
        rounded = abs(rounded)  # never print "-0.00"
    return f"{rounded:,.{places}f}" if grouping else f"{rounded:.{places}f}"


def format_decimal(value: object, *, places: int = 2, grouping: bool = False) -> str:
    """A plain number with fixed decimals, rounded half up; ``None`` gives ``"—"``."""
    if value is None:
        return UNDEFINED
    return _plain(to_decimal(value), places, grouping)


def format_wan(yuan: object, *, places: int = 2, grouping: bool = False) -> str:
    """Yuan as a 万元 figure with ``places`` decimals, rounded half up once: ``Decimal("1234567.89")``
    → ``"123.46"``; ``grouping`` adds thousands separators. ``None`` gives ``"—"``."""
    if yuan is None:
        return UNDEFINED
    return _plain(to_decimal(yuan).scaleb(-4, EXACT), places, grouping)


def format_wan_exact(yuan: object) -> str:
    """Yuan as 万元 text with every digit and no trailing zeros, the way clerks type it: 3000000 →
    ``"300"``, 0.01 → ``"0.000001"``. Reading it back with :func:`wan_to_yuan` gives the yuan exactly."""
    wan = yuan_to_wan(yuan)
    return UNDEFINED if wan is None else f"{wan:f}"


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


def describe_wan() -> str:
    """How a 万元 amount is typed, for help texts."""
    return f"数字，单位万元，最多 {UNIT_PLACES['万元']} 位小数（精确到分），不超过 {MAX_WAN:,f} 万元"


__all__ = [
    "EXACT",
    "FEN",
    "GROUPING_ERROR",
    "MAX_WAN",
    "MAX_YUAN",
    "SCIENTIFIC_ERROR",
    "TOO_LARGE",
    "UNDEFINED",
    "UNIT_PLACES",
    "WAN",
    "ZERO",
    "MoneyError",
    "amount_problem",
    "fen_to_yuan",
    "format_decimal",
    "format_wan",
    "format_wan_exact",
    "format_yuan",
    "format_yuan_zh",
    "number_text",
    "parse_decimal",
    "parse_yuan",
    "read_number",
    "round_yuan",
    "to_decimal",
    "too_large",
    "wan_to_yuan",
    "yuan_to_fen",
    "yuan_to_wan",
]
