"""The demo gives every money page content: short budgets, a queue, a refusal, a cap exception, an
objection, payments and a reversal, all through the services (so all audited)."""

import io

import pytest
from django.core.management import call_command

from jigai.core.models import AuditEvent
from jigai.funds import ledger
from jigai.funds.models import Batch, Item, ItemState, Payment

pytestmark = pytest.mark.django_db
S = ItemState


def test_the_demo_walks_the_money_path(client):
    call_command("demo", "--seed", "7", stdout=io.StringIO())
    states = set(Item.objects.values_list("state", flat=True))
    assert {
        S.PROPOSED,
        S.SUBMITTED,
        S.APPROVED,
        S.QUEUED,
        S.REJECTED,
        S.PAYABLE,
        S.PAID,
        S.REVERSED,
    } <= states
    assert Item.objects.filter(cap_exception_approved=True).exists()
    assert Item.objects.exclude(objection_note="").exists()
    assert Payment.objects.filter(reversed_at__isnull=False).exists()
    assert Batch.objects.filter(state="pending").exists()
    for year in (2019, 2020):
        book = ledger.build(None, year)
        assert book.reconciled and book.totals["allocated_yuan"] > 0
    assert AuditEvent.objects.filter(event="payment", source="command").exists()
    # The enterprise sees its explanation: every proposal carries the decider's.
    assert not Item.objects.filter(explanation="").exists()
    # Every money page has content and renders for the roles that open it.
    from jigai.accounts.models import User

    client.force_login(User.objects.get(username="finance"))
    batch = Batch.objects.order_by("pk").first()
    paid = Item.objects.filter(state=S.PAID).first()
    for url in ("/funds/", f"/funds/batches/{batch.pk}/", f"/funds/items/{paid.pk}/", "/funds/budgets/?year=2019",
                "/funds/ledger/?year=2019", f"/funds/enterprises/{paid.enterprise_id}/", "/funds/batches/"):  # fmt: skip
        r = client.get(url)
        assert r.status_code == 200, url
    page = client.get("/funds/budgets/?year=2019").content.decode()
    assert "没有排队的事项" not in page and "相符" in page and "不符" not in page
