"""Which projects must report a month, and which reports are on time, late, missing or still pending."""

import datetime as dt

import pytest

from jigai.dispatch import selectors
from jigai.dispatch.periods import Month

from .helpers import bj, project, report

D = dt.date
JUNE = Month(2019, 6)

DUE = [
    ("under construction since before the month", {"start": D(2019, 1, 10)}, True),
    ("started on the month's last day", {"start": D(2019, 6, 30)}, True),
    ("starts after the month", {"start": D(2019, 7, 1)}, False),
    ("in the pipeline, not started", {"start": None}, False),
    ("completed during the month", {"start": D(2019, 1, 10), "completion": D(2019, 6, 1)}, True),
    ("completed before the month", {"start": D(2019, 1, 10), "completion": D(2019, 5, 31)}, False),
    ("accepted, completed during the month", {"start": D(2019, 1, 10), "completion": D(2019, 6, 20),
                                              "status": "accepted"}, True),
    ("terminated during the month", {"start": D(2019, 1, 10), "terminated": D(2019, 6, 10)}, True),
    ("terminated before the month", {"start": D(2019, 1, 10), "terminated": D(2019, 5, 10)}, False),
    ("terminated with no recorded date", {"start": D(2019, 1, 10), "status": "terminated"}, False),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "attrs", "due"), DUE, ids=[c[0] for c in DUE])
def test_a_project_reports_a_month_when_it_is_under_construction_at_any_time_in_it(case, attrs, due):
    p = project(**attrs)
    assert (p.pk in {ln.id for ln in selectors.due_projects(JUNE)}) is due


@pytest.mark.django_db
def test_reports_are_on_time_late_missing_or_pending_against_the_deadline(users):
    on_time, late, missing = project(), project(), project()
    clerk = users["clerk"]
    report(clerk, on_time, 2019, 6, 10, 100, at=bj(2019, 7, 5, 23, 59))
    report(clerk, late, 2019, 6, 10, 100, at=bj(2019, 7, 6, 0, 1))

    def states(now):
        return {
            st.line.id: st.status
            for st in selectors.report_states(JUNE, selectors.due_projects(JUNE), now=now)
        }

    assert states(bj(2019, 7, 5, 12)) == {on_time.pk: "on_time", late.pk: "late", missing.pk: "pending"}
    assert states(bj(2019, 7, 6, 0, 0))[missing.pk] == "missing"
    status = selectors.month_status(users["office"], JUNE, now=bj(2019, 7, 20))
    enshi = next(s for s in status if s.region.code == "422801")
    assert (enshi.due, enshi.on_time, enshi.late, enshi.missing, enshi.pending) == (3, 1, 1, 1, 0)
    assert [st.line.id for st in enshi.late_projects] == [late.pk]
    assert [st.line.id for st in enshi.missing_projects] == [missing.pk]
    assert all(s.due == 0 for s in status if s.region.code != "422801")


@pytest.mark.django_db
def test_the_deadline_day_is_a_programme_parameter_an_installation_may_override(users, settings):
    p = project()
    report(users["clerk"], p, 2019, 6, 10, 100, at=bj(2019, 7, 8))
    settings.JIGAI_PROGRAMME_OVERRIDES = ["4.2.report_deadline_day=10"]
    states = selectors.report_states(JUNE, selectors.due_projects(JUNE), now=bj(2019, 7, 20))
    assert [s.status for s in states] == ["on_time"]
    settings.JIGAI_PROGRAMME_OVERRIDES = []
    states = selectors.report_states(JUNE, selectors.due_projects(JUNE), now=bj(2019, 7, 20))
    assert [s.status for s in states] == ["late"]


@pytest.mark.django_db
def test_a_later_programmes_deadline_applies_from_its_year_only(users, settings):
    p = project()
    report(users["clerk"], p, 2019, 6, 10, 100, at=bj(2019, 7, 8))
    settings.JIGAI_PROGRAMME_OVERRIDES = ["4.2.report_deadline_day@2020=10"]
    states = selectors.report_states(JUNE, selectors.due_projects(JUNE), now=bj(2019, 7, 20))
    assert [s.status for s in states] == ["late"]


@pytest.mark.django_db
def test_a_clerk_sees_only_their_units_reporting_status(users):
    project("422801")
    project("422802")
    status = selectors.month_status(users["clerk"], JUNE, now=bj(2019, 7, 20))
    assert [(s.region.code, s.due) for s in status] == [("422801", 1)]
    assert selectors.month_status(users["bank"], JUNE, now=bj(2019, 7, 20)) == []
