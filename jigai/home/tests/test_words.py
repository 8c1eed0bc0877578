"""Words and colours of the homes, the to-do page and the reminders (issue 14, points 12 and 13): amber
only for what is at risk, red for what is late; reminders read in the interface's language while e-mail
and text messages stay Chinese; to-do titles follow the language of the request."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone, translation

from conftest import EnterpriseFactory, ProjectFactory
from jigai.core import todo
from jigai.core.tests.test_i18n import switch
from jigai.home import services
from jigai.home.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese_after_each_test():
    yield
    translation.deactivate()


@pytest.fixture
def clerk_item(users, region):
    """The clerk's May 2019 monthly report is missing: due 5 June 2019."""
    ProjectFactory(enterprise=EnterpriseFactory(region=region), status="construction",
                   actual_start_date=dt.date(2019, 3, 1))  # fmt: skip
    clerk = users["clerk"]
    clerk.email = "clerk@example.org"
    clerk.save()
    return clerk


def _status_tag(html: str) -> str:
    row = re.search(r'<tr class="[^"]*" data-key="dispatch\.report\.422801\.2019-05">(.*?)</tr>', html, re.S)
    return re.findall(r'<span class="(tag[^"]*)">([^<]*)</span>', row.group(1))[-1]


def test_the_to_do_page_is_amber_only_when_an_item_falls_due_soon_and_red_when_late(client_for, clerk_item):
    c = client_for("clerk")
    assert _status_tag(c.get("/todo/?date=2019-06-01").content.decode()) == ("tag", "待办")  # due in 4 days
    assert _status_tag(c.get("/todo/?date=2019-06-04").content.decode()) == ("tag risk", "即将到期")
    assert _status_tag(c.get("/todo/?date=2019-06-06").content.decode()) == ("tag late", "已逾期")


def test_an_overdue_deadline_on_the_home_page_is_a_red_tag(client_for, clerk_item):
    html = client_for("clerk").get("/?date=2019-06-10").content.decode()
    part = html.split('id="deadlines"', 1)[1].split("</section>", 1)[0]
    assert re.search(r'<li class="overdue">.*2019年6月5日 · <span class="tag late">已逾期</span>', part, re.S)


def test_to_do_titles_follow_the_language_of_the_request(clerk_item):
    day = dt.date(2019, 6, 4)
    with translation.override("en"):
        (item,) = todo.todos_for(clerk_item, day)
        assert item.title == "Submit the monthly progress reports for 5/2019: 恩施市, not reported: 1"
        assert item.actor == "恩施市 clerk" and item.detail == "Due 5 June 2019"
    (item,) = todo.todos_for(clerk_item, day)
    assert item.title == "报送2019年5月项目月调度：恩施市 1 个项目未报" and item.actor == "恩施市经办人"


def test_a_reminder_keeps_both_titles_and_e_mail_stays_chinese(clerk_item, settings, client_for):
    settings.JIGAI_REMIND_EMAIL = True
    with translation.override("en"):  # started from an English page (the job): still Chinese where sent
        services.remind(day=dt.date(2019, 6, 4), at=timezone.now())
    note = Notification.objects.get()
    assert note.title == "报送2019年5月项目月调度：恩施市 1 个项目未报"
    assert note.title_en == "Submit the monthly progress reports for 5/2019: 恩施市, not reported: 1"
    (message,) = mail.outbox
    assert "技改通待办提醒" in message.subject and "报送2019年5月项目月调度" in message.body
    assert "Submit" not in message.body

    from jigai.api.tests.test_errors import bearer

    (listed,) = client_for("clerk").get("/api/v1/home/notifications", **bearer(clerk_item)).json()["items"]
    assert (listed["title"], listed["title_en"]) == (note.title, note.title_en)

    c = client_for("clerk")
    html = c.get("/notifications/").content.decode()
    assert note.title in html and note.title_en not in html
    # Unread is information, not a warning: the plain tag, not amber.
    assert '<span class="tag">未读</span>' in html and "tag risk" not in html
    switch(c, "en", "/notifications/")
    html = c.get("/notifications/").content.decode()
    assert note.title_en in html and note.title not in html and 'lang="zh-Hans"' not in html
    # A reminder made before English titles were kept shows its Chinese, marked as Chinese.
    Notification.objects.filter(pk=note.pk).update(title_en="")
    html = c.get("/notifications/").content.decode()
    assert f'lang="zh-Hans">{note.title}</a>' in html


def test_an_overdue_reminder_says_so_in_red(clerk_item, client_for):
    services.remind(day=dt.date(2019, 6, 10), at=timezone.now())
    html = client_for("clerk").get("/notifications/").content.decode()
    assert re.search(r'<li class="unread overdue">.*<span class="tag late">已逾期</span>', html, re.S)


def test_the_cockpit_names_the_ranking_s_period_in_words_not_its_code(client_for, users):
    from jigai.assessment import services as assessment_services
    from jigai.assessment.periods import Period
    from jigai.assessment.tests.factories import AT, june_2019
    from jigai.core.tests.english import visible_text

    june_2019()
    assessment_services.ranking_publish(
        user=users["office"], period=Period.parse("2019Q2"), basis="cumulative", at=AT
    )
    c = client_for("leader")
    text = visible_text(c.get("/").content.decode())
    assert "最新排名 2019年第二季度" in text and "2019Q2" not in text
    switch(c, "en", "/")
    text = visible_text(c.get("/").content.decode())
    assert "Latest ranking Q2 2019" in text and "2019Q2" not in text


def test_the_month_is_named_once_beside_the_monthly_report_figure(client_for, clerk_item):
    html = client_for("clerk").get("/?date=2019-06-04").content.decode()
    assert "月调度已报（2019年5月）" in html and "月月调度" not in html
