"""Months: their first and last days, the reporting deadline, and arithmetic on (year, month)."""

from __future__ import annotations

import calendar
import datetime as dt
import zoneinfo
from dataclasses import dataclass

from jigai.core import programme

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
# The months the platform knows; a year outside them is a typing error, not data.
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"月份必须在 1–12 之间，而不是 {self.month}")
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise ValueError(f"年度 {self.year} 不合理")

    @classmethod
    def of(cls, day: dt.date | dt.datetime) -> Month:
        if isinstance(day, dt.datetime):
            day = day.astimezone(BEIJING).date() if day.tzinfo else day.date()
        return cls(day.year, day.month)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def days(self) -> int:
        return calendar.monthrange(self.year, self.month)[1]

    def shift(self, months: int) -> Month:
        y, m = divmod(self.year * 12 + self.month - 1 + months, 12)
        return Month(y, m + 1)

    @property
    def previous(self) -> Month:
        return self.shift(-1)

    @property
    def next(self) -> Month:
        return self.shift(1)

    def deadline_date(self, day: int | None = None) -> dt.date:
        """4.2: due on a day of the following month (the month's year's ``4.2.report_deadline_day``, the 5th)."""
        nxt = self.next
        return dt.date(nxt.year, nxt.month, day or programme.deadline_day(self.year))

    def deadline(self, day: int | None = None) -> dt.datetime:
        """The first instant after the deadline day, Beijing time: a report stamped before it is on time."""
        end = self.deadline_date(day) + dt.timedelta(days=1)
        return dt.datetime.combine(end, dt.time(0, 0), tzinfo=BEIJING)

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def key(self) -> str:
        return f"{self.year}-{self.month:02d}"

    def __str__(self) -> str:
        return self.key


def months_between(first: Month, last: Month) -> list[Month]:
    out, m = [], first
    while m <= last:
        out.append(m)
        m = m.next
    return out
