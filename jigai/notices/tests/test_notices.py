"""Public notice (公示, issue 12 point 8): approved items published for an objection period on a page
anyone may open without logging in (no personal data); an objection blocks payment until resolved; the end
of the period, run on a date, makes the items payable."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from conftest import EnterpriseFactory, ProjectFactory, make_user
from jigai.accounts.models import Role
from jigai.accounts.permissions import can
from jigai.core.errors import ConflictError, PermissionDeniedError, ValidationError
from jigai.core.models import AuditEvent, Region
from jigai.core.todo import todos_for
from jigai.funds.models import ItemState as S
from jigai.funds.tests.helpers import AT, allocate, approved, pay, propose
from jigai.notices import services
from jigai.notices.models import Notice, NoticeState, Objection

pytestmark = pytest.mark.django_db

START = AT.date()  # 2020-03-02
PRIVATE = "张三丰"
PHONE = "13912345678"


@pytest.fixture
def county(users):
    return users["clerk"].region


@pytest.fixture
def items(users, county):
    allocate(users["finance"], 2019, "1000000")
    allocate(users["finance"], 2019, "1000000", region=county)
    ent = EnterpriseFactory(region=county, contact_person=PRIVATE, contact_phone=PHONE)
    a = propose(users["office"], ProjectFactory(enterprise=ent, name="智能化改造项目"), "120000.00")
    b = propose(users["office"], ProjectFactory(enterprise__region=county), "80000.00")
    approved(users, a, b)
    a.refresh_from_db()
    b.refresh_from_db()
    return a, b


def publish(users, items, **kw):
    kw.setdefault("title", "2019年度技术改造奖补资金拟拨付名单")
    kw.setdefault("starts_on", START)
    return services.notice_publish(user=users["office"], items=items, at=AT, **kw)


def state(item):
    item.refresh_from_db()
    return item.state


def test_publishing_puts_approved_items_on_notice_for_the_period(users, items, settings):
    a, b = items
    n = publish(users, [a, b])
    assert n.ref == "公示〔2020〕1号" and n.starts_on == START
    assert n.ends_on == START + dt.timedelta(days=6)  # 7 days counting the day of publication
    assert state(a) == S.NOTICE and state(b) == S.NOTICE
    assert a.notice_ref == n.ref and a.notice_ends_on == n.ends_on
    entries = {e.item_id: e for e in n.entries.all()}
    assert entries[a.pk].amount_yuan == Decimal("120000.00") and entries[b.pk].amount_yuan == Decimal(
        "80000.00"
    )
    assert entries[a.pk].project_name == "智能化改造项目" and entries[a.pk].clause == "3.1.1"
    assert sorted(e.position for e in entries.values()) == [1, 2]
    assert AuditEvent.objects.filter(event="notice_publish", object_id=str(n.pk)).exists()
    settings.JIGAI_NOTICE_PERIOD_DAYS = 10
    c = propose(users["office"], ProjectFactory(enterprise__region=a.region), "1000.00")
    approved(users, c)
    n2 = publish(users, [c])
    assert n2.ends_on == START + dt.timedelta(days=9) and n2.serial == 2


def test_only_approved_items_and_only_the_office_publish(users, items):
    a, _b = items
    pending = propose(users["office"], ProjectFactory(), "5000.00")
    with pytest.raises(ValidationError) as exc:
        publish(users, [a, pending])
    assert "items" in exc.value.errors and "已批准" in exc.value.errors["items"][0]
    assert state(a) == S.APPROVED and not Notice.objects.exists()  # nothing half-written
    with pytest.raises(ValidationError) as exc:
        publish(users, [a], title=" ")
    assert "title" in exc.value.errors
    with pytest.raises(PermissionDeniedError):
        services.notice_publish(user=users["finance"], items=[a], title="x", starts_on=START, at=AT)
    publish(users, [a])
    with pytest.raises(ValidationError):
        publish(users, [a])  # already on notice


def test_the_public_page_opens_without_login_and_shows_no_personal_data(client, users, items):
    a, b = items
    n = publish(users, [a, b])
    services.objection_record(
        user=users["office"], entry=n.entries.get(item=a), raised_by="李四", contact="13800000000",
        content="该企业设备系租赁", received_on=START, at=AT,
    )  # fmt: skip
    r = client.get(f"/public/notices/{n.pk}/")
    assert r.status_code == 200
    page = r.content.decode()
    assert a.enterprise.name in page and "智能化改造项目" in page and "120,000.00" in page and "3.1.1" in page
    assert "200,000.00" in page  # amounts grouped as everywhere else (jigai_format yuan), with the total
    assert n.ref in page and "2020年3月8日" in page  # dates with their year, as the office writes them
    for secret in (PRIVATE, PHONE, a.enterprise.credit_code, "李四", "13800000000", "租赁", "office"):
        assert secret not in page, secret
    lst = client.get("/public/notices/")
    assert lst.status_code == 200 and n.title in lst.content.decode()
    doc = client.get(f"/public/notices/{n.pk}/notice.docx")
    assert doc.status_code == 200 and doc["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get("/public/notices/999999/").status_code == 404


def test_only_the_public_pages_are_open_without_login(client, users, items):
    a, _b = items
    n = publish(users, [a])
    o = services.objection_record(
        user=users["office"],
        entry=n.entries.get(),
        raised_by="李四",
        content="异议",
        received_on=START,
        at=AT,
    )
    for url in ("/notices/", f"/notices/{n.pk}/", f"/notices/{n.pk}/notice.docx"):
        r = client.get(url)
        assert r.status_code == 302 and "/accounts/login/" in r["Location"], url
    for url in (
        f"/notices/{n.pk}/objections/",
        f"/notices/objections/{o.pk}/resolve/",
        f"/notices/{n.pk}/end/",
    ):
        r = client.post(url, {"on": "2020-03-20", "version": 1, "upheld": "1", "resolution": "x"})
        assert r.status_code == 302 and "/accounts/login/" in r["Location"], url
    assert client.get("/api/v1/notices").status_code == 401
    assert client.get("/attachments/1/").status_code == 302
    assert state(a) == S.OBJECTION
    assert Objection.objects.get().open


def test_the_notice_docx_is_an_official_document_with_every_line(users, items, client_for):
    from jigai.documents import inspect as docx_inspect

    a, b = items
    n = publish(users, [a, b])
    r = client_for("office").get(f"/notices/{n.pk}/notice.docx")
    assert r.status_code == 200
    data = r.content
    assert docx_inspect.title(data).text.replace("\n", "") == "关于2019年度技术改造奖补资金拟拨付名单的公示"
    (table,) = docx_inspect.tables(data)
    assert table[0] == ["序号", "县市", "企业名称", "项目名称", "奖补类别", "金额"]
    assert sorted(row[5] for row in table[1:]) == ["120000.00", "80000.00"]
    body = "".join(docx_inspect.body_texts(data))
    assert "2020年3月2日至2020年3月8日" in body and "200000.00元" in body
    assert PRIVATE not in body and PHONE not in body
    assert AuditEvent.objects.filter(event="export", object_id=str(n.pk)).exists()


def test_an_objection_blocks_payment_until_resolved(users, items):
    a, b = items
    n = publish(users, [a, b])
    entry = n.entries.get(item=a)
    o1 = services.objection_record(
        user=users["office"], entry=entry, raised_by="李四", contact="13800000000",
        content="设备系租赁", received_on=START + dt.timedelta(days=2), at=AT + dt.timedelta(days=2),
    )  # fmt: skip
    o2 = services.objection_record(
        user=users["office"], entry=entry, raised_by="王五", content="发票重复",
        received_on=START + dt.timedelta(days=3), at=AT + dt.timedelta(days=3),
    )  # fmt: skip
    assert state(a) == S.OBJECTION
    end_day = START + dt.timedelta(days=7)
    services.notice_end(user=users["office"], notice=n, on=end_day, at=AT + dt.timedelta(days=7))
    assert state(a) == S.OBJECTION and state(b) == S.PAYABLE
    with pytest.raises(ConflictError, match="待拨付"):
        pay(users, a, "prefecture")
    # One objection dismissed, the other still open: still not payable.
    services.objection_resolve(
        user=users["office"], objection=o1, upheld=False, resolution="核查购置合同与发票，设备为自购", at=AT
    )
    assert state(a) == S.OBJECTION
    with pytest.raises(ValidationError) as exc:
        services.objection_resolve(user=users["office"], objection=o2, upheld=False, resolution=" ", at=AT)
    assert "resolution" in exc.value.errors
    services.objection_resolve(
        user=users["office"], objection=o2, upheld=False, resolution="发票号不同，非重复", at=AT
    )
    assert state(a) == S.PAYABLE  # the period had ended: straight to 待拨付
    pay(users, a, "prefecture")
    o1.refresh_from_db()
    assert o1.upheld is False and o1.resolved_by == users["office"] and o1.raised_by == "李四"
    with pytest.raises(ConflictError):
        services.objection_resolve(user=users["office"], objection=o1, upheld=True, resolution="x", at=AT)
    assert AuditEvent.objects.filter(event="objection_record").count() == 2
    assert AuditEvent.objects.filter(event="objection_resolve", object_type="notices.objection").count() == 2


def test_an_upheld_objection_refuses_the_item_and_frees_its_budget(users, items):
    a, _b = items
    n = publish(users, [a])
    o = services.objection_record(
        user=users["office"],
        entry=n.entries.get(),
        raised_by="李四",
        content="项目未实际建成",
        received_on=START,
        at=AT,
    )
    services.objection_resolve(
        user=users["office"], objection=o, upheld=True, resolution="经现场核查属实", at=AT
    )
    assert state(a) == S.REJECTED
    services.notice_end(user=users["office"], notice=n, on=START + dt.timedelta(days=30), at=AT)
    assert state(a) == S.REJECTED
    with pytest.raises(ConflictError):
        pay(users, a, "prefecture")


def test_objections_only_within_the_period_and_while_open(users, items):
    a, _b = items
    n = publish(users, [a])
    entry = n.entries.get()
    with pytest.raises(ValidationError) as exc:
        services.objection_record(
            user=users["office"], entry=entry, raised_by="李四", content="x",
            received_on=START + dt.timedelta(days=7), at=AT + dt.timedelta(days=8),
        )  # fmt: skip
    assert "received_on" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        services.objection_record(
            user=users["office"], entry=entry, raised_by="", content="", received_on=START, at=AT
        )
    assert {"raised_by", "content"} <= set(exc.value.errors)
    with pytest.raises(PermissionDeniedError):
        services.objection_record(
            user=users["clerk"], entry=entry, raised_by="x", content="x", received_on=START, at=AT
        )
    assert state(a) == S.NOTICE and not Objection.objects.exists()


def test_the_period_ends_on_a_date_not_before(users, items):
    a, b = items
    n = publish(users, [a, b])
    with pytest.raises(ValidationError) as exc:
        services.notice_end(user=users["office"], notice=n, on=n.ends_on, at=AT)
    assert "on" in exc.value.errors and "2020-03-09" in exc.value.errors["on"][0]
    assert state(a) == S.NOTICE
    out = io.StringIO()
    call_command("notices", "close", "--date", "2020-03-08", "--user", "office", stdout=out)
    assert "共结束 0 个公示" in out.getvalue() and state(a) == S.NOTICE
    call_command("notices", "close", "--date", "2020-03-09", "--user", "office", stdout=out)
    assert state(a) == S.PAYABLE and state(b) == S.PAYABLE
    n.refresh_from_db()
    assert (
        n.state == NoticeState.ENDED and n.ended_on == dt.date(2020, 3, 9) and n.ended_by == users["office"]
    )
    ev = AuditEvent.objects.get(event="notice_end", object_type="notices.notice", object_id=str(n.pk))
    assert ev.source == "command" and ev.username == "office"
    with pytest.raises(ConflictError):
        services.notice_end(user=users["office"], notice=n, on=dt.date(2020, 4, 1), at=AT)
    with pytest.raises(CommandError):
        call_command("notices", "close", "--date", "2020-13-01", "--user", "office")


def test_pages_publish_record_resolve_and_end(users, items, client_for):
    a, b = items
    today = timezone.localdate()
    day = dt.timedelta(days=1)
    c = client_for("office")
    page = c.get("/notices/").content.decode()
    assert a.enterprise.name in page and "发布公示" in page
    r = c.post(
        "/notices/", {"title": "第一批", "starts_on": today.isoformat(), "days": 7, "items": [a.pk, b.pk]}
    )
    n = Notice.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/notices/{n.pk}/"
    entry = n.entries.get(item=a)
    r = c.post(
        f"/notices/{n.pk}/objections/",
        {
            "entry": entry.pk,
            "raised_by": "李四",
            "contact": "138",
            "received_on": today.isoformat(),
            "content": "设备系租赁",
        },
    )
    assert r.status_code == 302 and state(a) == S.OBJECTION
    detail = c.get(f"/notices/{n.pk}/").content.decode()
    assert "李四" in detail and "待处理" in detail and "登记处理结果" in detail
    o = Objection.objects.get()
    c.post(f"/notices/objections/{o.pk}/resolve/", {"upheld": "0", "resolution": "核查无误"})
    assert state(a) == S.NOTICE
    r = c.post(
        f"/notices/{n.pk}/end/", {"on": (today + 6 * day).isoformat(), "version": n.version}, follow=True
    )
    assert "须在其后" in r.content.decode() and state(a) == S.NOTICE
    c.post(f"/notices/{n.pk}/end/", {"on": (today + 7 * day).isoformat(), "version": n.version})
    assert state(a) == S.PAYABLE and state(b) == S.PAYABLE


def test_the_api_follows_the_same_rules(users, items, client_for):
    a, b = items
    today = timezone.localdate()
    day = dt.timedelta(days=1)
    c = client_for("office")
    r = c.post(
        "/api/v1/notices",
        {"title": "第一批", "item_ids": [a.pk, b.pk], "starts_on": today.isoformat()},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    entry = next(e for e in body["entries"] if e["item_id"] == a.pk)
    r = c.post(
        f"/api/v1/notices/{body['id']}/objections",
        {"entry_id": entry["id"], "raised_by": "李四", "received_on": today.isoformat(), "content": "异议"},
        content_type="application/json",
    )
    assert r.status_code == 201 and state(a) == S.OBJECTION
    oid = next(e for e in r.json()["entries"] if e["item_id"] == a.pk)["objections"][0]["id"]
    r = c.post(
        f"/api/v1/notices/{body['id']}/end",
        {"on": (today + 6 * day).isoformat()},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "on"
    r = c.post(
        f"/api/v1/notices/{body['id']}/end",
        {"on": (today + 7 * day).isoformat()},
        content_type="application/json",
    )
    assert r.status_code == 200 and state(b) == S.PAYABLE and state(a) == S.OBJECTION
    r = c.post(
        f"/api/v1/objections/{oid}/resolve",
        {"upheld": False, "resolution": "不成立"},
        content_type="application/json",
    )
    assert r.status_code == 200 and state(a) == S.PAYABLE
    c = client_for("finance")
    assert c.get(f"/api/v1/notices/{body['id']}").status_code == 200
    r = c.post(
        "/api/v1/notices",
        {"title": "x", "item_ids": [a.pk], "starts_on": today.isoformat()},
        content_type="application/json",
    )
    assert r.status_code == 403


@pytest.mark.parametrize(
    ("role", "view", "publish_", "objection"),
    [
        ("office", True, True, True),
        ("finance", True, False, False),
        ("clerk", True, False, False),
        ("leader", True, False, False),
        ("enterprise", False, False, False),
        ("bank", False, False, False),
        ("auditor", False, False, False),
        ("security_admin", False, False, False),
        ("sysadmin", False, False, False),
    ],
)
def test_role_by_operation(users, items, client_for, role, view, publish_, objection):
    assert can(users[role], "notice.view") is view
    assert can(users[role], "notice.publish") is publish_
    assert can(users[role], "notice.objection") is objection
    n = publish(users, [items[0]])
    c = client_for(role)
    assert c.get(f"/notices/{n.pk}/").status_code == (200 if view else 403)
    assert c.get(f"/public/notices/{n.pk}/").status_code == 200  # public whoever asks


def test_a_clerk_sees_objections_of_their_own_unit_only(users, items, client_for):
    a, _b = items
    far = Region.objects.get(code="422802")
    allocate(users["finance"], 2019, "1000000", region=far)
    x = propose(users["office"], ProjectFactory(enterprise__region=far), "1000.00")
    approved(users, x)
    n = publish(users, [a, x])
    for item, who in ((a, "本县异议人"), (x, "外县异议人")):
        services.objection_record(
            user=users["office"],
            entry=n.entries.get(item=item),
            raised_by=who,
            content="异议",
            received_on=START,
            at=AT,
        )
    page = client_for("clerk").get(f"/notices/{n.pk}/").content.decode()
    assert "本县异议人" in page and "外县异议人" not in page


def test_to_do_items_for_the_office(users, items):
    a, b = items
    assert not [t for t in todos_for(users["office"], START) if t.key.startswith("notices.")]
    n = publish(users, [a, b])
    services.objection_record(
        user=users["office"],
        entry=n.entries.get(item=a),
        raised_by="李四",
        content="x",
        received_on=START,
        at=AT,
    )
    keys = {t.key for t in todos_for(users["office"], START + dt.timedelta(days=8))}
    assert f"notices.notice.{n.pk}.end" in keys and any(k.endswith(".resolve") for k in keys)
    assert not any(t.key.startswith("notices.") for t in todos_for(users["finance"], START))
    assert make_user("c2", Role.CLERK, region=a.region) and not [
        t for t in todos_for(users["clerk"], START) if t.key.startswith("notices.")
    ]


def test_the_demo_publishes_approved_items_with_objections(users, county):
    from jigai.notices import demo

    allocate(users["finance"], 2019, "10000000")
    allocate(users["finance"], 2019, "10000000", region=county)
    items = [propose(users["office"], ProjectFactory(enterprise__region=county), "1000.00") for _ in range(7)]
    approved(users, *items)
    now = timezone.now()
    assert demo.build(seed=1, now=now) == {"notices": 2}
    first, second = Notice.objects.order_by("pk")
    assert first.state == NoticeState.ENDED and first.ended_on < timezone.localdate(now)
    assert second.state == NoticeState.OPEN and second.starts_on < timezone.localdate(now)
    states = sorted(state(i) for i in items)
    assert states == sorted([S.PAYABLE, S.PAYABLE, S.REJECTED, S.OBJECTION, S.NOTICE, S.NOTICE, S.APPROVED])
    assert Objection.objects.filter(upheld__isnull=True).count() == 1
    assert not AuditEvent.objects.filter(at__gt=now + dt.timedelta(minutes=1)).exists()


def test_the_date_fields_render_iso_dates_a_date_input_accepts(users, items, client_for, settings):
    """<input type="date"> takes only YYYY-MM-DD: in the zh-CN locale's format (2020/03/20) the browser
    shows it empty and, the field being required, refuses to submit the publish form."""
    settings.LANGUAGE_CODE = "zh-hans"
    c = client_for("office")
    today = timezone.localdate()
    page = c.get("/notices/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert f'name="starts_on" value="{today:%Y-%m-%d}"' in page
    c.post(
        "/notices/", {"title": "第一批", "starts_on": today.isoformat(), "days": 7, "items": [items[0].pk]}
    )
    n = Notice.objects.get()
    page = c.get(f"/notices/{n.pk}/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert f'name="received_on" value="{today:%Y-%m-%d}"' in page
    assert f'name="on" value="{n.ends_on + dt.timedelta(days=1):%Y-%m-%d}"' in page


def test_published_in_english_the_notice_keeps_its_chinese_and_its_errors_read_in_english(users, items):
    """The entries are the official notice's lines (Chinese whatever the publisher's language); the
    service's refusals read in the language of the request (issue 14 point 13)."""
    from django.utils import translation

    a, _b = items
    with translation.override("en"):
        n = publish(users, [a])
        with pytest.raises(ValidationError) as exc:
            services.objection_record(
                user=users["office"],
                entry=n.entries.get(),
                raised_by="",
                content="",
                received_on=START,
                at=AT,
            )
        after = n.ends_on + dt.timedelta(days=1)
        services.notice_end(user=users["office"], notice=n, on=after, at=AT + dt.timedelta(days=9))
        with pytest.raises(ConflictError) as ended:
            services.notice_end(user=users["office"], notice=n, on=after, at=AT + dt.timedelta(days=9))
    assert n.entries.get().clause_label == "3.1.1 技改奖补"
    assert exc.value.errors["raised_by"] == ["Enter the objector (organisation or person)"]
    assert exc.value.errors["content"] == ["Enter the objection"]
    assert str(ended.value) == f"{n.ref} has already ended"


def test_an_objection_received_today_is_taken_after_beijing_midnight(users, items):
    """At 01:30 in Beijing it is still the day before in UTC: the day the office received an objection
    is Beijing's today, not a day in the future (core.dates.local_date)."""
    a, _b = items
    n = publish(users, [a], title="第一批", starts_on=START)
    # Beijing 2020-03-04 01:30 is UTC 2020-03-03 17:30, and timezone.now() is in UTC.
    late = timezone.make_aware(dt.datetime(2020, 3, 4, 1, 30)).astimezone(dt.UTC)
    assert late.date() == dt.date(2020, 3, 3)
    o = services.objection_record(
        user=users["office"], entry=n.entries.get(), raised_by="李四", content="异议",
        received_on=dt.date(2020, 3, 4), at=late,
    )  # fmt: skip
    assert o.received_on == dt.date(2020, 3, 4)
