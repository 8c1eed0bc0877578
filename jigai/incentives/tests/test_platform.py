"""The policy engine joined to the platform: API endpoints, the 政策计算器 page, library projects."""

import datetime as dt
import html
import re
from decimal import Decimal

import pytest

from conftest import ProjectFactory
from jigai.core.models import AuditEvent, Region

RECORD = {
    "project_id": "P1",
    "registered_in_prefecture": "是",
    "conforms_industrial_policy": "是",
    "plan_year": "2019",
    "industry_division": "15",
    "key_project": "是",
    "start_date": "2019-03-01",
    "completion_date": "2020-02-01",
    "in_production": "是",
    "equipment_investment_yuan": "5000000",
    "fixed_asset_investment_yuan": "30000000",
}


@pytest.mark.django_db
def test_the_evaluate_endpoint_decides_both_clauses_to_the_fen(client_for):
    r = client_for("finance").post(
        "/api/v1/policy/evaluate", {"records": [RECORD]}, content_type="application/json"
    )
    assert r.status_code == 200
    by_clause = {d["clause"]: d for d in r.json()["decisions"]}
    assert by_clause["3.1.1"]["amount_yuan"] == "150000.00" and by_clause["3.1.1"]["estimate"] is True
    assert by_clause["3.2"]["amount_yuan"] == "300000.00"
    assert AuditEvent.objects.filter(event="calculation", object_type="policy.evaluate").exists()


@pytest.mark.django_db
def test_invalid_records_come_back_with_row_column_and_reason(client_for):
    bad = {**RECORD, "start_date": "2019-13-01", "equipment_investment_yuan": "-1"}
    r = client_for("office").post(
        "/api/v1/policy/evaluate", {"records": [bad]}, content_type="application/json"
    )
    assert r.status_code == 400
    errors = r.json()["errors"]
    assert {e["column"] for e in errors} >= {"start_date", "equipment_investment_yuan"}
    assert all(e["row"] == 1 and e["message"] for e in errors)
    assert r.json()["decisions"] == []


@pytest.mark.django_db
def test_the_awards_and_simulate_endpoints_answer(client_for):
    c = client_for("office")
    r = c.post(
        "/api/v1/policy/awards",
        {
            "records": [
                {
                    "enterprise_id": "E1",
                    "technology": "魔芋精粉",
                    "year": 2019,
                    "industry": "硒食品加工",
                    "level": "全国",
                    "rank": 1,
                },
                {
                    "enterprise_id": "E1",
                    "technology": "魔芋精粉",
                    "year": 2019,
                    "industry": "硒食品加工",
                    "level": "全省",
                    "rank": 1,
                },
            ]
        },
        content_type="application/json",
    )
    assert r.status_code == 200
    amounts = sorted(d["amount_yuan"] for d in r.json()["decisions"])
    assert amounts == ["0.00", "200000.00"]
    r = c.post(
        "/api/v1/policy/simulate",
        {"records": [RECORD], "settings": ["3.1.1.rate=0.04"]},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["report"]
    r = c.post(
        "/api/v1/policy/simulate",
        {"records": [RECORD], "settings": ["nonsense=1"]},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["errors"][0]["column"] == "set"
    # issue 13, point 8: the API refuses what the CLI refuses.
    r = c.post(
        "/api/v1/policy/simulate",
        {"records": [{**RECORD, "region_code": "武汉"}], "settings": ["3.1.2.national_awards_yuan=1,1,1"]},
        content_type="application/json",
    )
    assert r.status_code == 400
    assert [e["column"] for e in r.json()["errors"]] == ["set", "region_code"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [("office", 200), ("clerk", 200), ("leader", 200), ("auditor", 403), ("sysadmin", 403), ("bank", 403)],
)
def test_who_may_use_the_calculator(client_for, role, status):
    assert client_for(role).get("/policy/calculator/").status_code == status
    r = client_for(role).post(
        "/api/v1/policy/evaluate", {"records": [RECORD]}, content_type="application/json"
    )
    assert r.status_code == status


@pytest.mark.django_db
def test_the_calculator_page_shows_decisions_with_their_explanation(client_for):
    r = client_for("clerk").post(
        "/policy/calculator/",
        {
            "kind": "project",
            "registered_in_prefecture": "on",
            "conforms_industrial_policy": "on",
            "plan_year": "2019",
            "industry_division": "15",
            "start_date": "2019-03-01",
            "completion_date": "2020-02-01",
            "equipment_investment_wan": "300",
            "fixed_asset_investment_wan": "2000",
        },
    )
    body = r.content.decode()
    assert r.status_code == 200
    assert "9.00 万元" in body and "90,000.00 元" in body  # 3% of exactly 300万元: the threshold is inclusive
    assert "第3.1.1条〔三（一）“一是”〕（技改设备投资补助）" in body
    # Plain words on the page; the codes stay in the API (docs/programme.md, reading 13).
    assert "NOT_KEY_PROJECT" not in body


@pytest.mark.django_db
def test_the_calculator_speaks_plainly_no_codes_or_developer_values(client_for):
    r = client_for("office").post(
        "/policy/calculator/",
        {
            "kind": "project", "registered_in_prefecture": "on", "conforms_industrial_policy": "on",
            "plan_year": "", "industry_division": "39", "key_project": "on", "start_date": "2022-01-01",
            "completion_date": "2023-01-01", "equipment_investment_wan": "1234.5678",
            "fixed_asset_investment_wan": "12345.67",
        },
    )  # fmt: skip
    body = html.unescape(r.content.decode())
    text = re.sub(r"<[^>]+>", " ", body.split("<main>")[1])  # what the reader sees
    for developer in ("NOT_IN_PLAN", "NO_RULE_IN_FORCE", "plan_year", "None", "missing", "3.2.rate", "'"):
        assert developer not in text, developer
    assert "项目未列入年度工业技术改造计划" in body and "列入年度计划：未列入" in body
    assert "该年度缺少的政策参数：支持比例、固定资产投资起点" in body
    # The clause quoted, with the text's own numbering.
    assert (
        "第3.2条〔三（二）〕" in body and "原文：对在州内注册、企业固定资产一次性投资达到2000万元以上" in body
    )
    # Figures compared in 万元 with thousands separators.
    r = client_for("office").post(
        "/policy/calculator/",
        {
            "kind": "project", "registered_in_prefecture": "on", "conforms_industrial_policy": "on",
            "plan_year": "2019", "industry_division": "39", "key_project": "on", "start_date": "2019-01-01",
            "completion_date": "2020-01-01", "in_production": "on", "equipment_investment_wan": "1234.5678",
            "fixed_asset_investment_wan": "12345.67",
        },
    )  # fmt: skip
    body = html.unescape(r.content.decode())
    assert "计划设备投资1,234.5678万元（不低于300.00万元）" in body and "设备投资：1,234.5678万元" in body
    assert "固定资产投资：12,345.67万元" in body and "起点：2,000.00万元" in body
    assert "37.037034 万元" in body and "370,370.34 元" in body


@pytest.mark.django_db
def test_the_calculator_is_prefilled_from_a_library_project_and_scoped(client_for, users):
    p = ProjectFactory(
        region=users["clerk"].region,
        equipment_investment_yuan=Decimal("4000000.00"),
        actual_start_date=dt.date(2018, 5, 1),
        status="construction",
    )
    p.plan_years.create(year=2018)
    c = client_for("clerk")
    r = c.get(f"/policy/calculator/?project={p.pk}")
    assert r.status_code == 200
    form = r.context["form"]
    assert form.initial["equipment_investment_wan"] == Decimal("400") and form.initial["plan_year"] == 2018
    other = ProjectFactory(
        region=Region.objects.get(code="422802"), enterprise__region=Region.objects.get(code="422802")
    )
    assert c.get(f"/policy/calculator/?project={other.pk}").status_code == 404


@pytest.mark.django_db
def test_a_simulation_carried_forward_to_year_zero_is_a_400_with_the_reason(client_for):
    r = client_for("office").post(
        "/api/v1/policy/simulate",
        {"records": [RECORD], "settings": [], "carry_forward": [0]},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["errors"][0]["column"] == "carry_forward"


LAND = {
    "case_id": "L1",
    "application_date": "2019-04-01",
    "industrial_land": "是",
    "existing_stock_land": "否",
    "change_of_use": "否",
    "conforms_urban_plan": "是",
    "within_original_site": "是",
    "plot_ratio_before": "0.8",
    "plot_ratio_after": "1.5",
}


@pytest.mark.django_db
def test_the_land_endpoint_takes_the_approval_and_the_recorded_measures(client_for):
    """3.3's first sentence on leased land; the approval is a fact and a pending one is said so."""
    c = client_for("office")
    approved = {**LAND, "approved": "是", "priority": "优先规划、优先供应", "acquisition": "先租后让"}
    pending = {**LAND, "case_id": "L2"}
    r = c.post("/api/v1/policy/land", {"records": [approved, pending]}, content_type="application/json")
    assert r.status_code == 200, r.content
    a, p = r.json()["decisions"]
    assert a["decision"] == "eligible"
    assert [x["code"] for x in a["reasons"]] == [
        "CONDITIONS_MET",
        "NOT_ZERO_NEW_LAND",
        "LAND_MEASURES_RECORDED",
    ]
    assert a["land_measures"] == ["优先规划", "优先供应", "以先租后让方式取得工业用地使用权"]
    assert p["decision"] == "review" and p["reasons"][0]["code"] == "APPROVAL_PENDING"
    assert "经批准" not in p["explanation"].replace(p["original_text"], "")
    assert AuditEvent.objects.filter(event="calculation", object_type="policy.land").exists()
    bad = c.post(
        "/api/v1/policy/land",
        {"records": [{**LAND, "acquisition": "划拨"}]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["column"] == "acquisition"


@pytest.mark.django_db
def test_the_filings_endpoint_lists_the_statutory_approvals_that_remain(client_for):
    r = client_for("clerk").post(
        "/api/v1/policy/filings",
        {
            "records": [
                {
                    "case_id": "F1",
                    "filing_date": "2019-05-01",
                    "project_type": "设备更新改造",
                    "new_land_area_m2": "0",
                    "advanced_mature_process": "否",
                    "changes_pollutant_discharge": "是",
                    "energy_review_required": "是",
                }
            ]
        },
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    (d,) = r.json()["decisions"]
    assert d["decision"] == "eligible"
    assert d["approvals"] == ["环评（环境影响评价）", "能评（节能审查）"]
    assert "仍须依法办理法定审批" in d["explanation"]


@pytest.mark.django_db
def test_the_land_and_filings_endpoints_refuse_a_bank(client_for):
    c = client_for("bank")
    assert c.post("/api/v1/policy/land", {"records": []}, content_type="application/json").status_code == 403
    assert (
        c.post("/api/v1/policy/filings", {"records": []}, content_type="application/json").status_code == 403
    )
