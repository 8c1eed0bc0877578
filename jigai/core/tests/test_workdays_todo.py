import datetime as dt

import pytest

from jigai.core import todo, workdays


def test_spring_festival_2019_with_its_make_up_days():
    # 2019: Feb 4–10 off; Saturday Feb 2 and Sunday Feb 3 were worked (调休).
    assert workdays.is_workday(dt.date(2019, 2, 2))
    assert workdays.is_workday(dt.date(2019, 2, 3))
    assert not workdays.is_workday(dt.date(2019, 2, 4))
    assert workdays.add(dt.date(2019, 2, 1), 3) == dt.date(2019, 2, 11)
    assert workdays.between(dt.date(2019, 2, 1), dt.date(2019, 2, 11)) == 3
    assert workdays.between(dt.date(2019, 2, 11), dt.date(2019, 2, 1)) == -3


def test_national_day_2019_with_its_make_up_days():
    # 2019: Oct 1–7 off; Sunday Sep 29 and Saturday Oct 12 were worked.
    assert workdays.add(dt.date(2019, 9, 27), 1) == dt.date(2019, 9, 29)
    assert workdays.add(dt.date(2019, 9, 30), 1) == dt.date(2019, 10, 8)
    assert workdays.is_workday(dt.date(2019, 10, 12))


def test_a_year_the_calendar_does_not_cover_is_refused_in_words():
    first, last = workdays.covered_years()
    with pytest.raises(workdays.CalendarNotCovered) as exc:
        workdays.add(dt.date(last, 12, 20), 30)
    assert f"{last + 1} 年无法计算工作日" in str(exc.value.errors)
    with pytest.raises(workdays.CalendarNotCovered):
        workdays.between(dt.date(first - 1, 6, 1), dt.date(first, 1, 10))


def test_todo_deadline_from_the_step_limit(settings):
    settings.JIGAI_TODO_DEADLINES = {"test.step": 3}
    item = todo.Todo(key="t.1", title="t", url="/", step="test.step", since=dt.date(2019, 2, 1))
    assert item.due_date() == dt.date(2019, 2, 11)
    assert not item.overdue_on(dt.date(2019, 2, 11))
    assert item.overdue_on(dt.date(2019, 2, 12))
    uncovered = todo.Todo(key="t.2", title="t", url="/", step="test.step", since=dt.date(2099, 1, 1))
    assert uncovered.due_date() is None and not uncovered.overdue_on(dt.date(2099, 12, 31))
    no_limit = todo.Todo(key="t.3", title="t", url="/", step="no.limit", since=dt.date(2019, 2, 1))
    assert no_limit.due_date() is None
