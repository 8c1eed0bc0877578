"""Money is exact: yuan as Decimal with 2 places in storage, 万元 on screen (docs/programme.md, reading 2)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated

from pydantic import Field, WithJsonSchema

FEN = Decimal("0.01")
WAN = Decimal(10000)
# Amounts are stored as DecimalField(max_digits=16, decimal_places=2): nothing larger fits.
MAX_YUAN = Decimal("99999999999999.99")
TOO_LARGE = f"金额超出上限（最多 {MAX_YUAN:,} 元）"

# An amount in yuan at the API: documented as the string the API also answers with ("1205000.00"), at most
# 14 digits and 2 decimals; a JSON number is accepted too. The same bounds are checked either way.
Yuan = Annotated[
    Decimal,
    Field(ge=0, le=MAX_YUAN, decimal_places=2),
    WithJsonSchema({"type": "string", "pattern": r"^\d{1,14}(\.\d{1,2})?$", "examples": ["1205000.00"]}),
]


class MoneyError(ValueError):
    pass


def to_decimal(value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        value = repr(value)
    try:
        return Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError) as exc:
        raise MoneyError(f"“{value}”不是有效的金额") from exc


def wan_to_yuan(value, *, places: int = 6) -> Decimal:
    """万元 (up to 6 decimals = fen) to yuan; more precision than a fen is refused, not rounded."""
    amount = to_decimal(value)
    if not amount.is_finite():
        raise MoneyError("金额必须是有限数值")
    yuan = amount * WAN
    if yuan != yuan.quantize(FEN):
        raise MoneyError(f"金额“{value}”万元精度超过1分（最多{places}位小数）")
    return yuan.quantize(FEN)


def yuan_to_wan(value: Decimal | None, places: int = 2) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value) / WAN).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def yuan_to_wan_exact(value: Decimal | None) -> Decimal | None:
    """万元 with all the digits a yuan amount needs (6 places), for forms and exports that re-import."""
    if value is None:
        return None
    text = format((Decimal(value) / WAN).quantize(Decimal("0.000001")), "f")
    return Decimal(text.rstrip("0").rstrip(".") if "." in text else text)


def format_wan(value: Decimal | None, places: int = 2) -> str:
    if value is None:
        return "—"
    return f"{yuan_to_wan(value, places):,.{places}f}"
