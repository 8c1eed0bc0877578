import datetime as dt

from jigai.core.dates import local_date

UTC = dt.UTC


def test_a_moment_is_dated_by_beijing_not_utc():
    assert local_date(dt.datetime(2026, 12, 7, 15, 59, tzinfo=UTC)) == dt.date(2026, 12, 7)
    assert local_date(dt.datetime(2026, 12, 7, 16, 0, tzinfo=UTC)) == dt.date(2026, 12, 8)
    assert local_date(dt.datetime(2026, 12, 7, 23, 59, tzinfo=UTC)) == dt.date(2026, 12, 8)


def test_a_naive_moment_is_taken_as_local():
    assert local_date(dt.datetime(2026, 12, 7, 23, 59)) == dt.date(2026, 12, 7)
