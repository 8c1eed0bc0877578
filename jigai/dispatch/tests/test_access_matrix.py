"""Roles × dispatch operations over pages and API, and the 404 for another unit's records everywhere."""

import datetime as dt
import io
import json

import openpyxl
import pytest

from jigai.dispatch import services
from jigai.dispatch.models import ProgressReport, RegionStatistic

from .helpers import bj, project, report, stat

ROLES = [
    "office",
    "finance",
    "clerk",
    "enterprise",
    "bank",
    "leader",
    "auditor",
    "security_admin",
    "sysadmin",
]
VIEW = {"office", "finance", "clerk", "enterprise", "leader"}
MONITOR = {"office", "finance", "clerk", "leader"}
# A bulletin is addressed to the county governments: every unit's and enterprise's figures (issue 11, 7).
BULLETIN = {"office", "finance", "clerk", "leader"}
D = dt.date


@pytest.fixture
def data(users):
    mine = project("422801", name="本县项目", enterprise=users["_own_enterprise"])
    other = project("422802", name="外县项目")
    mine_r = report(users["clerk"], mine, 2019, 6, 10, 100)
    other_r = report(users["office"], other, 2019, 6, 10, 100)
    stat("422801", 2019, 6, 300, 100)
    stat("422802", 2019, 6, 300, 100)
    bulletin = services.bulletin_publish(
        user=users["office"], year=2019, month=6, at=bj(2019, 7, 10), issue_date=bj(2019, 7, 10).date()
    )
    return {"mine": mine, "other": other, "mine_r": mine_r, "other_r": other_r, "bulletin": bulletin}


PAGES = {
    "/dispatch/": VIEW,
    "/dispatch/2019/6/report/": {"office", "clerk", "enterprise"},
    "/dispatch/2019/6/reports.xlsx": MONITOR,
    "/dispatch/reports/{mine_r}/": {"office", "finance", "clerk", "enterprise", "leader"},
    "/dispatch/statistics/2019/6/": {"office", "clerk"},
    "/dispatch/bulletins/": BULLETIN,
    "/dispatch/bulletins/{bulletin}/": BULLETIN,
    "/dispatch/bulletins/{bulletin}/bulletin.docx": BULLETIN,
    "/dispatch/bulletins/{bulletin}/bulletin.xlsx": BULLETIN,
    "/dispatch/bulletins/draft/2019/6/": {"office", "finance", "leader"},
}


def url(path, data):
    return path.format(mine_r=data["mine_r"].pk, other_r=data["other_r"].pk, bulletin=data["bulletin"].pk,
                       other=data["other"].pk)  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("path", list(PAGES))
def test_dispatch_pages_follow_the_role_matrix(client_for, data, path):
    got = {role: client_for(role).get(url(path, data)).status_code for role in ROLES}
    assert got == {role: 200 if role in PAGES[path] else 403 for role in ROLES}


@pytest.mark.django_db
def test_the_old_import_addresses_lead_to_the_shared_import_pages(client_for, data):
    moved = {
        "/dispatch/import/progress/": "/imports/?table=progress",
        "/dispatch/import/statistics/template.xlsx": "/imports/statistics/template.xlsx",
    }
    for path, target in moved.items():
        got = {role: client_for(role).get(path) for role in ROLES}
        assert {r: g.status_code for r, g in got.items()} == {
            role: 302 if role in {"office", "clerk"} else 403 for role in ROLES
        }
        assert got["clerk"]["Location"] == target
    assert client_for("clerk").get("/dispatch/import/nothing/").status_code == 404


API = {
    "/api/v1/dispatch/reports?year=2019&month=6": VIEW,
    "/api/v1/dispatch/reports/{mine_r}": VIEW,
    "/api/v1/dispatch/status?year=2019&month=6": MONITOR,
    "/api/v1/dispatch/statistics?year=2019&month=6": MONITOR,
    "/api/v1/dispatch/bulletins": BULLETIN,
    "/api/v1/dispatch/bulletins/{bulletin}": BULLETIN,
    "/api/v1/dispatch/bulletins/{bulletin}/bulletin.docx": BULLETIN,
    "/api/v1/dispatch/bulletins/{bulletin}/bulletin.xlsx": BULLETIN,
}


@pytest.mark.django_db
@pytest.mark.parametrize("path", list(API))
def test_the_dispatch_api_follows_the_role_matrix(client_for, data, path):
    got = {role: client_for(role).get(url(path, data)).status_code for role in ROLES}
    assert got == {role: 200 if role in API[path] else 403 for role in ROLES}


@pytest.mark.django_db
def test_only_the_office_publishes(client_for, data):
    for role in [*(r for r in ROLES if r != "office"), "office"]:
        c = client_for(role)
        r = c.post("/api/v1/dispatch/bulletins", {"year": 2019, "month": 5, "issue_date": "2019-06-10"},
                   content_type="application/json")  # fmt: skip
        assert r.status_code == (201 if role == "office" else 403), role
        r = c.post("/dispatch/bulletins/draft/2019/4/publish/", {"issue_date": "2019-05-10", "confirm": "1"})
        assert r.status_code == (302 if role == "office" else 403), role


CROSS_UNIT = [
    ("GET", "/dispatch/reports/{other_r}/", None),
    ("GET", "/dispatch/2019/6/report/?unit=422802", None),
    ("POST", "/dispatch/2019/6/report/?unit=422802", None),
    ("GET", "/dispatch/2019/6/reports.xlsx?unit=422802", None),
    ("GET", "/api/v1/dispatch/reports/{other_r}", None),
    ("PATCH", "/api/v1/dispatch/reports/{other_r}", {"version": 1, "reason": "x", "progress_pct": 99}),
    ("POST", "/api/v1/dispatch/reports", {"project_id": "{other}", "year": 2019, "month": 5,
                                          "month_investment_yuan": "1.00", "cumulative_investment_yuan": "1.00"}),
    ("PUT", "/api/v1/dispatch/statistics", {"region_code": "422802", "year": 2019, "month": 6,
                                            "industrial_investment_ytd_yuan": "1.00", "tech_investment_ytd_yuan": "1.00"}),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path", "body"), CROSS_UNIT)
def test_a_clerk_gets_404_for_another_units_records(client_for, data, method, path, body):
    kwargs = {}
    if body is not None:
        body = {k: (data["other"].pk if v == "{other}" else v) for k, v in body.items()}
        kwargs = {"data": json.dumps(body), "content_type": "application/json"}
    r = client_for("clerk").generic(method, url(path, data), **kwargs)
    assert r.status_code == 404
    other = ProgressReport.objects.get(pk=data["other_r"].pk)
    assert other.version == 1 and other.progress_pct == 30
    assert not ProgressReport.objects.filter(project=data["other"], month=5).exists()
    assert RegionStatistic.objects.get(region__code="422802").version == 1


@pytest.mark.django_db
def test_an_enterprise_gets_404_for_a_project_that_is_not_its_own(client_for, data):
    c = client_for("enterprise")
    assert c.get(f"/dispatch/reports/{data['other_r'].pk}/").status_code == 404
    assert c.get(f"/api/v1/dispatch/reports/{data['other_r'].pk}").status_code == 404
    assert c.get(f"/dispatch/reports/{data['mine_r'].pk}/").status_code == 200
    assert [r["project_name"] for r in c.get("/api/v1/dispatch/reports?year=2019&month=6").json()] == [
        "本县项目"
    ]


@pytest.mark.django_db
def test_a_clerk_sees_only_their_unit_in_lists_and_exports(client_for, data):
    c = client_for("clerk")
    assert [r["project_name"] for r in c.get("/api/v1/dispatch/reports?year=2019&month=6").json()] == [
        "本县项目"
    ]
    assert [
        r["project_name"] for r in c.get("/api/v1/dispatch/reports?year=2019&month=6&unit=422802").json()
    ] == []
    assert [s["region_code"] for s in c.get("/api/v1/dispatch/status?year=2019&month=6").json()] == ["422801"]
    assert [s["region_code"] for s in c.get("/api/v1/dispatch/statistics?year=2019&month=6").json()] == [
        "422801"
    ]
    wb = openpyxl.load_workbook(io.BytesIO(c.get("/dispatch/2019/6/reports.xlsx").content))
    cells = [str(v) for row in wb.active.iter_rows(values_only=True) for v in row if v]
    assert "本县项目" in cells and "外县项目" not in cells
    page = c.get("/dispatch/2019/6/report/").content.decode()
    assert "本县项目" in page and "外县项目" not in page
    page = c.get("/dispatch/?month=2019-06").content.decode()
    assert "恩施市" in page and "利川市" not in page.split("已发布的月通报")[0]


@pytest.mark.django_db
def test_anonymous_requests_are_refused(client, data):
    assert client.get("/dispatch/").status_code == 302
    assert client.get(f"/dispatch/bulletins/{data['bulletin'].pk}/bulletin.docx").status_code == 302
    assert client.get("/api/v1/dispatch/reports?year=2019&month=6").status_code == 401
