"""The dispatch API: submitting and correcting reports, statistics, status and publishing."""

import json

import pytest

from jigai.dispatch.models import Bulletin, ProgressReport, RegionStatistic

from .helpers import project, report

pytestmark = pytest.mark.django_db


def post(c, url, body):
    return c.post(url, json.dumps(body), content_type="application/json")


def test_a_report_is_submitted_and_corrected_through_the_api(users, client_for):
    p = project(name="接口项目")
    c = client_for("clerk")
    body = {"project_id": p.pk, "year": 2019, "month": 6, "month_investment_yuan": "1205000.00",
            "cumulative_investment_yuan": "8600000.00", "progress_pct": 45, "state": "behind",
            "problems": "缺电", "department_asked": "国网恩施供电公司"}  # fmt: skip
    r = post(c, "/api/v1/dispatch/reports", body)
    assert r.status_code == 201, r.json()
    out = r.json()
    assert (out["month_investment_yuan"], out["state"], out["version"]) == ("1205000.00", "behind", 1)
    again = post(c, "/api/v1/dispatch/reports", body)
    assert again.status_code == 409 and again.json()["errors"][0]["message"] == str(out["id"])
    patch = c.patch(
        f"/api/v1/dispatch/reports/{out['id']}",
        json.dumps({"version": 1, "reason": "", "cumulative_investment_yuan": "8700000.00"}),
        content_type="application/json",
    )
    assert patch.status_code == 400 and patch.json()["errors"][0]["field"] == "reason"
    patch = c.patch(
        f"/api/v1/dispatch/reports/{out['id']}",
        json.dumps({"version": 1, "reason": "核实发票", "cumulative_investment_yuan": "8700000.00"}),
        content_type="application/json",
    )
    assert patch.status_code == 200 and patch.json()["version"] == 2
    stale = c.patch(
        f"/api/v1/dispatch/reports/{out['id']}",
        json.dumps({"version": 1, "reason": "再改", "progress_pct": 50}),
        content_type="application/json",
    )
    assert stale.status_code == 409
    detail = c.get(f"/api/v1/dispatch/reports/{out['id']}").json()
    assert [(v["version"], v["reason"]) for v in detail["revisions"]] == [(1, ""), (2, "核实发票")]


def test_impossible_values_are_refused_by_the_api_with_the_field(users, client_for):
    p = project()
    c = client_for("office")
    r = post(
        c,
        "/api/v1/dispatch/reports",
        {
            "project_id": p.pk,
            "year": 2019,
            "month": 6,
            "month_investment_yuan": "9.00",
            "cumulative_investment_yuan": "1.00",
        },
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "cumulative_investment_yuan"
    r = post(
        c,
        "/api/v1/dispatch/reports",
        {
            "project_id": p.pk,
            "year": 2019,
            "month": 6,
            "month_investment_yuan": "-1",
            "cumulative_investment_yuan": "1.00",
        },
    )
    assert r.status_code == 422
    assert not ProgressReport.objects.exists()


def test_statistics_are_put_and_read_back_with_growth_and_rank(users, client_for):
    c = client_for("clerk")
    for year, tech in ((2018, "100000000.00"), (2019, "120000000.00")):
        r = c.put("/api/v1/dispatch/statistics", json.dumps({
            "region_code": "422801", "year": year, "month": 6, "industrial_investment_ytd_yuan": "300000000.00",
            "tech_investment_ytd_yuan": tech}), content_type="application/json")  # fmt: skip
        assert r.status_code == 200, r.json()
    assert r.json()["tech_growth"] == "0.200000" and r.json()["tech_rank"] == 1
    rows = c.get("/api/v1/dispatch/statistics?year=2019&month=6").json()
    assert rows == [r.json()]
    assert RegionStatistic.objects.count() == 2


def test_the_office_publishes_and_corrects_through_the_api(world, users, client_for):
    c = client_for("office")
    r = post(c, "/api/v1/dispatch/bulletins", {"year": 2019, "month": 6, "issue_date": "2019-07-12"})
    assert r.status_code == 201 and r.json()["document_number"].endswith("〔2019〕1号")
    pk = r.json()["id"]
    assert post(c, "/api/v1/dispatch/bulletins", {"year": 2019, "month": 6}).status_code == 400
    r = post(c, f"/api/v1/dispatch/bulletins/{pk}/corrections", {"reason": "补报"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "issue_date"  # no silent "today"
    r = post(
        c, f"/api/v1/dispatch/bulletins/{pk}/corrections", {"reason": "补报", "issue_date": "2019-07-20"}
    )
    assert r.status_code == 201 and r.json()["edition"] == 2
    snap = client_for("leader").get(f"/api/v1/dispatch/bulletins/{pk}").json()["snapshot"]
    assert snap["period"] == {"year": 2019, "month": 6, "label": "2019年6月", "key": "2019-06"}
    assert Bulletin.objects.count() == 2


def test_the_status_lists_late_and_missing_per_unit(world, client_for):
    rows = client_for("office").get("/api/v1/dispatch/status?year=2019&month=6").json()
    enshi = next(r for r in rows if r["region_code"] == "422801")
    lichuan = next(r for r in rows if r["region_code"] == "422802")
    assert (enshi["late"], [p["name"] for p in enshi["late_projects"]]) == (1, [world["b"].name])
    assert (lichuan["missing"], [p["name"] for p in lichuan["missing_projects"]]) == (1, [world["d"].name])


def test_an_amount_beyond_the_stored_digits_is_a_422_naming_the_limit(users, client_for):
    p = project()
    r = post(client_for("clerk"), "/api/v1/dispatch/reports", {
        "project_id": p.pk, "year": 2019, "month": 6, "month_investment_yuan": 9.524440138775524e307,
        "cumulative_investment_yuan": "100000000000000.00"})  # fmt: skip
    assert r.status_code == 422
    assert {e["field"]: e["message"] for e in r.json()["errors"]} == {
        "month_investment_yuan": "不能大于 99999999999999.99",
        "cumulative_investment_yuan": "不能大于 99999999999999.99",
    }
    assert not ProgressReport.objects.exists()


def test_a_correction_cannot_null_a_field(users, client_for):
    p = project()
    r = report(users["clerk"], p, 2019, 6, 100, 800, progress_pct=40)
    for field in ("state", "progress_pct", "month_investment_yuan"):
        resp = client_for("clerk").patch(f"/api/v1/dispatch/reports/{r.pk}", json.dumps(
            {"version": 1, "reason": "更正", field: None}), content_type="application/json")  # fmt: skip
        assert resp.status_code == 422 and resp.json()["errors"][0]["field"] == field, field
    r.refresh_from_db()
    assert (r.version, r.progress_pct, r.state) == (1, 40, "on_schedule")
