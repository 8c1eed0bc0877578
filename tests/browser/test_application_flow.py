"""The application path in a browser: an enterprise applies with an equipment list (.xlsx) and its
supporting files, the county clerk forwards it, the inspection team rejects one line, and the enterprise
sees the decision on the verified figures and where the application stands."""

import datetime as dt
import io
import re

import openpyxl
import pytest

from conftest import PASSWORD, EnterpriseFactory, ProjectFactory, make_user
from jigai.accounts.models import Role, User
from jigai.attachments.tests import files
from jigai.core.models import Region
from jigai.incentives.models import Application, ApplicationState, StoredDecision
from jigai.registry.models import ProjectPlanYear, ProjectStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(browser, url, username):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def _workbook(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "设备名称", "型号", "数量", "供货单位", "发票号", "金额（元）"])
    ws.append([1, "数控加工中心", "VMC-850", 2, "湖北某机床有限公司", "04510001", 12000000])
    ws.append([2, "工业机器人", "IRB-6700", 4, "某机器人公司", "04510002", 8000000])
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())


def test_enterprise_applies_clerk_forwards_team_rejects_a_line(live_server, browser, tmp_path, settings):
    settings.JIGAI_ATTACHMENT_ROOT = tmp_path / "attachments"
    region = Region.objects.get(code="422801")
    ent = EnterpriseFactory(region=region)
    project = ProjectFactory(
        enterprise=ent, status=ProjectStatus.COMPLETED, is_key=True, actual_start_date=dt.date(2018, 3, 1),
        actual_completion_date=dt.date(2019, 6, 30), name="年产十万套汽配件智能化改造项目",
    )  # fmt: skip
    ProjectPlanYear.objects.create(project=project, year=2018)
    make_user("ent_user", Role.ENTERPRISE, credit_code=ent.credit_code)
    make_user("clerk_es", Role.CLERK, region=region)
    make_user("office", Role.OFFICE)
    make_user("finance", Role.FINANCE)
    book = tmp_path / "设备清单.xlsx"
    _workbook(book)
    pdfs = {}
    for kind in ("invoice", "contract", "completion_report"):
        pdfs[kind] = tmp_path / f"{kind}.pdf"
        pdfs[kind].write_bytes(files.PDF)

    # The enterprise applies.
    page = _login(browser, live_server.url, "ent_user")
    page.goto(f"{live_server.url}/applications/")
    assert "我的申报" in page.inner_text("h1")
    page.click("#candidates a.btn")
    page.click("#application-form button")
    page.wait_for_url(re.compile(r".*/applications/\d+/$"))
    app = Application.objects.get(project=project)
    page.click("#import-link")
    page.set_input_files("#upload-form input[name=file]", str(book))
    page.click("#upload-form button")
    assert "新增 2 行" in page.inner_text("#import-counts")
    page.click("#confirm-form button")
    page.wait_for_url(re.compile(rf".*/applications/{app.pk}/$"))
    assert "数控加工中心" in page.inner_text("#equipment")
    for kind, path in pdfs.items():
        page.select_option("#attachment-form select[name=kind]", kind)
        page.set_input_files("#attachment-form input[name=file]", str(path))
        page.click("#attachment-form button")
        page.wait_for_load_state()
    assert "invoice.pdf" in page.inner_text("#attachments")
    page.click("#submit-form button")
    page.wait_for_load_state()
    assert page.get_attribute('[data-step="check"]', "data-status") == "current"

    # The county clerk forwards it.
    clerk = _login(browser, live_server.url, "clerk_es")
    clerk.goto(f"{live_server.url}/applications/{app.pk}/")
    clerk.click("#forward-form button")
    clerk.wait_for_load_state()
    assert "已受理" in clerk.inner_text("#app-state")

    # The team inspects and rejects the robots.
    office = _login(browser, live_server.url, "office")
    office.goto(f"{live_server.url}/acceptance/projects/{project.pk}/")
    form = "#acceptance-form"
    office.fill(f"{form} input[name=inspection_date]", "2019-08-01")
    for label in ("office", "finance"):
        office.check(f"{form} label:has-text('{label}') input")
    office.select_option(f"{form} select[name=leader]", str(User.objects.get(username="office").pk))
    office.fill(f"{form} textarea[name=findings]", "逐项核对设备、发票与合同")
    office.select_option(f"{form} select[name=outcome]", "pass")
    second = app.equipment_lines.order_by("id").last()
    office.select_option(f"{form} select[name=line_{second.pk}]", "rejected")
    office.fill(f"{form} input[name=reason_{second.pk}]", "设备未到货")
    office.click(f"{form} button")
    office.wait_for_load_state()
    app.refresh_from_db()
    assert app.state == ApplicationState.DECIDED
    assert StoredDecision.objects.get(application=app, clause="3.1.1").amount_yuan == 360000

    # The enterprise sees the verdicts, the decision and where it stands.
    page.goto(f"{live_server.url}/applications/{app.pk}/")
    assert "不予核定：设备未到货" in page.inner_text("#equipment")
    assert "360,000.00" in page.content()
    assert page.get_attribute('[data-step="decide"]', "data-status") == "done"
    assert "待报批" in page.inner_text("#funds-items")
