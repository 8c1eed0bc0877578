"""2.1.b 实施项目 is one number: the bulletin and the targets page count it with the same function
(docs/programme.md, reading 8)."""

import datetime as dt

import pytest

from jigai.assessment import selectors
from jigai.dispatch import bulletin
from jigai.dispatch.periods import Month
from jigai.dispatch.selectors import implemented_lines
from jigai.dispatch.tests.helpers import bj, project

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def library():
    return {
        "running": project("422825", start=D(2019, 5, 1)),
        "new": project("422825", start=D(2020, 3, 1)),
        "done": project("422825", start=D(2019, 1, 1), completion=D(2020, 6, 30)),
        "cancelled": project("422825", start=D(2019, 6, 1), terminated=D(2020, 4, 10)),
        "cancelled_2021": project("422828", start=D(2020, 2, 1), terminated=D(2021, 3, 1)),
        "cancelled_before": project("422828", start=D(2018, 2, 1), terminated=D(2019, 12, 1)),
        "reserve": project("422828", start=None),
    }


def test_the_bulletin_and_the_targets_page_count_the_same_projects(library):
    snap = bulletin.compute(Month(2020, 12), as_of=bj(2021, 1, 15, 15))
    by_code = {u["code"]: u["implemented"] for u in snap["units"]}
    report = selectors.targets_report(2020, as_of=dt.date(2021, 1, 31))
    (total,) = report.by_clause("2.1.b")
    lines = {t.scope: int(t.actual) for t in [total, *total.details]}
    # 宣恩: running, new, done (a project cancelled in April no longer counts); 鹤峰: cancelled only in 2021.
    assert (by_code["422825"], by_code["422828"]) == (3, 1)
    assert (lines["宣恩县"], lines["鹤峰县"]) == (3, 1)
    assert snap["prefecture"]["implemented"] == lines["全州"] == 4
    assert {ln.id for ln in implemented_lines(2020)} == {
        library[k].pk for k in ("running", "new", "done", "cancelled_2021")
    }


def test_as_of_a_month_before_its_cancellation_a_project_still_counts(library):
    snap = bulletin.compute(Month(2020, 3), as_of=bj(2020, 4, 8))
    assert next(u for u in snap["units"] if u["code"] == "422825")["implemented"] == 4
