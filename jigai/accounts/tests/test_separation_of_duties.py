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
