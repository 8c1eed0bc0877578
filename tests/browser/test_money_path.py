"""The whole money path in a browser, each user clicking their own pages: an enterprise applies with an
equipment list (.xlsx) and an invoice PDF, the county clerk forwards, the inspection team rejects one
line, the programme office prepares a batch, the finance bureau approves, the office publishes the notice
(公示) and ends it after the objection period, the finance bureau pays both levels; the enterprise sees
已拨付 with the amount and its explanation. Only the year's budgets are set up through services."""

import datetime as dt
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from conftest import PASSWORD, EnterpriseFactory, ProjectFactory, make_user
from jigai.accounts.models import Role, User
from jigai.attachments.tests import files
from jigai.core.models import Region
from jigai.funds import services as funds_services
from jigai.funds.models import Item, ItemState, Level
from jigai.incentives.models import Application
from jigai.notices.models import Notice, NoticeState
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


def _todo_urls(page, url):
    """The links of the user's to-do list on their home page."""
    page.goto(f"{url}/")
    return [a.get_attribute("href") for a in page.locator("#todo-list ul.todos a").all()]


def test_from_application_to_payment_through_the_pages(live_server, browser, tmp_path, settings):
    settings.JIGAI_ATTACHMENT_ROOT = tmp_path / "attachments"
    url = live_server.url
    region = Region.objects.get(code="422801")
    ent = EnterpriseFactory(region=region, name="恩施某汽配制造有限公司")
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

    # 1. The enterprise applies: the application, its equipment list and its supporting files.
    ent_page = _login(browser, url, "ent_user")
    ent_page.goto(f"{url}/applications/")
    ent_page.click("#candidates a.btn")
    ent_page.click("#application-form button")
    ent_page.wait_for_url(re.compile(r".*/applications/\d+/$"))
    app = Application.objects.get(project=project)
    ent_page.click("#import-link")
    ent_page.set_input_files("#upload-form input[name=file]", str(book))
    ent_page.click("#upload-form button")
    assert "新增 2 行" in ent_page.inner_text("#import-counts")
    ent_page.click("#confirm-form button")
    ent_page.wait_for_url(re.compile(rf".*/applications/{app.pk}/$"))
    for kind, path in pdfs.items():
        ent_page.select_option("#attachment-form select[name=kind]", kind)
        ent_page.set_input_files("#attachment-form input[name=file]", str(path))
        ent_page.click("#attachment-form button")
        ent_page.wait_for_load_state()
    assert "invoice.pdf" in ent_page.inner_text("#attachments")
    ent_page.click("#submit-form button")
    ent_page.wait_for_load_state()

    # 2. The county clerk finds it in their to-do list and forwards it.
    clerk = _login(browser, url, "clerk_es")
    assert f"/applications/{app.pk}/" in _todo_urls(clerk, url)
    clerk.goto(f"{url}/applications/{app.pk}/")
    clerk.click("#forward-form button")
    clerk.wait_for_load_state()
    assert "已受理" in clerk.inner_text("#app-state")

    # 3. The inspection team passes the project and rejects the robots' line.
    office = _login(browser, url, "office")
    office.goto(f"{url}/acceptance/projects/{project.pk}/")
    form = "#acceptance-form"
    office.fill(f"{form} input[name=inspection_date]", "2019-08-01")
    for label in ("office", "finance"):
        office.check(f"{form} label:has-text('{label}') input")
    office.select_option(f"{form} select[name=leader]", str(User.objects.get(username="office").pk))
    office.fill(f"{form} textarea[name=findings]", "逐项核对设备、发票与合同")
    office.select_option(f"{form} select[name=outcome]", "pass")
    robots = app.equipment_lines.order_by("id").last()
    office.select_option(f"{form} select[name=line_{robots.pk}]", "rejected")
    office.fill(f"{form} input[name=reason_{robots.pk}]", "设备未到货")
    office.click(f"{form} button")
    office.wait_for_load_state()
    item = Item.objects.get(project=project, clause="3.1.1")
    assert item.state == ItemState.PROPOSED and item.entitled_yuan == Decimal("360000")

    # Set-up: the year's budgets (allocated by finance through the service).
    fin_user = User.objects.get(username="finance")
    for level, reg in ((Level.PREFECTURE, None), (Level.COUNTY, region)):
        funds_services.budget_allocate(
            user=fin_user, year=item.year, level=level, region=reg, allocated_yuan=Decimal("5000000"),
            reason="年初预算", at=timezone.now(),
        )  # fmt: skip

    # 4. The office prepares a batch from the funds list.
    office.goto(f"{url}/funds/?state=proposed")
    office.check(f"#items input[name=item][value='{item.pk}']")
    office.fill("#id_title", "技改奖补资金第一批")
    office.click("#prepare button.btn:has-text('报州财政局审批')")
    office.wait_for_url(re.compile(r".*/funds/batches/\d+/$"))
    item.refresh_from_db()
    assert item.state == ItemState.SUBMITTED
    # The maker sees no approve button on their own batch.
    assert office.locator(f"form[action='/funds/items/{item.pk}/decide/']").count() == 0
    batch_url = office.url

    # 5. The finance bureau approves it from its to-do list.
    finance = _login(browser, url, "finance")
    assert batch_url.removeprefix(url) in _todo_urls(finance, url)
    finance.goto(batch_url)
    decide = f"form[action='/funds/items/{item.pk}/decide/']"
    finance.fill(f"{decide} input[name=reason]", "同意")
    finance.click(f"{decide} button[value=approve]")
    finance.wait_for_load_state()
    item.refresh_from_db()
    assert item.state == ItemState.APPROVED and item.approved_yuan == Decimal("360000")

    # 6. The office publishes the notice: its to-do leads to the publish form.
    assert "/notices/" in _todo_urls(office, url)
    office.goto(f"{url}/notices/")
    office.fill("input[name=title]", "2019年度技术改造奖补资金拟拨付名单")
    office.click("form.edit button.btn:has-text('发布公示')")
    office.wait_for_url(re.compile(r".*/notices/\d+/$"))
    notice = Notice.objects.get()
    item.refresh_from_db()
    assert item.state == ItemState.NOTICE and item.notice_ref == notice.ref

    # Anyone on the network sees it without logging in: no personal data, the amount.
    anonymous = browser.new_context(locale="zh-CN").new_page()
    anonymous.goto(f"{url}/public/notices/{notice.pk}/")
    text = anonymous.inner_text("body")
    assert "恩施某汽配制造有限公司" in text and "360,000" in text
    ent_page.goto(f"{url}/applications/{app.pk}/")
    assert "公示中" in ent_page.inner_text("#funds-items")

    # 7. The objection period passes: the office ends the notice on the day after its last day.
    assert (
        office.input_value("form[action$='/end/'] input[name=on]")
        == f"{notice.ends_on + dt.timedelta(days=1):%Y-%m-%d}"
    )
    office.click("form[action$='/end/'] button")
    office.wait_for_load_state()
    notice.refresh_from_db()
    item.refresh_from_db()
    assert notice.state == NoticeState.ENDED and item.state == ItemState.PAYABLE

    # 8. The finance bureau pays both levels' shares from the item's page.
    assert f"/funds/items/{item.pk}/" in _todo_urls(finance, url)
    finance.goto(f"{url}/funds/items/{item.pk}/")
    for n, level in enumerate(("prefecture", "county")):
        pay = f"form[action='/funds/items/{item.pk}/pay/']:has(input[name=level][value={level}])"
        finance.fill(f"{pay} input[name=voucher_no]", f"恩财拨〔2020〕{101 + n}号")
        finance.click(f"{pay} button")
        finance.wait_for_load_state()
    assert "已拨付" in finance.inner_text("#item-state")
    item.refresh_from_db()
    assert item.state == ItemState.PAID and item.paid_yuan == Decimal("360000")

    # 9. The enterprise sees 已拨付, the amount and its explanation on its application page.
    ent_page.goto(f"{url}/applications/{app.pk}/")
    row = ent_page.inner_text("#funds-items")
    assert "已拨付" in row and "360,000.00" in row
    assert "同意" in row and notice.ref in row  # the approval's opinion and the notice it went through
    assert "按验收核定数" in ent_page.inner_text("section.decision[data-clause='3.1.1']")
    assert ent_page.get_attribute('[data-step="pay"]', "data-status") == "done"
    assert ent_page.get_attribute('[data-step="notice"]', "data-status") == "done"
