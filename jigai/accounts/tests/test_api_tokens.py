"""Issue 11, point 13: API tokens are issued, listed and revoked in the UI by their owner (and by the
security administrator for anyone), expire after JIGAI_API_TOKEN_DAYS, and each use is attributable."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from jigai.accounts.models import ApiToken
from jigai.accounts.services import token_create, token_digest
from jigai.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _issue(c, name="统计接口") -> str:
    r = c.post("/accounts/tokens/", {"action": "create", "name": name})
    assert r.status_code == 200
    found = re.search(r'id="new-token"[^>]*>(jg_[^<]+)<', r.content.decode())
    assert found, r.content.decode()[:2000]
    return found.group(1)


def test_the_owner_issues_a_token_shown_once_and_stored_as_a_digest(client_for, users, settings):
    c = client_for("clerk")
    token = _issue(c)
    row = ApiToken.objects.get(user=users["clerk"])
    assert row.digest == token_digest(token) and token not in row.digest
    assert abs(
        row.expires_at - (row.created_at + dt.timedelta(days=settings.JIGAI_API_TOKEN_DAYS))
    ) < dt.timedelta(seconds=5)
    listing = c.get("/accounts/tokens/").content.decode()
    assert "统计接口" in listing and token not in listing
    assert Client().get("/api/v1/projects", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    assert AuditEvent.objects.filter(event="token_create", object_id=str(users["clerk"].pk)).exists()


def test_a_blank_name_is_refused_with_a_message(client_for):
    r = client_for("clerk").post("/accounts/tokens/", {"action": "create", "name": "  "})
    assert r.status_code == 200 and "请填写令牌名称" in r.content.decode()
    assert not ApiToken.objects.exists()


def test_the_owner_revokes_their_token_and_it_stops_working(client_for, users):
    c = client_for("clerk")
    token = _issue(c)
    row = ApiToken.objects.get()
    r = c.post("/accounts/tokens/", {"action": "revoke", "token": row.pk})
    assert r.status_code == 302
    assert Client().get("/api/v1/projects", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    event = AuditEvent.objects.get(event="token_revoke")
    assert event.username == "clerk" and event.after["token"] == row.pk


def test_a_user_neither_sees_nor_revokes_anothers_token(client, users):
    token = token_create(user=users["office"], name="州办报表")
    row = ApiToken.objects.get()
    client.force_login(users["clerk"])
    assert "州办报表" not in client.get("/accounts/tokens/").content.decode()
    assert client.post("/accounts/tokens/", {"action": "revoke", "token": row.pk}).status_code == 404
    assert (
        client.post("/accounts/tokens/", {"action": "revoke", "token": "99999999999999999999"}).status_code
        == 404
    )
    row.refresh_from_db()
    assert row.revoked_at is None
    assert Client().get("/api/v1/projects", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


def test_the_security_administrator_lists_and_revokes_anyones_token(client_for, users):
    token_create(user=users["office"], name="州办报表")
    row = ApiToken.objects.get()
    c = client_for("security_admin")
    page = c.get("/accounts/tokens/").content.decode()
    assert "州办报表" in page and "office" in page
    assert c.post("/accounts/tokens/", {"action": "revoke", "token": row.pk}).status_code == 302
    row.refresh_from_db()
    assert row.revoked_at is not None
    assert AuditEvent.objects.get(event="token_revoke").username == "secadmin"


def test_a_token_expires_after_the_configured_days(client, users, settings):
    settings.JIGAI_API_TOKEN_DAYS = 30
    token = token_create(user=users["office"], name="报表")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    row = ApiToken.objects.get()
    assert row.expires_at - row.created_at > dt.timedelta(days=29, hours=23)
    assert client.get("/api/v1/projects", **auth).status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/v1/projects", **auth).status_code == 401


def test_each_use_of_a_token_is_attributable(client, users):
    token = token_create(user=users["office"], name="报表")
    row = ApiToken.objects.get()
    assert row.last_used_at is None
    r = client.get(
        "/api/v1/projects/export.xlsx", HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR="192.168.7.8"
    )
    assert r.status_code == 200
    row.refresh_from_db()
    assert row.last_used_at is not None and row.last_used_ip == "192.168.7.8"
    event = AuditEvent.objects.filter(event="export").latest("seq")
    assert event.source == "api" and event.source_detail == f"token:{row.pk}:报表"
    assert event.ip == "192.168.7.8" and event.username == "office"


def test_no_token_is_issued_before_an_expired_password_is_changed(client_for, users):
    from jigai.accounts.models import User

    User.objects.filter(pk=users["clerk"].pk).update(password_changed_at=None)
    c = client_for("clerk")
    r = c.post("/accounts/tokens/", {"action": "create", "name": "绕过"})
    assert r.status_code == 302 and r["Location"].startswith("/accounts/password/")
    assert not ApiToken.objects.exists()


def test_a_burst_of_reads_writes_the_last_use_once(client, users):
    token = token_create(user=users["office"], name="报表")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}", "REMOTE_ADDR": "192.168.7.8"}
    client.get("/api/v1/projects", **auth)
    first = ApiToken.objects.get().last_used_at
    client.get("/api/v1/projects", **auth)
    assert ApiToken.objects.get().last_used_at == first
    client.get("/api/v1/projects", HTTP_AUTHORIZATION=auth["HTTP_AUTHORIZATION"], REMOTE_ADDR="192.168.7.9")
    assert ApiToken.objects.get().last_used_ip == "192.168.7.9"
