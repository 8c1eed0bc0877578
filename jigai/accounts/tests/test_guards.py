"""One way to guard an operation (jigai/accounts/permissions.py): ``require`` in services, ``guard`` on
views and API routes; every denied access is recorded once, whichever path it came by (docs/security.md)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from conftest import EnterpriseFactory, ProjectFactory
from jigai.accounts.permissions import guard, in_unit, not_found, require
from jigai.api.tests.test_errors import bearer
from jigai.core.errors import NotFoundError, PermissionDeniedError
from jigai.core.models import AuditEvent
from jigai.registry.models import Project

pytestmark = pytest.mark.django_db


def denials():
    return list(AuditEvent.objects.filter(event="access_denied").order_by("seq"))


def test_require_lets_an_allowed_role_through_and_refuses_the_others(users):
    require(users["office"], "project.create")
    for role in ("leader", "finance", "enterprise", "bank", "auditor", "sysadmin"):
        with pytest.raises(PermissionDeniedError) as exc:
            require(users[role], "project.create")
        assert exc.value.operation == "project.create" and exc.value.status == 403


def test_require_refuses_anonymous_and_unknown_operations(users):
    with pytest.raises(PermissionDeniedError):
        require(AnonymousUser(), "project.view")
    with pytest.raises(PermissionDeniedError):
        require(users["office"], "no.such.operation")  # deny by default


def test_require_with_a_record_checks_the_unit(users, other_region):
    own = ProjectFactory()  # 恩施市, the clerk's unit; another enterprise than the enterprise user's
    other = ProjectFactory(enterprise=EnterpriseFactory(region=other_region))
    mine = ProjectFactory(enterprise=users["_own_enterprise"])
    require(users["clerk"], "project.edit", own)
    require(users["office"], "project.edit", other)
    with pytest.raises(PermissionDeniedError) as exc:
        require(users["clerk"], "project.edit", other, message="只能修改本单位的项目")
    assert str(exc.value) == "只能修改本单位的项目" and exc.value.obj == other
    assert in_unit(users["enterprise"], mine) and not in_unit(users["enterprise"], own)
    assert in_unit(users["enterprise"], users["_own_enterprise"])
    assert not in_unit(users["bank"], own)


def test_a_service_refusal_is_not_recorded_by_the_service_but_once_by_the_edge(users):
    # The service's transaction rolls back with the refusal; the edge records it afterwards.
    with pytest.raises(PermissionDeniedError):
        require(users["leader"], "project.create")
    assert denials() == []


def test_guard_runs_before_the_view_and_names_its_operation(users):
    calls = []

    @guard("project.create")
    def view(request, pk: int):
        calls.append(pk)
        return "ok"

    request = RequestFactory().get("/")
    request.user = users["office"]
    assert view(request, 7) == "ok" and calls == [7] and view.operation == "project.create"
    request.user = users["leader"]
    with pytest.raises(PermissionDeniedError):
        view(request, 8)
    assert calls == [7]


def test_a_guard_names_an_operation_of_the_matrix():
    with pytest.raises(ValueError, match="unknown operation"):
        guard("project.craete")


def test_a_page_denial_is_a_403_page_recorded_once_with_operation_and_path(client_for):
    r = client_for("leader").get("/projects/new/")
    assert r.status_code == 403 and "您没有执行此操作的权限" in r.content.decode()
    [event] = denials()
    assert event.message == "project.create /projects/new/" and event.username == "leader"
    assert event.outcome == "failure"


def test_an_api_denial_is_a_403_in_json_recorded_once_the_same_way(client, users):
    r = client.get("/api/v1/assessment/interviews", **bearer(users["enterprise"]))
    assert r.status_code == 403 and r.json() == {"detail": "您没有执行此操作的权限", "errors": []}
    [event] = denials()
    assert event.message == "assessment.view /api/v1/assessment/interviews" and event.source == "api"


def test_a_require_inside_a_view_is_answered_and_recorded_like_a_guard(client_for):
    # The leader may read the unit leaders (assessment.view) but not save them (assessment.manage).
    r = client_for("leader").post("/assessment/leaders/", {"year": "2019"})
    assert r.status_code == 403
    [event] = denials()
    assert event.message == "assessment.manage /assessment/leaders/"


def test_anonymous_pages_go_to_login_and_the_api_answers_401(client):
    r = client.get("/projects/new/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    r = client.get("/api/v1/projects")
    assert r.status_code == 401


def test_another_units_record_is_a_404_recorded_as_a_denied_access(client_for, other_region):
    other = ProjectFactory(enterprise=EnterpriseFactory(region=other_region))
    client = client_for("clerk")
    assert client.get(f"/projects/{other.pk}/").status_code == 404
    assert client.get(f"/api/v1/projects/{other.pk}").status_code == 404
    page, api = denials()
    assert (page.object_type, page.object_id) == ("registry.project", str(other.pk))
    assert page.message == f"/projects/{other.pk}/" and api.message == f"/api/v1/projects/{other.pk}"


def test_a_record_that_does_not_exist_is_a_404_and_not_a_denial(client_for):
    client = client_for("clerk")
    missing = (Project.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    assert client.get(f"/projects/{missing}/").status_code == 404
    assert client.get(f"/api/v1/projects/{missing}").status_code == 404
    assert denials() == []
    assert not_found(Project, missing).outside_scope is None
    assert not_found(Project, 10**20).outside_scope is None  # no query with a number SQLite cannot bind
    assert isinstance(not_found(Project, None), NotFoundError)


def test_an_admin_403_is_recorded_as_a_denied_access(client_for):
    r = client_for("sysadmin").get("/admin/accounts/user/")
    assert r.status_code == 403
    [event] = denials()
    assert event.message == "/admin/accounts/user/" and event.username == "sysadmin"


def test_a_command_denial_is_recorded_with_the_user_and_the_command(users, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "a.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(CommandError, match="没有导入数据的权限"):
        call_command("import", "projects", str(path), "--user", "leader")
    [event] = denials()
    assert event.message == "import.run jigai import" and event.username == "leader"
    assert event.source == "command"


def test_a_refused_account_change_is_of_the_one_error_family():
    from jigai.accounts.services import AccountError
    from jigai.core.errors import ValidationError

    exc = AccountError("县市经办人必须绑定一个报送单位")
    assert isinstance(exc, ValidationError) and isinstance(exc, ValueError) and exc.status == 400
