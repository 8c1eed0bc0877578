import datetime as dt

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD, make_user
from jigai.accounts.models import Role, User
from jigai.accounts.services import user_set_active
from jigai.core.models import AuditEvent

GENERIC = "用户名或密码错误，或账户已被锁定"


def _login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_five_failures_lock_the_account_and_the_right_password_still_fails(users):
    c = Client()
    for _ in range(5):
        r = _login(c, "clerk", "wrong-password")
        assert r.status_code == 200 and GENERIC in r.content.decode()
    r = _login(c, "clerk", PASSWORD)
    assert r.status_code == 200 and GENERIC in r.content.decode()
    assert User.objects.get(username="clerk").locked_until_at > timezone.now()
    assert AuditEvent.objects.filter(event="lockout", username="clerk").count() == 1


@pytest.mark.django_db
def test_the_lock_expires_after_thirty_minutes(users):
    User.objects.filter(username="clerk").update(locked_until_at=timezone.now() - dt.timedelta(seconds=1))
    r = _login(Client(), "clerk", PASSWORD)
    assert r.status_code == 302


@pytest.mark.django_db
def test_an_unknown_user_and_a_wrong_password_get_the_same_message(users):
    a = _login(Client(), "nobody", "x").content.decode()
    b = _login(Client(), "clerk", "x").content.decode()
    assert GENERIC in a and GENERIC in b


@pytest.mark.django_db
def test_login_success_and_failure_are_audited_with_ip(users):
    _login(Client(REMOTE_ADDR="10.0.0.9"), "clerk", "bad")
    _login(Client(REMOTE_ADDR="10.0.0.9"), "CLERK", PASSWORD)
    fail = AuditEvent.objects.get(event="login_failure")
    ok = AuditEvent.objects.get(event="login_success")
    assert fail.outcome == "failure" and fail.ip == "10.0.0.9" and ok.username == "clerk"


@pytest.mark.django_db
def test_usernames_are_unique_regardless_of_case(users):
    with pytest.raises(IntegrityError):
        make_user("CLERK", Role.LEADER)


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("short1A", False),
        ("alllowercase", False),
        ("lowerUPPER", False),
        ("lowerUPPER1", True),
        ("lower1!", False),
        ("lower-case-99", True),
        ("Password1", False),
        ("xclerkX1!", False),
        ("一段很长的中文口令也可以Ab1", True),
    ],
)
@pytest.mark.django_db
def test_password_rules_follow_dengbao(password, ok):
    user = User(username="clerk", role=Role.LEADER)
    if ok:
        validate_password(password, user)
    else:
        with pytest.raises(ValidationError):
            validate_password(password, user)


@pytest.mark.django_db
def test_an_expired_password_must_be_changed_before_anything_else(users, client):
    User.objects.filter(username="clerk").update(password_changed_at=timezone.now() - dt.timedelta(days=91))
    client.force_login(User.objects.get(username="clerk"))
    r = client.get("/projects/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/password/")


@pytest.mark.django_db
def test_sessions_end_after_thirty_idle_minutes(settings, users):
    # The idle timer slides by a save at most once a minute (session_activity.py), not on every request.
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.JIGAI_SESSION_TOUCH_SECONDS <= 60
    c = Client()
    _login(c, "clerk", PASSWORD)
    key = c.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert c.get("/projects/").status_code == 302


@pytest.mark.django_db
def test_logout_deletes_the_session_server_side(users):
    c = Client()
    _login(c, "clerk", PASSWORD)
    key = c.session.session_key
    c.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()


@pytest.mark.django_db
def test_disabling_a_user_ends_all_their_sessions(users):
    c1, c2 = Client(), Client()
    _login(c1, "clerk", PASSWORD)
    _login(c2, "clerk", PASSWORD)
    assert c1.get("/projects/").status_code == 200
    user_set_active(user=User.objects.get(username="clerk"), active=False)
    assert c1.get("/projects/").status_code == 302
    assert c2.get("/projects/").status_code == 302
    assert AuditEvent.objects.filter(event="user_disable").exists()


@pytest.mark.django_db
def test_nobody_can_be_a_superuser(users):
    with pytest.raises(IntegrityError):
        make_user("root", Role.SYSADMIN, is_superuser=True)


@pytest.mark.django_db
def test_a_clerk_must_be_bound_to_a_reporting_unit():
    with pytest.raises(IntegrityError):
        make_user("lost", Role.CLERK)


@pytest.mark.django_db
def test_a_user_with_totp_needs_the_one_time_code(users):
    import pyotp

    secret = pyotp.random_base32()
    User.objects.filter(username="finance").update(totp_secret=secret)
    assert _login(Client(), "finance", PASSWORD).status_code == 200
    r = Client().post(
        "/accounts/login/", {"username": "finance", "password": PASSWORD, "otp": pyotp.TOTP(secret).now()}
    )
    assert r.status_code == 302


@pytest.mark.django_db
def test_a_required_role_enrols_a_second_factor_before_anything_else(users, settings):
    import pyotp

    settings.JIGAI_2FA_REQUIRED_ROLES = frozenset({"finance"})
    c = Client()
    _login(c, "finance", PASSWORD)
    r = c.get("/projects/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/2fa/")
    page = c.get("/accounts/2fa/")
    secret = c.session["pending_totp_secret"]
    assert "".join(page.context["secret"].split()) == secret
    r = c.post(
        "/accounts/2fa/?keep=1", {"code": "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"}
    )
    assert r.status_code == 200 and "动态口令不正确" in r.content.decode()
    r = c.post("/accounts/2fa/?keep=1", {"code": pyotp.TOTP(secret).now()})
    assert r.status_code == 302
    assert User.objects.get(username="finance").totp_secret == secret
    assert c.get("/projects/").status_code == 200
    assert AuditEvent.objects.filter(event="2fa_enable").exists()
    # From now on the password alone is not enough.
    assert _login(Client(), "finance", PASSWORD).status_code == 200


@pytest.mark.django_db
def test_production_requires_a_second_factor_for_administrators_and_finance():
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "JIGAI_SECRET_KEY": "x" * 60,
        "JIGAI_AUDIT_KEY": "k",
    }
    env.pop("JIGAI_2FA_REQUIRED_ROLES", None)
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(sorted(settings.JIGAI_2FA_REQUIRED_ROLES))",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.stdout.strip() == "['auditor', 'finance', 'security_admin', 'sysadmin']", out.stderr
