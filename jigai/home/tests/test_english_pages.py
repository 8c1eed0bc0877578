"""The homes, the leader's cockpit, the to-do page, the reminders and the background jobs read in English
in the English interface (issue 14, point 13): on the demo, each of the nine roles logs in, switches to
English and reads these pages with no Chinese left outside data values (names, what people typed,
document numbers) and the record texts a page marks ``lang="zh-Hans"``. The Chinese interface reads as
before."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from jigai.accounts.models import Role
from jigai.core.tests.english import chinese_left, people_and_places, values_of
from jigai.core.tests.test_i18n import switch
from jigai.home.models import Notification
from jigai.jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese_after_each_test():
    yield
    translation.deactivate()


def _values() -> set[str]:
    """Data values the to-do titles and the figures carry: names, meeting titles and decisions (the
    title holds the first 40 characters), technologies, batch titles, departments, return reasons."""
    from jigai.champions.models import Declaration
    from jigai.finance.models import Bank
    from jigai.funds.models import Batch
    from jigai.incentives.models import Application
    from jigai.support.models import ApprovalItem, FollowUp, Meeting

    values = people_and_places()
    values |= values_of(Meeting, "title") | values_of(ApprovalItem, "department")
    values |= values_of(FollowUp, "decision") | {d[:40] for d in values_of(FollowUp, "decision")}
    values |= values_of(Declaration, "technology", "return_reason") | values_of(Batch, "title")
    values |= {str(b) for b in Bank.objects.all()} | values_of(Bank, "name", "short_name")
    values |= {r[:200] for r in values_of(Application, "return_reasons")}
    return values


def test_every_role_reads_its_home_to_do_reminders_and_jobs_in_english_on_the_demo(demo_data):
    values = _values()
    User = get_user_model()
    left: dict[str, list[str]] = {}
    seen_roles = set()
    for role in Role.values:
        user = User.objects.filter(role=role, is_active=True).order_by("id").first()
        assert user is not None, role
        c = Client()
        c.force_login(user)
        switch(c, "en", "/")
        pages = ["/", "/todo/", "/notifications/", "/jobs/", "/?date=2021-01-31", "/todo/?date=2021-01-31"]
        pages += [f"/jobs/{j.pk}/" for j in Job.objects.filter(user=user).order_by("pk")[:3]]
        for url in pages:
            r = c.get(url)
            assert r.status_code == 200, (role, url)
            html = r.content.decode()
            assert '<html lang="en">' in html, (role, url)
            found = chinese_left(html, values)
            if found:
                left[f"{role} {url}"] = found
        seen_roles.add(role)
        if role == Role.LEADER:
            html = c.get("/").content.decode()
            assert 'id="cockpit"' in html and "Cockpit" in html and "Prefecture targets against time" in html
    assert len(seen_roles) == 9
    # A bad date's message reads in English too.
    c = Client()
    c.force_login(User.objects.get(username="office"))
    switch(c, "en", "/")
    html = c.get("/todo/?date=2019-13-40").content.decode()
    assert "is not recognised" in html
    left.update({"office bad date": found} if (found := chinese_left(html, values)) else {})
    assert not left, "\n".join(f"{k}: {v}" for k, v in left.items())

    # The reminders the demo sent carry both titles; the demo's jobs stored their words in Chinese.
    assert Notification.objects.exclude(title_en="").exists()
    assert not Notification.objects.filter(title_en="").exists()
    assert Job.objects.filter(title="生成联席会议材料", message="已完成").exists()

    # The Chinese interface reads as before.
    switch(c, "zh-hans", "/")
    html = c.get("/").content.decode()
    assert "我的待办" in html and "本月期限" in html and "关注的数字" in html
    html = c.get("/jobs/").content.decode()
    assert "生成联席会议材料" in html and "已完成" in html
