"""Money is exact on both engines, on every path (issue 11 point 1; docs/programme.md, reading 2).

Run on SQLite (default) and on PostgreSQL (DATABASE_URL=postgres://…): SQLite kept a decimal column as a
double, so 99999999999999.99 came back as 1e14 and every page listing it answered 500.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ProjectFactory
from jigai.core.models import Region
from jigai.core.money import MAX_YUAN
from jigai.core.money_fields import MoneySum
from jigai.dispatch.models import ProgressReport, RegionStatistic
from jigai.imports import ImportContext, tables
from jigai.imports.tests.workbooks import xlsx
from jigai.registry.imports import context_for, run_import
from jigai.registry.models import EnterpriseScaleYear, Project

D = Decimal
AT = dt.datetime(2019, 7, 3, tzinfo=dt.UTC)
EXTREMES = [D("99999999999999.99"), D("12345678901234.56"), D("9999999999999.99"), D("0.01"), D("0.00")]

amounts = st.integers(min_value=0, max_value=int(MAX_YUAN * 100)).map(lambda fen: D(fen).scaleb(-2))


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(total=amounts, equipment=amounts, fixed=amounts)
def test_every_amount_within_the_bound_round_trips_through_the_orm_exactly(total, equipment, fixed):
    p = ProjectFactory(
        total_investment_yuan=total, equipment_investment_yuan=equipment, fixed_asset_investment_yuan=fixed
    )
    back = Project.objects.values_list(
        "total_investment_yuan", "equipment_investment_yuan", "fixed_asset_investment_yuan"
    ).get(pk=p.pk)
    assert back == (total, equipment, fixed)
    assert all(str(v) == f"{v:.2f}" for v in back)  # two places, as the API writes them
    assert Project.objects.filter(total_investment_yuan=total, pk=p.pk).exists()  # lookups too


@pytest.mark.django_db
def test_extreme_amounts_are_stored_exactly_and_compared_exactly():
    for value in EXTREMES:
        p = ProjectFactory(total_investment_yuan=value, equipment_investment_yuan=value)
        p.refresh_from_db()
        assert p.total_investment_yuan == value
        assert Project.objects.filter(pk=p.pk, total_investment_yuan__gte=value).exists()
        assert not Project.objects.filter(pk=p.pk, total_investment_yuan__gt=value).exists()
    ent = ProjectFactory().enterprise
    EnterpriseScaleYear.objects.create(enterprise=ent, year=2019, above_scale=True, revenue_yuan=MAX_YUAN)
    assert EnterpriseScaleYear.objects.get(enterprise=ent).revenue_yuan == MAX_YUAN


@pytest.mark.django_db
def test_a_sum_of_many_maximal_amounts_is_exact_where_sqlite_integers_would_overflow():
    # 1,000 × 9,999,999,999,999,999 fen > 2^63: SQLite's own SUM raises "integer overflow".
    projects = [ProjectFactory() for _ in range(84)]
    ProgressReport.objects.bulk_create(
        ProgressReport(
            project=p, region=p.region, year=2019, month=m, progress_pct=1, first_submitted_at=AT,
            submitted_at=AT, month_investment_yuan=MAX_YUAN, cumulative_investment_yuan=MAX_YUAN,
        )
        for p in projects
        for m in range(1, 13)
    )  # fmt: skip
    n = ProgressReport.objects.count()
    total = ProgressReport.objects.aggregate(t=MoneySum("month_investment_yuan"))["t"]
    assert n == 1008 and total == MAX_YUAN * n


# --- every path -----------------------------------------------------------------------------------


def _form(project, **over):
    data = {
        "enterprise": project.enterprise_id, "region": project.region_id, "name": project.name,
        "content": "", "project_code": "", "industry": project.industry_id,
        "total_investment_wan": "5000", "equipment_investment_wan": "2000",
        "fixed_asset_investment_wan": "4000", "planned_start_date": "2018-03-01",
        "planned_completion_date": "2019-06-30", "plan_years": "2018",
        "conforms_industrial_policy": "on", "version": project.version,
    }  # fmt: skip
    data.update(over)
    return data


def _pages_answer(c, p):
    for url in (
        "/projects/",
        "/projects/export.xlsx",
        "/api/v1/projects",
        f"/projects/{p.pk}/",
        f"/projects/enterprises/{p.enterprise_id}/",
        f"/api/v1/projects/{p.pk}",
    ):
        r = c.get(url)
        assert r.status_code == 200, (url, r.status_code)


@pytest.mark.django_db
def test_the_largest_amount_typed_on_the_page_is_kept_to_the_fen_and_every_page_shows_it(client_for, users):
    p = ProjectFactory(region=users["clerk"].region)
    c = client_for("clerk")
    r = c.post(f"/projects/{p.pk}/edit/", _form(p, total_investment_wan="9999999999.999999"))
    assert r.status_code == 302, r.content.decode()[:2000]
    p.refresh_from_db()
    assert p.total_investment_yuan == D("99999999999999.99")
    _pages_answer(c, p)
    for role in ("office", "finance", "leader"):
        _pages_answer(client_for(role), p)
    item = client_for("office").get(f"/api/v1/projects/{p.pk}").json()
    assert item["total_investment_yuan"] == "99999999999999.99"


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["99999999999999.99", "12345678901234.56"])
def test_the_api_stores_the_amount_it_accepts_exactly(client_for, users, value):
    c = client_for("clerk")
    r = c.post(
        "/api/v1/projects",
        {
            "enterprise_id": users["_own_enterprise"].pk, "name": "API 项目", "industry_code": "15",
            "total_investment_yuan": value, "equipment_investment_yuan": "3000000.00",
            "fixed_asset_investment_yuan": "25000000.00", "plan_years": [2019],
        },
        content_type="application/json",
    )  # fmt: skip
    assert r.status_code == 201, r.content
    assert r.json()["total_investment_yuan"] == value
    p = Project.objects.get(pk=r.json()["id"])
    assert p.total_investment_yuan == D(value)
    _pages_answer(c, p)


@pytest.mark.django_db
def test_an_imported_amount_with_six_decimals_of_wan_is_stored_to_the_fen(users):
    p = ProjectFactory(name="硒茶改造", region=users["clerk"].region)
    header = ["项目名称", "统一社会信用代码", "总投资（万元）"]
    data = xlsx([header, [p.name, p.enterprise.credit_code, "1234567890.123456"]])
    report = run_import(tables.get("projects"), data, context_for(users["clerk"]))
    assert report.counts["updated"] == 1, [(i.row, i.issues) for i in report.rows]
    p.refresh_from_db()
    assert p.total_investment_yuan == D("12345678901234.56")


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["3000000,50", "3,0,0,0,0,0,0", "30,00"])
def test_a_decimal_comma_or_bad_grouping_is_refused_on_the_page_and_in_the_import(client_for, users, typed):
    p = ProjectFactory(region=users["clerk"].region, total_investment_yuan=D("50000000.00"))
    r = client_for("clerk").post(f"/projects/{p.pk}/edit/", _form(p, total_investment_wan=typed))
    assert r.status_code == 200 and "千位分隔符位置不正确" in r.content.decode()
    header = ["项目名称", "统一社会信用代码", "总投资（万元）"]
    report = run_import(
        tables.get("projects"), xlsx([header, [p.name, p.enterprise.credit_code, typed]]), ImportContext()
    )
    assert report.counts["updated"] == 0
    assert any("千位分隔符位置不正确" in i.reason for r in report.rows for i in r.issues)
    p.refresh_from_db()
    assert p.total_investment_yuan == D("50000000.00")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "yuan"), [("3,000,000.50", "30000005000.00"), ("３，０００．５", "30005000.00")]
)
def test_valid_grouping_and_full_width_digits_are_read_on_the_page(client_for, users, typed, yuan):
    p = ProjectFactory(region=users["clerk"].region)
    r = client_for("clerk").post(
        f"/projects/{p.pk}/edit/",
        _form(p, total_investment_wan=typed, equipment_investment_wan="0", fixed_asset_investment_wan="0"),
    )
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.total_investment_yuan == D(yuan)


@pytest.mark.django_db
def test_an_amount_above_the_bound_is_refused_naming_the_field_and_the_limit(client_for, users):
    p = ProjectFactory(region=users["clerk"].region)
    r = client_for("clerk").post(f"/projects/{p.pk}/edit/", _form(p, total_investment_wan="10000000000"))
    assert r.status_code == 200
    assert "总投资（万元）超出上限（最多 9,999,999,999.999999 万元）" in r.content.decode()
    r = client_for("clerk").post(
        "/api/v1/projects",
        {"enterprise_id": users["_own_enterprise"].pk, "name": "x", "industry_code": "15",
         "total_investment_yuan": "100000000000000.00", "equipment_investment_yuan": "0",
         "fixed_asset_investment_yuan": "0"},
        content_type="application/json",
    )  # fmt: skip
    assert r.status_code == 422
    assert {e["field"]: e["message"] for e in r.json()["errors"]} == {
        "total_investment_yuan": "不能大于 99999999999999.99"
    }


@pytest.mark.django_db
def test_extreme_statistics_and_reports_leave_rankings_targets_warning_and_the_bulletin_draft_standing(
    client_for, users
):
    c = client_for("clerk")
    for year in (2018, 2019):
        r = c.put(
            "/api/v1/dispatch/statistics",
            json.dumps({"region_code": "422801", "year": year, "month": 6,
                        "industrial_investment_ytd_yuan": "99999999999999.99",
                        "tech_investment_ytd_yuan": "99999999999999.99"}),
            content_type="application/json",
        )  # fmt: skip
        assert r.status_code == 200, r.content
    stat = RegionStatistic.objects.get(region__code="422801", year=2019, month=6)
    assert stat.tech_investment_ytd_yuan == MAX_YUAN
    p = ProjectFactory(region=Region.objects.get(code="422801"), total_investment_yuan=MAX_YUAN)
    ProgressReport.objects.create(
        project=p, region=p.region, year=2019, month=6, progress_pct=1, first_submitted_at=AT,
        submitted_at=AT, month_investment_yuan=MAX_YUAN, cumulative_investment_yuan=MAX_YUAN,
    )  # fmt: skip
    office = client_for("office")
    for url in (
        "/assessment/rankings/",
        "/assessment/targets/",
        "/assessment/warning/",
        "/dispatch/bulletins/draft/2019/6/",
        "/dispatch/statistics/2019/6/",
        "/api/v1/dispatch/statistics?year=2019&month=6",
        "/projects/",
    ):
        r = office.get(url)
        assert r.status_code == 200, (url, r.status_code)


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_the_yuan_a_database_held_into_the_same_exact_amounts():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from conftest import EnterpriseFactory

    ent = EnterpriseFactory()
    executor = MigrationExecutor(connection)
    executor.migrate([("registry", "0001_initial")])
    with connection.cursor() as cursor:
        for year, text in ((2017, "1234567.89"), (2018, "9999999999999.99"), (2019, "0.01"), (2020, None)):
            cursor.execute(
                "INSERT INTO registry_enterprisescaleyear (enterprise_id, year, above_scale, revenue_yuan)"
                " VALUES (%s, %s, %s, %s)",
                [ent.pk, year, True, text],
            )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    got = dict(EnterpriseScaleYear.objects.filter(enterprise=ent).values_list("year", "revenue_yuan"))
    assert got == {2017: D("1234567.89"), 2018: D("9999999999999.99"), 2019: D("0.01"), 2020: None}
