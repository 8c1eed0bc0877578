"""Who sees what (docs/security.md, row level on every path): an enterprise its own filings and approval
items and its secretary; a secretary their projects, wherever they are; a clerk their county; the office
everything. Another's record answers 404 on the page, the API and the downloads alike."""

import datetime as dt

import pytest
from openpyxl import load_workbook

from conftest import EnterpriseFactory, ProjectFactory
from jigai.core.models import AuditEvent
from jigai.support import services
from jigai.support.models import ApprovalItem, FollowUp, Meeting, State

from .factories import AT, RENEWAL, bj, other_clerk, own_project

pytestmark = pytest.mark.django_db


def read_xlsx(data: bytes) -> list[tuple]:
    import io

    return list(load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True))


@pytest.fixture
def world(users, other_region):
    clerk2 = other_clerk()
    mine = own_project(users, is_key=True)  # the enterprise user's, in 恩施市 (the clerk's county)
    county = ProjectFactory()  # 恩施市, another enterprise
    far = ProjectFactory(enterprise=EnterpriseFactory(region=other_region), is_key=True)  # 利川市
    far_served = ProjectFactory(enterprise=EnterpriseFactory(region=other_region))
    services.secretary_assign(
        user=users["office"], project=mine, secretary=users["clerk"], phone="0718-8888001", at=AT
    )
    services.secretary_assign(
        user=users["office"], project=far_served, secretary=users["clerk"], phone="0718-1", at=AT
    )
    services.secretary_assign(user=users["office"], project=far, secretary=clerk2, phone="0718-2", at=AT)
    users["clerk"].display_name = "王秘书"
    users["clerk"].save()

    def filing(p, who):
        return services.filing_submit(
            user=who,
            project=p,
            facts=RENEWAL,
            content="设备更新",
            filing_date=dt.date(2019, 3, 4),
            at=bj(2019, 3, 4),
        )

    items = {
        name: services.approval_add(user=users["office"], project=p, kind="eia", at=AT)
        for name, p in (("mine", mine), ("county", county), ("far", far), ("far_served", far_served))
    }
    meeting = services.meeting_record(
        user=users["office"], kind="consultation", title="利川会商", date=dt.date(2019, 3, 1), chair="主任",
        participants="各部门", projects=[far], decisions=[{"decision": "协调", "owner": clerk2, "time_limit_days": 5, "project": far}],
        at=AT,
    )  # fmt: skip
    return {
        "clerk2": clerk2,
        "mine": mine,
        "county": county,
        "far": far,
        "far_served": far_served,
        "f_mine": filing(mine, users["enterprise"]),
        "f_county": filing(county, users["clerk"]),
        "f_far": filing(far, users["office"]),
        "items": items,
        "meeting": meeting,
    }


def test_the_enterprise_sees_its_secretary_and_how_to_reach_them(client_for, world):
    c = client_for("enterprise")
    html = c.get("/support/").content.decode()
    assert "王秘书" in html and "0718-8888001" in html and world["county"].name not in html
    html = c.get(f"/projects/{world['mine'].pk}/").content.decode()  # the library's project page
    assert "项目秘书" in html and "王秘书" in html and "0718-8888001" in html
    html = c.get(f"/support/projects/{world['mine'].pk}/").content.decode()
    assert "0718-8888001" in html and "指定项目秘书" not in html and "提出审批事项" not in html


@pytest.mark.parametrize(
    ("role", "visible", "hidden"),
    [
        ("enterprise", {"mine"}, {"county", "far", "far_served"}),
        (
            "clerk",
            {"mine", "county", "far_served"},
            {"far"},
        ),  # its county, and the project it serves elsewhere
        ("clerk2", {"far", "far_served"}, {"mine", "county"}),  # 利川市's clerk
        ("office", {"mine", "county", "far", "far_served"}, set()),
        ("leader", {"mine", "county", "far", "far_served"}, set()),
    ],
)
def test_project_pages_and_api_are_row_level(client, users, world, role, visible, hidden):
    user = world["clerk2"] if role == "clerk2" else users[role]
    client.force_login(user)
    for name in visible | hidden:
        pk = world[name].pk
        expected = 200 if name in visible else 404
        assert client.get(f"/support/projects/{pk}/").status_code == expected, name
        assert client.get(f"/api/v1/support/projects/{pk}").status_code == expected, name
    ids = {i["project_id"] for i in client.get("/api/v1/support/items").json()["items"]}
    assert ids == {world[n].pk for n in visible}
    r = client.get("/support/items.xlsx")  # the export holds the same rows, no more
    assert r.status_code == 200
    names = {row[2] for row in read_xlsx(r.content)[2:]}
    assert names == {world[n].name for n in visible}
    if role != "enterprise":
        return
    for name in ("f_county", "f_far"):
        pk = world[name].pk
        assert client.get(f"/support/filings/{pk}/").status_code == 404
        assert client.get(f"/support/filings/{pk}/receipt.docx").status_code == 404
        assert client.get(f"/api/v1/support/filings/{pk}").status_code == 404
        assert client.get(f"/api/v1/support/filings/{pk}/receipt.docx").status_code == 404
    assert client.get(f"/support/filings/{world['f_mine'].pk}/receipt.docx").status_code == 200
    assert {f["id"] for f in client.get("/api/v1/support/filings").json()["items"]} == {world["f_mine"].pk}
    assert AuditEvent.objects.filter(event="access_denied", object_type="support.filing").exists()


def test_an_enterprise_and_a_bank_do_not_see_meetings_and_a_bank_nothing(client_for, users, world):
    c = client_for("enterprise")
    assert c.get("/support/meetings/").status_code == 403
    assert c.get(f"/support/meetings/{world['meeting'].pk}/").status_code == 403
    assert c.get("/api/v1/support/meetings").status_code == 403
    c = client_for("bank")
    for url in (
        "/support/",
        f"/support/projects/{world['mine'].pk}/",
        "/support/filings/",
        "/api/v1/support/items",
    ):
        assert c.get(url).status_code == 403, url


def test_meetings_are_seen_by_the_county_concerned(client, users, world):
    m = world["meeting"].pk
    client.force_login(users["clerk"])
    assert client.get(f"/support/meetings/{m}/").status_code == 404
    assert client.get(f"/support/meetings/{m}/minutes.docx").status_code == 404
    assert client.get(f"/api/v1/support/meetings/{m}").status_code == 404
    client.force_login(world["clerk2"])
    assert client.get(f"/support/meetings/{m}/").status_code == 200
    r = client.get(f"/support/meetings/{m}/minutes.docx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")


def test_writes_are_refused_to_the_wrong_role_and_the_wrong_row(client, users, world):
    client.force_login(users["leader"])
    r = client.post(
        f"/support/projects/{world['mine'].pk}/secretary/", {"secretary": users["clerk"].pk, "phone": "1"}
    )
    assert r.status_code == 403
    client.force_login(users["clerk"])
    item = world["items"]["far"]
    r = client.post(f"/support/items/{item.pk}/", {f"i{item.pk}-state": "not_needed"})
    assert r.status_code == 404
    r = client.put(
        f"/api/v1/support/items/{item.pk}",
        {"state": "not_needed", "department": "x", "time_limit_days": 3, "note": "不涉及", "version": 1},
        content_type="application/json",
    )
    assert r.status_code == 404
    client.force_login(users["enterprise"])
    r = client.post(
        "/api/v1/support/filings",
        {**RENEWAL, "project_id": world["county"].pk, "filing_date": "2019-03-04", "content": "x"},
        content_type="application/json",
    )
    assert r.status_code == 404
    assert ApprovalItem.objects.get(pk=item.pk).state == State.NOT_STARTED


def test_the_secretary_s_projects_page_lists_what_waits(client, users, world):
    client.force_login(users["clerk"])
    html = client.get("/support/mine/").content.decode()
    assert world["mine"].name in html and world["far_served"].name in html and world["far"].name not in html
    mine = client.get("/api/v1/support/mine").json()
    assert {r["project_id"] for r in mine} == {world["mine"].pk, world["far_served"].pk}
    assert all(r["items"][0]["kind"] == "eia" for r in mine)


def test_office_pages_assign_edit_and_record(client_for, users, world):
    c = client_for("office")
    county = world["county"]
    r = c.post(
        f"/support/projects/{county.pk}/secretary/",
        {"secretary": users["clerk"].pk, "phone": "0718-3", "version": 0},
    )
    assert r.status_code == 302 and county.secretary.phone == "0718-3"
    item = world["items"]["county"]
    r = c.post(
        f"/support/items/{item.pk}/",
        {f"i{item.pk}-state": "in_progress", f"i{item.pk}-department": "恩施市环保局", f"i{item.pk}-time_limit_days": "3",
         f"i{item.pk}-started_date": "2019-02-01", f"i{item.pk}-version": "1"},
    )  # fmt: skip
    assert r.status_code == 302
    item.refresh_from_db()
    assert (item.state, item.due_date, item.department) == (
        State.IN_PROGRESS,
        dt.date(2019, 2, 11),
        "恩施市环保局",
    )
    page = c.get(f"/support/projects/{county.pk}/").content.decode()
    assert "已逾期" in page and "2019年2月11日" in page
    r = c.post(
        "/support/meetings/new/",
        {"kind": "consultation", "title": "三月会商", "date": "2019-03-01", "chair": "主任", "participants": "各部门",
         "projects": [county.pk], "problems": "环评",
         "d0-decision": "加快环评", "d0-owner": users["clerk"].pk, "d0-time_limit_days": "5", "d0-project": county.pk},
    )  # fmt: skip
    assert r.status_code == 302
    meeting = Meeting.objects.get(title="三月会商")
    f = FollowUp.objects.get(meeting=meeting)
    assert f.due_date == dt.date(2019, 3, 8)
    c.force_login(users["clerk"])
    r = c.post(
        f"/support/followups/{f.pk}/close/",
        {f"f{f.pk}-done_date": "2019-03-05", f"f{f.pk}-result": "已完成", f"f{f.pk}-version": "1"},
    )
    f.refresh_from_db()
    assert r.status_code == 302 and f.result == "已完成"


def test_the_enterprise_files_on_the_page_and_gets_its_receipt(client_for, users, world):
    c = client_for("enterprise")
    p = own_project(users)
    form = {"project": p.pk, "filing_date": "2019-03-04", "project_type": "equipment_renewal",
            "new_land_area_m2": "0", "content": "更新生产线"}  # fmt: skip
    r = c.post("/support/filings/new/", form, follow=True)
    html = r.content.decode()
    assert "备案成功（零审批）" in html and "下载备案回执" in html
    bad = c.post("/support/filings/new/", {**form, "project": world["county"].pk})
    assert (
        bad.status_code == 200 and "errorlist" in bad.content.decode()
    )  # not one of its projects: not offered
    assert not world["county"].filings.filter(filed_by=users["enterprise"]).exists()
    r = c.post(
        "/support/filings/new/", {**form, "project_type": "new_build", "new_land_area_m2": "300"}, follow=True
    )
    html = r.content.decode()
    assert "不符合网上备案" in html and "土地报批" in html and "下载备案回执" not in html
