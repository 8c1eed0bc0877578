import io
from decimal import Decimal

import openpyxl
import pytest

from conftest import ProjectFactory, make_credit_code
from jigai.core.errors import ValidationError
from jigai.core.models import AuditEvent, Industry
from jigai.registry.models import Enterprise, Project


def _form(project, **over):
    data = {
        "enterprise": project.enterprise_id,
        "region": project.region_id,
        "name": project.name,
        "content": "",
        "project_code": "",
        "industry": project.industry_id,
        "total_investment_wan": "5000",
        "equipment_investment_wan": "2000",
        "fixed_asset_investment_wan": "4000",
        "planned_start_date": "2018-03-01",
        "planned_completion_date": "2019-06-30",
        "plan_years": "2018",
        "conforms_industrial_policy": "on",
        "version": project.version,
    }
    data.update(over)
    return data


@pytest.mark.django_db
def test_a_clerk_edits_a_project_in_wan_and_it_is_stored_in_yuan(client_for, users):
    p = ProjectFactory(region=users["clerk"].region)
    r = client_for("clerk").post(f"/projects/{p.pk}/edit/", _form(p, equipment_investment_wan="300.0001"))
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.equipment_investment_yuan == Decimal("3000001.00")
    assert [y.year for y in p.plan_years.all()] == [2018]
    ev = AuditEvent.objects.filter(event="update", object_type="registry.project").latest("seq")
    assert ev.source == "page" and ev.after["equipment_investment_yuan"] == "3000001.00"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("equipment_investment_wan", "-1", "金额不能为负数"),
        ("equipment_investment_wan", "abc", "请输入数字（单位：万元）"),
        ("equipment_investment_wan", "9000", "设备投资不能大于总投资"),
        ("planned_completion_date", "2017-01-01", "计划竣工日期不能早于计划开工日期"),
        ("plan_years", "2018,twenty", "不是有效的年度"),
        ("project_code", "2021-422801-39-03-0123", "格式应为"),
        ("name", "", "请填写此项"),
    ],
)
def test_the_edit_form_shows_chinese_validation_messages(client_for, users, field, value, message):
    p = ProjectFactory(region=users["clerk"].region)
    r = client_for("clerk").post(f"/projects/{p.pk}/edit/", _form(p, **{field: value}))
    assert r.status_code == 200
    assert message in r.content.decode()


@pytest.mark.django_db
def test_an_edit_from_a_stale_page_is_refused_not_overwritten(client_for, users):
    p = ProjectFactory(region=users["clerk"].region)
    c = client_for("clerk")
    stale = _form(p, name="第一次修改")
    assert c.post(f"/projects/{p.pk}/edit/", stale).status_code == 302
    r = c.post(f"/projects/{p.pk}/edit/", {**stale, "name": "基于旧页面的修改"})
    assert r.status_code == 200 and "页面已过期" in r.content.decode()
    p.refresh_from_db()
    assert p.name == "第一次修改"


@pytest.mark.django_db
def test_a_stale_api_update_answers_409(client_for, users):
    p = ProjectFactory(region=users["clerk"].region)
    c = client_for("clerk")
    assert (
        c.patch(
            f"/api/v1/projects/{p.pk}", {"version": 1, "name": "A"}, content_type="application/json"
        ).status_code
        == 200
    )
    r = c.patch(f"/api/v1/projects/{p.pk}", {"version": 1, "name": "B"}, content_type="application/json")
    assert r.status_code == 409 and "已被他人修改" in r.json()["detail"]


@pytest.mark.django_db
def test_the_project_list_filters_by_unit_status_year_industry_flags_and_search(client_for, users):
    base = users["_own_enterprise"]
    a = ProjectFactory(enterprise=base, name="甲茶叶生产线", is_key=True, status="construction")
    a.plan_years.create(year=2019)
    ProjectFactory(enterprise=base, name="乙魔芋项目", industry=Industry.objects.get(code="13"))
    c = client_for("office")

    def names(qs):
        return [p["name"] for p in c.get(f"/api/v1/projects?{qs}").json()["items"]]

    assert names("status=construction") == ["甲茶叶生产线"]
    assert names("year=2019") == ["甲茶叶生产线"]
    assert names("industry=13") == ["乙魔芋项目"]
    assert names("flag=key") == ["甲茶叶生产线"]
    assert names("q=魔芋") == ["乙魔芋项目"]
    assert names("region=422802") == []
    page = c.get("/projects/?status=construction&flag=key").content.decode()
    assert "甲茶叶生产线" in page and "乙魔芋项目" not in page


@pytest.mark.django_db
def test_the_export_has_chinese_headers_amounts_in_wan_and_formula_safe_text(client_for, users):
    ProjectFactory(
        enterprise=users["_own_enterprise"],
        name='=HYPERLINK("http://x")',
        total_investment_yuan=Decimal("12345678.90"),
    )
    r = client_for("office").get("/projects/export.xlsx")
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=False))
    header_row = next(i for i, row in enumerate(rows) if any(c.value == "项目名称" for c in row))
    headers = [c.value for c in rows[header_row]]
    assert "总投资（万元）" in headers and "统一社会信用代码" in headers
    data = rows[header_row + 1]
    name_cell = data[headers.index("项目名称")]
    assert name_cell.data_type == "s" and name_cell.value.startswith("=HYPERLINK") is True
    assert Decimal(str(data[headers.index("总投资（万元）")].value)) == Decimal("1234.56789")
    assert AuditEvent.objects.filter(event="export").exists()


@pytest.mark.django_db
def test_api_errors_are_json_with_a_field_level_reason(client_for, users):
    c = client_for("office")
    r = c.post(
        "/api/v1/enterprises",
        {
            "name": "新企业",
            "credit_code": "911100001016237410",
            "region_code": "422801",
            "industry_code": "15",
        },
        content_type="application/json",
    )
    assert r.status_code == 400
    assert r.json()["errors"] == [
        {"field": "credit_code", "message": "统一社会信用代码校验位错误：第18位应为“K”，现为“0”"}
    ]
    r = c.post("/api/v1/projects", {"name": "x"}, content_type="application/json")
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["errors"]}
    assert {"enterprise_id", "industry_code", "total_investment_yuan"} <= fields
    r = c.post(
        "/api/v1/projects",
        {
            "enterprise_id": users["_own_enterprise"].pk,
            "name": "x",
            "industry_code": "15",
            "total_investment_yuan": "1.001",
            "equipment_investment_yuan": "0",
            "fixed_asset_investment_yuan": "0",
        },
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "total_investment_yuan"


@pytest.mark.django_db
def test_the_api_creates_updates_and_moves_a_project_with_audit(client_for, users):
    c = client_for("clerk")
    r = c.post(
        "/api/v1/projects",
        {
            "enterprise_id": users["_own_enterprise"].pk,
            "name": "API 项目",
            "industry_code": "15",
            "total_investment_yuan": "30000000.00",
            "equipment_investment_yuan": "3000000.00",
            "fixed_asset_investment_yuan": "25000000.00",
            "plan_years": [2018, 2019],
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["region_code"] == "422801" and body["plan_years"] == [2018, 2019]
    assert body["equipment_investment_yuan"] == "3000000.00"
    pid = body["id"]
    r = c.post(
        f"/api/v1/projects/{pid}/transitions",
        {"to_status": "construction", "reason": "开工", "effective_date": "2018-06-01"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status_label"] == "在建"
    r = c.post(
        f"/api/v1/projects/{pid}/transitions",
        {"to_status": "accepted", "reason": "x"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "不能从“在建”变更为“已验收”" in r.json()["detail"]
    sources = set(
        AuditEvent.objects.filter(object_id=str(pid), object_type="registry.project").values_list(
            "source", flat=True
        )
    )
    assert sources == {"api"}


@pytest.mark.django_db
def test_token_authentication_works_and_a_revoked_token_does_not(client, users):
    from django.utils import timezone

    from jigai.accounts.models import ApiToken
    from jigai.accounts.services import token_create

    token = token_create(user=users["office"], name="统计接口")
    r = client.get("/api/v1/projects", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 200
    ApiToken.objects.update(revoked_at=timezone.now())
    assert client.get("/api/v1/projects", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


@pytest.mark.django_db
def test_one_enterprise_per_credit_code(client_for, users):
    c = client_for("office")
    payload = {
        "name": "重复企业",
        "credit_code": users["_own_enterprise"].credit_code,
        "region_code": "422801",
        "industry_code": "15",
    }
    r = c.post("/api/v1/enterprises", payload, content_type="application/json")
    assert r.status_code == 400 and "已存在" in r.json()["errors"][0]["message"]
    payload["credit_code"] = make_credit_code(999)
    assert c.post("/api/v1/enterprises", payload, content_type="application/json").status_code == 201
    assert Enterprise.objects.filter(name="重复企业").count() == 1


@pytest.mark.django_db
def test_the_openapi_document_describes_the_routes(client_for):
    c = client_for("office")
    doc = c.get("/api/v1/openapi.json").json()
    assert "/api/v1/projects" in doc["paths"] and "/api/v1/projects/{pk}/transitions" in doc["paths"]
    page = c.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle" in page and "cdn." not in page  # works offline


@pytest.mark.django_db
def test_pages_switch_to_english(client_for):
    c = client_for("office")
    c.post("/i18n/setlang/", {"language": "en", "next": "/projects/"})
    r = c.get("/projects/")
    assert r.status_code == 200 and 'lang="en"' in r.content.decode()


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_until_the_user_switches(client_for):
    c = client_for("office")
    r = c.get("/projects/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="zh-hans"' in r.content.decode()


@pytest.mark.django_db
def test_an_export_from_an_english_session_keeps_the_chinese_template_values(client_for, users):
    ProjectFactory(enterprise=users["_own_enterprise"], status="construction")
    c = client_for("office")
    c.post("/i18n/setlang/", {"language": "en", "next": "/projects/"})
    ws = openpyxl.load_workbook(io.BytesIO(c.get("/projects/export.xlsx").content)).active
    values = [cell.value for row in ws.iter_rows() for cell in row]
    assert "在建" in values and "Under construction" not in values


@pytest.mark.django_db
def test_above_scale_status_is_kept_by_year_through_page_and_api(client_for, users):
    from jigai.registry.models import EnterpriseScaleYear

    ent = users["_own_enterprise"]
    c = client_for("clerk")
    r = c.post(
        f"/projects/enterprises/{ent.pk}/scale/", {"year": 2019, "above_scale": "on", "revenue_wan": "2500"}
    )
    assert r.status_code == 302
    row = EnterpriseScaleYear.objects.get(enterprise=ent, year=2019)
    assert row.above_scale and row.revenue_yuan == Decimal("25000000.00")
    r = c.put(
        f"/api/v1/enterprises/{ent.pk}/scale/2020",
        {"above_scale": False, "revenue_yuan": "1000.50"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json() == {
        "year": 2020,
        "above_scale": False,
        "revenue_yuan": "1000.50",
    }
    assert AuditEvent.objects.filter(object_type="registry.enterprisescaleyear").count() == 2
    assert (
        client_for("enterprise")
        .put(
            f"/api/v1/enterprises/{ent.pk}/scale/2020", {"above_scale": True}, content_type="application/json"
        )
        .status_code
        == 403
    )


@pytest.mark.django_db
def test_a_page_far_past_the_end_is_empty_not_a_database_overflow(client_for):
    # Found by the API fuzzer: page=9758068867664488448 became an OFFSET no database integer holds.
    ProjectFactory()
    for url in ("/api/v1/projects?page=9758068867664488448", "/api/v1/enterprises?page=9758068867664488448"):
        r = client_for("office").get(url)
        assert r.status_code == 200 and r.json()["items"] == [] and r.json()["count"] >= 1, url
    assert len(client_for("office").get("/api/v1/projects?page=1").json()["items"]) == 1


@pytest.mark.django_db
def test_an_amount_beyond_the_stored_digits_is_a_422_and_the_service_refuses_it_too(client_for, users):
    from jigai.registry import services

    ent = users["_own_enterprise"]
    r = client_for("office").post(
        "/api/v1/projects",
        {"enterprise_id": ent.pk, "name": "巨额项目", "industry_code": "15", "total_investment_yuan": 1e20,
         "equipment_investment_yuan": "0", "fixed_asset_investment_yuan": "0"},
        content_type="application/json",
    )  # fmt: skip
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "total_investment_yuan"
    with pytest.raises(ValidationError) as exc:
        services.project_create(
            user=users["office"],
            data={"enterprise": ent, "region": ent.region, "industry": ent.industry, "name": "巨额项目",
                  "total_investment_yuan": Decimal("1e20"), "equipment_investment_yuan": Decimal(0),
                  "fixed_asset_investment_yuan": Decimal(0)},
        )  # fmt: skip
    assert exc.value.errors == {"total_investment_yuan": ["金额超出上限（最多 99,999,999,999,999.99 元）"]}
    with pytest.raises(ValidationError) as exc:
        services.enterprise_scale_set(
            user=users["office"], enterprise=ent, year=2019, above_scale=True, revenue_yuan=Decimal("1e14")
        )
    assert list(exc.value.errors) == ["revenue_yuan"]
    assert not Project.objects.filter(name="巨额项目").exists()


@pytest.mark.django_db
def test_null_for_a_field_that_cannot_be_empty_is_a_422_and_null_clears_what_can(client_for, users):
    # Found by the API fuzzer: {"contact_phone": null} reached the database as NULL (a 500).
    ent = users["_own_enterprise"]
    c = client_for("office")
    r = c.patch(f"/api/v1/enterprises/{ent.pk}", {"version": ent.version, "contact_phone": None},
                content_type="application/json")  # fmt: skip
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "contact_phone"
    p = ProjectFactory(enterprise=ent, project_code=None)
    for field in ("is_key", "name", "total_investment_yuan", "industry_code"):
        r = c.patch(
            f"/api/v1/projects/{p.pk}", {"version": p.version, field: None}, content_type="application/json"
        )
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == field, field
    r = c.patch(f"/api/v1/projects/{p.pk}", {"version": p.version, "planned_start_date": None},
                content_type="application/json")  # fmt: skip
    assert r.status_code == 200 and r.json()["planned_start_date"] is None
