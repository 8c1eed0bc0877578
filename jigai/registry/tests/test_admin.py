"""Issue 11 point 8: the admin cannot bypass the domain. Enterprises and projects are read-only there;
they are changed through the services (pages, API, import), with their checks and version."""

import datetime as dt
from decimal import Decimal

import pytest

from conftest import ProjectFactory
from jigai.core.models import AuditEvent
from jigai.registry import services
from jigai.registry.models import Enterprise, Project

pytestmark = pytest.mark.django_db


def admin_form(p: Project, **changes) -> dict:
    """What the admin's change form posts for this project, as it looked when the page was opened."""
    data = {
        "name": p.name, "content": p.content, "project_code": p.project_code or "", "industry": p.industry_id,
        "total_investment_yuan": str(p.total_investment_yuan),
        "equipment_investment_yuan": str(p.equipment_investment_yuan),
        "fixed_asset_investment_yuan": str(p.fixed_asset_investment_yuan),
        "planned_start_date": str(p.planned_start_date), "planned_completion_date": str(p.planned_completion_date),
        "actual_start_date": "", "actual_completion_date": "", "conforms_industrial_policy": "on",
        "leader_name": p.leader_name, "leader_title": p.leader_title,
    }  # fmt: skip
    data.update(changes)
    return data


def test_the_office_can_still_read_projects_and_enterprises_in_the_admin(client_for):
    p = ProjectFactory()
    c = client_for("office")
    assert c.get("/admin/registry/project/").status_code == 200
    assert c.get(f"/admin/registry/project/{p.pk}/change/").status_code == 200
    assert c.get(f"/admin/registry/enterprise/{p.enterprise_id}/change/").status_code == 200
    assert c.get("/admin/registry/project/add/").status_code == 403


def test_a_stale_admin_save_cannot_revert_a_clerks_edit(client_for, users):
    p = ProjectFactory()
    stale = admin_form(p)  # the office opens the admin page …
    services.project_update(
        user=users["clerk"], project=p, data={"name": "经办人改过的名称"}, expected_version=p.version
    )  # … a clerk saves an edit through the page …
    r = client_for("office").post(f"/admin/registry/project/{p.pk}/change/", stale)  # … the office saves
    assert r.status_code == 403
    assert Project.objects.get(pk=p.pk).name == "经办人改过的名称"


@pytest.mark.parametrize(
    "changes",
    [
        {"equipment_investment_yuan": "999999999999", "total_investment_yuan": "1.00"},
        {"project_code": "NOT-A-VALID-CODE<>"},
        {"name": "管理后台修改", "planned_completion_date": str(dt.date(2017, 1, 1))},
    ],
    ids=["equipment-above-total", "malformed-code", "completion-before-start"],
)
def test_the_admin_does_not_accept_what_the_domain_refuses(client_for, changes):
    p = ProjectFactory()
    seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    r = client_for("office").post(f"/admin/registry/project/{p.pk}/change/", admin_form(p, **changes))
    assert r.status_code == 403
    stored = Project.objects.get(pk=p.pk)
    assert (stored.equipment_investment_yuan, stored.project_code, stored.version) == (
        Decimal("20000000.00"), None, 1,
    )  # fmt: skip
    # Nothing changed, so nothing but the refusal itself is recorded (issue 11 point 10: admin 403s too).
    assert list(AuditEvent.objects.filter(seq__gt=seq).values_list("event", "outcome")) == [
        ("access_denied", "failure")
    ]


def test_no_enterprise_is_changed_added_or_deleted_through_the_admin(client_for):
    p = ProjectFactory()
    e = p.enterprise
    c = client_for("office")
    r = c.post(f"/admin/registry/enterprise/{e.pk}/change/", {"name": "改名", "region": e.region_id,
                                                                "industry": e.industry_id})  # fmt: skip
    assert r.status_code == 403
    assert c.post(f"/admin/registry/project/{p.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Enterprise.objects.get(pk=e.pk).name == e.name and Project.objects.filter(pk=p.pk).exists()
