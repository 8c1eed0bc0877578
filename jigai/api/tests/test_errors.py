"""How /api/v1 refuses what it cannot do: JSON with a Chinese detail, the documented status, never a 500.
Each test here is a case the schema fuzzer (test_fuzz.py) found."""

import pytest

from jigai.accounts.services import token_create
from jigai.api.api import COMMON_ERRORS, api
from jigai.core.models import AuditEvent
from jigai.registry.models import Enterprise

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='测试')}"}


def test_a_nul_character_in_a_body_is_a_clear_422_on_every_database(client_for, users):
    before = Enterprise.objects.count()
    r = client_for("office").post(
        "/api/v1/enterprises",
        {"name": "恩施\x00企业", "credit_code": "x", "region_code": "422801", "industry_code": "15"},
        content_type="application/json",
    )
    assert r.status_code == 422, r.content
    assert r.json()["errors"] == [
        {"field": "name", "message": "不能包含空字符（U+0000）", "type": "nul_character"}
    ]
    assert Enterprise.objects.count() == before


def test_a_nul_character_deep_in_a_body_names_its_place(client_for):
    r = client_for("office").post(
        "/api/v1/policy/simulate",
        {"records": [], "settings": ["stacking=higher_only", "a\x00=1"]},
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "settings.1"
    assert not AuditEvent.objects.filter(event="calculation").exists()


def test_a_nul_character_in_a_query_is_a_422_not_a_database_error(client_for):
    r = client_for("leader").get("/api/v1/enterprises?q=%00")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "q"
    assert client_for("leader").get("/api/v1/projects?flag=is_key&flag=a%00").status_code == 422


def test_a_refusal_for_a_path_with_a_nul_is_audited_with_the_path_as_sent(client, users):
    r = client.get("/api/v1/assessment/rankings/2019Q2%00", **bearer(users["bank"]))
    assert r.status_code == 403 and r.json()["detail"] == "您没有执行此操作的权限"
    event = AuditEvent.objects.filter(event="access_denied").latest("seq")
    assert event.message == "assessment.view /api/v1/assessment/rankings/2019Q2%00"  # operation, path


def test_a_body_that_is_not_json_is_a_422_in_chinese(client_for):
    r = client_for("office").post("/api/v1/policy/evaluate", "{not json", content_type="application/json")
    assert r.status_code == 422 and r.json()["detail"] == "请求体不是有效的 JSON"


def test_pydantic_errors_are_explained_in_chinese_with_their_limits(client_for):
    r = client_for("office").post(
        "/api/v1/dispatch/reports",
        {"project_id": 1, "year": 1999, "month": 1, "month_investment_yuan": "1",
         "cumulative_investment_yuan": "1", "progress_text": "长" * 301, "state": "nonsense"},
        content_type="application/json",
    )  # fmt: skip
    assert r.status_code == 422
    messages = {e["field"]: e["message"] for e in r.json()["errors"]}
    assert messages == {
        "year": "不能小于 2000",
        "progress_text": "文字过长（最多 300 个字）",
        "state": "不是允许的取值",
    }
    r = client_for("office").post(
        "/api/v1/policy/evaluate", {"records": "x"}, content_type="application/json"
    )
    assert r.json()["errors"][0]["message"] == "应为列表"


def test_a_url_under_the_api_that_names_no_operation_is_a_json_404_after_login(client, client_for):
    assert client.get("/api/v1/enterprises/abc").status_code == 401
    for url in ("/api/v1/enterprises/abc", "/api/v1/projects/-1", "/api/v1/nothing/here"):
        r = client_for("office").get(url)
        assert r.status_code == 404 and r.json()["detail"] == "记录不存在或无权访问", url


def test_an_anonymous_post_with_a_cookie_of_no_session_is_told_to_log_in(client):
    client.cookies["sessionid"] = "no-such-session"
    r = client.post("/api/v1/projects", "{}", content_type="application/json")
    assert r.status_code == 401 and r.json()["detail"] == "未登录或令牌无效"


def test_a_logged_in_session_still_needs_the_csrf_token_to_write(users):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(users["office"])
    r = c.post("/api/v1/projects", "{}", content_type="application/json")
    assert r.status_code == 403 and r.json()["detail"] == "CSRF 校验失败，请刷新页面后重试"


def test_the_openapi_document_promises_the_shared_error_answers():
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            assert set(COMMON_ERRORS) <= documented, (method, path)
            assert ("{" not in path) or 404 in documented, (method, path)
    assert schema["components"]["schemas"]["ApiError"]["required"] == ["detail"]


def _schemas(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _schemas(sub)


def test_no_two_models_share_a_name_in_the_document():
    # Found by the fuzzer: two apps each had a PublishIn, and the document described the bulletin's body
    # with the ranking's ({"basis"}), so every documented request was refused.
    from ninja import Schema

    api.get_openapi_schema()  # imports every router
    by_name: dict[str, list] = {}
    for model in _schemas(Schema):
        if model.__module__.startswith("jigai."):
            by_name.setdefault(model.__name__, []).append(model.model_json_schema())
    assert {name for name, schemas in by_name.items() if any(s != schemas[0] for s in schemas)} == set()
    body = api.get_openapi_schema()["paths"]["/api/v1/dispatch/bulletins"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(api.get_openapi_schema()["components"]["schemas"][ref]["required"]) == {"year", "month"}


def test_a_method_a_path_does_not_take_is_a_chinese_json_405_that_keeps_allow(client, client_for):
    for c in (client, client_for("office")):
        r = c.delete("/api/v1/enterprises")
        assert r.status_code == 405 and r["Content-Type"].startswith("application/json")
        assert r["Allow"] == "GET, POST"
        assert r.json() == {
            "detail": "此地址不支持 DELETE 请求，可用：GET（读取）、POST（新建）",
            "errors": [],
        }


def test_the_api_root_is_a_json_404_and_pages_outside_the_api_keep_their_html(client_for):
    c = client_for("office")
    r = c.get("/api/v1/")
    assert r.status_code == 404 and r.json()["detail"].startswith("接口不存在")
    page = c.get("/projects/999999999/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
