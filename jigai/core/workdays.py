"""China's official working calendar (工作日): public holidays and the make-up working days (调休) the
State Council announces each year, from the maintained `chinesecalendar` library.

Every time limit the platform counts in working days (approval items, to-do deadlines, follow-ups) goes
through here. A year the library does not cover is refused with a clear error, never guessed.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar

from .errors import ValidationError

MAX_DAYS = 3660  # a time limit of ten years of working days is a typing mistake, not a deadline


class CalendarNotCovered(ValidationError):
    """The date falls in a year the working calendar has no arrangement for."""


def _covered(day: dt.date) -> None:
    first, last = covered_years()
    if not first <= day.year <= last:
        raise CalendarNotCovered(
            {
                "date": [
                    f"工作日历只收录 {first}—{last} 年的法定节假日和调休安排，"
                    f"{day:%Y-%m-%d} 所在的 {day.year} 年无法计算工作日"
                ]
            }
        )


def covered_years() -> tuple[int, int]:
    """The first and last year the installed calendar library has the State Council's arrangements for."""
    years = {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}
    return min(years), max(years)


def is_workday(day: dt.date) -> bool:
    _covered(day)
    return chinese_calendar.is_workday(day)


def add(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted; 0 gives ``start``)."""
    if days < 0 or days > MAX_DAYS:
        raise ValidationError({"days": [f"工作日数须在 0 到 {MAX_DAYS} 之间，收到 {days}"]})
    day = start
    _covered(day)
    left = days
    while left:
        day += dt.timedelta(days=1)
        if is_workday(day):
            left -= 1
    return day


def between(start: dt.date, end: dt.date) -> int:
    """The number of working days after ``start`` up to and including ``end`` (negative if ``end`` is
    before ``start``)."""
    if end < start:
        return -between(end, start)
    _covered(start)
    _covered(end)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if chinese_calendar.is_workday(day):
            count += 1
    return count
