import io

import pytest
from django.core.management import call_command

from jigai.accounts.models import Role, User
from jigai.core.codes import validate_credit_code
from jigai.registry.models import Enterprise, Project


def _snapshot():
    return (
        list(Enterprise.objects.order_by("id").values_list("name", "credit_code", "region__code")),
        list(
            Project.objects.order_by("id").values_list(
                "name", "total_investment_yuan", "status", "planned_start_date"
            )
        ),
    )


@pytest.mark.django_db
def test_the_demo_builds_a_plausible_prefecture_and_prints_every_role():
    out = io.StringIO()
    call_command("demo", "--seed", "7", stdout=out)
    text = out.getvalue()
    assert 330 <= Enterprise.objects.count() <= 370
    assert Project.objects.count() == 450
    for code in Enterprise.objects.values_list("credit_code", flat=True):
        assert validate_credit_code(code) == code
    assert set(User.objects.values_list("role", flat=True)) >= set(Role.values)
    for username in ("office", "clerk_422801", "clerk_gxq", "auditor", "ent01"):
        assert username in text
    assert "Jigai#2018" in text
    assert Project.objects.filter(region__code="GXQ").exists()
    statuses = set(Project.objects.values_list("status", flat=True))
    assert statuses == {"reserve", "construction", "completed", "accepted", "terminated"}
    # Every accepted project has its passed inspection, and each acceptance its own audit record even
    # though the demo bulk-creates them (no bulk path bypasses the audit log).
    from jigai.core.models import AuditEvent
    from jigai.incentives.models import Acceptance

    accepted = set(Project.objects.filter(status="accepted").values_list("id", flat=True))
    assert accepted <= set(Acceptance.objects.filter(outcome="pass").values_list("project_id", flat=True))
    recorded = set(
        AuditEvent.objects.filter(object_type="incentives.acceptance", event="create").values_list(
            "object_id", flat=True
        )
    )
    assert recorded == {str(pk) for pk in Acceptance.objects.values_list("id", flat=True)}
    # Today's reminders: the office has the interviews still waiting on it, one of them already read.
    from jigai.home.models import Notification

    office = Notification.objects.filter(user__username="office")
    assert office.exists() and office.filter(read=True).count() == 1
    # Enterprise services: every live key project has its secretary; approval items, some overdue; a
    # qualifying filing with its number and one that is not; meetings with follow-ups, some still open.
    import datetime as dt

    from jigai.core import todo
    from jigai.support.models import Filing, FollowUp, Meeting, Secretary

    key = Project.objects.filter(is_key=True, status__in=("reserve", "construction", "completed"))
    assert Secretary.objects.filter(project__in=key).count() == key.count() > 0
    overdue = {t.key.split(".")[1] for t in todo.overdue(dt.date(2021, 1, 4))}
    assert {"approval", "followup"} <= overdue
    assert set(Filing.objects.values_list("outcome", flat=True)) == {"eligible", "ineligible"}
    assert Meeting.objects.count() >= 2 and FollowUp.objects.filter(done_date__isnull=True).exists()
    assert AuditEvent.objects.filter(object_type="support.secretary", event="create").count() == key.count()
    # Applications (申报) at every stage, a line rejected at inspection, decisions handed to funds.
    from jigai.incentives.models import Application, EquipmentLine, StoredDecision

    states = set(Application.objects.values_list("state", flat=True))
    assert states == {"draft", "submitted", "returned", "forwarded", "failed", "rectifying", "decided"}
    assert EquipmentLine.objects.filter(verdict="rejected").exclude(rejection_reason="").exists()
    assert StoredDecision.objects.filter(clause="3.2", application__support_mode="loan_interest").exists()
    assert Application.objects.filter(state="decided", proposed_at__isnull=True).exists()
    # The money path: a failed and a re-inspected (rectify, then pass) acceptance; a cap exception
    # approved by finance; budgets that run short (items queued); a public notice with an objection, every
    # item that went on notice on a published Notice (so on the public page); payments and a reversal.
    from django.db.models import Count

    from jigai.funds.models import Item, Payment
    from jigai.notices.models import NoticeEntry, Objection

    assert Acceptance.objects.filter(outcome="fail").exists()
    rectified = Acceptance.objects.filter(outcome="rectify").values_list("project_id", flat=True)
    assert (
        Acceptance.objects.filter(project__in=rectified, outcome="pass")
        .values("project")
        .annotate(n=Count("pk"))
        .exists()
    )
    items = Item.objects.all()
    assert items.filter(cap_exception_approved=True).exclude(cap_exception_reason="").exists()
    assert items.filter(state="queued").exists()
    assert items.filter(state="rejected").exists() and items.filter(state="submitted").exists()
    assert items.filter(state="approved").exists() and items.filter(state="payable").exists()
    assert {"notice", "objection", "paid", "reversed"} <= set(items.values_list("state", flat=True))
    noticed = items.exclude(notice_ref="")
    assert noticed.exists()
    assert set(noticed.values_list("pk", flat=True)) == set(
        NoticeEntry.objects.values_list("item", flat=True)
    )
    assert Objection.objects.filter(upheld=False).exists() and Objection.objects.filter(upheld=True).exists()
    assert Objection.objects.filter(upheld__isnull=True).exists()
    assert Payment.objects.filter(reversed_at__isnull=False).exclude(reverse_reason="").exists()
    assert Payment.objects.filter(reversed_at__isnull=True).exists()
    # The public page lists them without a login.
    from django.test import Client

    from jigai.core.money import format_yuan_zh

    public = Client().get("/public/notices/")
    assert public.status_code == 200 and "公示〔" in public.content.decode()
    # An enterprise whose application was paid sees 已拨付, the amount and its explanation on its page,
    # with the money steps done (审批 → 公示 → 拨付).
    paid = Item.objects.filter(source__startswith="application:", state="paid").select_related("enterprise")
    assert paid.exists()
    item = paid.first()
    app = Application.objects.get(pk=int(item.source.split(":")[1]))
    owner = User.objects.filter(role=Role.ENTERPRISE, credit_code=item.enterprise.credit_code).first()
    assert owner is not None
    viewer = Client()
    viewer.force_login(owner)
    page = viewer.get(f"/applications/{app.pk}/").content.decode()
    assert "已拨付" in page and format_yuan_zh(item.paid_yuan) in page and item.notice_ref in page
    assert "州财政局审批意见" in page and '<pre class="memo" lang="zh-Hans">' in page
    for step in ("approve", "notice", "pay"):
        assert f'data-step="{step}" data-status="done"' in page
    # A second run does not duplicate anything.
    call_command("demo", stdout=io.StringIO())
    assert Project.objects.count() == 450


@pytest.mark.django_db
def test_the_demo_is_deterministic_from_its_seed():
    from django.db import transaction

    from jigai.demo import registry_data

    with transaction.atomic():
        registry_data.build(seed=11, enterprises_target=40, projects_target=50)
        first = _snapshot()
        transaction.set_rollback(True)
    with transaction.atomic():
        registry_data.build(seed=11, enterprises_target=40, projects_target=50)
        second = _snapshot()
        transaction.set_rollback(True)
    assert [r[:2] for r in first[0]] == [r[:2] for r in second[0]]
    assert first[1] == second[1]
