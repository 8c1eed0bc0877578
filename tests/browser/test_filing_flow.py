"""An enterprise files a zero-approval project online (3.5) and downloads its numbered receipt."""

import re

import pytest

from conftest import PASSWORD, EnterpriseFactory, ProjectFactory, make_user
from jigai.accounts.models import Role
from jigai.core.models import Region
from jigai.documents import inspect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def enterprise(transactional_db):
    enshi = Region.objects.get(code="422801")
    ent = EnterpriseFactory(region=enshi, name="芭蕉硒茶有限公司")
    make_user("ent_bj", Role.ENTERPRISE, credit_code=ent.credit_code)
    ProjectFactory(enterprise=ent, name="名优绿茶自动化生产线", status="construction")
    ProjectFactory(enterprise=EnterpriseFactory(region=enshi), name="别家企业的项目")


def test_an_enterprise_files_a_zero_approval_project_and_downloads_its_receipt(
    live_server, page, enterprise, tmp_path
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "ent_bj")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))  # the home page with the to-do list
    page.goto(f"{live_server.url}/projects/")
    page.click("text=名优绿茶自动化生产线")
    page.wait_for_url(re.compile(r".*/projects/\d+/$"))
    assert "项目秘书" in page.content()
    page.click("#support >> text=网上备案")
    page.wait_for_url(re.compile(r".*/support/filings/new/\?project=\d+$"))
    assert "别家企业的项目" not in page.content()
    page.fill("#id_filing_date", "2019-03-04")
    page.select_option("#id_project_type", "equipment_renewal")
    page.fill("#id_new_land_area_m2", "0")
    page.fill("#id_content", "更新名优绿茶自动化生产线设备 12 台（套），不新增用地")
    page.click("text=提交备案")
    page.wait_for_url(re.compile(r".*/support/filings/\d+/$"))
    assert "备案成功（零审批）" in page.content()
    assert page.locator("[data-number]").inner_text() == "恩施州技改备〔2019〕1号"
    with page.expect_download() as info:
        page.click("text=下载备案回执（.docx）")
    path = tmp_path / "receipt.docx"
    info.value.save_as(path)
    assert info.value.suggested_filename.endswith(".docx")
    data = path.read_bytes()
    assert inspect.number_text(data) == "恩施州技改备〔2019〕1号"
    assert inspect.title(data).text == "关于名优绿茶自动化生产线网上备案的回执"
