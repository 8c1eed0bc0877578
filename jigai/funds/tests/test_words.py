"""The funds pages written as the office would write them (issue 14 point 12): amounts in yuan with
thousands separators, the same on the list and the detail page; people by their names, not login names;
dates with their year, not ISO; no approved amount before a decision or after a refusal; the prefecture's budget named once, not 州级 州级; state tags coloured by
meaning; the pager keeps the filters; labels in the language of the page, whichever came first."""

import re

import pytest
from django.core.paginator import Paginator
from django.utils import translation

from conftest import ProjectFactory
from jigai.core.tests.test_i18n import switch
from jigai.funds import ledger, services, views
from jigai.funds.charts import budget_chart

from .helpers import AT, allocate, approved, pay, payable, propose

pytestmark = pytest.mark.django_db

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.fixture(autouse=True)
def _chinese_after_each_test():
    yield
    translation.deactivate()


@pytest.fixture
def book(users, region):
    for role, name in (("office", "州经信委 技改科"), ("finance", "州财政局 经建科")):
        users[role].display_name = name
        users[role].save()
    allocate(users["finance"], 2019, "3000000")
    allocate(users["finance"], 2019, "3000000", region=region)
    paid = propose(users["office"], ProjectFactory(enterprise__region=region), "1234567.80")
    queued = propose(users["office"], ProjectFactory(enterprise__region=region), "6000000.00")
    batch = approved(users, paid, queued)
    payable(users, paid)
    payment = pay(users, paid, "prefecture", voucher="恩财拨〔2020〕7号")
    for i in (paid, queued):
        i.refresh_from_db()
    return {"paid": paid, "queued": queued, "batch": batch, "payment": payment}


def test_amounts_read_the_same_with_separators_on_list_and_item_pages(client, users, book):
    client.force_login(users["office"])
    listed = client.get("/funds/").content.decode()
    detail = client.get(f"/funds/items/{book['paid'].pk}/").content.decode()
    statement = client.get(f"/funds/enterprises/{book['paid'].enterprise_id}/").content.decode()
    ledger_page = client.get("/funds/ledger/?year=2019").content.decode()
    for html in (listed, detail, statement, ledger_page):
        html = re.sub(r"<pre .*?</pre>", "", html, flags=re.S)  # the decider's explanation, a record
        assert "1,234,567.80" in html and "1234567.80" not in html
    assert "617,283.90" in detail  # the payment, exact to the fen
    budgets = client.get("/funds/budgets/?year=2019").content.decode()
    assert "3,000,000.00" in budgets and "3000000.00" not in budgets


def test_no_approved_amount_before_a_decision_or_after_a_refusal(client, users, book):
    """Approved 0.00 on an item not yet decided reads as if refused, and the figure an upheld objection
    undid reads as if it stood: both show —, and the statement's total leaves the refused one out."""
    enterprise = book["paid"].enterprise
    open_item = propose(users["office"], ProjectFactory(enterprise=enterprise), "50000.00")
    refused = propose(users["office"], ProjectFactory(enterprise=enterprise), "70000.00")
    allocate(users["finance"], 2019, "10000000")  # room for the queue ahead of it (first in, first out)
    allocate(users["finance"], 2019, "10000000", region=enterprise.region)
    approved(users, refused)
    refused = services.item_notice_start(
        user=users["office"], item=refused, notice_id="N2", ends_on=AT.date(), at=AT
    )
    refused = services.item_objection_open(user=users["office"], item=refused, at=AT)
    refused = services.item_objection_resolve(
        user=users["office"], item=refused, upheld=True, reason="异议成立", at=AT
    )
    assert refused.state == "rejected" and refused.approved_yuan == 70000
    client.force_login(users["office"])
    for url in ("/funds/", "/funds/ledger/?year=2019", f"/funds/enterprises/{enterprise.pk}/"):
        html = client.get(url).content.decode()
        for item, entitled in ((open_item, "50,000.00"), (refused, "70,000.00")):
            row = re.search(rf"items/{item.pk}/.*?</tr>", html, re.S).group()
            assert f'{entitled}</td><td class="num">—</td>' in row, (url, row)
    html = client.get(f"/funds/enterprises/{enterprise.pk}/").content.decode()
    assert '<th colspan="5">合计</th><th class="num">1,234,567.80</th>' in html  # the paid item's alone
    for item in (open_item, refused):
        html = client.get(f"/funds/items/{item.pk}/").content.decode()
        assert "<dt>批准（元）</dt><dd>—</dd>" in html
    html = client.get(f"/funds/items/{book['paid'].pk}/").content.decode()
    assert "<dt>批准（元）</dt><dd>1,234,567.80</dd>" in html


def test_people_by_their_names_and_dates_with_their_year(client, users, book):
    client.force_login(users["finance"])
    batch = client.get(f"/funds/batches/{book['batch'].pk}/").content.decode()
    assert "州经信委 技改科" in batch and "州财政局 经建科" in batch
    assert not re.search(r">\s*(office|finance)\s*[<:]", batch)
    assert "2020年3月2日 10:00" in batch
    detail = client.get(f"/funds/items/{book['paid'].pk}/").content.decode()
    assert "州财政局 经建科" in detail and not re.search(r"<td>finance</td>", detail)
    assert "2020年3月2日" in detail
    for html in (batch, detail, client.get("/funds/batches/").content.decode()):
        assert not ISO_DATE.search(re.sub(r'value="[^"]*"', "", html)), ISO_DATE.search(html)
    switch(client, "en", "/funds/")
    detail = client.get(f"/funds/items/{book['paid'].pk}/").content.decode()
    assert "2 March 2020" in detail
    assert "Agreed" in detail  # the default decision note (同意) reads in the page's language


def test_the_prefecture_budget_is_named_once(client, users, book):
    client.force_login(users["finance"])
    html = client.get("/funds/budgets/?year=2019").content.decode()
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td>", html.split('id="budgets"')[1])
    assert rows[0] == ("州级", "恩施州"), rows
    chart = budget_chart(ledger.build(users["finance"], 2019))
    assert chart["xAxis"]["data"][0] == "恩施州"
    # colours by meaning: paid green, approved and waiting blue, the balance grey (amber is for warnings)
    assert [s["itemStyle"]["color"] for s in chart["series"]] == ["#16a34a", "#3b82f6", "#cbd5e1"]
    # one line of legend, clear of the 万元 axis name under it
    assert chart["legend"]["type"] == "scroll" and chart["grid"]["top"] - chart["legend"]["top"] >= 56


def test_state_tags_are_coloured_by_meaning(client, users, book):
    client.force_login(users["office"])
    paid, queued = book["paid"], book["queued"]
    assert paid.state == "payable" and queued.state == "queued"
    services.payment_record(
        user=users["finance"],
        item=paid,
        level="county",
        amount_yuan=paid.county_share_yuan,
        paid_on=AT.date(),
        voucher_no="恩财拨〔2020〕8号",
        at=AT,
    )
    html = client.get("/funds/").content.decode()

    def tag(pk):
        return re.search(rf'<tr data-state="\w+">.*?items/{pk}/.*?<span class="tag ?(\w*)">', html, re.S)

    assert tag(paid.pk).group(1) == "done"  # green: paid
    assert tag(queued.pk).group(1) == "risk"  # amber: waiting for budget
    ledger_page = client.get("/funds/ledger/?year=2019").content.decode()
    assert '<span class="tag done">台账与预算相符。</span>' in ledger_page
    assert '<span class="tag risk">预算不足排队</span>' in ledger_page


def test_the_pager_keeps_the_filters(client, users, book, monkeypatch):
    monkeypatch.setattr(views, "Paginator", lambda rows, per_page: Paginator(rows, 1))
    client.force_login(users["office"])
    html = client.get("/funds/?year=2019&unit=422801").content.decode()
    assert 'href="?year=2019&amp;unit=422801&amp;page=2"' in html
    html = client.get("/funds/ledger/?year=2019&unit=422801&page=2").content.decode()
    assert 'href="?year=2019&amp;unit=422801&amp;page=1"' in html


def test_ledger_labels_follow_the_language_of_the_page(users, book):
    rows = lambda: list(ledger.labelled(ledger.build(users["finance"], 2019).item_values))  # noqa: E731
    with translation.override("zh-hans"):
        assert {r["state_label"] for r in rows()} == {"待拨付", "预算不足排队"}
    with translation.override("en"):
        labelled = rows()
        assert {r["state_label"] for r in labelled} == {"Awaiting payment", "Queued (budget short)"}
        assert {r["clause_label"] for r in labelled} == {"3.1.1 Renovation subsidy"}
