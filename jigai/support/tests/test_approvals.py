"""Approval items (审批代办, 3.5): proposed by the 3.5 rule, editable, each with a deadline in working days
on China's official calendar; overdue ones go to the to-do list and the accountability list (4.3)."""

import datetime as dt

import pytest

from conftest import ProjectFactory
from jigai.core import todo
from jigai.core.errors import ConflictError, StaleEditError, ValidationError
from jigai.core.models import AuditEvent
from jigai.core.workdays import covered_years
from jigai.support import services
from jigai.support.models import ApprovalItem, Source, State

from .factories import AT, NEW_BUILD, RENEWAL, bj, other_clerk

pytestmark = pytest.mark.django_db


def test_the_rule_proposes_the_ordinary_approvals_of_a_project_that_does_not_qualify(users):
    p = ProjectFactory()
    decision, created = services.approvals_propose(
        user=users["office"], project=p, facts=NEW_BUILD, today=dt.date(2019, 1, 28), at=AT
    )
    assert decision.outcome == "ineligible"
    kinds = {i.kind for i in created}
    assert {"filing", "eia", "land"} <= kinds and "safety" not in kinds
    eia = next(i for i in created if i.kind == "eia")
    assert (eia.department, eia.time_limit_days, eia.state, eia.source) == (
        "州环保局",
        30,
        State.NOT_STARTED,
        Source.RULE,
    )
    # Proposing again adds nothing and keeps what is there.
    _, again = services.approvals_propose(
        user=users["office"], project=p, facts=NEW_BUILD, today=dt.date(2019, 1, 28), at=AT
    )
    assert again == [] and ApprovalItem.objects.filter(project=p).count() == len(created)
    assert AuditEvent.objects.filter(event="approvals_propose", object_id=str(p.pk)).exists()
    assert AuditEvent.objects.filter(event="create", object_type="support.approvalitem").count() == len(
        created
    )


def test_taking_an_item_in_across_spring_festival_2019_counts_working_days(users):
    p = ProjectFactory()
    item = services.approval_add(user=users["office"], project=p, kind="filing", at=AT)
    assert item.time_limit_days == 3
    item = services.approval_update(
        user=users["clerk"], item=item, state="in_progress", department="恩施市发改局", time_limit_days=3,
        started_date=dt.date(2019, 2, 1), expected_version=item.version, at=AT,
    )  # fmt: skip
    # Feb 2 and 3 were make-up working days, Feb 4–10 the holiday: three working days end on Feb 11.
    assert item.due_date == dt.date(2019, 2, 11)
    # National Day 2019: Sep 29 worked, Oct 1–7 off, Oct 12 worked.
    item = services.approval_update(
        user=users["clerk"], item=item, state="in_progress", department="恩施市发改局", time_limit_days=5,
        started_date=dt.date(2019, 9, 27), expected_version=item.version, at=AT,
    )  # fmt: skip
    assert item.due_date == dt.date(2019, 10, 10)  # Sep 29, 30, Oct 8, 9, 10


def test_the_time_limit_setting_per_item_type(users, settings):
    settings.JIGAI_APPROVAL_TIME_LIMITS = {"eia": 45}
    item = services.approval_add(user=users["office"], project=ProjectFactory(), kind="eia", at=AT)
    assert item.time_limit_days == 45


def test_bad_item_edits_are_refused_naming_the_field_and_nothing_changes(users):
    item = services.approval_add(user=users["office"], project=ProjectFactory(), kind="safety", at=AT)
    base = dict(
        user=users["office"], item=item, department="州安监局", time_limit_days=20, expected_version=1, at=AT
    )
    cases = [
        (dict(state="in_progress"), "started_date"),
        (dict(state="done", started_date=dt.date(2019, 3, 1)), "done_date"),
        (dict(state="done", started_date=dt.date(2019, 3, 5), done_date=dt.date(2019, 3, 1)), "done_date"),
        (dict(state="not_needed"), "note"),
        (dict(state="in_progress", started_date=dt.date(2019, 3, 1), time_limit_days=0), "time_limit_days"),
        (dict(state="in_progress", started_date=dt.date(2019, 3, 1), department=" "), "department"),
        (dict(state="nonsense"), "state"),
    ]
    for extra, field in cases:
        with pytest.raises(ValidationError) as exc:
            services.approval_update(**{**base, **extra})
        assert field in exc.value.errors, (extra, exc.value.errors)
        assert all(
            "\u4e00" <= m[0] <= "\u9fff" or m[0].isdigit() or m[0] in "“" for m in exc.value.messages()
        )
    item.refresh_from_db()
    assert (item.state, item.version) == (State.NOT_STARTED, 1)
    with pytest.raises(StaleEditError):
        services.approval_update(**{**base, "state": "not_needed", "note": "不涉及", "expected_version": 7})
    with pytest.raises(ConflictError):
        services.approval_add(user=users["office"], project=item.project, kind="safety", at=AT)


def test_a_year_the_calendar_does_not_cover_is_refused_on_the_started_date(users):
    item = services.approval_add(user=users["office"], project=ProjectFactory(), kind="land", at=AT)
    last = covered_years()[1]
    with pytest.raises(ValidationError) as exc:
        services.approval_update(
            user=users["office"], item=item, state="in_progress", department="州国土资源局", time_limit_days=30,
            started_date=dt.date(last, 12, 20), expected_version=1, at=AT,
        )  # fmt: skip
    assert f"{last + 1} 年无法计算工作日" in exc.value.errors["started_date"][0]
    item.refresh_from_db()
    assert item.state == State.NOT_STARTED and item.due_date is None


def test_an_overdue_item_is_on_the_department_s_list_and_the_accountability_list(users):
    clerk2 = other_clerk()
    p = ProjectFactory(is_key=True)
    services.secretary_assign(user=users["office"], project=p, secretary=clerk2, phone="0718-8221234", at=AT)
    item = services.approval_add(user=users["office"], project=p, kind="eia", at=AT)
    services.approval_update(
        user=users["office"], item=item, state="in_progress", department="州环保局", time_limit_days=3,
        started_date=dt.date(2019, 2, 1), expected_version=1, at=AT,
    )  # fmt: skip
    key = f"support.approval.{item.pk}.handle"
    on_time = dt.date(2019, 2, 11)
    assert key not in {t.key for t in todo.overdue(on_time)}
    late = todo.overdue(dt.date(2019, 2, 12))
    entry = next(t for t in late if t.key == key)
    assert entry.actor == "州环保局" and entry.unit_code == "422801" and entry.due_date() == on_time
    # It waits on the project's secretary and on the county's clerk, not on an unrelated user.
    assert key in {t.key for t in todo.todos_for(clerk2, on_time)}
    assert key in {t.key for t in todo.todos_for(users["clerk"], on_time)}
    assert key not in {t.key for t in todo.todos_for(users["enterprise"], on_time)}
    # Done, it leaves every list.
    services.approval_update(
        user=clerk2, item=item, state="done", department="州环保局", time_limit_days=3,
        started_date=dt.date(2019, 2, 1), done_date=dt.date(2019, 2, 13), expected_version=2, at=bj(2019, 2, 13),
    )  # fmt: skip
    assert key not in {t.key for t in todo.all_todos(dt.date(2019, 2, 14))}


def test_the_clerk_of_another_county_may_not_edit_unless_secretary(users):
    from jigai.core.errors import PermissionDeniedError

    clerk2 = other_clerk()
    p = ProjectFactory()  # 恩施市
    with pytest.raises(PermissionDeniedError):
        services.approval_add(user=clerk2, project=p, kind="eia", at=AT)
    services.secretary_assign(user=users["office"], project=p, secretary=clerk2, phone="13800000000", at=AT)
    assert services.approval_add(user=clerk2, project=p, kind="eia", at=AT).kind == "eia"


def test_the_renewal_facts_qualify_and_propose_only_what_the_rule_lists(users):
    p = ProjectFactory()
    decision, created = services.approvals_propose(
        user=users["office"], project=p, facts=RENEWAL, today=dt.date(2019, 3, 1), at=AT
    )
    assert decision.outcome == "eligible"
    assert {i.kind for i in created} == {
        k for k in (services.conf.kind_of(a) for a in decision.approvals) if k
    }
