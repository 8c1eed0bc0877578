"""The role × operation matrix and the cross-county 404, over pages, API and export (docs/security.md)."""

import io

import openpyxl
import pytest

from conftest import EnterpriseFactory, ProjectFactory
from jigai.core.models import Region

READ_ALL = {"office", "finance", "leader"}


@pytest.fixture
def library(users):
    mine = ProjectFactory(region=users["clerk"].region, enterprise=users["_own_enterprise"], name="本县项目")
    other_ent = EnterpriseFactory(region=Region.objects.get(code="422802"), name="利川企业有限公司")
    other = ProjectFactory(enterprise=other_ent, name="外县项目")
    return {"mine": mine, "other": other, "other_enterprise": other_ent}


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

# operation -> roles allowed; anybody else gets 403 (pages) / 403 (API)
PAGE_MATRIX = {
    ("GET", "/projects/"): {"office", "finance", "clerk", "enterprise", "leader"},
    ("GET", "/projects/export.xlsx"): {"office", "finance", "clerk", "leader"},
    ("GET", "/projects/new/"): {"office", "clerk"},
    ("GET", "/projects/enterprises/"): {"office", "finance", "clerk", "enterprise", "leader"},
    ("GET", "/projects/enterprises/new/"): {"office", "clerk"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), list(PAGE_MATRIX))
def test_pages_follow_the_role_matrix(client_for, library, role, method, path):
    r = client_for(role).generic(method, path)
    assert r.status_code == (200 if role in PAGE_MATRIX[(method, path)] else 403)


API_MATRIX = {
    ("GET", "/api/v1/projects"): {"office", "finance", "clerk", "enterprise", "leader"},
    ("GET", "/api/v1/enterprises"): {"office", "finance", "clerk", "enterprise", "leader"},
    ("GET", "/api/v1/projects/export.xlsx"): {"office", "finance", "clerk", "leader"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), list(API_MATRIX))
def test_the_api_follows_the_role_matrix(client_for, library, role, method, path):
    r = client_for(role).generic(method, path)
    assert r.status_code == (200 if role in API_MATRIX[(method, path)] else 403)


@pytest.mark.django_db
def test_anonymous_requests_are_refused_everywhere(client, library):
    assert client.get("/projects/").status_code == 302
    assert client.get("/projects/export.xlsx").status_code == 302
    assert client.get(f"/projects/{library['mine'].pk}/").status_code == 302
    r = client.get("/api/v1/projects")
    assert r.status_code == 401 and r.json()["detail"]
    assert client.get("/api/v1/openapi.json").status_code == 302
    assert client.get("/api/v1/docs").status_code == 302


CROSS_COUNTY = [
    ("GET", "/projects/{other}/"),
    ("GET", "/projects/{other}/edit/"),
    ("POST", "/projects/{other}/edit/"),
    ("POST", "/projects/{other}/transition/"),
    ("GET", "/projects/enterprises/{other_ent}/"),
    ("GET", "/projects/enterprises/{other_ent}/edit/"),
    ("GET", "/api/v1/projects/{other}"),
    ("PATCH", "/api/v1/projects/{other}"),
    ("POST", "/api/v1/projects/{other}/transitions"),
    ("GET", "/api/v1/enterprises/{other_ent}"),
    ("PATCH", "/api/v1/enterprises/{other_ent}"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), CROSS_COUNTY)
def test_a_clerk_gets_404_for_another_countys_record(client_for, library, method, path):
    url = path.format(other=library["other"].pk, other_ent=library["other_enterprise"].pk)
    body = (
        '{"to_status": "construction", "reason": "x"}'
        if url.endswith("transitions")
        else '{"version": 1, "name": "x"}'
    )
    kwargs = {"data": body, "content_type": "application/json"} if "/api/" in url and method != "GET" else {}
    r = client_for("clerk").generic(method, url, **kwargs)
    assert r.status_code == 404
    library["other"].refresh_from_db()
    assert library["other"].name == "外县项目" and library["other"].status == "reserve"


@pytest.mark.django_db
def test_a_clerk_sees_only_their_own_county_in_lists_and_exports(client_for, library):
    c = client_for("clerk")
    page = c.get("/projects/").content.decode()
    assert "本县项目" in page and "外县项目" not in page
    api = c.get("/api/v1/projects").json()
    assert [p["name"] for p in api["items"]] == ["本县项目"]
    assert "外县项目" not in c.get("/projects/?region=422802").content.decode()
    wb = openpyxl.load_workbook(io.BytesIO(c.get("/projects/export.xlsx").content))
    names = [cell.value for row in wb.active.iter_rows() for cell in row]
    assert "本县项目" in names and "外县项目" not in names
    ents = c.get("/api/v1/enterprises").json()["items"]
    assert all(e["region_code"] == "422801" for e in ents)


@pytest.mark.django_db
def test_an_enterprise_sees_only_its_own_projects(client_for, library):
    page = client_for("enterprise").get("/projects/").content.decode()
    assert "本县项目" in page and "外县项目" not in page


@pytest.mark.django_db
def test_a_clerk_cannot_create_a_project_in_another_county(client_for, library):
    r = client_for("clerk").post(
        "/api/v1/projects",
        {
            "enterprise_id": library["other_enterprise"].pk,
            "name": "越权项目",
            "industry_code": "15",
            "total_investment_yuan": "100.00",
            "equipment_investment_yuan": "10.00",
            "fixed_asset_investment_yuan": "50.00",
        },
        content_type="application/json",
    )
    assert r.status_code == 400
    assert r.json()["errors"][0]["field"] == "enterprise_id"


@pytest.mark.django_db
def test_an_enterprise_cannot_set_fields_it_does_not_own(client_for, library, users):
    c = client_for("enterprise")
    ent = users["_own_enterprise"]
    r = c.patch(
        f"/api/v1/enterprises/{ent.pk}",
        {"version": ent.version, "name": "改名"},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["errors"][0] == {"field": "name", "message": "无权修改此字段"}
    r = c.patch(
        f"/api/v1/projects/{library['mine'].pk}",
        {"version": 1, "total_investment_yuan": "1.00"},
        content_type="application/json",
    )
    assert r.status_code == 403
    r = c.patch(
        f"/api/v1/enterprises/{ent.pk}",
        {"version": ent.version, "contact_phone": "0718-1234567"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["contact_phone"] == "0718-1234567"


@pytest.mark.django_db
def test_a_leader_reads_everything_and_changes_nothing(client_for, library):
    c = client_for("leader")
    assert c.get(f"/projects/{library['other'].pk}/").status_code == 200
    assert c.get(f"/projects/{library['other'].pk}/edit/").status_code == 403
    r = c.patch(
        f"/api/v1/projects/{library['other'].pk}",
        {"version": 1, "name": "x"},
        content_type="application/json",
    )
    assert r.status_code == 403
