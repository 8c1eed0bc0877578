import re
from decimal import Decimal

import pytest

from conftest import PASSWORD, EnterpriseFactory, ProjectFactory, make_user
from jigai.accounts.models import Role
from jigai.core.models import Region
from jigai.finance.models import Bank, BankKind, BankMembership, FinancingNeed, Loan, NeedStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def market(transactional_db):
    import datetime as dt

    from django.utils import timezone

    from jigai.finance import services

    enshi = Region.objects.get(code="422801")
    office = make_user("office_fin", Role.OFFICE)
    banker = make_user("banker", Role.BANK)
    bank = Bank.objects.create(name="中国农业银行恩施分行", short_name="农行恩施分行", kind=BankKind.STATE)
    Bank.objects.create(name="湖北银行恩施分行", short_name="湖北银行", kind=BankKind.LOCAL)
    BankMembership.objects.create(user=banker, bank=bank)
    project = ProjectFactory(
        enterprise=EnterpriseFactory(region=enshi, name="芭蕉硒茶有限公司"), name="名优绿茶自动化生产线"
    )
    services.need_post(
        user=office, project=project, amount_yuan=Decimal("8000000"), purpose="购置自动化设备", term_months=36,
        posted_on=dt.date(2019, 3, 1), at=timezone.now(),
    )  # fmt: skip


def test_a_bank_user_sees_a_need_records_a_loan_against_it_and_sees_its_score(live_server, page, market):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "banker")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/finance/")
    assert "中国农业银行恩施分行" in page.inner_text("h1")
    needs = page.inner_text("#open-needs")
    assert "名优绿茶自动化生产线" in needs and "800.00" in needs

    page.click("#open-needs >> text=名优绿茶自动化生产线")
    page.wait_for_url(re.compile(r".*/finance/needs/\d+/$"))
    # A wrong rate is refused on its field, nothing written.
    page.fill("#id_amount_wan", "800")
    page.fill("#id_rate_percent", "90")
    page.fill("#id_issued_on", "2019-04-10")
    page.fill("#id_maturity_on", "2022-04-10")
    page.click("form.edit button[type=submit]")
    assert "年利率须大于 0 且不超过 36%" in page.inner_text(".errorlist")
    assert not Loan.objects.exists()

    page.fill("#id_rate_percent", "4.35")
    page.click("form.edit button[type=submit]")
    page.wait_for_url(re.compile(r".*/finance/loans/\d+/$"))
    assert "贷款已登记" in page.content()
    loan = Loan.objects.get()
    assert (loan.amount_yuan, loan.bank.short_name) == (Decimal("8000000.00"), "农行恩施分行")
    assert FinancingNeed.objects.get().status == NeedStatus.MET

    page.goto(f"{live_server.url}/finance/scores/?year=2019")
    rows = page.locator("#score-table tbody tr")
    assert rows.count() == 1  # its own score only, not the other bank's
    assert "农行恩施分行" in rows.first.inner_text() and "湖北银行" not in page.content()
    # All the year's lending and needs-lending is its own: 100 × (0.4 + 0.2 + 0.3) = 90.00.
    assert page.inner_text("#score-table .score") == "90.00"
    page.screenshot(path="var/browser-bank-score.png", full_page=True)
