"""The batched services the imports write through (issue 10 point 5): the same checks as the one-row
services, nothing written when any row is refused, one audit record per row naming the file."""

import datetime as dt
from decimal import Decimal

import pytest

from conftest import EnterpriseFactory, ProjectFactory, make_credit_code
from jigai.accounts.permissions import PermissionDeniedError
from jigai.core import audit
from jigai.core.errors import ValidationError
from jigai.core.models import AuditEvent, Region
from jigai.registry import services
from jigai.registry.models import Enterprise, Project, ProjectPlanYear

pytestmark = pytest.mark.django_db

FILE = "恩施市.xlsx (sha256:abc)"


def new_project(enterprise, **over):
    values = {
        "enterprise_id": enterprise.pk, "region_id": enterprise.region_id, "industry_id": enterprise.industry_id,
        "name": "批量项目", "total_investment_yuan": Decimal("1000.00"), "equipment_investment_yuan": Decimal("500.00"),
        "fixed_asset_investment_yuan": Decimal("800.00"), "plan_years": (2019,),
    }  # fmt: skip
    values.update(over)
    return values


def last_seq() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def test_each_new_and_changed_project_gets_its_own_record_naming_the_user_and_the_file(users):
    clerk = users["clerk"]
    p = ProjectFactory(enterprise=users["_own_enterprise"])
    seq = last_seq()
    [pk] = services.projects_upsert_many(
        user=clerk,
        new=[new_project(users["_own_enterprise"])],
        changes=[(p.pk, p.version, {"name": "改名"})],
        add_plan_years={p.pk: [2020]},
        source_detail=FILE,
    )
    events = list(AuditEvent.objects.filter(seq__gt=seq).order_by("seq"))
    assert [(e.event, e.object_id) for e in events] == [("create", str(pk)), ("update", str(p.pk))]
    assert {(e.username, e.source, e.source_detail) for e in events} == {("clerk", "import", FILE)}
    created = Project.objects.get(pk=pk)
    assert events[0].after == {**audit.snapshot(created), "plan_years": [2019]}
    assert events[1].before == {"name": p.name, "plan_years": [], "version": 1}
    assert events[1].after == {"name": "改名", "plan_years": [2020], "version": 2}
    assert created.status == "reserve" and Project.objects.get(pk=p.pk).version == 2
    assert set(ProjectPlanYear.objects.values_list("project_id", "year")) == {(pk, 2019), (p.pk, 2020)}
    assert audit.verify() == []


@pytest.mark.parametrize(
    ("new", "change", "message"),
    [
        (
            {
                "equipment_investment_yuan": Decimal("999999999999.00"),
                "total_investment_yuan": Decimal("1.00"),
            },
            None,
            "设备投资不能大于总投资",
        ),
        ({"project_code": "NOT-A-VALID-CODE<>"}, None, "项目代码"),
        (None, {"fixed_asset_investment_yuan": Decimal("-1.00")}, "金额不能为负数"),
        (None, {"status": "accepted"}, "状态只能通过“状态变更”操作修改"),
        (None, {"region_id": "other"}, "企业不属于该报送单位"),
    ],
    ids=["equipment-above-total", "bad-code", "negative", "status", "other-unit"],
)
def test_a_refused_row_refuses_the_whole_batch(users, new, change, message):
    ent = users["_own_enterprise"]
    p = ProjectFactory(enterprise=ent)
    if change and change.get("region_id") == "other":
        change = {"region_id": Region.objects.get(code="422802").pk}
    seq, count = last_seq(), Project.objects.count()
    with pytest.raises(ValidationError, match=message):
        services.projects_upsert_many(
            user=users["clerk"],
            new=[new_project(ent, name="好的一行"), new_project(ent, **(new or {}))],
            changes=[(p.pk, p.version, change or {"name": "改名"})],
            source_detail=FILE,
        )
    assert Project.objects.count() == count and Project.objects.get(pk=p.pk).name == p.name
    assert last_seq() == seq


def test_a_stale_version_refuses_the_batch(users):
    p = ProjectFactory(enterprise=users["_own_enterprise"])
    services.project_update(user=users["clerk"], project=p, data={"name": "页面修改"}, expected_version=1)
    with pytest.raises(services.StaleEditError):
        services.projects_upsert_many(
            user=users["clerk"], new=[], changes=[(p.pk, 1, {"name": "导入修改"})], source_detail=FILE
        )
    assert Project.objects.get(pk=p.pk).name == "页面修改"


def test_a_clerk_cannot_batch_another_units_projects_and_an_enterprise_cannot_batch_at_all(users):
    other = ProjectFactory(enterprise=EnterpriseFactory(region=Region.objects.get(code="422802")))
    with pytest.raises(ValidationError, match="只能登记或修改本单位"):
        services.projects_upsert_many(
            user=users["clerk"], new=[], changes=[(other.pk, 1, {"name": "x"})], source_detail=FILE
        )
    with pytest.raises(PermissionDeniedError):
        services.projects_upsert_many(
            user=users["enterprise"],
            new=[new_project(users["_own_enterprise"])],
            changes=[],
            source_detail=FILE,
        )
    assert Project.objects.get(pk=other.pk).name == other.name


def test_a_project_code_taken_by_another_project_is_refused(users):
    ent = users["_own_enterprise"]
    ProjectFactory(enterprise=ent, project_code="2021-422801-39-03-012345")
    with pytest.raises(ValidationError, match="已被其他项目使用"):
        services.projects_upsert_many(
            user=users["office"], new=[new_project(ent, project_code="2021-422801-39-03-012345")], changes=[],
            source_detail=FILE,
        )  # fmt: skip


def test_enterprises_are_batched_with_the_same_checks_and_records(users):
    ent = users["_own_enterprise"]
    seq = last_seq()
    region = Region.objects.get(code="422801")
    values = {"name": "批量企业", "credit_code": make_credit_code(700), "region_id": region.pk,
              "industry_id": ent.industry_id}  # fmt: skip
    with pytest.raises(ValidationError, match="校验位"):
        services.enterprises_upsert_many(
            user=users["clerk"],
            new=[{**values, "credit_code": "911100001016237410"}],
            changes=[],
            source_detail=FILE,
        )
    with pytest.raises(ValidationError, match="已存在"):
        services.enterprises_upsert_many(
            user=users["clerk"],
            new=[{**values, "credit_code": ent.credit_code}],
            changes=[],
            source_detail=FILE,
        )
    assert last_seq() == seq
    ids = services.enterprises_upsert_many(
        user=users["clerk"], new=[values], changes=[(ent.pk, ent.version, {"contact_person": "王五"})],
        source_detail=FILE,
    )  # fmt: skip
    events = list(AuditEvent.objects.filter(seq__gt=seq).order_by("seq"))
    assert [(e.event, e.object_id) for e in events] == [
        ("create", str(ids[values["credit_code"]])), ("update", str(ent.pk)),
    ]  # fmt: skip
    assert events[0].after == audit.snapshot(Enterprise.objects.get(pk=ids[values["credit_code"]]))
    assert events[1].after == {"contact_person": "王五", "version": 2}
    assert {(e.username, e.source_detail) for e in events} == {("clerk", FILE)}


def test_the_batch_records_the_same_dates_and_amounts_a_page_save_would(users):
    ent = users["_own_enterprise"]
    [pk] = services.projects_upsert_many(
        user=users["office"], new=[new_project(ent, planned_start_date=dt.date(2019, 3, 1))], changes=[],
        source_detail=FILE,
    )  # fmt: skip
    event = AuditEvent.objects.get(event="create", object_id=str(pk), object_type="registry.project")
    assert (
        event.after["planned_start_date"] == "2019-03-01"
        and event.after["total_investment_yuan"] == "1000.00"
    )


def test_a_new_project_checked_once_is_written_without_a_second_check(users, monkeypatch):
    """check_new_project's result goes to projects_upsert_many as it is; a plain dict is checked there."""
    ent = users["_own_enterprise"]
    errors, checked = services.check_new_project(
        new_project(ent, name="查过一次", project_code=" 2019-422801-13-03-000001 "),
        enterprise_region_id=ent.region_id,
    )
    assert errors == {} and checked["project_code"] == "2019-422801-13-03-000001"
    with pytest.raises(TypeError):
        checked["name"] = "改过"  # read-only: nothing can change between the check and the write
    with pytest.raises(TypeError):
        services.CheckedProject({"name": "伪造"}, ent.region_id, object())
    calls = []
    real = services.project_check
    monkeypatch.setattr(services, "project_check", lambda v: calls.append(v) or real(v))
    services.projects_upsert_many(
        user=users["clerk"], new=[checked, new_project(ent, name="未查过")], changes=[], source_detail=FILE
    )
    assert len(calls) == 1 and calls[0]["name"] == "未查过"
    assert Project.objects.filter(name="查过一次", project_code="2019-422801-13-03-000001").exists()


def test_a_checked_project_whose_enterprise_moved_is_checked_again(users):
    ent = users["_own_enterprise"]
    _, checked = services.check_new_project(
        new_project(ent, name="企业已迁走"), enterprise_region_id=ent.region_id
    )
    Enterprise.objects.filter(pk=ent.pk).update(region=Region.objects.get(code="422802"))
    with pytest.raises(ValidationError, match="企业不属于该报送单位"):
        services.projects_upsert_many(user=None, new=[checked], changes=[], source_detail=FILE)


def test_a_bad_new_project_is_reported_by_the_check_and_never_passed_as_checked(users):
    ent = users["_own_enterprise"]
    errors, checked = services.check_new_project(
        new_project(ent, total_investment_yuan=Decimal("1.00")), enterprise_region_id=ent.region_id
    )
    assert checked is None and errors["equipment_investment_yuan"] == ["设备投资不能大于总投资"]
    errors, checked = services.check_new_project(
        {**new_project(ent), "status": "accepted"}, enterprise_region_id=ent.region_id
    )
    assert checked is None and errors == {"status": ["不能写入此字段"]}
