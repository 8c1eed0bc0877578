"""Applications (申报) on completed projects: the enterprise applies, the clerk forwards or returns, the
team inspects each equipment line, and 3.1.1 and 3.2 are decided and stored on the verified figures."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from conftest import EnterpriseFactory, ProjectFactory, make_user
from jigai.accounts.models import Role
from jigai.attachments.services import attachment_store
from jigai.attachments.tests import files
from jigai.core.errors import ConflictError, PermissionDeniedError, ValidationError
from jigai.core.models import AuditEvent, Region
from jigai.imports import run, validate
from jigai.incentives import services
from jigai.incentives.equipment_import import equipment_import_spec
from jigai.incentives.models import (
    Application,
    ApplicationState,
    EquipmentLine,
    LineVerdict,
    Outcome,
    StoredDecision,
    SupportMode,
)
from jigai.registry.imports import context_for
from jigai.registry.models import ProjectPlanYear
from jigai.registry.models import ProjectStatus as S

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def completed(enterprise=None, **kw):
    p = ProjectFactory(
        status=S.COMPLETED,
        actual_start_date=dt.date(2018, 3, 1),
        actual_completion_date=dt.date(2019, 6, 30),
        is_key=True,
        **({"enterprise": enterprise} if enterprise else {}),
        **kw,
    )
    ProjectPlanYear.objects.create(project=p, year=2018)
    return p


LINES = [
    ("数控加工中心", "VMC-850", 2, "湖北某机床有限公司", "04510001", Decimal("12000000.00")),
    ("工业机器人", "IRB-6700", 4, "某机器人公司", "04510002", Decimal("8000000.00")),
]


def apply(users, project=None, by="enterprise", mode=SupportMode.AWARD, lines=LINES):
    project = project or completed(users["_own_enterprise"])
    app = services.application_create(
        user=users[by],
        project=project,
        claimed_equipment_investment_yuan=Decimal("20000000.00"),
        claimed_fixed_asset_investment_yuan=Decimal("40000000.00"),
        support_mode=mode,
        at=NOW,
    )
    for name, model, qty, supplier, invoice, amount in lines:
        services.equipment_line_add(
            user=users[by], application=app, name=name, model=model, quantity=qty, supplier=supplier,
            invoice_number=invoice, amount_yuan=amount, at=NOW,
        )  # fmt: skip
    attach(users[by], app)
    return app


def attach(user, app, kinds=None):
    """The supporting files an application needs (PDFs through jigai.attachments)."""
    kinds = kinds or [k for k, _label in services.REQUIRED_FILES + services.LOAN_FILES]
    for kind in kinds:
        attachment_store(
            user=user, owner=app, kind=kind, upload=files.upload(f"{kind}.pdf", files.PDF), at=NOW
        )


def submitted(users, **kw):
    app = apply(users, **kw)
    return services.application_submit(user=users[kw.get("by", "enterprise")], application=app, at=NOW)


def forwarded(users, **kw):
    app = submitted(users, **kw)
    return services.application_forward(user=users["clerk"], application=app, at=NOW)


def inspect(users, app, verdicts=None, outcome=Outcome.PASS, by="office", **kw):
    lines = list(app.equipment_lines.order_by("id"))
    verdicts = verdicts if verdicts is not None else {line.pk: ("accepted", "") for line in lines}
    kw.setdefault("findings", "现场逐项核对设备、发票与合同")
    return services.acceptance_record(
        user=users[by],
        project=app.project,
        inspection_date=dt.date(2019, 8, 1),
        team=[users["office"], users["finance"]],
        leader=users["office"],
        outcome=outcome,
        line_verdicts=verdicts,
        at=NOW,
        **kw,
    )


# ---- the application ------------------------------------------------------------------------------


def test_the_enterprise_applies_submits_and_the_clerk_forwards(users):
    app = apply(users)
    assert app.state == ApplicationState.DRAFT and app.region_id == users["clerk"].region_id
    services.application_submit(user=users["enterprise"], application=app, at=NOW)
    app.refresh_from_db()
    assert app.state == ApplicationState.SUBMITTED and app.submitted_at is not None
    services.application_forward(user=users["clerk"], application=app, at=NOW)
    app.refresh_from_db()
    assert app.state == ApplicationState.FORWARDED and app.checked_by == users["clerk"]
    assert AuditEvent.objects.filter(event="forward", object_id=str(app.pk)).exists()
    assert AuditEvent.objects.filter(object_type="incentives.equipmentline", event="create").count() == 2


def test_only_a_completed_project_can_be_applied_for_and_only_once(users):
    p = ProjectFactory(enterprise=users["_own_enterprise"], status=S.CONSTRUCTION)
    with pytest.raises(ValidationError, match="只有“竣工投产”的项目可以申报奖补"):
        apply(users, project=p)
    app = apply(users)
    with pytest.raises(ConflictError, match="已有奖补申报"):
        apply(users, project=app.project)


def test_a_returned_application_says_why_and_can_be_resubmitted(users):
    app = submitted(users)
    with pytest.raises(ValidationError) as exc:
        services.application_return(user=users["clerk"], application=app, reasons=" ", at=NOW)
    assert exc.value.errors["reasons"] == ["请填写退回补正的原因"]
    services.application_return(user=users["clerk"], application=app, reasons="缺竣工验收报告", at=NOW)
    app.refresh_from_db()
    assert app.state == ApplicationState.RETURNED and app.return_reasons == "缺竣工验收报告"
    with pytest.raises(ConflictError):
        services.application_forward(user=users["clerk"], application=app, at=NOW)
    services.application_submit(user=users["enterprise"], application=app, at=NOW)
    app.refresh_from_db()
    assert app.state == ApplicationState.SUBMITTED


def test_an_incomplete_application_is_refused_with_the_reason(users):
    app = apply(users, lines=LINES[:1])  # 12,000,000 of the 20,000,000 claimed
    with pytest.raises(ValidationError) as exc:
        services.application_submit(user=users["enterprise"], application=app, at=NOW)
    assert (
        "设备清单合计 12,000,000.00 元与申报设备投资 20,000,000.00 元不一致"
        in exc.value.errors["equipment_lines"][0]
    )
    app = apply(users, mode=SupportMode.LOAN_INTEREST)
    with pytest.raises(ValidationError) as exc:
        services.application_submit(user=users["enterprise"], application=app, at=NOW)
    assert "须填写贷款" in exc.value.errors["loan_lines"][0]
    app.refresh_from_db()
    assert app.state == ApplicationState.DRAFT


def test_a_submitted_application_is_frozen_for_the_enterprise(users):
    app = submitted(users)
    with pytest.raises(ConflictError, match="不能再修改"):
        services.equipment_line_add(
            user=users["enterprise"], application=app, name="x", model="", quantity=1, supplier="y",
            invoice_number="1", amount_yuan=Decimal("1"), at=NOW,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("role", "may_edit", "may_check"),
    [
        ("enterprise", True, False),
        ("clerk", True, True),
        ("office", False, True),
        ("finance", False, False),
        ("leader", False, False),
        ("bank", False, False),
        ("auditor", False, False),
        ("sysadmin", False, False),
    ],
)
def test_who_may_edit_and_check_an_application(users, role, may_edit, may_check):
    project = completed(users["_own_enterprise"])
    if may_edit:
        assert apply(users, project=project, by=role).state == ApplicationState.DRAFT
    else:
        with pytest.raises(PermissionDeniedError):
            apply(users, project=project, by=role)
    app = Application.objects.filter(project=project).first() or apply(users, project=project)
    services.application_submit(user=users["enterprise"], application=app, at=NOW)
    if may_check:
        services.application_forward(user=users[role], application=app, at=NOW)
    else:
        with pytest.raises(PermissionDeniedError):
            services.application_forward(user=users[role], application=app, at=NOW)


def test_another_enterprise_and_another_county_may_not_touch_it(users, other_region):
    app = submitted(users)
    other_ent = EnterpriseFactory(region=other_region)
    stranger = make_user("stranger", Role.ENTERPRISE, credit_code=other_ent.credit_code)
    far_clerk = make_user("farclerk", Role.CLERK, region=other_region)
    for user in (stranger, far_clerk):
        with pytest.raises(PermissionDeniedError):
            services.application_return(user=user, application=app, reasons="x", at=NOW)
    with pytest.raises(PermissionDeniedError):
        services.application_forward(user=far_clerk, application=app, at=NOW)
    with pytest.raises(PermissionDeniedError):
        apply({**users, "x": stranger}, project=completed(users["_own_enterprise"]), by="x")


# ---- the equipment list through the shared import path --------------------------------------------


def workbook(rows, headers=("序号", "设备名称", "型号", "数量", "供货单位", "发票号", "金额（元）")) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["某公司技改项目设备清单"])
    ws.append(list(headers))
    for i, row in enumerate(rows, start=1):
        ws.append([i, *row])
    ws.append(["合计", None, None, None, None, None, None])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_the_equipment_list_imports_from_a_workbook_with_common_headers(users):
    app = services.application_create(
        user=users["enterprise"], project=completed(users["_own_enterprise"]),
        claimed_equipment_investment_yuan=Decimal("20000000.00"),
        claimed_fixed_asset_investment_yuan=Decimal("40000000.00"), at=NOW,
    )  # fmt: skip
    data = workbook([(n, m, f"{q}台", s, i, a) for n, m, q, s, i, a in LINES])
    spec = equipment_import_spec(app)
    ctx = context_for(users["enterprise"])
    preview = validate(spec, data, ctx)
    assert preview.counts["new"] == 2 and preview.counts["rejected"] == 0
    assert not EquipmentLine.objects.exists()  # the preview writes nothing
    report = run(spec, data, ctx)
    assert report.written and report.counts["new"] == 2
    lines = list(app.equipment_lines.order_by("id"))
    assert [(line.name, line.quantity, line.amount_yuan) for line in lines] == [
        ("数控加工中心", 2, Decimal("12000000.00")),
        ("工业机器人", 4, Decimal("8000000.00")),
    ]
    again = run(equipment_import_spec(app), data, ctx)
    assert again.counts["unchanged"] == 2 and app.equipment_lines.count() == 2
    attach(users["enterprise"], app)
    services.application_submit(user=users["enterprise"], application=app, at=NOW)


def test_a_bad_row_names_its_row_and_column_and_nothing_is_written(users):
    app = services.application_create(
        user=users["enterprise"], project=completed(users["_own_enterprise"]),
        claimed_equipment_investment_yuan=Decimal("20000000.00"),
        claimed_fixed_asset_investment_yuan=Decimal("40000000.00"), at=NOW,
    )  # fmt: skip
    rows = [(n, m, q, s, i, a) for n, m, q, s, i, a in LINES]
    rows.append(("冷却塔", "CT-1", "两台", "某公司", "04510003", "abc"))
    report = run(equipment_import_spec(app), workbook(rows), context_for(users["enterprise"]))
    assert not report.written and report.counts["rejected"] == 1
    text = report.as_text()
    assert "第 5 行“数量”列" in text and "第 5 行“金额”列（G5）" in text
    assert not app.equipment_lines.exists()


# ---- per-line acceptance and the decision on verified figures ----------------------------------------


def test_each_line_is_judged_and_a_rejected_line_lowers_the_verified_investment(users):
    app = forwarded(users)
    first, second = app.equipment_lines.order_by("id")
    with pytest.raises(ValidationError) as exc:
        inspect(users, app, {first.pk: ("accepted", ""), second.pk: ("rejected", "")})
    assert "不予核定须说明原因" in exc.value.errors["lines"][0]
    with pytest.raises(ValidationError) as exc:
        inspect(users, app, {first.pk: ("accepted", "")})
    assert "请选择核定或不予核定" in exc.value.errors["lines"][0]
    a = inspect(users, app, {first.pk: ("accepted", ""), second.pk: ("rejected", "发票与合同不符")})
    assert a.verified_equipment_investment_yuan == Decimal("12000000.00")
    assert a.claimed_equipment_investment_yuan == Decimal("20000000.00")
    second.refresh_from_db()
    assert (second.verdict, second.rejection_reason, second.acceptance) == (
        LineVerdict.REJECTED,
        "发票与合同不符",
        a,
    )
    app.refresh_from_db()
    assert app.state == ApplicationState.DECIDED


def test_an_adjustment_beyond_the_lines_needs_its_reason(users):
    app = forwarded(users)
    verdicts = {line.pk: ("accepted", "") for line in app.equipment_lines.all()}
    with pytest.raises(ValidationError) as exc:
        inspect(users, app, verdicts, verified_equipment_investment_yuan=Decimal("19000000"))
    assert "须说明调整原因" in exc.value.errors["adjustment_reason"][0]


def test_an_application_must_be_forwarded_before_the_team_inspects(users):
    app = submitted(users)
    with pytest.raises(ValidationError, match="须经县市经办人受理后才能验收"):
        inspect(users, app)


def test_the_decision_is_stored_on_the_verified_figures(users):
    app = forwarded(users)
    first, second = app.equipment_lines.order_by("id")
    inspect(users, app, {first.pk: ("accepted", ""), second.pk: ("rejected", "设备未安装")})
    d311 = StoredDecision.objects.get(application=app, clause="3.1.1")
    # 3 % of the verified 12,000,000 (not the claimed 20,000,000)
    assert d311.outcome == "eligible" and d311.amount_yuan == Decimal("360000.00")
    assert d311.decision["estimate"] is False and d311.decision["parameters"]
    assert "验收核定" in d311.explanation and d311.source == f"application:{app.pk}:3.1.1"
    d32 = StoredDecision.objects.get(application=app, clause="3.2")
    assert d32.amount_yuan == Decimal("400000.00")  # 1 % of 40,000,000 as 项目奖补


def test_a_failed_inspection_then_a_passing_reinspection(users):
    app = forwarded(users)
    inspect(users, app, outcome=Outcome.FAIL)
    app.refresh_from_db()
    assert app.state == ApplicationState.FAILED and not app.decisions.exists()
    inspect(users, app, outcome=Outcome.RECTIFY, rectify_deadline_date=dt.date(2019, 9, 1))
    app.refresh_from_db()
    assert app.state == ApplicationState.RECTIFYING
    inspect(users, app)
    app.refresh_from_db()
    assert app.state == ApplicationState.DECIDED and app.decisions.count() == 2


def test_an_amendment_re_decides(users):
    app = forwarded(users)
    a = inspect(users, app)
    assert StoredDecision.objects.get(application=app, clause="3.1.1").amount_yuan == Decimal("600000.00")
    services.acceptance_amend(
        user=users["office"], acceptance=a, verified_equipment_investment_yuan=Decimal("10000000.00"),
        verified_fixed_asset_investment_yuan=Decimal("40000000.00"), reason="复核发票，剔除重复计入",
        expected_version=a.version, at=NOW,
    )  # fmt: skip
    assert StoredDecision.objects.get(application=app, clause="3.1.1").amount_yuan == Decimal("300000.00")
    assert AuditEvent.objects.filter(event="decide", object_id=str(app.pk)).count() == 2


def test_a_project_without_application_is_inspected_as_before(users):
    p = completed()
    a = services.acceptance_record(
        user=users["office"], project=p, inspection_date=dt.date(2019, 8, 1),
        team=[users["office"], users["finance"]], leader=users["office"], findings="ok",
        outcome=Outcome.PASS, at=NOW,
    )  # fmt: skip
    assert a.verified_equipment_investment_yuan == p.equipment_investment_yuan
    assert Region.objects.exists()


# ---- handed to funds ---------------------------------------------------------------------------------


def test_each_eligible_decision_is_proposed_to_funds_and_an_amendment_re_proposes(users):
    from jigai.funds.selectors import items_for_source

    app = forwarded(users)
    a = inspect(users, app)
    item = items_for_source(f"application:{app.pk}:3.1.1")[0]
    assert item.entitled_yuan == Decimal("600000.00") and item.get_state_display() == "待报批"
    assert item.explanation.startswith("第3.1.1条") and item.decision["estimate"] is False
    assert items_for_source(f"application:{app.pk}:3.2")[0].entitled_yuan == Decimal("400000.00")
    services.acceptance_amend(
        user=users["office"], acceptance=a, verified_equipment_investment_yuan=Decimal("10000000.00"),
        verified_fixed_asset_investment_yuan=Decimal("40000000.00"), reason="复核发票",
        expected_version=a.version, at=NOW,
    )  # fmt: skip
    items = items_for_source(f"application:{app.pk}:3.1.1")
    assert len(items) == 1 and items[0].entitled_yuan == Decimal("300000.00")  # still only proposed: replaced


def test_a_pass_recorded_by_finance_waits_for_the_office_to_propose(users):
    from jigai.funds.selectors import items_for_source

    app = forwarded(users)
    inspect(users, app, by="finance")
    app.refresh_from_db()
    assert app.state == ApplicationState.DECIDED and app.proposed_at is None
    assert items_for_source(f"application:{app.pk}:3.1.1") == []
    with pytest.raises(PermissionDeniedError):
        services.application_propose(user=users["finance"], application=app, at=NOW)
    services.application_propose(user=users["office"], application=app, at=NOW)
    assert len(items_for_source(f"application:{app.pk}:3.1.1")) == 1


def test_a_loan_interest_subsidy_is_capped_at_the_interest_paid(users):
    app = apply(users, mode=SupportMode.LOAN_INTEREST)
    services.loan_line_add(
        user=users["enterprise"], application=app, bank="恩施农商银行", amount_yuan=Decimal("10000000.00"),
        interest_paid_yuan=Decimal("86500.00"), start_date=dt.date(2018, 3, 1), end_date=dt.date(2021, 2, 28),
        at=NOW,
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.loan_line_add(
            user=users["enterprise"], application=app, bank="", amount_yuan=Decimal("1"),
            interest_paid_yuan=Decimal("2"), start_date=dt.date(2018, 3, 1), end_date=dt.date(2017, 1, 1),
            at=NOW,
        )  # fmt: skip
    assert set(exc.value.errors) == {"bank", "end_date", "interest_paid_yuan"}
    services.application_submit(user=users["enterprise"], application=app, at=NOW)
    services.application_forward(user=users["clerk"], application=app, at=NOW)
    inspect(users, app)
    d32 = StoredDecision.objects.get(application=app, clause="3.2")
    assert d32.amount_yuan == Decimal("86500.00")  # not the 1 % (400,000.00)
    assert (
        "以贷款贴息方式支持" in d32.explanation and d32.decision["reasons"][-1]["code"] == "INTEREST_CAPPED"
    )


# ---- pages ------------------------------------------------------------------------------------------


def test_the_pages_take_the_enterprise_through_to_the_clerk(users, client_for):
    project = completed(users["_own_enterprise"])
    c = client_for("enterprise")
    page = c.get("/applications/").content.decode()
    assert "我的申报" in page and f"/applications/new/{project.pk}/" in page
    r = c.post(
        f"/applications/new/{project.pk}/",
        {
            "claimed_equipment_investment_wan": "2000",
            "claimed_fixed_asset_investment_wan": "4000",
            "support_mode": "award",
        },
    )
    app = Application.objects.get(project=project)
    assert r.status_code == 302 and app.claimed_equipment_investment_yuan == Decimal("20000000.00")
    data = workbook([(n, m, q, s, i, a) for n, m, q, s, i, a in LINES])
    r = c.post(f"/applications/{app.pk}/equipment/import/", {"file": _upload(data)})
    html = r.content.decode()
    assert "新增 2 行" in html and 'name="token"' in html and not app.equipment_lines.exists()
    token = html.split('name="token" value="')[1].split('"')[0]
    r = c.post(f"/applications/{app.pk}/equipment/import/", {"token": token})
    assert r.status_code == 302 and app.equipment_lines.count() == 2
    r = c.post(f"/applications/{app.pk}/submit/", follow=True)
    assert "请上传证明材料：设备发票、设备购置合同、竣工报告" in r.content.decode()
    r = c.post(
        f"/applications/{app.pk}/attachments/",
        {"kind": "invoice", "file": files.upload("发票.pdf", files.PDF)},
    )
    assert r.status_code == 302
    r = c.post(
        f"/applications/{app.pk}/attachments/",
        {"kind": "contract", "file": files.upload("合同.exe", files.EXE)},
        follow=True,
    )
    assert "只接受 PDF" in r.content.decode()
    attach(users["enterprise"], app, ["contract", "completion_report"])
    assert "发票.pdf" in c.get(f"/applications/{app.pk}/").content.decode()
    r = c.post(f"/applications/{app.pk}/submit/", follow=True)
    assert "申报已提交" in r.content.decode()
    html = c.get(f"/applications/{app.pk}/").content.decode()
    assert (
        'data-step="submit" data-status="done"' in html and 'data-step="check" data-status="current"' in html
    )
    c = client_for("clerk")
    r = c.post(f"/applications/{app.pk}/return/", {"reasons": "缺发票复印件"}, follow=True)
    assert "已退回补正" in r.content.decode()
    c = client_for("enterprise")
    assert "缺发票复印件" in c.get(f"/applications/{app.pk}/").content.decode()
    c.post(f"/applications/{app.pk}/submit/")
    c = client_for("clerk")
    c.post(f"/applications/{app.pk}/forward/")
    app.refresh_from_db()
    assert app.state == ApplicationState.FORWARDED


def app_attachments(app):
    from jigai.attachments.selectors import attachments_for

    return list(attachments_for(app))


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        "设备清单.xlsx",
        data,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def test_another_enterprise_or_county_gets_404_on_every_path(users, client_for, other_region):
    app = submitted(users)
    invoice = app_attachments(app)[0]
    assert client_for("enterprise").get(f"/attachments/{invoice.pk}/").status_code == 200
    other_ent = EnterpriseFactory(region=other_region)
    stranger = make_user("stranger", Role.ENTERPRISE, credit_code=other_ent.credit_code)
    far_clerk = make_user("farclerk", Role.CLERK, region=other_region)
    for user in (stranger, far_clerk):
        client_for("office").force_login(user)
        c = client_for("office")
        c.force_login(user)
        assert c.get(f"/applications/{app.pk}/").status_code == 404
        assert c.post(f"/applications/{app.pk}/submit/").status_code == 404
        assert f"/applications/{app.pk}/" not in c.get("/applications/").content.decode()
        assert c.get(f"/api/v1/applications/{app.pk}").status_code == 404
        assert c.get(f"/attachments/{invoice.pk}/").status_code == 404
    c.force_login(far_clerk)
    assert c.post(f"/applications/{app.pk}/forward/").status_code == 404
    app.refresh_from_db()
    assert app.state == ApplicationState.SUBMITTED
    c.force_login(users["bank"])
    assert c.get("/applications/").status_code == 403


def test_the_team_rejects_a_line_on_the_acceptance_page(users, client_for):
    app = forwarded(users)
    first, second = app.equipment_lines.order_by("id")
    c = client_for("office")
    page = c.get(f"/acceptance/projects/{app.project_id}/").content.decode()
    assert f'name="line_{second.pk}"' in page and "设备清单逐项核定" in page
    form = {
        "inspection_date": "2019-08-01", "team": [users["office"].pk, users["finance"].pk],
        "leader": users["office"].pk, "findings": "逐项核对", "outcome": "pass",
        f"line_{first.pk}": "accepted", f"line_{second.pk}": "rejected", f"reason_{second.pk}": "",
    }  # fmt: skip
    r = c.post(f"/acceptance/projects/{app.project_id}/", form)
    assert r.status_code == 200 and "不予核定须说明原因" in r.content.decode()
    r = c.post(f"/acceptance/projects/{app.project_id}/", {**form, f"reason_{second.pk}": "设备未到货"})
    assert r.status_code == 302
    html = client_for("enterprise").get(f"/applications/{app.pk}/").content.decode()
    assert "不予核定：设备未到货" in html and "360,000.00" in html
    assert (
        'data-step="decide" data-status="done"' in html
        and 'data-step="approve" data-status="current"' in html
    )


# ---- to-do ------------------------------------------------------------------------------------------


def test_each_step_puts_an_item_in_the_next_actors_to_do_list(users, other_region):
    from jigai.core.todo import deadline, todos_for

    today = dt.date(2026, 12, 7)
    far_clerk = make_user("farclerk", Role.CLERK, region=other_region)
    app = submitted(users)

    def keys(user):
        return [t.key for t in todos_for(user, today) if t.key.startswith("incentives.application")]

    assert keys(users["clerk"]) == [f"incentives.application.{app.pk}.check"]
    assert keys(far_clerk) == [] and keys(users["enterprise"]) == [] and keys(users["finance"]) == []
    services.application_return(user=users["clerk"], application=app, reasons="缺合同", at=NOW)
    assert keys(users["enterprise"]) == [f"incentives.application.{app.pk}.correct"]
    services.application_submit(user=users["enterprise"], application=app, at=NOW)
    services.application_forward(user=users["clerk"], application=app, at=NOW)
    assert keys(users["clerk"]) == []
    assert keys(users["finance"]) == [f"incentives.application.{app.pk}.inspect"]
    item = next(t for t in todos_for(users["office"], today) if t.key.endswith(".inspect"))
    assert item.due_date() == deadline("application.inspect", item.since) and item.unit_code == "422801"
    inspect(users, app, by="finance")
    assert keys(users["office"]) == [f"incentives.application.{app.pk}.propose"]
    assert keys(users["finance"]) == []


# ---- API --------------------------------------------------------------------------------------------


def test_the_api_runs_the_same_path_with_the_same_checks(users, client_for, other_region):
    project = completed(users["_own_enterprise"])
    c = client_for("enterprise")
    r = c.post(
        "/api/v1/applications",
        {"project_id": project.pk, "claimed_equipment_investment_yuan": "20000000.00",
         "claimed_fixed_asset_investment_yuan": "40000000.00", "support_mode": "loan_interest"},
        content_type="application/json",
    )  # fmt: skip
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    r = c.post(f"/api/v1/applications/{pk}/submit")
    assert r.status_code == 400 and "请导入或填写设备清单" in str(r.json())
    for n, m, q, s, i, a in LINES:
        body = {
            "name": n,
            "model": m,
            "quantity": q,
            "supplier": s,
            "invoice_number": i,
            "amount_yuan": str(a),
        }
        assert (
            c.post(f"/api/v1/applications/{pk}/lines", body, content_type="application/json").status_code
            == 201
        )
    loan = {"bank": "建设银行", "amount_yuan": "5000000.00", "interest_paid_yuan": "150000.00",
            "start_date": "2018-03-01", "end_date": "2020-03-01"}  # fmt: skip
    assert (
        c.post(f"/api/v1/applications/{pk}/loans", loan, content_type="application/json").status_code == 201
    )
    attach(users["enterprise"], Application.objects.get(pk=pk))
    r = c.post(f"/api/v1/applications/{pk}/submit")
    assert r.status_code == 200 and r.json()["state"] == "submitted"
    assert c.post(f"/api/v1/applications/{pk}/forward").status_code == 403
    # another enterprise and another county's clerk: 404
    other_ent = EnterpriseFactory(region=other_region)
    c.force_login(make_user("stranger", Role.ENTERPRISE, credit_code=other_ent.credit_code))
    assert c.get(f"/api/v1/applications/{pk}").status_code == 404
    assert c.get("/api/v1/applications").json()["items"] == []
    c.force_login(make_user("farclerk", Role.CLERK, region=other_region))
    assert c.post(f"/api/v1/applications/{pk}/forward").status_code == 404
    c = client_for("clerk")
    r = c.post(f"/api/v1/applications/{pk}/return", {"reasons": ""}, content_type="application/json")
    assert r.status_code == 400 and "请填写退回补正的原因" in str(r.json())
    assert c.post(f"/api/v1/applications/{pk}/forward").json()["state"] == "forwarded"
    app = Application.objects.get(pk=pk)
    inspect(users, app)
    r = client_for("enterprise").get(f"/api/v1/applications/{pk}/decision")
    by_clause = {d["clause"]: d for d in r.json()["decisions"]}
    assert by_clause["3.2"]["amount_yuan"] == "150000.00"  # 贷款贴息: the interest paid, not 400,000.00
    assert by_clause["3.1.1"]["funds"][0]["state_label"] == "待报批"
    assert AuditEvent.objects.filter(event="submit", object_id=str(pk), source="api").exists()


ROLES = [
    "office",
    "finance",
    "clerk",
    "enterprise",
    "leader",
    "bank",
    "auditor",
    "security_admin",
    "sysadmin",
]
MAY = {
    "application.view": {"office", "finance", "clerk", "enterprise", "leader"},
    "application.edit": {"clerk", "enterprise"},
    "application.check": {"clerk", "office"},
}


@pytest.mark.parametrize("role", ROLES)
def test_role_by_operation_on_pages_and_api(users, client_for, role):
    """Every role × every application operation, on the page or the API: allowed, or 403 (and for a
    row outside the role's scope, 404)."""
    own = forwarded(users)  # an application of the own enterprise, forwarded
    project = completed(users["_own_enterprise"])
    pending = submitted(users)
    c = client_for(role)
    # view: the list page and the detail through the API
    r = c.get("/applications/")
    assert r.status_code == (200 if role in MAY["application.view"] else 403)
    r = c.get(f"/api/v1/applications/{own.pk}")
    assert r.status_code == (200 if role in MAY["application.view"] else 403)
    # edit: create an application for a completed project
    body = {"project_id": project.pk, "claimed_equipment_investment_yuan": "1.00",
            "claimed_fixed_asset_investment_yuan": "1.00"}  # fmt: skip
    r = c.post("/api/v1/applications", body, content_type="application/json")
    assert r.status_code == (201 if role in MAY["application.edit"] else 403), r.content
    # check: forward a submitted one
    r = c.post(f"/api/v1/applications/{pending.pk}/forward")
    assert r.status_code == (200 if role in MAY["application.check"] else 403), r.content


def test_the_acceptance_opinion_lists_each_line_and_its_verdict(users, client_for):
    from docx import Document

    app = forwarded(users)
    first, second = app.equipment_lines.order_by("id")
    a = inspect(users, app, {first.pk: ("accepted", ""), second.pk: ("rejected", "发票与合同不符")})
    r = client_for("office").get(f"/acceptance/{a.pk}/opinion.docx")
    doc = Document(io.BytesIO(r.content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "数控加工中心" in cells and "不予核定：发票与合同不符" in cells and "1200.00" in cells
    assert cells[cells.index("设备投资") + 1 : cells.index("设备投资") + 3] == ["2000.00", "1200.00"]
