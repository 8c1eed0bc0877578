"""`jigai remind`: a notification per to-do item, user and day; e-mail and the SMS hook when switched on
(off by default); a second run the same day sends nothing; reading one is the user's own business."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from conftest import EnterpriseFactory, ProjectFactory
from jigai.core.errors import NotFoundError
from jigai.core.models import AuditEvent
from jigai.home import services
from jigai.home.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk_item(users, region):
    ProjectFactory(enterprise=EnterpriseFactory(region=region), status="construction",
                   actual_start_date=dt.date(2019, 3, 1))  # fmt: skip
    clerk = users["clerk"]
    clerk.email = "clerk@example.org"
    clerk.save()
    return clerk


def run(*args) -> str:
    out = io.StringIO()
    call_command("remind", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_remind_notifies_every_items_actor_once_a_day(clerk_item, users):
    out = run("--date", "2019-06-04")
    assert "新提醒 1 条" in out
    (note,) = Notification.objects.all()
    assert note.user == clerk_item and note.day == dt.date(2019, 6, 4)
    assert note.key == "dispatch.report.422801.2019-05" and note.due == dt.date(2019, 6, 5)
    assert note.title == "报送2019年5月项目月调度：恩施市 1 个项目未报" and not note.read
    # Off by default: no e-mail.
    assert mail.outbox == [] and not note.emailed
    assert "新提醒 0 条" in run("--date", "2019-06-04") and Notification.objects.count() == 1
    # The next day the item, still open, is a new reminder.
    run("--date", "2019-06-05")
    assert Notification.objects.filter(user=clerk_item).count() == 2
    assert AuditEvent.objects.filter(event="reminders_sent").count() == 3
    assert AuditEvent.objects.filter(object_type="home.notification", event="create").count() == 2


def test_the_database_refuses_a_second_notification_of_the_same_item_and_day(clerk_item):
    run("--date", "2019-06-04")
    note = Notification.objects.get()
    with pytest.raises(IntegrityError):
        Notification.objects.create(
            user=note.user, key=note.key, day=note.day, title="x", url="/", created=note.created
        )


def test_a_bad_date_is_refused_in_chinese(db):
    with pytest.raises(CommandError, match="不是日期"):
        run("--date", "2019-02-30")
    with pytest.raises(CommandError, match="2000—2100"):
        run("--date", "1999-12-31")


def test_email_is_sent_when_switched_on(clerk_item, settings):
    settings.JIGAI_REMIND_EMAIL = True
    run("--date", "2019-06-04")
    (message,) = mail.outbox
    assert message.to == ["clerk@example.org"] and "2019年6月4日" in message.subject
    assert "报送2019年5月项目月调度" in message.body and "期限 2019年6月5日" in message.body
    assert Notification.objects.get().emailed
    run("--date", "2019-06-04")
    assert len(mail.outbox) == 1  # at most once per item and day


class _Gateway(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.headers["Content-Type"], json.loads(body.decode("utf-8"))))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    _Gateway.received, _Gateway.status = [], 200
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/sms", _Gateway
    server.shutdown()
    server.server_close()


def test_the_sms_hook_posts_to_the_gateway_when_set(clerk_item, settings, gateway):
    url, handler = gateway
    settings.JIGAI_REMIND_SMS_URL = url
    run("--date", "2019-06-04")
    ((content_type, payload),) = handler.received
    assert content_type.startswith("application/json")
    assert payload["username"] == "clerk" and payload["day"] == "2019-06-04"
    assert payload["keys"] == ["dispatch.report.422801.2019-05"] and "1 项新的待办" in payload["text"]
    assert Notification.objects.get().texted
    run("--date", "2019-06-04")
    assert len(handler.received) == 1


def test_a_failing_gateway_is_reported_and_the_in_app_notification_stands(clerk_item, settings, gateway):
    url, handler = gateway
    handler.status = 500
    settings.JIGAI_REMIND_SMS_URL = url
    err = io.StringIO()
    call_command("remind", "--date", "2019-06-04", stdout=io.StringIO(), stderr=err)
    assert "发送失败：短信 clerk" in err.getvalue()
    note = Notification.objects.get()
    assert not note.texted
    settings.JIGAI_REMIND_SMS_URL = "file:///etc/passwd"
    result = services.remind(day=dt.date(2019, 6, 5), at=note.created)
    assert result.texts == 0 and "http://" in result.failures[0]


def test_a_user_reads_the_own_notifications_only(clerk_item, users, client_for):
    run("--date", "2019-06-04")
    note = Notification.objects.get()
    with pytest.raises(NotFoundError):
        services.notification_read(user=users["office"], notification_id=note.pk, at=note.created)
    client = client_for("office")
    assert client.post(f"/notifications/{note.pk}/read/").status_code == 404
    client = client_for("clerk")
    page = client.get("/notifications/").content.decode()
    assert "报送2019年5月项目月调度" in page and "未读" in page
    assert '<span class="count">1</span>' in client.get("/").content.decode()
    response = client.post(f"/notifications/{note.pk}/read/", {"go": "1"})
    assert response.status_code == 302 and response["Location"] == "/dispatch/2019/5/report/"
    note.refresh_from_db()
    assert note.read and note.read_at is not None
    assert client.post("/notifications/read-all/").status_code == 302


def test_the_api_lists_the_users_to_dos_and_notifications_and_reads_its_own(clerk_item, users, client):
    from jigai.api.tests.test_errors import bearer

    body = client.get("/api/v1/home/todos?date=2019-06-10", **bearer(clerk_item)).json()
    assert body["count"] == 1 and body["overdue"] == 1
    (item,) = body["items"]
    assert item["key"] == "dispatch.report.422801.2019-05" and item["due"] == "2019-06-05" and item["overdue"]
    assert client.get("/api/v1/home/todos?date=1999-01-01", **bearer(clerk_item)).status_code == 400
    assert client.get("/api/v1/home/todos?date=2019-06-10", **bearer(users["leader"])).json()["count"] == 0
    run("--date", "2019-06-04")
    note = Notification.objects.get()
    listed = client.get("/api/v1/home/notifications", **bearer(clerk_item)).json()
    assert listed["unread"] == 1 and listed["items"][0]["id"] == note.pk
    assert (
        client.post(f"/api/v1/home/notifications/{note.pk}/read", **bearer(users["office"])).status_code
        == 404
    )
    r = client.post(f"/api/v1/home/notifications/{note.pk}/read", **bearer(clerk_item))
    assert r.status_code == 200 and r.json()["read"] is True
