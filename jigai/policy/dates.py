"""Calendar arithmetic used by the rules."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def add_months(start: date, months: int) -> date:
    """``start`` plus whole calendar months, the day clamped to the target month's last day.

    3.1.1 改造期内（最长不超过3年）: completion is in time when ``completion <= add_months(start, 36)``,
    so 2018-03-15 → 2021-03-15 is allowed, 2021-03-16 is not; 2016-02-29 + 36 → 2019-02-28.
    """
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(start.day, last))


def months_between(start: date, end: date) -> int:
    """Whole calendar months from start to end (for messages only)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return months


def months_and_days(start: date, end: date) -> tuple[int, int]:
    """Whole calendar months from start to end and the days left over (for messages: 15 months and 29
    days is "15个月29天", not "15个月" — issue 13, point 11)."""
    months = months_between(start, end)
    return months, (end - add_months(start, months)).days


def period_zh(start: date, end: date) -> str:
    months, days = months_and_days(start, end)
    return f"{months}个月" + (f"{days}天" if days else "")


def parse_date(value: object) -> date:
    """ISO ``YYYY-MM-DD`` (one-digit month/day accepted), or a date/datetime from a spreadsheet cell."""
    if isinstance(value, datetime):
        if (value.hour, value.minute, value.second, value.microsecond) != (0, 0, 0, 0):
            raise ValueError(f"日期不应含时间：{value}")
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        m = _ISO.match(value.strip())
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                pass
    raise ValueError(f"日期格式错误：{value!r}（应为 YYYY-MM-DD，如 2018-03-15）")
