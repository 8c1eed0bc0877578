"""Cell parsers: one raw spreadsheet value in, one clean Python value out, or a ParseError in Chinese.

A parser is any callable ``parser(raw) -> value`` that raises :class:`ParseError` for bad input. The
classes here add two optional methods used by the template and export writers:
``to_cell(value)`` (the value as it should appear in a spreadsheet) and ``describe()`` (format help for
the 说明 sheet). A parser may return :class:`Noted` to accept a value with a remark (for example a date
given only to the month); the engine turns the remark into a warning on that cell.

Raw values come from openpyxl (str, int, float, bool, datetime, date, time) or from CSV (str). Empty
cells never reach a parser: the engine treats ``None`` and blank text as "not filled in".
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.utils.translation import gettext_noop

from jigai.core import money
from jigai.core.said import Said, said_list, say, say_in

__all__ = [
    "UNIT_FACTORS",
    "Boolean",
    "Checked",
    "Choice",
    "Date",
    "Integer",
    "Money",
    "Noted",
    "Option",
    "ParseError",
    "Text",
    "Year",
    "display_raw",
    "is_blank",
    "normalize_header",
    "to_halfwidth",
]


class ParseError(ValueError):
    """A cell value that cannot be accepted; ``reason`` is a sentence for the user, said with
    ``jigai.core.said.say`` so a page can say it again in its language."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Noted(NamedTuple):
    """A parsed value with a remark the user should see (reported as a warning, the row is kept)."""

    value: Any
    note: str


# --- text helpers ---------------------------------------------------------------------------------

_HALFWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_HALFWIDTH.update(
    {
        0x3000: 0x20,  # ideographic space
        0x00A0: 0x20,  # no-break space
        0x2212: ord("-"),  # minus sign
        0xFE63: ord("-"),  # small hyphen-minus
        0x2010: ord("-"),
        0x2011: ord("-"),
    }
)
_ZERO_WIDTH = dict.fromkeys([0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD])
_HALFWIDTH.update(_ZERO_WIDTH)
_INVISIBLE = frozenset(chr(c) for c in _ZERO_WIDTH)
_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))
_CONTROL[0x7F] = None
_CLEAN = {**_CONTROL, **_ZERO_WIDTH}
_HALFWIDTH_CLEAN = {**_HALFWIDTH, **_CLEAN}


def to_halfwidth(text: str) -> str:
    """Full-width ASCII (０-９, Ａ-Ｚ, （）, ，) to half-width; odd spaces to a space; zero-width removed."""
    return text.translate(_HALFWIDTH)


_BRACKETS = str.maketrans(
    {"【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")", "<": "(", ">": ")"}
)
_HEADER_DROP = re.compile(r"[\s*＊:：#]+")


def normalize_header(text: Any) -> str:
    """A header as a comparison key: no spaces, half-width brackets, lower case, no '*' or ':' marks.

    ``"设备投资 （万元）"``, ``"设备投资(万元)"`` and ``"*设备投资【万元】"`` all give ``"设备投资(万元)"``.
    """
    if text is None:
        return ""
    s = str(text)
    for _ in range(3):  # until stable: removing a space can let NFKC compose what it separated
        before = s
        s = unicodedata.normalize("NFKC", s).translate(_ZERO_WIDTH).translate(_BRACKETS)
        s = _HEADER_DROP.sub("", s).lower()
        if s == before:
            break
    return s


def is_blank(raw: Any) -> bool:
    """True for an empty cell: None or text with nothing but spaces."""
    if raw is None:
        return True
    if isinstance(raw, str):
        s = raw.strip()  # str.strip() already removes full-width and no-break spaces
        if not s:
            return True
        if s[0] not in _INVISIBLE:
            return False
        return not s.translate(_ZERO_WIDTH).strip()
    return False


def display_raw(raw: Any, limit: int = 60) -> str:
    """The raw value as the user would recognise it, for messages."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float):
        text = format(raw, ".15g") if math.isfinite(raw) else str(raw)
    elif isinstance(raw, dt.datetime):
        text = raw.isoformat(sep=" ", timespec="seconds").removesuffix(" 00:00:00")
    elif isinstance(raw, (dt.date, dt.time)):
        text = raw.isoformat()
    else:
        text = str(raw)
    # Cut first: a hostile cell can hold 100 MB of text, and only the start is shown (issue 11, point 4).
    text = text[: limit * 4].translate(_CONTROL).replace("\r", " ").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _kind_name(raw: Any) -> Said:
    if isinstance(raw, bool):
        return say_in("kind of cell", "逻辑值")
    if isinstance(raw, (dt.datetime, dt.date)):
        return say_in("kind of cell", "日期")
    if isinstance(raw, dt.time):
        return say_in("kind of cell", "时间")
    if isinstance(raw, (int, float, Decimal)):
        return say_in("kind of cell", "数字")
    return say_in("kind of cell", "内容")


def _unit(unit: str) -> Said:
    """A money unit in a sentence (元, 千元, 万元, 亿元)."""
    return say(unit)


UNIT_WORDS = (gettext_noop("元"), gettext_noop("千元"), gettext_noop("万元"), gettext_noop("亿元"))


def _number_text(raw: str) -> str:
    """Text of a number with full-width digits, odd spaces and a Chinese full stop cleaned up."""
    s = to_halfwidth(raw).replace("。", ".")
    return "".join(s.split())


YEAR_ONLY = gettext_noop("只有年份，缺少月份，请填写如 2018-03 或 2018-03-15")


def exc_reason(exc: BaseException) -> str:
    """A validator's exception as a reason: its message when it was said (``jigai.core.codes``), else
    its text, else 格式不正确."""
    if exc.args and isinstance(exc.args[0], Said):
        return exc.args[0]
    return str(exc) or say("格式不正确")


def money_reason(exc: BaseException) -> str:
    """A ``money.MoneyError`` said in the active language (its ``msgid`` and ``params``), else its text."""
    msgid = getattr(exc, "msgid", None)
    if msgid:
        return say(msgid, **getattr(exc, "params", {}))
    return str(exc)


# --- money ----------------------------------------------------------------------------------------
# Reading a number, the bound and the conversions are jigai.core.money's, as on every other path; this
# adds what only a spreadsheet cell has: a unit in the header or the cell, a currency sign, (negative).

UNIT_FACTORS: dict[str, Decimal] = {
    "元": Decimal(1),
    "千元": Decimal(1000),
    "万元": Decimal(10000),
    "亿元": Decimal(100000000),
}
_MONEY_SUFFIX = re.compile(r"\s*(亿元|万元|千元|元|亿|万)$")


@dataclass(frozen=True)
class Money:
    """An amount of money, returned in yuan as a Decimal with exactly 2 places.

    ``unit`` is the unit the cell is written in (万元 by default; the reader sets it from the header,
    e.g. ``设备投资（元）``). A text cell may carry its own unit (``"300万元"``, ``"5,000元"``), which wins.
    More precision than a fen (万元 with more than 6 decimals, 元 with more than 2) is refused, never
    rounded away; so is an amount above ``max_yuan`` (the platform's one bound, ``money.MAX_YUAN``).
    """

    unit: str = "万元"
    allow_negative: bool = False
    max_yuan: Decimal = money.MAX_YUAN

    def with_unit(self, unit: str) -> Money:
        if unit not in UNIT_FACTORS:
            raise ValueError(f"unknown money unit {unit!r}")
        return Money(unit=unit, allow_negative=self.allow_negative, max_yuan=self.max_yuan)

    def __call__(self, raw: Any) -> Decimal:
        unit = self.unit
        if isinstance(raw, bool) or not isinstance(raw, (int, float, Decimal, str)):
            raise ParseError(
                say("应填写金额（%(unit)s），不是%(kind)s", unit=_unit(unit), kind=_kind_name(raw))
            )
        try:
            if isinstance(raw, str):
                amount, unit = self._parse_text(raw, unit)
            else:
                amount = money.parse_decimal(raw)
        except money.MoneyError as exc:
            raise ParseError(money_reason(exc)) from None
        if amount < 0 and not self.allow_negative:
            raise ParseError(say("金额不能为负数"))
        if amount.adjusted() > 20:
            raise ParseError(self._too_large())
        yuan = money.EXACT.multiply(amount, UNIT_FACTORS[unit])
        exact = yuan.quantize(money.FEN, context=money.EXACT)
        if exact != yuan:
            allowed = money.UNIT_PLACES[unit]
            raise ParseError(
                say(
                    "金额精确到分为止：以%(unit)s为单位最多 %(allowed)s 位小数（实际 %(places)s 位），"
                    "请核对后重填，系统不会自动四舍五入",
                    unit=_unit(unit),
                    allowed=allowed,
                    places=_places(amount),
                )
            )
        if abs(exact) > self.max_yuan:
            raise ParseError(self._too_large())
        return exact if exact else Decimal("0.00")  # no "-0.00"

    def _too_large(self) -> Said:
        return say("金额过大（上限 %(max)s 万元）", max=money.format_wan_exact(self.max_yuan))

    def _parse_text(self, raw: str, unit: str) -> tuple[Decimal, str]:
        s = money.number_text(raw)
        s = s.lstrip("¥￥").removeprefix("人民币").removeprefix("rmb").removeprefix("RMB").strip()
        match = _MONEY_SUFFIX.search(s)
        if match and match.start() > 0:
            suffix = match.group(1)
            unit = {"亿": "亿元", "万": "万元"}.get(suffix, suffix)
            s = s[: match.start()]
        negative = False
        if s.startswith("(") and s.endswith(")"):
            negative, s = True, s[1:-1]
        if not s.strip():
            raise ParseError(say("无法识别的金额“%(value)s”", value=display_raw(raw)))
        try:
            amount = money.read_number(s)
        except money.MoneyError as exc:
            if str(exc).startswith("不是有效的数字"):
                raise ParseError(say("无法识别的金额“%(value)s”", value=display_raw(raw))) from None
            raise ParseError(money_reason(exc)) from None
        return (-amount if negative else amount), unit

    def to_cell(self, value: Decimal | None) -> Any:
        """Yuan → a number in this column's unit (a number when exact in a float, otherwise text)."""
        if value is None:
            return None
        amount = Decimal(value) / UNIT_FACTORS[self.unit]
        text = _plain(amount)
        if len(text.replace("-", "").replace(".", "").lstrip("0")) <= 15:
            as_float = float(text)
            if Decimal(format(as_float, ".15g")) == amount:
                return int(as_float) if as_float.is_integer() and abs(as_float) < 2**53 else as_float
        return text

    def describe(self) -> str:
        places = money.UNIT_PLACES[self.unit]
        sign = "" if self.allow_negative else "，不能为负数"
        return f"数字，单位{self.unit}，最多 {places} 位小数（精确到分）{sign}"


def _places(d: Decimal) -> int:
    exponent = d.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _plain(d: Decimal) -> str:
    """A Decimal without exponent and without trailing zeros: Decimal('1.2300E+3') → '1230'."""
    if d == 0:
        return "0"
    text = format(d.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


# --- dates ----------------------------------------------------------------------------------------

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_FULL = [
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$"),
    re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
_DATE_MONTH = [
    re.compile(r"^(\d{4})年(\d{1,2})月?$"),
    re.compile(r"^(\d{4})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})$"),
]
_TIME_TAIL = re.compile(r"^(\S+?)(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$")
MONTH_NOTE = gettext_noop("只填到月份，按当月1日记录")


@dataclass(frozen=True)
class Date:
    """A calendar date. Excel dates, serial numbers, and text such as 2018-03-15, 2018/3/15,
    2018.3.15, 2018年3月15日, 20180315; month-only text (2018-03, 2018年3月, 201803) gives the first of
    the month with a remark, or is refused when ``allow_month`` is False."""

    min_date: dt.date = dt.date(2000, 1, 1)
    max_date: dt.date = dt.date(2100, 12, 31)
    allow_month: bool = True

    def __call__(self, raw: Any) -> dt.date | Noted:
        value, precision = self.parse_with_precision(raw)
        return Noted(value, say(MONTH_NOTE)) if precision == "month" else value

    def parse_with_precision(self, raw: Any) -> tuple[dt.date, str]:
        if isinstance(raw, dt.datetime):
            return self._check(raw.date()), "day"
        if isinstance(raw, dt.date):
            return self._check(raw), "day"
        if isinstance(raw, bool) or not isinstance(raw, (int, float, Decimal, str)):
            raise ParseError(say("应填写日期，不是%(kind)s", kind=_kind_name(raw)))
        if isinstance(raw, (int, float, Decimal)):
            return self._from_number(raw), "day"
        s = to_halfwidth(raw).strip()
        m = _TIME_TAIL.match(s)  # "2018-03-15 00:00:00" as exported by other systems
        if m:
            s = m.group(1)
        s = "".join(s.split())
        for pattern in _DATE_FULL:
            m = pattern.match(s)
            if m:
                g = [x for x in m.groups() if x not in ("-", "/", ".")]
                return self._check(self._make(int(g[0]), int(g[1]), int(g[2]))), "day"
        for pattern in _DATE_MONTH:
            m = pattern.match(s)
            if m:
                if not self.allow_month:
                    raise ParseError(say("日期需填写到日，如 2018-03-15"))
                return self._check(self._make(int(m.group(1)), int(m.group(2)), 1)), "month"
        if re.fullmatch(r"\d{4}年?", s):
            raise ParseError(say(YEAR_ONLY))
        if re.fullmatch(r"\d{5}(\.\d+)?", s):
            return self._from_number(Decimal(s)), "day"
        raise ParseError(
            say("无法识别的日期“%(value)s”，请填写如 2018-03-15 或 2018年3月", value=display_raw(raw))
        )

    def _from_number(self, raw: int | float | Decimal) -> dt.date:
        if isinstance(raw, float) and not math.isfinite(raw):
            raise ParseError(say("日期不是有效数字"))
        if isinstance(raw, Decimal) and not raw.is_finite():
            raise ParseError(say("日期不是有效数字"))
        number = Decimal(format(raw, ".15g")) if isinstance(raw, float) else Decimal(raw)
        whole = int(number) if abs(number) < 10**9 else None
        if whole is not None and 1900 <= whole <= 2200:
            if number == whole:
                raise ParseError(say(YEAR_ONLY))
            raise ParseError(
                say(
                    "数字 %(value)s 无法判断月份（2018.1 可能是1月也可能是10月），请写成 2018-10 或设为日期格式",
                    value=display_raw(raw),
                )
            )
        if whole is not None and 19000101 <= whole <= 22001231 and number == whole:
            text = str(whole)
            return self._check(self._make(int(text[:4]), int(text[4:6]), int(text[6:])))
        if whole is None or whole < 1 or whole > 2958465:
            raise ParseError(say("无法识别的日期“%(value)s”", value=display_raw(raw)))
        # Excel serial number, 1900 date system (serial 60 is Excel's phantom 1900-02-29).
        if whole < 61:
            whole += 1
        return self._check(_EXCEL_EPOCH + dt.timedelta(days=whole))

    @staticmethod
    def _make(year: int, month: int, day: int) -> dt.date:
        try:
            return dt.date(year, month, day)
        except ValueError as exc:
            raise ParseError(
                say("日期不存在：%(year)s年%(month)s月%(day)s日", year=year, month=month, day=day)
            ) from exc

    def _check(self, value: dt.date) -> dt.date:
        if not self.min_date <= value <= self.max_date:
            raise ParseError(
                say(
                    "日期 %(date)s 超出范围（%(min)s 至 %(max)s）",
                    date=value.isoformat(),
                    min=self.min_date.isoformat(),
                    max=self.max_date.isoformat(),
                )
            )
        return value

    def to_cell(self, value: dt.date | None) -> Any:
        return value

    def describe(self) -> str:
        return "日期，如 2018-03-15、2018/3/15、2018年3月15日；只知道月份可填 2018-03"


# --- booleans -------------------------------------------------------------------------------------

_NUMERAL = re.compile(r"^\d{1,4}(\.\d{1,8})?$")
_TRUE = {"是", "√", "✓", "✔", "☑", "y", "yes", "true", "t", "1", "有", "对", "真"}
_FALSE = {"否", "×", "✗", "✘", "☐", "n", "no", "false", "f", "0", "无", "没有", "错", "假", "不是"}


@dataclass(frozen=True)
class Boolean:
    """是/否. Also √/×, Y/N, true/false, 1/0, 有/无 and Excel TRUE/FALSE cells."""

    true_label: str = "是"
    false_label: str = "否"

    def __call__(self, raw: Any) -> bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, (int, float, Decimal)):
            if isinstance(raw, Decimal) and not raw.is_finite():
                raise ParseError(say("应填“%(yes)s”或“%(no)s”", yes=self.true_label, no=self.false_label))
            if raw == 1:
                return True
            if raw == 0:
                return False
        elif isinstance(raw, str):
            s = "".join(to_halfwidth(raw).split()).lower()
            if s in _TRUE:
                return True
            if s in _FALSE:
                return False
            if _NUMERAL.match(s):
                # "1.0" in a CSV is the 1.0 an .xlsx cell holds: both are accepted (issue 13 point 11).
                number = Decimal(s)
                if number == 1:
                    return True
                if number == 0:
                    return False
        raise ParseError(
            say("应填“%(yes)s”或“%(no)s”（也可填 √/×、Y/N、1/0）", yes=self.true_label, no=self.false_label)
        )

    def to_cell(self, value: bool | None) -> Any:
        if value is None:
            return None
        return self.true_label if value else self.false_label

    def options(self) -> list[str]:
        return [self.true_label, self.false_label]

    def describe(self) -> str:
        return f"填“{self.true_label}”或“{self.false_label}”"


# --- text -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Text with spaces tidied: stripped, inner runs of spaces (including full-width ones and line
    breaks) collapsed to one, zero-width and control characters removed.

    ``halfwidth`` also turns full-width letters and digits into half-width ones and ``upper``
    upper-cases them (codes); ``pattern``/``pattern_message`` checks the result."""

    max_length: int | None = 200
    min_length: int = 0
    halfwidth: bool = False
    upper: bool = False
    pattern: str | None = None
    pattern_message: str = gettext_noop("格式不正确")

    def __call__(self, raw: Any) -> str:
        if isinstance(raw, str):
            s = raw
        elif isinstance(raw, bool):
            raise ParseError(say("应填写文字，不是逻辑值"))
        elif isinstance(raw, int):
            s = str(raw)
        elif isinstance(raw, float):
            if not math.isfinite(raw):
                raise ParseError(say("应填写文字"))
            s = str(int(raw)) if raw.is_integer() and abs(raw) < 1e15 else format(raw, ".15g")
        elif isinstance(raw, Decimal):
            s = _plain(raw) if raw.is_finite() else str(raw)
        else:
            raise ParseError(say("应填写文字，不是%(kind)s", kind=_kind_name(raw)))
        s = s.translate(_HALFWIDTH_CLEAN if self.halfwidth else _CLEAN)
        s = " ".join(s.split())  # split() also breaks on full-width and no-break spaces
        if self.upper:
            s = s.upper()
        if not s:
            raise ParseError(say("内容为空"))
        if self.max_length is not None and len(s) > self.max_length:
            raise ParseError(say("超过 %(max)s 个字（实际 %(n)s 个字）", max=self.max_length, n=len(s)))
        if len(s) < self.min_length:
            raise ParseError(say("至少 %(min)s 个字", min=self.min_length))
        if self.pattern is not None and not re.fullmatch(self.pattern, s):
            raise ParseError(say(self.pattern_message))
        return s

    def to_cell(self, value: str | None) -> Any:
        return value

    def describe(self) -> str:
        return f"文字，最多 {self.max_length} 个字" if self.max_length else "文字"


# --- integers and years ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Integer:
    """A whole number within [min_value, max_value]; text may carry thousands separators and one of
    ``suffixes`` (e.g. 人, 个)."""

    min_value: int | None = 0
    max_value: int | None = None
    suffixes: tuple[str, ...] = ()
    what: str = gettext_noop("整数")

    def __call__(self, raw: Any) -> int:
        if isinstance(raw, bool) or not isinstance(raw, (int, float, Decimal, str)):
            raise ParseError(say("应填写%(what)s，不是%(kind)s", what=say(self.what), kind=_kind_name(raw)))
        if isinstance(raw, int):
            value = raw
        elif isinstance(raw, float):
            if not math.isfinite(raw) or not raw.is_integer():
                raise ParseError(say("应填写%(what)s，不能有小数", what=say(self.what)))
            value = int(raw)
        elif isinstance(raw, Decimal):
            if not raw.is_finite() or raw != raw.to_integral_value():
                raise ParseError(say("应填写%(what)s，不能有小数", what=say(self.what)))
            value = int(raw)
        else:
            s = _number_text(raw)
            for suffix in self.suffixes:
                if s.endswith(suffix) and len(s) > len(suffix):
                    s = s[: -len(suffix)]
                    break
            m = re.fullmatch(r"([+-]?)(\d{1,3}(?:,\d{3})+|\d{1,30})(?:\.0*)?", s)
            if not m:
                if re.fullmatch(r"[+-]?[\d,]*\.\d+", s):
                    raise ParseError(say("应填写%(what)s，不能有小数", what=say(self.what)))
                raise ParseError(
                    say("应填写%(what)s，无法识别“%(value)s”", what=say(self.what), value=display_raw(raw))
                )
            value = int(m.group(2).replace(",", ""))
            if m.group(1) == "-":
                value = -value
        if self.min_value is not None and value < self.min_value:
            raise ParseError(say("%(what)s不能小于 %(min)s", what=say(self.what), min=self.min_value))
        if self.max_value is not None and value > self.max_value:
            raise ParseError(say("%(what)s不能大于 %(max)s", what=say(self.what), max=self.max_value))
        return value

    def to_cell(self, value: int | None) -> Any:
        return value

    def describe(self) -> str:
        bounds = []
        if self.min_value is not None:
            bounds.append(f"不小于 {self.min_value}")
        if self.max_value is not None:
            bounds.append(f"不大于 {self.max_value}")
        return self.what + ("，" + "、".join(bounds) if bounds else "")


def Year(min_value: int = 2000, max_value: int = 2100) -> Integer:
    """A four-digit year such as 2018 or 2018年."""
    return Integer(
        min_value=min_value, max_value=max_value, suffixes=("年度", "年"), what=gettext_noop("年份")
    )


# --- choices --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """One allowed value: the stored ``code``, the Chinese ``label`` and other names users write."""

    code: str
    label: str
    aliases: tuple[str, ...] = ()


def _choice_key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH).split()).lower()


class Choice:
    """One of a fixed list, written as its label, its code or an alias (``恩施市``, ``422801``,
    ``高新区``), or as code and label together (``13 农副食品加工业``, ``农副食品加工业(13)``).
    Returns the code."""

    def __init__(
        self, options: Iterable[Option], *, what: str = gettext_noop("选项"), show_code: bool = False
    ):
        self.options: tuple[Option, ...] = tuple(options)
        self.what = what
        self.show_code = show_code
        lookup: dict[str, str] = {}
        for option in self.options:
            names = [option.code, option.label, *option.aliases]
            names += [
                f"{option.code}{option.label}",
                f"{option.code}-{option.label}",
                f"{option.label}({option.code})",
            ]
            for name in names:
                key = _choice_key(name)
                if lookup.get(key, option.code) != option.code:
                    raise ValueError(f"{name!r} names two options")
                lookup[key] = option.code
        self._lookup = lookup
        self._labels = {o.code: o.label for o in self.options}

    def __call__(self, raw: Any) -> str:
        if isinstance(raw, bool) or not isinstance(raw, (int, float, Decimal, str)):
            raise ParseError(say("应填写%(what)s，不是%(kind)s", what=say(self.what), kind=_kind_name(raw)))
        if isinstance(raw, float):
            text = str(int(raw)) if math.isfinite(raw) and raw.is_integer() else repr(raw)
        elif isinstance(raw, Decimal):
            text = _plain(raw) if raw.is_finite() else str(raw)
        else:
            text = str(raw)
        code = self._lookup.get(_choice_key(text))
        if code is None:
            shown = said_list(o.label for o in self.options[:12])  # as a cell must carry them: Chinese
            raise ParseError(
                say(
                    "%(what)s“%(value)s”不在可选范围内（%(options)s等）",
                    what=say(self.what),
                    value=display_raw(raw),
                    options=shown,
                )
                if len(self.options) > 12
                else say(
                    "%(what)s“%(value)s”不在可选范围内（%(options)s）",
                    what=say(self.what),
                    value=display_raw(raw),
                    options=shown,
                )
            )
        return code

    def label(self, code: str) -> str:
        return self._labels.get(code, code)

    def display(self, option: Option) -> str:
        return f"{option.code} {option.label}" if self.show_code else option.label

    def to_cell(self, value: str | None) -> Any:
        if value is None:
            return None
        option = next((o for o in self.options if o.code == value), None)
        return self.display(option) if option else value

    def describe(self) -> str:
        return f"从下拉列表中选择{self.what}（也可填写名称或代码）"

    def option_labels(self) -> list[str]:
        return [self.display(o) for o in self.options]

    def __repr__(self) -> str:
        return f"Choice({len(self.options)} options, what={self.what!r})"


def option_list(pairs: Sequence[tuple[str, str]]) -> list[Option]:
    """[(code, label), ...] → [Option, ...]."""
    return [Option(code, label) for code, label in pairs]


# --- adapting existing validators -----------------------------------------------------------------


class Checked:
    """Wraps a validator written elsewhere (e.g. ``jigai.core.codes.validate_credit_code``): the cell
    is first read as text by ``text``, then passed to ``validator``; the validator's own exceptions
    (``errors``) become ParseErrors with the validator's Chinese message."""

    def __init__(
        self,
        validator: Any,
        errors: type[Exception] | tuple[type[Exception], ...] = ValueError,
        text: Text | None = None,
        description: str = "",
    ):
        self.validator = validator
        self.errors = errors
        self.text = text or Text(max_length=200, halfwidth=True)
        self.description = description

    def __call__(self, raw: Any) -> Any:
        value = self.text(raw)
        try:
            return self.validator(value)
        except self.errors as exc:
            raise ParseError(exc_reason(exc)) from exc

    def to_cell(self, value: Any) -> Any:
        return value

    def describe(self) -> str:
        return self.description or self.text.describe()

    def __repr__(self) -> str:
        return f"Checked({getattr(self.validator, '__name__', self.validator)!r})"
