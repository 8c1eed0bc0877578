"""Online filing with its numbered receipt (3.5), the secretary (秘书制), land (3.3) and consultation
meetings with their follow-ups and minutes (4.2)."""

import datetime as dt

import pytest

from conftest import ProjectFactory
from jigai.core import todo
from jigai.core.errors import ConflictError, PermissionDeniedError, ValidationError
from jigai.dispatch.tests.helpers import report
from jigai.documents import inspect
from jigai.support import documents, selectors, services
from jigai.support.models import ApprovalItem, Filing, Outcome, Source, State

from .factories import AT, NEW_BUILD, RENEWAL, bj, other_clerk, own_project

pytestmark = pytest.mark.django_db


def file(users, p, facts=RENEWAL, date=dt.date(2019, 3, 4)):
    return services.filing_submit(
        user=users["enterprise"],
        project=p,
        facts=facts,
        content="更新数控机床 20 台",
        filing_date=date,
        at=bj(date.year, date.month, date.day),
    )


def test_a_qualifying_filing_is_numbered_per_year_and_receipted_at_once(users):
    p, q = own_project(users), own_project(users)
    first, second = file(users, p), file(users, q)
    assert (first.outcome, first.receipt_year, first.receipt_serial) == (Outcome.ELIGIBLE, 2019, 1)
    assert second.receipt_serial == 2
    next_year = file(users, p, date=dt.date(2020, 1, 6))
    assert (next_year.receipt_year, next_year.receipt_serial) == (2020, 1)
    data = documents.filing_receipt(first).to_bytes()
    assert inspect.number_text(data) == "恩施州技改备〔2019〕1号"
    assert inspect.title(data).text == f"关于{p.name}网上备案的回执"
    assert inspect.addressees(data) == f"{users['_own_enterprise'].name}："
    assert inspect.date_line(data) == "2019年3月4日"
    assert any("零审批" in t for t in inspect.body_texts(data))


def test_a_receipt_takes_its_number_from_the_document_register(users):
    """docs/documents.md, 发文登记: the receipt's number is a line of the one register, kind 备案回执; a
    number the register already holds (entered before) is never handed out again."""
    from jigai.core.docnumbers import next_document_number
    from jigai.core.models import DocumentNumber

    p = own_project(users)
    next_document_number(
        issuer=documents.RECEIPT_PREFIX, year=2019, kind=DocumentNumber.Kind.OTHER, at=AT, user=users["office"]
    )  # fmt: skip
    f = file(users, p)
    assert (f.receipt_year, f.receipt_serial) == (2019, 2)
    entry = DocumentNumber.objects.get(issuer="恩施州技改备", year=2019, serial=2)
    assert entry.kind == DocumentNumber.Kind.FILING_RECEIPT and entry.text == "恩施州技改备〔2019〕2号"
    assert entry.title == f"关于{p.name}网上备案的回执" and entry.issue_date == dt.date(2019, 3, 4)
    assert (entry.object_type, entry.object_id) == ("registry.project", str(p.pk))
    # An ineligible filing takes no number.
    file(users, own_project(users), facts=NEW_BUILD)
    assert DocumentNumber.objects.filter(kind=DocumentNumber.Kind.FILING_RECEIPT).count() == 1


def test_the_receipt_unique_constraint_stays_a_backstop(users):
    """A receipt row holding a number the register never handed out (written around the service) makes
    the next filing fail whole — no filing, no register line — rather than share the number."""
    from jigai.core.models import DocumentNumber

    first = file(users, own_project(users))
    Filing.objects.filter(pk=first.pk).update(receipt_serial=2)  # around the register, on purpose
    p = own_project(users)
    with pytest.raises(ConflictError):
        file(users, p)
    assert not Filing.objects.filter(project=p).exists()
    assert DocumentNumber.objects.filter(issuer="恩施州技改备", year=2019).count() == 1


def test_a_filing_that_does_not_qualify_is_told_why_and_which_approvals(users):
    p = own_project(users)
    f = file(users, p, facts=NEW_BUILD)
    assert f.outcome == Outcome.INELIGIBLE and f.receipt_serial is None
    assert any("新建" in r["message"] for r in f.reasons)
    assert any("环评" in a for a in f.approvals) and any("土地" in a for a in f.approvals)
    items = {i.kind: i for i in ApprovalItem.objects.filter(project=p)}
    assert {"eia", "land", "filing"} <= set(items) and items["eia"].source == Source.FILING


def test_bad_filing_input_is_refused_naming_the_field(users):
    p = own_project(users)
    for facts, field in (
        ({**RENEWAL, "project_type": "x"}, "project_type"),
        ({**RENEWAL, "new_land_area_m2": "-1"}, "new_land_area_m2"),
    ):
        with pytest.raises(ValidationError) as exc:
            file(users, p, facts=facts)
        assert field in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        services.filing_submit(
            user=users["enterprise"],
            project=p,
            facts=RENEWAL,
            content=" ",
            filing_date=dt.date(2019, 3, 4),
            at=AT,
        )
    assert "content" in exc.value.errors
    assert Filing.objects.count() == 0


def test_an_enterprise_may_not_file_another_s_project(users):
    with pytest.raises(PermissionDeniedError):
        file(users, ProjectFactory())


def test_the_secretary_is_an_official_with_a_phone(users):
    p = ProjectFactory(is_key=True)
    for who, phone, field in ((users["enterprise"], "1", "secretary"), (users["clerk"], " ", "phone")):
        with pytest.raises(ValidationError) as exc:
            services.secretary_assign(user=users["office"], project=p, secretary=who, phone=phone, at=AT)
        assert field in exc.value.errors
    with pytest.raises(PermissionDeniedError):
        services.secretary_assign(user=users["clerk"], project=p, secretary=users["clerk"], phone="1", at=AT)
    key = f"support.secretary.{p.pk}.assign"
    assert key in {t.key for t in todo.todos_for(users["office"], dt.date(2019, 3, 1))}
    s = services.secretary_assign(
        user=users["office"], project=p, secretary=users["clerk"], phone="0718-1", at=AT
    )
    assert key not in {t.key for t in todo.todos_for(users["office"], dt.date(2019, 3, 1))}
    s = services.secretary_assign(
        user=users["office"],
        project=p,
        secretary=users["office"],
        phone="0718-2",
        expected_version=s.version,
        at=AT,
    )
    assert (s.user, s.version) == (users["office"], 2)


def test_land_facts_the_3_3_determination_and_priority_items(users):
    p = ProjectFactory()
    data = {
        "land_kind": "existing", "industrial_land": True, "area_m2": "20000", "plot_ratio_before": "0.8",
        "plot_ratio_after": "1.4", "extra_floors": True, "conforms_urban_plan": True, "within_original_site": True,
        "approval": "approved", "approval_date": dt.date(2019, 4, 1), "application_date": dt.date(2019, 3, 1),
    }  # fmt: skip
    land = services.land_save(user=users["clerk"], project=p, data=data, at=AT)
    decision = services.land_decision(land)
    assert decision.outcome == "eligible" and "厂房改造加层" in decision.explain()
    land = services.land_save(
        user=users["clerk"], project=p, data={**data, "change_of_use": True}, expected_version=1, at=AT
    )
    assert services.land_decision(land).outcome == "ineligible"
    with pytest.raises(ValidationError) as exc:
        services.land_save(
            user=users["clerk"],
            project=p,
            data={**data, "acquisition": "lease_then_transfer"},
            expected_version=2,
            at=AT,
        )
    assert "acquisition" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        services.land_save(
            user=users["clerk"],
            project=p,
            data={**data, "plot_ratio_after": "abc"},
            expected_version=2,
            at=AT,
        )
    assert "plot_ratio_after" in exc.value.errors
    items = services.land_priority(
        user=users["clerk"],
        project=p,
        kinds=["land_planning", "land_supply"],
        started_date=dt.date(2019, 9, 27),
        at=AT,
    )
    due = {i.kind: i.due_date for i in items}  # Sep 29 and Oct 12 worked, Oct 1–7 off
    assert due == {"land_planning": dt.date(2019, 10, 16), "land_supply": dt.date(2019, 10, 30)}
    assert all(i.state == State.IN_PROGRESS and i.source == Source.LAND for i in items)
    with pytest.raises(ConflictError):
        services.land_priority(
            user=users["clerk"], project=p, kinds=["land_supply"], started_date=dt.date(2019, 10, 8), at=AT
        )


def test_a_meeting_s_decisions_are_follow_ups_on_their_owners_lists(users):
    clerk2 = other_clerk()
    p = ProjectFactory()
    meeting = services.meeting_record(
        user=users["office"], kind="consultation", title="全州技改项目会商会", date=dt.date(2019, 9, 27), chair="州经信委主任",
        participants="州发改委、州国土资源局、州环保局", projects=[p], problems="项目环评进度慢",
        decisions=[
            {"decision": "州环保局十个工作日内完成环评审批", "owner": users["clerk"], "time_limit_days": 3, "project": p},
            {"decision": "协调用地指标", "owner": clerk2, "time_limit_days": 10, "project": None},
        ],
        at=bj(2019, 9, 27),
    )  # fmt: skip
    first, second = meeting.followups.order_by("id")
    assert first.due_date == dt.date(2019, 10, 8)  # Sep 29, 30, Oct 8 across National Day
    mine = {t.key for t in todo.todos_for(users["clerk"], dt.date(2019, 10, 8))}
    assert f"support.followup.{first.pk}.do" in mine and f"support.followup.{second.pk}.do" not in mine
    assert f"support.followup.{first.pk}.do" in {t.key for t in todo.overdue(dt.date(2019, 10, 9))}
    # Only the owner (or the office) reports it carried out.
    with pytest.raises(PermissionDeniedError):
        services.followup_close(
            user=clerk2,
            followup=first,
            done_date=dt.date(2019, 10, 9),
            result="已办",
            expected_version=1,
            at=AT,
        )
    with pytest.raises(ValidationError) as exc:
        services.followup_close(
            user=users["clerk"],
            followup=first,
            done_date=dt.date(2019, 10, 9),
            result="",
            expected_version=1,
            at=AT,
        )
    assert "result" in exc.value.errors
    services.followup_close(
        user=users["clerk"],
        followup=first,
        done_date=dt.date(2019, 10, 9),
        result="环评已批复",
        expected_version=1,
        at=AT,
    )
    assert f"support.followup.{first.pk}.do" not in {t.key for t in todo.all_todos(dt.date(2019, 10, 10))}
    # A clerk sees the meetings of their county's projects and those with a decision they own.
    assert list(selectors.meetings_for(clerk2)) == [meeting]
    assert list(selectors.meetings_for(users["enterprise"])) == []
    data = documents.meeting_minutes(meeting).to_bytes()
    assert inspect.title(data).text == "全州技改项目会商会纪要"
    assert ["1", "州环保局十个工作日内完成环评审批", "clerk", "2019年10月8日"] in inspect.tables(data)[1]


def test_a_meeting_with_a_bad_decision_writes_nothing(users):
    from jigai.support.models import Meeting

    with pytest.raises(ValidationError) as exc:
        services.meeting_record(
            user=users["office"], kind="consultation", title="会商", date=dt.date(2019, 9, 27), chair="主任",
            participants="各部门", decisions=[{"decision": "办", "owner": users["enterprise"], "time_limit_days": 0}], at=AT,
        )  # fmt: skip
    assert len(exc.value.errors["decisions"]) == 2
    assert Meeting.objects.count() == 0


def test_the_month_s_reported_problems_feed_the_next_meeting_s_agenda(users):
    p = ProjectFactory(status="construction", actual_start_date=dt.date(2019, 1, 10))
    report(users["clerk"], p, 2019, 5, 100, 100, problems="用地报批未完成", department_asked="州国土资源局")
    report(users["clerk"], p, 2019, 6, 100, 200)  # no problem: not on the agenda
    assert [(r.month, r.problems) for r in selectors.agenda(users["office"], since=None)] == [
        (5, "用地报批未完成")
    ]
    services.meeting_record(
        user=users["office"], kind="consultation", title="6月会商", date=dt.date(2019, 6, 20), chair="主任",
        participants="各部门", at=AT,
    )  # fmt: skip
    assert selectors.agenda(users["office"], since=selectors.last_meeting_date(users["office"])) == []
    assert selectors.agenda(users["enterprise"], since=None) == []  # not the enterprise's business
    c = users["office"]
    from django.test import Client

    client = Client()
    client.force_login(c)
    html = client.get("/support/meetings/new/").content.decode()
    assert "月调度中报送" in html


def test_zero_approval_still_lists_the_statutory_approvals_on_the_receipt(users):
    p = own_project(users)
    facts = {**RENEWAL, "changes_pollutant_discharge": True, "energy_review_required": True}
    f = file(users, p, facts=facts)
    assert f.outcome == Outcome.ELIGIBLE and f.receipt_serial == 1
    assert any("环评" in a for a in f.approvals) and any("能评" in a for a in f.approvals)
    assert not any("备案" in a for a in f.approvals)  # the filing itself is what 零审批 waives
    kinds = set(ApprovalItem.objects.filter(project=p).values_list("kind", flat=True))
    assert kinds == {"eia", "energy"}
    body = "".join(inspect.body_texts(documents.filing_receipt(f).to_bytes()))
    assert "环评" in body and "能评" in body and "不因网上备案而免除" in body


def test_land_approval_is_a_fact_and_priority_handling_is_recorded(users):
    p = ProjectFactory()
    data = {
        "land_kind": "existing", "industrial_land": True, "area_m2": "20000", "plot_ratio_before": "0.8",
        "plot_ratio_after": "1.4", "underground": True, "application_date": dt.date(2019, 3, 1),
    }  # fmt: skip
    land = services.land_save(user=users["clerk"], project=p, data=data, at=AT)
    pending = services.land_decision(land)
    assert pending.outcome == "review" and "尚待批准" in pending.explain()
    with pytest.raises(ValidationError) as exc:
        services.land_save(
            user=users["clerk"], project=p, data={**data, "approval": "refused"}, expected_version=1, at=AT
        )
    assert "approval_date" in exc.value.errors
    land = services.land_save(
        user=users["clerk"], project=p, data={**data, "approval": "refused", "approval_date": dt.date(2019, 5, 1)},
        expected_version=1, at=AT,
    )  # fmt: skip
    assert services.land_decision(land).outcome == "ineligible"
    services.land_priority(
        user=users["clerk"], project=p, kinds=["land_approval"], started_date=dt.date(2019, 3, 4), at=AT
    )
    assert "优先报批" in services.land_decision(land).explain()


def test_receipts_issued_before_the_register_are_entered_in_it(users):
    """The data migration enters receipts numbered by the old per-year sequence in the register, so the
    register never hands one of their numbers out again."""
    import importlib

    from django.apps import apps

    from jigai.core.models import DocumentNumber, DocumentNumberCounter

    migration = importlib.import_module("jigai.support.migrations.0002_filing_receipts_in_document_register")
    old = file(users, own_project(users))
    DocumentNumber.objects.all().delete()  # as before the register existed
    DocumentNumberCounter.objects.all().delete()
    Filing.objects.filter(pk=old.pk).update(receipt_serial=7)
    migration.register_existing_receipts(apps, None)
    migration.register_existing_receipts(apps, None)  # twice: nothing entered twice
    entry = DocumentNumber.objects.get(issuer="恩施州技改备", year=2019)
    assert (entry.serial, entry.kind, entry.object_id) == (7, "filing_receipt", str(old.project_id))
    assert file(users, own_project(users)).receipt_serial == 8
