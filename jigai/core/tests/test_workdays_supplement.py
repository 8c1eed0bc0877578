"""The working calendar's command (`jigai workdays`) and the supplement for years the library does not
cover yet (JIGAI_WORKDAY_CALENDAR, core/workdays.py)."""

import datetime as dt
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jigai.core import workdays

LAST = workdays._library_years()[1]
NEXT = LAST + 1


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue().strip()


def test_add_and_between_across_spring_festival_and_national_day_2019():
    # 2019 Spring Festival: Feb 4–10 off, Sat Feb 2 and Sun Feb 3 worked.
    assert run("add", "2019-02-01", "1") == "2019-02-02"
    assert run("add", "2019-02-01", "3") == "2019-02-11"
    assert run("between", "2019-02-01", "2019-02-11") == "3"
    # National Day: Oct 1–7 off, Sun Sep 29 and Sat Oct 12 worked.
    assert run("add", "2019-09-27", "1") == "2019-09-29"
    assert run("add", "2019-09-30", "1") == "2019-10-08"
    assert run("between", "2019-09-30", "2019-10-12") == "5"  # Oct 8, 9, 10, 11 and the make-up 12th
    assert run("between", "2019-10-12", "2019-09-30") == "-5"
    assert run("add", "2019-06-03", "0") == "2019-06-03"


def test_a_year_not_covered_and_bad_input_are_refused_in_chinese():
    with pytest.raises(CommandError, match=f"{NEXT} 年无法计算工作日"):
        run("add", f"{LAST}-12-20", "30")
    with pytest.raises(CommandError, match="2003 年无法计算工作日"):
        run("between", "2003-12-30", "2004-01-05")
    with pytest.raises(CommandError, match="不是日期"):
        run("add", "2019/02/01", "3")
    with pytest.raises(CommandError, match="不是整数"):
        run("add", "2019-02-01", "三")
    with pytest.raises(CommandError, match="工作日数须在 0 到 3660 之间"):
        run("add", "2019-02-01", "-1")


def test_the_jigai_command_exits_non_zero_with_the_message():
    ok = subprocess.run(
        [sys.executable, "-m", "jigai.cli", "workdays", "add", "2019-02-01", "3"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0 and ok.stdout.strip() == "2019-02-11"
    bad = subprocess.run(
        [sys.executable, "-m", "jigai.cli", "workdays", "between", "2019-01-01", f"{NEXT}-01-10"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode != 0 and f"{NEXT} 年无法计算工作日" in bad.stderr


@pytest.fixture
def supplement(tmp_path, settings):
    path = tmp_path / "calendar.yaml"

    def write(text: str):
        path.write_text(text, encoding="utf-8")
        settings.JIGAI_WORKDAY_CALENDAR = str(path)
        workdays._load_supplement.cache_clear()
        return path

    yield write
    workdays._load_supplement.cache_clear()


def test_the_supplement_extends_the_calendar_with_its_holidays_and_make_up_days(supplement):
    # A Spring Festival shaped like 2019's, a year after the library's last.
    jan1 = dt.date(NEXT, 1, 1)
    supplement(
        f"{NEXT}:\n"
        f"  holidays: [{NEXT}-01-01, [{NEXT}-02-04, {NEXT}-02-10]]\n"
        f"  workdays: [{NEXT}-02-02, {NEXT}-02-03]\n"
    )
    assert workdays.covered_years()[1] == NEXT
    assert not workdays.is_workday(jan1)
    assert not workdays.is_workday(dt.date(NEXT, 2, 4)) and not workdays.is_workday(dt.date(NEXT, 2, 10))
    assert workdays.is_workday(dt.date(NEXT, 2, 2)) and workdays.is_workday(dt.date(NEXT, 2, 3))
    # An ordinary weekend of the year is off, an ordinary weekday on.
    weekend = next(
        jan1 + dt.timedelta(days=i) for i in range(20, 30) if (jan1 + dt.timedelta(days=i)).weekday() == 5
    )
    assert not workdays.is_workday(weekend) and workdays.is_workday(weekend + dt.timedelta(days=2))
    # Counting runs from the library's December into the supplement's January.
    dec31 = dt.date(LAST, 12, 31)
    assert workdays.between(dec31, dt.date(NEXT, 1, 2)) == (
        1 if workdays.is_workday(dt.date(NEXT, 1, 2)) else 0
    )
    assert workdays.add(dt.date(NEXT, 2, 1), 1) == dt.date(NEXT, 2, 2)
    assert workdays.add(dt.date(NEXT, 2, 3), 1) == dt.date(NEXT, 2, 11)
    assert run("add", f"{NEXT}-02-03", "1") == f"{NEXT}-02-11"
    # The year after the supplement is still refused.
    with pytest.raises(workdays.CalendarNotCovered, match=f"{NEXT + 1} 年无法计算工作日"):
        workdays.add(dt.date(NEXT, 12, 20), 30)


def test_a_library_year_in_the_supplement_is_read_from_the_library(supplement):
    supplement("2019:\n  holidays: [2019-02-02]\n")
    assert workdays.is_workday(dt.date(2019, 2, 2))  # the make-up Saturday, as the library says
    assert workdays.covered_years()[1] == LAST


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"{NEXT + 1}:\n  holidays: [{NEXT + 1}-01-01]\n", f"缺少 {NEXT} 年"),
        (f"{NEXT}:\n  holidays: [{NEXT + 1}-01-01]\n", f"不在它所列的 {NEXT} 年"),
        (f"{NEXT}:\n  holidays: [明天]\n", "不是日期"),
        (f"{NEXT}:\n  holidays: [{NEXT}-02-02]\n  workdays: [{NEXT}-02-02]\n", "既是节假日又是调休上班日"),
        (f"{NEXT}:\n  rest: []\n", "只能有 holidays"),
        (f"{NEXT}:\n  holidays: [[{NEXT}-02-10, {NEXT}-02-04]]\n", "止日早于起日"),
        ("{{{", "不是有效的 YAML"),
    ],
)
def test_a_bad_supplement_is_refused_naming_the_setting(supplement, text, message):
    supplement(text)
    with pytest.raises(workdays.CalendarSupplementError, match=message) as exc:
        workdays.add(dt.date(2019, 2, 1), 3)
    assert "JIGAI_WORKDAY_CALENDAR" in exc.value.errors


def test_a_missing_supplement_file_is_refused(settings, tmp_path):
    settings.JIGAI_WORKDAY_CALENDAR = str(tmp_path / "none.yaml")
    with pytest.raises(workdays.CalendarSupplementError, match="不存在"):
        workdays.is_workday(dt.date(2019, 2, 1))
