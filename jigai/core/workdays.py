"""China's official working calendar (工作日): public holidays and the make-up working days (调休) the
State Council announces each year, from the maintained `chinesecalendar` library.

Every time limit the platform counts in working days (approval items, to-do deadlines, follow-ups) goes
through here. A year the library does not cover is refused with a clear error, never guessed.

The State Council announces next year's arrangement each autumn, before the library's next release. An
installation bridges the gap with a supplement: the setting ``JIGAI_WORKDAY_CALENDAR`` names a YAML file
with the arrangement of the years after the library's last one (docs/operator-guide.md)::

    2027:
      holidays: [2027-01-01, [2027-02-06, 2027-02-12]]   # a day, or a [first, last] range
      workdays: [2027-02-14]                             # make-up working days (调休上班)

A year the library covers is always read from the library (its entries in the supplement are ignored,
so upgrading the library never conflicts); the supplement's years must follow the library's last year
without a gap, so the covered years stay one range.
"""

from __future__ import annotations

import datetime as dt
import functools
import os

import chinese_calendar
from django.utils.translation import gettext

from .errors import ValidationError

MAX_DAYS = 3660  # a time limit of ten years of working days is a typing mistake, not a deadline


class CalendarNotCovered(ValidationError):
    """The date falls in a year the working calendar has no arrangement for."""


class CalendarSupplementError(ValidationError):
    """The supplement file named by JIGAI_WORKDAY_CALENDAR cannot be read as an arrangement."""


@functools.cache
def _library_years() -> tuple[int, int]:
    years = {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}
    return min(years), max(years)


def _supplement_path() -> str:
    try:
        from django.conf import settings

        return str(getattr(settings, "JIGAI_WORKDAY_CALENDAR", "") or "")
    except Exception:
        return os.environ.get("JIGAI_WORKDAY_CALENDAR", "")


def _day(value, path: str, year: int) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, dt.date):
        raise CalendarSupplementError(
            {"JIGAI_WORKDAY_CALENDAR": [f"{path}：{year} 年的“{value}”不是日期（应如 {year}-01-01）"]}
        )
    if value.year != year:
        raise CalendarSupplementError(
            {"JIGAI_WORKDAY_CALENDAR": [f"{path}：{value:%Y-%m-%d} 不在它所列的 {year} 年"]}
        )
    return value


def _days(entries, path: str, year: int) -> set[dt.date]:
    out: set[dt.date] = set()
    for entry in entries or ():
        if isinstance(entry, list | tuple):
            if len(entry) != 2:
                raise CalendarSupplementError(
                    {"JIGAI_WORKDAY_CALENDAR": [f"{path}：{year} 年的区间须写成 [起, 止] 两个日期"]}
                )
            first, last = _day(entry[0], path, year), _day(entry[1], path, year)
            if last < first:
                raise CalendarSupplementError(
                    {"JIGAI_WORKDAY_CALENDAR": [f"{path}：区间 {first} 至 {last} 的止日早于起日"]}
                )
            out |= {first + dt.timedelta(days=i) for i in range((last - first).days + 1)}
        else:
            out.add(_day(entry, path, year))
    return out


@functools.lru_cache(maxsize=4)
def _load_supplement(path: str, mtime: float) -> dict[int, tuple[frozenset, frozenset]]:
    import yaml

    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
    except OSError as exc:
        raise CalendarSupplementError(
            {"JIGAI_WORKDAY_CALENDAR": [f"无法读取工作日历补充文件 {path}：{exc.strerror or exc}"]}
        ) from exc
    except yaml.YAMLError as exc:
        raise CalendarSupplementError(
            {"JIGAI_WORKDAY_CALENDAR": [f"工作日历补充文件 {path} 不是有效的 YAML：{exc}"]}
        ) from exc
    if not isinstance(data, dict):
        raise CalendarSupplementError(
            {"JIGAI_WORKDAY_CALENDAR": [f"{path}：应按年份列出节假日（holidays）和调休上班日（workdays）"]}
        )
    out: dict[int, tuple[frozenset, frozenset]] = {}
    for key, value in data.items():
        try:
            year = int(key)
        except (TypeError, ValueError):
            year = 0
        if not 1900 <= year <= 2200 or not isinstance(value, dict) or set(value) - {"holidays", "workdays"}:
            raise CalendarSupplementError(
                {
                    "JIGAI_WORKDAY_CALENDAR": [
                        f"{path}：“{key}”应为年份，其下只能有 holidays（节假日）和 workdays（调休上班日）"
                    ]
                }
            )
        holidays, workdays = (
            _days(value.get("holidays"), path, year),
            _days(value.get("workdays"), path, year),
        )
        if both := sorted(holidays & workdays):
            raise CalendarSupplementError(
                {"JIGAI_WORKDAY_CALENDAR": [f"{path}：{both[0]:%Y-%m-%d} 既是节假日又是调休上班日"]}
            )
        out[year] = (frozenset(holidays), frozenset(workdays))
    _, last = _library_years()
    extra = sorted(y for y in out if y > last)
    if extra and extra != list(range(last + 1, extra[-1] + 1)):
        missing = sorted(set(range(last + 1, extra[-1] + 1)) - set(extra))
        raise CalendarSupplementError(
            {
                "JIGAI_WORKDAY_CALENDAR": [
                    f"{path}：日历库收录到 {last} 年，补充文件须从 {last + 1} 年起逐年连续，"
                    f"缺少 {'、'.join(str(y) for y in missing)} 年"
                ]
            }
        )
    return {y: v for y, v in out.items() if y > last}


def supplement() -> dict[int, tuple[frozenset, frozenset]]:
    """The supplement's years after the library's last one: year → (holidays, make-up working days)."""
    path = _supplement_path()
    if not path:
        return {}
    try:
        mtime = os.stat(path).st_mtime
    except OSError as exc:
        raise CalendarSupplementError(
            {"JIGAI_WORKDAY_CALENDAR": [f"工作日历补充文件 {path} 不存在或无法读取"]}
        ) from exc
    return _load_supplement(path, mtime)


def covered_years() -> tuple[int, int]:
    """The first and last year with the State Council's arrangements: the library's, then the
    supplement's (JIGAI_WORKDAY_CALENDAR)."""
    first, last = _library_years()
    extra = supplement()
    return first, max([last, *extra])


def _covered(day: dt.date, span: tuple[int, int] | None = None) -> None:
    first, last = span or covered_years()
    if not first <= day.year <= last:
        raise CalendarNotCovered(
            {
                "date": [
                    gettext(
                        "工作日历只收录 %(first)s—%(last)s 年的法定节假日和调休安排，"
                        "%(day)s 所在的 %(year)s 年无法计算工作日"
                    )
                    % {"first": first, "last": last, "day": f"{day:%Y-%m-%d}", "year": day.year}
                ]
            }
        )


def _is_workday(day: dt.date, extra: dict) -> bool:
    if day.year in extra:
        holidays, workdays = extra[day.year]
        if day in workdays:
            return True
        return day not in holidays and day.weekday() < 5
    return chinese_calendar.is_workday(day)


def is_workday(day: dt.date) -> bool:
    _covered(day)
    return _is_workday(day, supplement())


def add(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted; 0 gives ``start``)."""
    if days < 0 or days > MAX_DAYS:
        raise ValidationError({"days": [f"工作日数须在 0 到 {MAX_DAYS} 之间，收到 {days}"]})
    extra = supplement()
    span = covered_years()
    day = start
    _covered(day, span)
    left = days
    while left:
        day += dt.timedelta(days=1)
        _covered(day, span)
        if _is_workday(day, extra):
            left -= 1
    return day


def between(start: dt.date, end: dt.date) -> int:
    """The number of working days after ``start`` up to and including ``end`` (negative if ``end`` is
    before ``start``)."""
    if end < start:
        return -between(end, start)
    _covered(start)
    _covered(end)
    extra = supplement()
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if _is_workday(day, extra):
            count += 1
    return count
