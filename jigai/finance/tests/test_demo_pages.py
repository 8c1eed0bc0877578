"""`jigai demo` gives every finance page content, for the office and for the demo's bank user."""

import pytest

from jigai.finance.models import (
    BankMembership,
    ClaimStatus,
    CompensationClaim,
    FinancingNeed,
    GuaranteePolicy,
    Intention,
    Loan,
    MatchMeeting,
    NeedStatus,
)


@pytest.mark.django_db
def test_the_demo_fills_every_finance_page(demo_data, client):
    from jigai.accounts.models import User

    assert "bank_icbc" in demo_data.output
    bank_user = User.objects.get(username="bank")
    assert BankMembership.objects.get(user=bank_user).bank.name == "中国农业银行恩施分行"
    assert FinancingNeed.objects.filter(status=NeedStatus.OPEN).exists()
    assert FinancingNeed.objects.filter(status=NeedStatus.MET).exists()
    assert Loan.objects.count() >= 20 and Intention.objects.exists() and MatchMeeting.objects.count() == 3
    assert {c.status for c in CompensationClaim.objects.all()} == {
        ClaimStatus.PAID,
        ClaimStatus.APPROVED,
        ClaimStatus.SUBMITTED,
    }
    assert GuaranteePolicy.objects.count() == 2
    client.force_login(User.objects.get(username="office"))
    for url in ("/finance/", "/finance/needs/", "/finance/loans/", "/finance/meetings/", "/finance/coverage/",
                "/finance/scores/?year=2019", "/finance/fund/", "/finance/banks/"):  # fmt: skip
        page = client.get(url).content.decode()
        assert "暂无" not in page and "尚无" not in page, url
    client.force_login(bank_user)
    page = client.get("/finance/").content.decode()
    assert "农行恩施分行" in page and 'id="score-table"' in page and "data-bank=" in page
