"""Acceptance inspections (验收, 4.2; issue 12 point 3): only a pass accepts, accepted figures are frozen."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import EnterpriseFactory, ProjectFactory, make_user
from jigai.accounts.models import Role
from jigai.core.errors import ConflictError, PermissionDeniedError, ValidationError
from jigai.core.models import AuditEvent, Region
from jigai.incentives import services
from jigai.incentives.models import Acceptance, Outcome
from jigai.incentives.projects import project_record
from jigai.policy import evaluate_records
from jigai.registry import services as registry_services
from jigai.registry.imports import context_for, run_import
from jigai.registry.models import ProjectPlanYear
from jigai.registry.models import ProjectStatus as S
from jigai.registry.tests.import_books import county_workbook, library

pytestmark = pytest.mark.django_db

DONE = dt.date(2019, 6, 30)


def completed(region=None, **kw):
    p = ProjectFactory(
        status=S.COMPLETED,
        actual_start_date=dt.date(2018, 3, 1),
        actual_completion_date=DONE,
        **({"enterprise": EnterpriseFactory(region=region)} if region else {}),
        **kw,
    )
    ProjectPlanYear.objects.create(project=p, year=2018)
    return p


def inspect(users, project, outcome=Outcome.PASS, by="office", **kw):
    kw.setdefault("findings", "现场核查设备到位，发票与合同相符")
    return services.acceptance_record(
        user=users[by],
        project=project,
        inspection_date=dt.date(2019, 8, 1),
        team=[users["office"], users["finance"]],
        leader=users["office"],
        outcome=outcome,
        at=timezone.now(),
        **kw,
    )


def test_the_lifecycle_button_can_no_longer_accept_a_project(users, client_for):
    p = completed(region=users["clerk"].region)
    with pytest.raises(ValidationError, match="不能从“竣工投产”变更为“已验收”"):
        registry_services.project_transition(
            user=users["office"], project=p, to_status=S.ACCEPTED, reason="验收", at=timezone.now()
        )
    c = client_for("clerk")
    page = c.get(f"/projects/{p.pk}/").content.decode()
    assert 'value="accepted"' not in page
    c.post(f"/projects/{p.pk}/transition/", {"to_status": "accepted", "reason": "x", "version": p.version})
    r = c.post(
        f"/api/v1/projects/{p.pk}/transitions",
        {"to_status": "accepted", "reason": "x"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "不能从“竣工投产”变更为“已验收”" in r.json()["detail"]
    p.refresh_from_db()
    assert p.status == S.COMPLETED


def test_a_pass_accepts_the_project_and_records_the_transition(users):
    p = completed()
    a = inspect(users, p)
    p.refresh_from_db()
    assert p.status == S.ACCEPTED
    t = p.transitions.get(to_status=S.ACCEPTED)
    assert t.effective_date == dt.date(2019, 8, 1) and str(a.pk) in t.reason
    assert (a.verified_equipment_investment_yuan, a.verified_fixed_asset_investment_yuan) == (
        Decimal("20000000.00"),
        Decimal("40000000.00"),
    )
    assert sorted(u.username for u in a.team.all()) == ["finance", "office"]
    assert AuditEvent.objects.filter(event="acceptance", object_id=str(a.pk)).exists()
    with pytest.raises(ValidationError, match="只有“竣工投产”的项目可以验收"):
        inspect(users, p)


@pytest.mark.parametrize("outcome", [Outcome.FAIL, Outcome.RECTIFY])
def test_a_fail_or_a_rectification_leaves_the_project_completed(users, outcome):
    p = completed()
    extra = {"rectify_deadline_date": dt.date(2019, 10, 1)} if outcome == Outcome.RECTIFY else {}
    inspect(users, p, outcome, **extra)
    p.refresh_from_db()
    assert p.status == S.COMPLETED
    inspect(users, p)  # the re-inspection passes
    p.refresh_from_db()
    assert p.status == S.ACCEPTED and p.acceptances.count() == 2


@pytest.mark.parametrize(
    ("kw", "field", "message"),
    [
        ({"outcome": Outcome.RECTIFY}, "rectify_deadline_date", "限期整改须填写整改期限"),
        ({"outcome": Outcome.RECTIFY, "rectify_deadline_date": dt.date(2019, 7, 1)}, "rectify_deadline_date",
         "整改期限须晚于验收日期"),
        ({"verified_equipment_investment_yuan": Decimal("15000000")}, "adjustment_reason", "须说明调整原因"),
        ({"verified_equipment_investment_yuan": Decimal("60000000"), "adjustment_reason": "x"},
         "verified_equipment_investment_yuan", "不能大于项目总投资"),
        ({"findings": " "}, "findings", "请填写验收发现"),
    ],
)  # fmt: skip
def test_an_incomplete_inspection_is_refused_and_says_why(users, kw, field, message):
    p = completed()
    kw = {"outcome": Outcome.PASS, **kw}
    with pytest.raises(ValidationError) as exc:
        inspect(users, p, **kw)
    assert any(message in m for m in exc.value.errors[field])
    p.refresh_from_db()
    assert p.status == S.COMPLETED and not Acceptance.objects.exists()


def test_the_team_is_the_offices_and_the_finance_bureaus_people(users):
    p = completed()
    with pytest.raises(ValidationError, match="clerk"):
        services.acceptance_record(
            user=users["office"], project=p, inspection_date=dt.date(2019, 8, 1),
            team=[users["office"], users["clerk"]], leader=users["office"], findings="x",
            outcome=Outcome.PASS, at=timezone.now(),
        )  # fmt: skip
    with pytest.raises(PermissionDeniedError):
        inspect(users, p, by="clerk")


def test_an_adjusted_figure_with_its_reason_is_kept_beside_the_claimed_one(users):
    p = completed()
    a = inspect(
        users,
        p,
        verified_equipment_investment_yuan=Decimal("15000000.50"),
        adjustment_reason="一台设备发票不符",
    )
    assert a.claimed_equipment_investment_yuan == Decimal("20000000.00")
    assert a.verified_equipment_investment_yuan == Decimal("15000000.50")


def test_an_accepted_projects_investment_is_frozen_in_the_service_page_and_api(users, client_for):
    p = completed(region=Region.objects.get(code="422801"))
    inspect(users, p)
    p.refresh_from_db()
    with pytest.raises(ValidationError, match="项目已验收"):
        registry_services.project_update(
            user=users["office"], project=p, data={"equipment_investment_yuan": Decimal("30000000")},
            expected_version=p.version,
        )  # fmt: skip
    # other fields still change
    registry_services.project_update(
        user=users["office"], project=p, data={"content": "补充说明"}, expected_version=p.version
    )
    p.refresh_from_db()
    c = client_for("office")
    r = c.patch(
        f"/api/v1/projects/{p.pk}",
        {"equipment_investment_yuan": "30000000.00", "version": p.version},
        content_type="application/json",
    )
    assert r.status_code == 400 and "项目已验收" in r.json()["detail"]
    from jigai.registry.forms import ProjectForm

    form = ProjectForm.initial_from(p)
    form.update(equipment_investment_wan="3000", version=p.version, plan_years="2018")
    data = {
        k: (v.pk if hasattr(v, "pk") else ("on" if v is True else v))
        for k, v in form.items()
        if v is not False
    }
    r = c.post(f"/projects/{p.pk}/edit/", {k: v for k, v in data.items() if v is not None})
    assert r.status_code == 200 and "项目已验收" in r.content.decode()
    p.refresh_from_db()
    assert p.equipment_investment_yuan == Decimal("20000000.00")


def test_an_import_cannot_change_an_accepted_projects_investment(users):
    lib = library()
    p = lib.changed
    p.status, p.actual_start_date, p.actual_completion_date = S.COMPLETED, dt.date(2018, 3, 1), DONE
    p.save()
    inspect(users, p)
    report = run_import(
        __import__("jigai.imports", fromlist=["tables"]).tables.get("projects"),
        county_workbook(lib),
        context_for(users["office"]),
        mode="good",
    )
    assert "项目已验收" in report.as_text()
    p.refresh_from_db()
    assert p.total_investment_yuan == Decimal("50000000.00")


def test_the_office_amends_the_verified_figures_with_a_reason_and_it_is_audited(users):
    p = completed()
    a = inspect(users, p)
    with pytest.raises(ValidationError, match="更正原因"):
        services.acceptance_amend(
            user=users["office"], acceptance=a, verified_equipment_investment_yuan=Decimal("18000000"),
            verified_fixed_asset_investment_yuan=Decimal("40000000"), reason="", expected_version=1,
            at=timezone.now(),
        )  # fmt: skip
    with pytest.raises(PermissionDeniedError):
        services.acceptance_amend(
            user=users["finance"], acceptance=a, verified_equipment_investment_yuan=Decimal("18000000"),
            verified_fixed_asset_investment_yuan=Decimal("40000000"), reason="x", expected_version=1,
            at=timezone.now(),
        )  # fmt: skip
    m = services.acceptance_amend(
        user=users["office"], acceptance=a, verified_equipment_investment_yuan=Decimal("18000000"),
        verified_fixed_asset_investment_yuan=Decimal("40000000"), reason="审计发现重复计列一台设备",
        expected_version=1, at=timezone.now(),
    )  # fmt: skip
    a.refresh_from_db()
    assert (m.before_equipment_investment_yuan, m.after_equipment_investment_yuan) == (
        Decimal("20000000.00"),
        Decimal("18000000.00"),
    )
    assert a.verified_equipment_investment_yuan == Decimal("18000000.00") and a.version == 2
    ev = AuditEvent.objects.get(event="amendment", object_id=str(a.pk))
    assert ev.before["verified_equipment_investment_yuan"] == "20000000.00"
    assert ev.after["verified_equipment_investment_yuan"] == "18000000.00"
    assert "审计发现重复计列一台设备" in ev.message
    p.refresh_from_db()
    assert p.equipment_investment_yuan == Decimal("20000000.00")  # the library's figure stays frozen
    assert project_record(p)["verified_equipment_investment_yuan"] == "18000000.00"  # re-decided on it


def test_two_passes_of_one_project_cannot_both_stand(users):
    p = completed()
    a = inspect(users, p)
    Acceptance.objects.filter(pk=a.pk).update(outcome=Outcome.FAIL)
    p.status = S.COMPLETED
    p.save()
    Acceptance.objects.filter(pk=a.pk).update(outcome=Outcome.PASS)
    with pytest.raises(ConflictError, match="已通过验收"):
        inspect(users, p)


def test_the_decision_uses_the_verified_figures_once_accepted(users):
    p = completed(equipment_investment_yuan=Decimal("20000000.00"))
    before = {d["clause"]: d for d in evaluate_records([project_record(p)])[0]}
    assert before["3.1.1"]["estimate"] is True
    inspect(
        users,
        p,
        verified_equipment_investment_yuan=Decimal("10000000.00"),
        adjustment_reason="部分设备未到货",
    )
    p.refresh_from_db()
    rec = project_record(p)
    assert rec["verified_equipment_investment_yuan"] == "10000000.00"
    after = {d["clause"]: d for d in evaluate_records([rec])[0]}
    assert after["3.1.1"]["estimate"] is False
    assert Decimal(after["3.1.1"]["amount_yuan"]) < Decimal(before["3.1.1"]["amount_yuan"])
    assert "核定" in after["3.1.1"]["explanation"] or "验收" in after["3.1.1"]["explanation"]


def test_the_acceptance_page_records_an_inspection_and_shows_the_history(users, client_for):
    p = completed()
    c = client_for("office")
    r = c.post(
        f"/acceptance/projects/{p.pk}/",
        {"inspection_date": "2019-08-01", "team": [users["office"].pk, users["finance"].pk],
         "leader": users["office"].pk, "findings": "设备到位", "outcome": "pass"},
        follow=True,
    )  # fmt: skip
    html = r.content.decode()
    assert r.status_code == 200 and "验收通过" in html and "设备到位" in html
    p.refresh_from_db()
    assert p.status == S.ACCEPTED
    assert f"/acceptance/projects/{p.pk}/" in c.get(f"/projects/{p.pk}/").content.decode()


def test_the_api_lists_gets_and_creates_acceptances(users, client_for):
    p = completed()
    c = client_for("finance")
    r = c.post(
        f"/api/v1/projects/{p.pk}/acceptances",
        {"inspection_date": "2019-08-01", "team": ["office", "finance"], "leader": "finance",
         "findings": "整改后复验", "outcome": "rectify", "rectify_deadline_date": "2019-09-30"},
        content_type="application/json",
    )  # fmt: skip
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["outcome_label"] == "限期整改后复验" and body["team"] == ["finance", "office"]
    assert c.get(f"/api/v1/acceptances/{body['id']}").json()["rectify_deadline_date"] == "2019-09-30"
    assert [a["id"] for a in c.get(f"/api/v1/acceptances?project_id={p.pk}").json()["items"]] == [body["id"]]
    r = c.post(
        f"/api/v1/projects/{p.pk}/acceptances",
        {"inspection_date": "2019-08-01", "team": ["office", "finance"], "leader": "finance",
         "findings": "x", "outcome": "rectify"},
        content_type="application/json",
    )  # fmt: skip
    assert r.status_code == 400 and "整改期限" in r.json()["detail"]


def test_a_clerk_sees_only_their_units_acceptances(users, client_for):
    mine = completed(region=users["clerk"].region)
    other = completed(region=Region.objects.get(code="422802"))
    a_mine, a_other = inspect(users, mine), inspect(users, other)
    c = client_for("clerk")
    assert c.get(f"/acceptance/projects/{mine.pk}/").status_code == 200
    assert c.get(f"/acceptance/projects/{other.pk}/").status_code == 404
    assert c.get(f"/api/v1/acceptances/{a_mine.pk}").status_code == 200
    assert c.get(f"/api/v1/acceptances/{a_other.pk}").status_code == 404
    assert [a["id"] for a in c.get("/api/v1/acceptances").json()["items"]] == [a_mine.pk]


ROLES = [
    "office",
    "finance",
    "clerk",
    "enterprise",
    "bank",
    "leader",
    "auditor",
    "security_admin",
    "sysadmin",
]
MATRIX = {
    "view": {"office", "finance", "clerk", "leader"},
    "inspect": {"office", "finance"},
    "amend": {"office"},
}


@pytest.mark.parametrize("role", ROLES)
def test_acceptance_operations_follow_the_role_matrix(users, client_for, role):
    p = completed(region=users["clerk"].region)
    passed = completed(region=users["clerk"].region)
    a = inspect(users, passed)
    c = client_for(role)
    page = c.get(f"/acceptance/projects/{p.pk}/")
    api = c.get("/api/v1/acceptances")
    assert page.status_code == (200 if role in MATRIX["view"] else 403)
    assert api.status_code == (200 if role in MATRIX["view"] else 403)
    if role in MATRIX["view"]:
        assert ("登记验收结果" in page.content.decode()) == (role in MATRIX["inspect"])
    member = users[role] if role in ("office", "finance") else make_user(f"x_{role}", Role.OFFICE)
    r = c.post(
        f"/api/v1/projects/{p.pk}/acceptances",
        {"inspection_date": "2019-08-01", "team": ["office", "finance", member.username],
         "leader": "office", "findings": "x", "outcome": "fail"},
        content_type="application/json",
    )  # fmt: skip
    assert r.status_code == (201 if role in MATRIX["inspect"] else 403), r.content
    r = c.post(
        f"/api/v1/acceptances/{a.pk}/amendments",
        {"verified_equipment_investment_yuan": "1.00", "verified_fixed_asset_investment_yuan": "1.00",
         "reason": "更正", "version": 1},
        content_type="application/json",
    )  # fmt: skip
    assert r.status_code == (200 if role in MATRIX["amend"] else 403), r.content


def test_the_acceptance_opinion_is_an_official_docx_that_reads_back(users, client_for):
    from jigai.documents import inspect as docx_inspect

    p = completed(region=users["clerk"].region)
    a = inspect(
        users, p, outcome=Outcome.RECTIFY, rectify_deadline_date=dt.date(2019, 9, 30),
        verified_equipment_investment_yuan=Decimal("15000000.00"), adjustment_reason="两张发票缺失",
    )  # fmt: skip
    r = client_for("clerk").get(f"/acceptance/{a.pk}/opinion.docx")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    data = r.content
    assert docx_inspect.title(data).text == f"关于{p.name}竣工验收的意见"
    assert docx_inspect.addressees(data) == f"{p.enterprise.name}："
    assert [t for _level, t in docx_inspect.headings(data)] == [
        "一、项目基本情况", "二、验收组", "三、验收情况", "四、核定投资", "五、验收结论",
    ]  # fmt: skip
    team, amounts = docx_inspect.tables(data)
    assert team[1:] == [
        ["1", "office", "州经信委（领导小组办公室）", "组长"],
        ["2", "finance", "州财政局", "成员"],
    ]
    assert amounts[1:] == [["设备投资", "2000.00", "1500.00"], ["固定资产投资", "4000.00", "4000.00"]]
    body = "".join(docx_inspect.body_texts(data))
    assert "2019年9月30日前完成整改" in body and "两张发票缺失" in body
    assert AuditEvent.objects.filter(event="export", object_id=str(a.pk)).exists()
    other = inspect(users, completed(region=Region.objects.get(code="422802")))
    assert client_for("clerk").get(f"/acceptance/{other.pk}/opinion.docx").status_code == 404
