"""Assessment periods (4.3 月通报、季排名): quarters Q1–Q4 and half-years H1, H2. Standard library only.

A period is written ``2019Q2`` or ``2019H1``. A period end month is one *round*: June closes Q2 and H1,
December closes Q4 and H2, and the two are ranked, published and interviewed together (docs/programme.md, reading 12).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Period", "PeriodError", "periods_ending"]

QUARTER, HALF = "Q", "H"
_PATTERN = re.compile(r"^\s*(\d{4})\s*-?\s*([QqHh])\s*([1-4])\s*$")
_CN_NUMBERS = "一二三四"


class PeriodError(ValueError):
    """Not a period; the message says why, in Chinese."""


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: str  # "Q" (quarter) or "H" (half-year)
    index: int  # 1–4 for a quarter, 1–2 for a half-year

    def __post_init__(self) -> None:
        if self.kind not in (QUARTER, HALF):
            raise PeriodError(f"期间类型应为 Q（季度）或 H（半年），而不是“{self.kind}”")
        if not 1 <= self.index <= (4 if self.kind == QUARTER else 2):
            raise PeriodError(f"没有第{self.index}{'季度' if self.kind == QUARTER else '个半年'}")
        if not 1900 <= self.year <= 9999:
            raise PeriodError(f"年份“{self.year}”不合理")

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2019Q2``, ``2019q2``, ``2019-H1`` → Period; anything else is a :class:`PeriodError`."""
        match = _PATTERN.match(str(text or ""))
        if not match:
            raise PeriodError(f"“{text}”不是有效的考核期间，应写作如 2019Q2（季度）或 2019H1（半年）")
        year, kind, index = match.groups()
        return cls(int(year), kind.upper(), int(index))

    def __str__(self) -> str:
        return f"{self.year}{self.kind}{self.index}"

    @property
    def code(self) -> str:
        return str(self)

    @property
    def months(self) -> int:
        return 3 if self.kind == QUARTER else 6

    @property
    def end_month(self) -> int:
        return self.index * self.months

    @property
    def start_month(self) -> int:
        return self.end_month - self.months + 1

    @property
    def previous_end_month(self) -> int:
        """The month the single-period figure is taken after (0: the period starts in January)."""
        return self.start_month - 1

    @property
    def is_quarter(self) -> bool:
        return self.kind == QUARTER

    @property
    def label(self) -> str:
        if self.kind == QUARTER:
            return f"{self.year}年第{_CN_NUMBERS[self.index - 1]}季度"
        return f"{self.year}年{'上' if self.index == 1 else '下'}半年"

    @property
    def short_label(self) -> str:
        return self.label.removeprefix(f"{self.year}年")

    @property
    def month_span(self) -> str:
        """1—6月 (cumulative view of the period end)."""
        return "1月" if self.end_month == 1 else f"1—{self.end_month}月"

    def companions(self) -> list[Period]:
        """The other periods that end in the same month (Q2 ↔ H1, Q4 ↔ H2)."""
        return [p for p in periods_ending(self.year, self.end_month) if p != self]

    def round(self) -> list[Period]:
        """Every period ending with this one, quarter first."""
        return periods_ending(self.year, self.end_month)

    def previous(self) -> Period:
        if self.index > 1:
            return Period(self.year, self.kind, self.index - 1)
        return Period(self.year - 1, self.kind, 4 if self.kind == QUARTER else 2)

    def next(self) -> Period:
        last = 4 if self.kind == QUARTER else 2
        if self.index < last:
            return Period(self.year, self.kind, self.index + 1)
        return Period(self.year + 1, self.kind, 1)

    @classmethod
    def containing(cls, year: int, month: int, kind: str = QUARTER) -> Period:
        if not 1 <= month <= 12:
            raise PeriodError(f"月份“{month}”不在 1—12 之间")
        size = 3 if kind == QUARTER else 6
        return cls(year, kind, (month - 1) // size + 1)


def periods_ending(year: int, month: int) -> list[Period]:
    """The periods a month closes: March → Q1; June → Q2, H1; September → Q3; December → Q4, H2."""
    out = []
    if month % 3 == 0:
        out.append(Period(year, QUARTER, month // 3))
    if month % 6 == 0:
        out.append(Period(year, HALF, month // 6))
    return out
