"""Every page of finance support (3.4) reads in English in the English interface, for every role that uses
it: on the demo, no Chinese is left outside data values (names of banks, units, enterprises, projects and
people, what people typed: a need's purpose, a claim's reason, a policy's insurer). Forms refused, by the
form or by the domain, say why in English too. And the pages are written as the office writes them: dates
with their year in the reader's language (never ISO), rates and ratios as written, the weights named by
what they weigh, a done state in green. The loans export stays Chinese in either interface."""

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from jigai.core.tests.english import chinese_left, people_and_places, values_of, visible_text
from jigai.core.tests.test_i18n import switch
from jigai.finance import selectors
from jigai.finance.models import (
    Bank,
    ClaimStatus,
    CompensationClaim,
    CompensationFund,
    FinancingNeed,
    FundEntry,
    GuaranteePolicy,
    Intention,
    Loan,
    MatchMeeting,
    NeedStatus,
)

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.fixture(autouse=True)
def _chinese_after_each_test():
    yield
    translation.deactivate()


def _values() -> set[str]:
    return (
        people_and_places()
        | values_of(Bank, "name", "short_name")
        | values_of(MatchMeeting, "place", "organiser", "note")
        | values_of(Intention, "note")
        | values_of(FinancingNeed, "purpose")
        | values_of(CompensationClaim, "reason", "review_note")
        | values_of(GuaranteePolicy, "policy_no", "insurer")
        | values_of(FundEntry, "source")
        | values_of(CompensationFund, "name")
    )


def _client(username: str, language: str = "en") -> Client:
    c = Client()
    c.force_login(get_user_model().objects.get(username=username))
    switch(c, language, "/finance/")
    return c


def _pages(user) -> list[str]:
    """Every page of finance the user may open, with the first record of each kind they can see."""
    from jigai.accounts.permissions import can

    pages = ["/finance/", "/finance/needs/", "/finance/loans/", "/finance/meetings/", "/finance/coverage/",
             "/finance/coverage/?year=all", "/finance/banks/"]  # fmt: skip
    if can(user, "finance.score.view"):
        pages.append("/finance/scores/")
    if can(user, "finance.fund.view"):
        pages.append("/finance/fund/")
    for pk, url in (
        (selectors.need_list(user).values_list("pk", flat=True).first(), "/finance/needs/{}/"),
        (selectors.need_list(user, status=NeedStatus.MET).values_list("pk", flat=True).first(), "/finance/needs/{}/"),
        (selectors.loan_list(user).values_list("pk", flat=True).first(), "/finance/loans/{}/"),
        (selectors.meeting_list(user).values_list("pk", flat=True).first(), "/finance/meetings/{}/"),
    ):  # fmt: skip
        if pk is not None:
            pages.append(url.format(pk))
    return pages


def _left(c: Client, r, values) -> list[str]:
    html = r.content.decode()
    assert '<html lang="en">' in html
    return chinese_left(html, values)


@pytest.mark.django_db
def test_every_finance_page_reads_in_english_for_every_role_on_the_demo(demo_data):
    values = _values()
    User = get_user_model()
    left: dict[str, list[str]] = {}
    seen = 0
    for username in ("office", "finance", "leader", "bank", "clerk_422801", "ent01"):
        c = _client(username)
        user = User.objects.get(username=username)
        for url in _pages(user):
            r = c.get(url)
            assert r.status_code == 200, (username, url)
            seen += 1
            if han := _left(c, r, values):
                left[f"{username} {url}"] = han
            text = visible_text(r.content.decode())
            assert not ISO_DATE.search(text), (username, url, ISO_DATE.findall(text)[:3])
            assert "---------" not in text, (username, url)  # a choice list's blank says what to do
    assert seen >= 60
    assert not left, "\n".join(f"{k}: {v}" for k, v in left.items())

    # Forms refused by the form itself: every field's error in English, not Django's default wording.
    # (A POST with no field at all binds no form, so each posts one empty field.)
    office, bank, clerk, fin = (_client(u) for u in ("office", "bank", "clerk_422801", "finance"))
    bank_user = User.objects.get(username="bank")
    open_need = selectors.need_list(bank_user, status=NeedStatus.OPEN).first()
    own_loan = (
        selectors.loan_list(bank_user).exclude(claims__status__in=[ClaimStatus.SUBMITTED, ClaimStatus.APPROVED,
                                                                   ClaimStatus.PAID]).first()
    )  # fmt: skip
    meeting = MatchMeeting.objects.order_by("pk").first()
    refused = [
        (clerk, "/finance/needs/", {"purpose": ""}),
        (bank, f"/finance/needs/{open_need.pk}/", {"amount_wan": ""}),
        (bank, f"/finance/loans/{own_loan.pk}/", {"form": "claim"}),
        (office, f"/finance/loans/{own_loan.pk}/", {"form": "policy", "start_on": "2019-13-01"}),
        (office, "/finance/meetings/", {"place": ""}),
        (office, f"/finance/meetings/{meeting.pk}/", {"amount_wan": "x"}),
        (fin, "/finance/fund/", {"source": ""}),
        (office, "/finance/banks/", {"form": "bank", "kind": "nope"}),
        (office, "/finance/banks/", {"form": "member"}),
    ]
    for c, url, data in refused:
        r = c.post(url, data)
        assert r.status_code == 200, url
        html = r.content.decode()
        assert 'class="errorlist"' in html, url
        assert not _left(c, r, values), (url, _left(c, r, values))
        assert "This field is required" not in html and "Enter a valid" not in html, url
        assert "Select a valid choice" not in html, url
    html = clerk.post("/finance/needs/", {"purpose": ""}).content.decode()
    assert "Please fill in: Use of funds" in html and "Please choose: Project" in html
    assert '<option value="" selected>(choose)</option>' in html
    html = clerk.post("/finance/needs/", {"purpose": "x" * 201, "term_months": "0"}).content.decode()
    assert "Use of funds is too long (at most 200 characters)" in html
    assert "The term must be 1 to 360 months" in html and "Ensure this value" not in html

    # A clerk records their own county's meetings: no prefecture-wide choice offered.
    html = clerk.get("/finance/meetings/").content.decode()
    region = re.search(r'<select name="region"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert region.count("<option") == 1 and "恩施市" in region
    html = office.get("/finance/meetings/").content.decode()
    assert '<option value="" selected>Prefecture</option>' in html

    # Refused by the domain: the rule's own sentence, in English, with the date as the reader writes it.
    r = bank.post(
        f"/finance/needs/{open_need.pk}/",
        {"amount_wan": "10", "rate_percent": "4.35", "issued_on": "2000-01-03", "maturity_on": "2001-01-03"},
    )
    html = r.content.decode()
    assert "The issue date cannot be before the need was posted" in html
    assert not _left(bank, r, values)
    submitted = CompensationClaim.objects.filter(status=ClaimStatus.SUBMITTED).first()
    r = office.post(
        f"/finance/claims/{submitted.pk}/decide/",
        {"action": "reject", "note": "", "version": submitted.version},
        follow=True,
    )
    assert "A refusal needs a review note" in r.content.decode()
    assert not _left(office, r, values)

    # Words and colours: a rate as a bank writes it, a ratio as a percentage, the weights by their names,
    # the fund's payouts in English, a met need and a paid claim in green, the year chosen from a list.
    loan = Loan.objects.filter(rate_percent=Decimal("4.350")).first()
    html = office.get(f"/finance/loans/{loan.pk}/").content.decode()
    assert "4.35%" in html and "4.350" not in html
    html = office.get("/finance/fund/").content.decode()
    assert ">50%<" in html and "0.5000" not in html
    assert re.search(r'data-status="paid">.*?<span class="tag done">Compensation paid</span>', html)
    paid = CompensationClaim.objects.get(status=ClaimStatus.PAID)
    assert f"Compensation to {paid.loan.bank}: {paid.loan.project.name}" in html
    assert "(claim " not in html and not re.search(r"Need \d", office.get("/finance/loans/").content.decode())
    html = office.get("/finance/scores/").content.decode()
    assert "3.4.score_weight" not in html and "Weight of “Share of renovation lending”: 40%" in html
    assert (
        "× weight 40%" in html and "× weight 40.00%" not in html
    )  # the weight as the parameters list has it
    assert "<h1>Banks</h1>" in office.get("/finance/banks/").content.decode()
    html = office.get("/finance/needs/?status=met").content.decode()
    assert '<span class="tag done">Met</span>' in html
    html = office.get("/finance/coverage/").content.decode()
    assert '<select name="year">' in html and "docs/programme.md" not in html

    # The export is an official document: Chinese in either interface.
    r = office.get("/finance/loans.xlsx")
    assert r.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert any("贷款金额（万元）" in [str(v) for v in row] for row in sheet.iter_rows(values_only=True))

    # The Chinese interface reads as it did.
    zh = _client("office", "zh-hans")
    html = zh.get("/finance/").content.decode()
    for text in ("金融概览", "待对接的融资需求", "签约意向", "银行贡献度"):
        assert text in html
    html = zh.get("/finance/fund/").content.decode()
    assert "信贷风险补偿资金池与信用保证保险" in html and "补偿申请" in html
    assert not ISO_DATE.search(visible_text(html))


def test_the_score_labels_are_in_the_catalogue():
    """``scoring`` is pure Python; its labels are marked in ``selectors`` and must not drift apart."""
    from jigai.finance import scoring

    assert set(scoring.LABELS.values()) == set(selectors.LABELS)
    with translation.override("en"):
        assert [translation.gettext(label) for label in scoring.LABELS.values()] == [
            "Share of renovation lending",
            "Share of projects supported",
            "Share of lending against financing needs",
            "Meeting intentions honoured",
        ]


def test_a_rate_and_a_ratio_read_as_written():
    assert Loan(rate_percent=Decimal("4.350")).rate_display == "4.35"
    assert Loan(rate_percent=Decimal("4.125")).rate_display == "4.125"
    assert Loan(rate_percent=Decimal("5.000")).rate_display == "5.00"
    assert CompensationClaim(ratio=Decimal("0.5000")).ratio_percent == "50"
    assert CompensationClaim(ratio=Decimal("0.3750")).ratio_percent == "37.5"
    assert CompensationClaim(ratio=Decimal("1.0000")).ratio_percent == "100"


@pytest.mark.django_db
def test_domain_refusals_read_in_the_request_language_and_name_people_by_their_names(users):
    """A refusal is the rule's sentence in the language of the request; a person by their name, not
    their login."""
    import datetime as dt

    from django.utils import timezone

    from conftest import make_user
    from jigai.accounts.models import Role
    from jigai.core.errors import ValidationError
    from jigai.finance import services

    clerk = make_user("clerk_x", Role.CLERK, region=users["clerk"].region, display_name="张三")
    bank = Bank.objects.create(name="中国农业银行恩施分行", short_name="农行", kind="state")
    at = timezone.make_aware(dt.datetime(2019, 6, 1, 10, 0))
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.bank_member_set(user=users["office"], member=clerk, bank=bank, at=at)
    assert refused.value.errors == {
        "member": ["Only bank users can be linked to a bank; 张三 is not a bank user"]
    }
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        services.bank_member_set(user=users["office"], member=clerk, bank=bank, at=at)
    assert refused.value.errors == {"member": ["只有银行用户可以关联银行，张三 不是银行用户"]}
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.bank_create(user=users["office"], name="", short_name="农行", kind="x", at=at)
    assert refused.value.errors == {
        "name": ["Please fill in: Bank name"],
        "short_name": ["The short name “农行” is already used"],
        "kind": ["Unknown bank type: x"],
    }


@pytest.mark.django_db
def test_a_bank_user_not_yet_linked_is_warned_in_amber_not_red(client_for):
    c = client_for("bank")
    switch(c, "en", "/finance/")
    html = c.get("/finance/").content.decode()
    assert (
        '<ul class="messages" id="bank-unlinked"><li class="warning">Your account is not linked to a bank yet;'
        in html
    )
    assert '<p class="errorlist">' not in html
