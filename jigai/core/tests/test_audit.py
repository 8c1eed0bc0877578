import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from conftest import EnterpriseFactory, ProjectFactory
from jigai.core import audit
from jigai.core.models import AuditEvent
from jigai.registry import services


def _verify_output():
    out = io.StringIO()
    call_command("audit", "verify", stdout=out, stderr=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_change_records_who_when_and_the_values_before_and_after(users):
    project = ProjectFactory(region=users["clerk"].region, enterprise__region=users["clerk"].region)
    with audit.acting_as(audit.actor_for_user(users["clerk"], source="page", ip="10.1.2.3")):
        services.project_update(
            user=users["clerk"], project=project, data={"name": "新名称"}, expected_version=project.version
        )
    ev = AuditEvent.objects.filter(event="update", object_type="registry.project").order_by("-seq").first()
    assert ev.username == "clerk" and ev.role == "clerk" and ev.ip == "10.1.2.3" and ev.source == "page"
    assert ev.before["name"] == project.name and ev.after["name"] == "新名称"
    assert ev.at is not None


@pytest.mark.django_db
def test_verify_passes_on_an_untouched_chain(users):
    EnterpriseFactory.create_batch(3)
    assert "校验通过" in _verify_output()


@pytest.mark.django_db
def test_verify_finds_a_record_edited_behind_the_apps_back(users):
    EnterpriseFactory.create_batch(3)
    target = AuditEvent.objects.order_by("seq")[1]
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET username = %s WHERE id = %s", ["mallory", target.id]
        )
    with pytest.raises(CommandError, match="校验失败"):
        _verify_output()
    problems = audit.verify()
    assert [p.seq for p in problems] == [target.seq]
    assert "篡改" in problems[0].reason


@pytest.mark.django_db
def test_verify_finds_a_deleted_record_in_the_middle_and_at_the_end(users):
    EnterpriseFactory.create_batch(4)
    rows = list(AuditEvent.objects.order_by("seq"))
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [rows[2].id])
    problems = audit.verify()
    assert any("删除" in p.reason for p in problems)
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [rows[-1].id])
    assert any("末尾" in p.reason for p in audit.verify())


@pytest.mark.django_db
def test_the_application_cannot_update_or_delete_an_audit_record(users):
    EnterpriseFactory()
    ev = AuditEvent.objects.first()
    ev.username = "x"
    with pytest.raises(PermissionError):
        ev.save()
    with pytest.raises(PermissionError):
        ev.delete()


@pytest.mark.django_db
def test_a_newline_in_a_username_cannot_forge_a_log_line(users):
    ev = audit.record(
        "login_failure",
        object_repr="evil\nlogin_success admin",
        actor=audit.Actor(username="evil\nadmin", source="page"),
    )
    assert "\n" not in ev.username and "\n" not in ev.object_repr


@pytest.mark.django_db
def test_a_nul_in_a_name_or_message_is_written_out_not_refused_by_the_database(users):
    ev = audit.record(
        "login_failure",
        object_repr="a\x00b",
        message="文件 x\x00.xlsx",
        actor=audit.Actor(username="nul\x00user", source="page", source_detail="f\x00.csv"),
    )
    ev = AuditEvent.objects.get(pk=ev.pk)  # read back from the database (PostgreSQL refuses a raw NUL)
    assert (ev.username, ev.object_repr, ev.message) == ("nul\\x00user", "a\\x00b", "文件 x\\x00.xlsx")
    assert ev.source_detail == "f\\x00.csv"
    assert audit.verify() == []


@pytest.mark.django_db
def test_a_command_is_recorded_with_its_source(users):
    with audit.acting_as(audit.Actor(username="ops", source="command", source_detail="jigai something")):
        EnterpriseFactory()
    ev = AuditEvent.objects.filter(event="create").order_by("-seq").first()
    assert ev.source == "command" and ev.username == "ops"


@pytest.mark.django_db
def test_bulk_records_extend_the_same_chain(users):
    from jigai.registry.models import Enterprise

    EnterpriseFactory()
    ents = list(Enterprise.objects.all())
    n = audit.record_many([{"event": "create", "obj": e, "after": audit.snapshot(e)} for e in ents] * 3)
    assert n == 3 * len(ents)
    audit.record("login_success", object_repr="x")
    assert audit.verify() == []
