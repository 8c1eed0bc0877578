import re

import pytest

from conftest import PASSWORD, make_user
from jigai.accounts.models import Role
from jigai.core.models import Region
from jigai.registry.models import Project
from jigai.registry.tests.import_books import county_workbook, library

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clerk_uploads_a_messy_workbook_reads_the_preview_and_imports_the_good_rows(
    live_server, page, tmp_path
):
    make_user("clerk_es", Role.CLERK, region=Region.objects.get(code="422801"))
    lib = library()
    workbook = tmp_path / "恩施市技改项目.xlsx"
    workbook.write_bytes(county_workbook(lib))

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "clerk_es")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#todo-list")  # the login lands on the home page

    page.goto(f"{live_server.url}/imports/")
    page.select_option("select[name=table]", "projects")
    page.set_input_files("input[name=file]", str(workbook))
    page.click("form.edit button[type=submit]")
    page.wait_for_url(re.compile(r".*/imports/upload/$"))

    # The preview: counts first, then every problem with its cell and reason; nothing written yet.
    counts = {k: page.inner_text(f"#count-{k}") for k in ("new", "updated", "unchanged", "rejected")}
    assert counts == {"new": "2", "updated": "1", "unchanged": "1", "rejected": "4"}
    errors = page.inner_text("#import-errors")
    assert "D8" in errors and "91422801MA4F0ABCD1" in errors
    assert "只能导入本单位（恩施市）的数据，这一行属于利川市" in errors
    assert Project.objects.count() == 2

    page.check("#confirm-form input[name=mode][value=good]")
    page.click("#confirm-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/imports/confirm/$"))
    assert "已写入：新增 2 行，更新 1 行" in page.inner_text("#import-message")
    assert Project.objects.count() == 4
    assert not Project.objects.filter(enterprise=lib.lichuan).exists()

    page.goto(f"{live_server.url}/projects/?q=硒茶加工")
    assert "年产5万吨硒茶加工技术改造项目" in page.content()
