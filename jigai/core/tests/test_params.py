"""No 500 from a parameter (issue 11 point 9): every integer a URL or a query carries is bounded before it
reaches the database; SQLite cannot even bind an integer beyond 64 bits."""

from __future__ import annotations

import pytest

from conftest import ProjectFactory
from jigai.core.params import MAX_ID, NO_ID, IdConverter, id_param, int_param

HUGE = "99999999999999999999"  # 10^20 - 1: more than 64 bits


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12), (" 7 ", 7), ("", None), (None, None), ("abc", None), ("1.5", None),
        ("0", NO_ID), ("-3", NO_ID), (HUGE, NO_ID), (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), NO_ID),
    ],
)  # fmt: skip
def test_an_id_from_a_query_is_a_bounded_int_or_names_nothing(value, expected):
    assert id_param(value) == expected


def test_int_param_keeps_its_default_or_says_outside():
    assert int_param("2019", 2000, 2000, 2100) == 2019
    assert int_param("3000", 2000, 2000, 2100) == 2000
    assert int_param("3000", 2000, 2000, 2100, outside=0) == 0
    assert int_param("x", 2000, 2000, 2100, outside=0) == 2000


def test_an_id_in_a_url_beyond_the_range_does_not_match():
    converter = IdConverter()
    assert converter.to_python("42") == 42
    for bad in ("0", str(MAX_ID + 1)):
        with pytest.raises(ValueError):
            converter.to_python(bad)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/projects/", "/projects/export.xlsx"])
@pytest.mark.parametrize("param", ["enterprise", "year"])
def test_a_huge_number_in_the_project_list_or_export_selects_nothing(client_for, path, param):
    ProjectFactory()
    r = client_for("office").get(path, {param: HUGE})
    assert r.status_code == 200
    if path == "/projects/":
        assert r.context["page"].paginator.count == 0


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/projects", "/api/v1/projects/export.xlsx"])
@pytest.mark.parametrize("param", ["enterprise", "year"])
def test_a_huge_number_in_the_api_project_query_is_a_chinese_422(client_for, path, param):
    r = client_for("office").get(path, {param: HUGE})
    assert r.status_code == 422 and r["Content-Type"].startswith("application/json")
    [error] = r.json()["errors"]
    assert error["field"] == param and error["message"].startswith("不能大于")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [f"/projects/{HUGE}/", f"/projects/enterprises/{HUGE}/", f"/dispatch/reports/{HUGE}/",
     f"/assessment/interviews/{HUGE}/", f"/policy/?project={HUGE}"],
)  # fmt: skip
def test_a_huge_id_in_a_page_url_is_a_404(client_for, path):
    assert client_for("office").get(path).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [f"/api/v1/projects/{HUGE}", f"/api/v1/enterprises/{HUGE}", f"/api/v1/dispatch/reports/{HUGE}",
     f"/api/v1/dispatch/bulletins/{HUGE}", f"/api/v1/assessment/interviews/{HUGE}"],
)  # fmt: skip
def test_a_huge_id_in_an_api_path_is_a_json_4xx_not_a_500(client_for, path):
    r = client_for("office").get(path)
    assert r.status_code in (404, 422) and r["Content-Type"].startswith("application/json")
    assert r.json()["detail"]


@pytest.mark.django_db
def test_a_huge_id_in_an_api_body_is_a_chinese_422(client_for):
    body = {"enterprise_id": int(HUGE), "name": "x", "industry_code": "C13", "total_investment_yuan": "1",
            "equipment_investment_yuan": "1", "fixed_asset_investment_yuan": "1"}  # fmt: skip
    r = client_for("office").post("/api/v1/projects", body, content_type="application/json")
    assert r.status_code == 422
    assert any(e["field"] == "enterprise_id" for e in r.json()["errors"])
