import pytest

from jigai.core import audit


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [("auditor", 200), ("sysadmin", 403), ("security_admin", 403), ("office", 403), ("clerk", 403),
     ("leader", 403), ("finance", 403), ("enterprise", 403), ("bank", 403)],
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
