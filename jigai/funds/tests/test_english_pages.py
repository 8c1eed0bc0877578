"""Every page of 奖补资金 (items, batches, a batch, an item, budgets, the ledger, an enterprise's statement)
reads in English in the English interface: on the demo, as the office, the finance bureau and a county
clerk, no Chinese is left outside data values (names of units, enterprises, projects and people, what
people typed, voucher numbers) and the explanation a page marks ``lang="zh-Hans"``; the budget chart's
title, legend and axis too; refusals read in English. The payment notice (.docx), the ledger (.xlsx) and
the `jigai ledger` command stay Chinese in either interface."""

import io
import json
import re
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation
from openpyxl import load_workbook

from jigai.core.models import Region
from jigai.core.tests.english import HAN, chinese_left, people_and_places, values_of
from jigai.core.tests.test_i18n import switch
from jigai.funds import services
from jigai.funds.models import Batch, BatchState, Item, ItemState, Payment


@pytest.fixture(autouse=True)
def _chinese_after_each_test():
    yield
    translation.deactivate()


def _client(user, language="en"):
    c = Client()
    c.force_login(user)
    switch(c, language, "/funds/")
    return c


def _page(c, url, **post):
    r = c.post(url, post, follow=True) if post else c.get(url)
    assert r.status_code == 200, url
    html = r.content.decode()
    assert '<html lang="en">' in html, url
    return html


@pytest.mark.django_db
def test_every_funds_page_reads_in_english_on_the_demo(demo_data):
    User = get_user_model()
    office = User.objects.filter(role="office").order_by("pk").first()
    finance = User.objects.filter(role="finance").order_by("pk").first()
    clerk = User.objects.filter(role="clerk", region__code="422801").first()
    # One item awaiting payment, so the page shows the payment forms.
    on_notice = Item.objects.filter(state=ItemState.NOTICE).order_by("pk").first()
    payable = services.item_notice_end(user=office, item=on_notice, at=timezone.now())
    paid = Item.objects.filter(payments__isnull=False, region=clerk.region).order_by("pk").first()
    pending = Batch.objects.filter(state=BatchState.PENDING).order_by("pk").first()
    decided = Batch.objects.filter(state=BatchState.DECIDED).order_by("pk").first()
    payment = Payment.objects.filter(reversed_at__isnull=True).order_by("pk").first()
    year = payable.year

    values = (
        people_and_places()
        | values_of(Region, "short_name")
        | values_of(Batch, "title", "note")
        | values_of(Item, "source", "cap_exception_reason", "decision_reason", "objection_note")
        | values_of(Payment, "voucher_no", "reverse_reason")
    )
    pages = {
        office: [
            "/funds/",
            f"/funds/?year={year}&unit=422801&clause=3.1.1&state=queued",
            "/funds/batches/",
            f"/funds/batches/{decided.pk}/",
            f"/funds/batches/{pending.pk}/",  # the maker's own batch: the note that they cannot decide it
            f"/funds/items/{paid.pk}/",
            f"/funds/budgets/?year={year}",
            f"/funds/ledger/?year={year}",
            f"/funds/ledger/?year={year}&unit=422801&state=paid",
            f"/funds/enterprises/{paid.enterprise_id}/",
        ],
        finance: [
            f"/funds/batches/{pending.pk}/",  # the approval forms
            f"/funds/items/{payable.pk}/",  # the payment forms
            f"/funds/items/{paid.pk}/",  # the reversal form
            f"/funds/budgets/?year={year}",  # the allocation form
        ],
        clerk: ["/funds/", f"/funds/items/{paid.pk}/", f"/funds/enterprises/{paid.enterprise_id}/"],
    }
    left = {}
    for user, urls in pages.items():
        c = _client(user)
        for url in urls:
            han = chinese_left(_page(c, url), values)
            if han:
                left[f"{user.role} {url}"] = han

    # Refusals read in English too (each message lands on the page the user returns to).
    c = _client(finance)
    refusals = [
        (f"/funds/items/{payable.pk}/pay/", {"level": "prefecture", "amount_yuan": "1", "paid_on": "x"},
         "Please enter a valid payment date"),
        (f"/funds/items/{payable.pk}/pay/", {"level": "prefecture", "amount_yuan": "1", "paid_on": "2019-01-02", "voucher_no": "V-1"},
         "The amount paid must equal the Prefecture share of"),
        (f"/funds/payments/{payment.pk}/reverse/", {"reason": " "}, "Please give the reason for the reversal"),
        (f"/funds/items/{pending.items.first().pk}/decide/", {"action": "reject", "reason": ""},
         "Please give the reason for not approving"),
        (f"/funds/budgets/?year={year}", {"year": year, "unit": "", "allocated_yuan": "1"},
         "The allocation cannot be less than what is approved and paid"),
    ]  # fmt: skip
    for url, data, message in refusals:
        html = _page(c, url, **data)
        assert message in html, (url, data, re.findall(r'<ul class="messages">.*?</ul>', html, re.S))
        han = chinese_left(html, values)
        if han:
            left[f"finance POST {url} {data}"] = han
    html = _page(_client(office), "/funds/batches/prepare/", title="")
    assert "Please enter the batch title" in html and "Please select at least one item to submit" in html
    assert not chinese_left(html, values)

    # The chart's title, legend and axis (its JSON is outside the visible text).
    html = _client(office).get(f"/funds/budgets/?year={year}").content.decode()
    chart = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    chart = json.loads(chart)
    assert chart["yAxis"]["name"] == "10k yuan"
    assert chart["title"]["text"] == f"Subsidy budget execution {year} (prefecture and counties)"
    texts = json.dumps({k: chart[k] for k in ("title", "legend", "yAxis", "series")}, ensure_ascii=False)
    assert not HAN.findall(texts), HAN.findall(texts)

    assert not left, "\n".join(f"{url}: {han}" for url, han in left.items())

    # The official documents stay Chinese in the English interface.
    c = _client(finance)
    r = c.get(f"/funds/payments/{payment.pk}/notice.docx")
    assert r.status_code == 200
    body = zipfile.ZipFile(io.BytesIO(r.content)).read("word/document.xml").decode()
    assert "拨付明细" in body and ("州级" in body or "县市级" in body)
    r = c.get(f"/funds/ledger/?year={year}&format=xlsx")
    book = load_workbook(io.BytesIO(b"".join(r.streaming_content) if r.streaming else r.content))
    sheets = {ws.title: [[cell for cell in row] for row in ws.iter_rows(values_only=True)] for ws in book}
    budgets = [row for row in sheets["预算执行"] if row and row[0] == year]
    assert budgets and {row[1] for row in budgets} <= {"州级", "县市级"}, budgets
    assert {row[7] for row in budgets} <= {"相符", "不符"}
    states = {row[11] for row in sheets["奖补事项"] if row and isinstance(row[0], int)}
    assert states and states <= {str(label) for label in ("待报批", "已报批待审", "已批准", "预算不足排队",
                                                          "公示中", "有异议", "待拨付", "已拨付", "已冲回",
                                                          "未批准", "应追回")}, states  # fmt: skip
    with translation.override("en"):
        out = io.StringIO()
        call_command("ledger", str(year), "--format", "csv", stdout=out)
    assert "待拨付" in out.getvalue() and "Awaiting payment" not in out.getvalue()

    # …and the Chinese interface reads as before.
    c = _client(office, "zh-hans")
    html = c.get(f"/funds/items/{paid.pk}/").content.decode()
    assert "应得（元）" in html and "拨付记录" in html and "资金拨付通知（.docx）" in html
    html = c.get(f"/funds/budgets/?year={year}").content.decode()
    assert f"{year}年奖补预算执行" in html and "预算不足排队（按批准先后）" in html
