import pytest

from jigai.core import audit


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("auditor", 200),
        ("sysadmin", 403),
        ("security_admin", 403),
        ("office", 403),
        ("clerk", 403),
        ("leader", 403),
        ("finance", 403),
        ("enterprise", 403),
        ("bank", 403),
    ],
)
def test_only_the_auditor_reads_the_audit_log(client_for, role, status):
    assert client_for(role).get("/audit/").status_code == status


@pytest.mark.django_db
def test_reading_the_audit_log_is_itself_recorded(client_for):
    client_for("auditor").get("/audit/")
    assert audit.AuditEvent.objects.filter(event="audit_read", username="auditor").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        ("security_admin", "/admin/accounts/user/", 200),
        ("sysadmin", "/admin/accounts/user/", 403),
        ("sysadmin", "/admin/core/region/", 200),
        ("security_admin", "/admin/core/region/", 403),
        ("auditor", "/admin/", 302),
        ("sysadmin", "/admin/core/auditevent/", 404),
    ],
)
def test_administrators_hold_separate_duties(client_for, role, path, status):
    assert client_for(role).get(path).status_code == status


@pytest.mark.django_db
def test_the_system_administrator_cannot_read_the_audit_log_anywhere(client_for):
    c = client_for("sysadmin")
    assert c.get("/audit/").status_code == 403
    assert c.get("/admin/core/auditevent/").status_code == 404


@pytest.mark.django_db
def test_the_security_administrator_creates_a_user_who_must_change_the_password(client_for):
    from django.test import Client

    from jigai.accounts.models import User
    from jigai.core.models import Region

    c = client_for("security_admin")
    data = {
        "username": "clerk_jianshi",
        "display_name": "建始经办人",
        "role": "clerk",
        "region": Region.objects.get(code="422822").pk,
        "credit_code": "",
        "bank_name": "",
        "password1": "Jianshi#2019x",
        "password2": "Jianshi#2019x",
    }
    r = c.post("/admin/accounts/user/add/", {**data, "password1": "short", "password2": "short"})
    assert r.status_code == 200 and "密码" in r.content.decode()
    r = c.post("/admin/accounts/user/add/", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    user = User.objects.get(username="clerk_jianshi")
    assert user.region.code == "422822" and not user.is_staff
    assert audit.AuditEvent.objects.filter(event="user_create", object_id=str(user.pk)).exists()
    fresh = Client()
    fresh.post("/accounts/login/", {"username": "clerk_jianshi", "password": "Jianshi#2019x"})
    r = fresh.get("/projects/")
    assert r.status_code == 302 and "/accounts/password/" in r["Location"]


@pytest.mark.django_db
def test_the_system_administrator_cannot_create_users(client_for):
    assert client_for("sysadmin").get("/admin/accounts/user/add/").status_code == 403


def _change_data(user, **override):
    data = {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "region": user.region_id or "",
        "credit_code": user.credit_code,
        "bank_name": user.bank_name,
        "is_active": "on" if user.is_active else "",
        "failed_login_count": user.failed_login_count,
        "locked_until_at_0": "",
        "locked_until_at_1": "",
    }
    data.update(override)
    return {k: v for k, v in data.items() if v != "" or k in ("region",)}


@pytest.mark.django_db
def test_the_security_administrator_cannot_make_themselves_auditor(client_for, users):
    """Issue 11, point 5: before, the security administrator edited their own role to auditor and read
    /audit/ in the same session."""
    from jigai.accounts.models import User

    me = users["security_admin"]
    c = client_for("security_admin")
    page = c.get(f"/admin/accounts/user/{me.pk}/change/").content.decode()
    assert 'name="role"' not in page  # shown read-only
    c.post(f"/admin/accounts/user/{me.pk}/change/", _change_data(me, role="auditor"))
    assert User.objects.get(pk=me.pk).role == "security_admin"
    assert c.get("/audit/").status_code == 403
    assert not audit.AuditEvent.objects.filter(event="role_change").exists()


@pytest.mark.django_db
def test_the_role_service_refuses_a_change_of_ones_own_role(users):
    from django.utils import timezone

    from jigai.accounts.services import AccountError, user_role_changed

    me = users["security_admin"]
    me.role = "auditor"
    with pytest.raises(AccountError, match="不能修改自己的角色"):
        user_role_changed(user=me, before="security_admin", by=me, now=timezone.now())


@pytest.mark.django_db
def test_a_role_change_is_audited_and_ends_the_users_sessions_and_tokens(client_for, users):
    from django.test import Client

    from conftest import PASSWORD
    from jigai.accounts.models import ApiToken, User
    from jigai.accounts.services import token_create

    leader = users["leader"]
    s1, s2 = Client(), Client()
    for s in (s1, s2):
        assert s.post("/accounts/login/", {"username": "leader", "password": PASSWORD}).status_code == 302
        assert s.get("/projects/").status_code == 200
    token = token_create(user=leader, name="看板")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert Client().get("/api/v1/projects", **bearer).status_code == 200

    admin = client_for("security_admin")
    r = admin.post(f"/admin/accounts/user/{leader.pk}/change/", _change_data(leader, role="office"))
    assert r.status_code == 302, r.content.decode()[:3000]
    assert User.objects.get(pk=leader.pk).role == "office"
    for s in (s1, s2):
        r = s.get("/projects/")
        assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    assert Client().get("/api/v1/projects", **bearer).status_code == 401
    assert ApiToken.objects.get(user=leader).revoked_at is not None
    event = audit.AuditEvent.objects.get(event="role_change", object_id=str(leader.pk))
    assert event.username == "secadmin"
    assert event.before == {"role": "leader"} and event.after["role"] == "office"


@pytest.mark.django_db
def test_nobody_holds_two_administrator_roles(client_for, users):
    """One account, one role: the role is a single value, and Django's own grants (superuser, groups,
    per-user permissions) are neither offered nor honoured, so no account adds a second duty."""
    from jigai.accounts.models import User

    assert not User._meta.get_field("role").many_to_many
    me, target = users["security_admin"], users["auditor"]
    c = client_for("security_admin")
    page = c.get(f"/admin/accounts/user/{target.pk}/change/").content.decode()
    for field in ("is_superuser", "groups", "user_permissions", "is_staff"):
        assert f'name="{field}"' not in page
    c.post(
        f"/admin/accounts/user/{target.pk}/change/",
        {**_change_data(target), "is_superuser": "on", "is_staff": "on", "groups": ["1"]},
    )
    target.refresh_from_db()
    assert not target.is_superuser and not target.is_staff and not target.groups.exists()
    assert me.pk != target.pk
