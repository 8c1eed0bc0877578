"""Issue 11, point 3: password expiry and the second factor hold on every path — pages, exports, the API
with a session and the API with a token — and the API says so in JSON, with a code a client can act on."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from jigai.accounts.models import User
from jigai.accounts.services import token_create

pytestmark = pytest.mark.django_db

API_PATHS = ["/api/v1/projects", "/api/v1/projects/export.xlsx", "/api/v1/enterprises"]
PAGE_PATHS = ["/projects/", "/projects/export.xlsx"]


def _expire(username: str, **change):
    User.objects.filter(username=username).update(**change)


def _session(username: str) -> Client:
    c = Client()
    r = c.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert r.status_code == 302, r.content.decode()[:500]
    return c


def _assert_refused(r, code: str):
    assert r.status_code == 403, (r.status_code, r.content[:300])
    assert r["Content-Type"].startswith("application/json")
    body = r.json()
    assert body["code"] == code
    assert "/accounts/" in body["detail"]  # says where to put it right, in Chinese
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"])


@pytest.mark.parametrize("path", API_PATHS)
@pytest.mark.parametrize(
    "change",
    [
        {"password_changed_at": None},  # an initial password, never changed
        {"password_changed_at": timezone.now() - dt.timedelta(days=91)},
    ],
    ids=["initial", "older-than-90-days"],
)
def test_an_expired_password_is_refused_by_the_api_with_a_session(users, path, change):
    c = _session("office")
    assert c.get("/api/v1/projects").status_code == 200
    _expire("office", **change)
    _assert_refused(c.get(path), "password_expired")


@pytest.mark.parametrize("path", API_PATHS)
def test_an_expired_password_is_refused_by_the_api_with_a_token(users, client, path):
    token = token_create(user=users["office"], name="报表")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/projects", **auth).status_code == 200
    _expire("office", password_changed_at=timezone.now() - dt.timedelta(days=91))
    _assert_refused(client.get(path, **auth), "password_expired")


@pytest.mark.parametrize("path", API_PATHS)
def test_a_finance_user_without_the_required_second_factor_is_refused_everywhere(
    users, client, settings, path
):
    token = token_create(user=users["finance"], name="财政报表")
    c = _session("finance")
    settings.JIGAI_2FA_REQUIRED_ROLES = frozenset({"finance"})
    _assert_refused(c.get(path), "second_factor_required")
    _assert_refused(client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}"), "second_factor_required")
    for page in PAGE_PATHS:
        r = c.get(page)
        assert r.status_code == 302 and r["Location"].startswith("/accounts/2fa/")


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_an_expired_password_sends_pages_and_exports_to_the_change_form(users, path):
    c = _session("office")
    _expire("office", password_changed_at=None)
    r = c.get(path)
    assert r.status_code == 302 and r["Location"].startswith("/accounts/password/")


def test_the_second_factor_once_enrolled_opens_the_api_again(users, client, settings):
    settings.JIGAI_2FA_REQUIRED_ROLES = frozenset({"finance"})
    token = token_create(user=users["finance"], name="财政报表")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/projects", **auth).status_code == 403
    _expire("finance", totp_secret="JBSWY3DPEHPK3PXP")
    assert client.get("/api/v1/projects", **auth).status_code == 200
