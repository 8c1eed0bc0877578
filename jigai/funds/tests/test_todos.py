"""To-do items of the money path: who must act next, and since when."""

import datetime as dt

import pytest

from conftest import ProjectFactory
from jigai.accounts.models import Role
from jigai.core.todo import todos_for
from jigai.funds import services

from .helpers import AT, allocate, payable, propose

pytestmark = pytest.mark.django_db
TODAY = dt.date(2020, 3, 20)


def keys(user):
    return [t.key for t in todos_for(user, TODAY) if t.key.startswith("funds.")]


def test_each_step_lands_in_the_next_actor_s_list(users, region):
    allocate(users["finance"], 2019, "1000000")
    allocate(users["finance"], 2019, "1000000", region=region)
    item = propose(users["office"], ProjectFactory(enterprise__region=region))
    batch = services.batch_prepare(user=users["office"], title="第一批", items=[item], at=AT)
    assert keys(users["finance"]) == [f"funds.batch.{batch.pk}.approve"]
    assert keys(users["office"]) == []
    services.item_approve(user=users["finance"], item=item, at=AT)
    assert keys(users["finance"]) == []
    [todo] = [t for t in todos_for(users["office"], TODAY) if t.key.startswith("funds.")]
    assert todo.key == "funds.year.2019.publish" and todo.since == AT.date() and todo.due_date() is not None
    assert todo.url == "/notices/"  # where the office publishes, not the funds list
    item.refresh_from_db()
    payable(users, item)
    assert keys(users["office"]) == []
    [pay] = [t for t in todos_for(users["finance"], TODAY) if t.key.startswith("funds.")]
    assert pay.key == f"funds.item.{item.pk}.pay" and pay.unit_code == region.code
    assert keys(users["clerk"]) == [] and keys(users["enterprise"]) == []
    assert pay.overdue_on(dt.date(2020, 6, 1))


def test_the_maker_does_not_get_their_own_batch_to_approve(users, region):
    item = propose(users["office"], ProjectFactory(enterprise__region=region))
    services.batch_prepare(user=users["office"], title="第一批", items=[item], at=AT)
    users["office"].role = Role.FINANCE
    users["office"].save()
    assert keys(users["office"]) == []
    assert len(keys(users["finance"])) == 1
