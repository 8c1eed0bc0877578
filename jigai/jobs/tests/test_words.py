"""A job's words on the jobs pages (issue 14, points 12 and 13): stored in Chinese whatever the language
of the page that started it, shown in the language of the page that reads it; a text the catalogue does
not know is marked as Chinese; the person who started it by name; colours by meaning."""

import datetime as dt
import re

import pytest
from django.utils import timezone, translation

from jigai.core.tests.english import chinese_left, people_and_places
from jigai.core.tests.test_i18n import switch
from jigai.jobs import wording
from jigai.jobs.models import Job, JobState
from jigai.jobs.tasks import UNEXPECTED

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _chinese_after_each_test(settings, tmp_path):
    settings.JIGAI_JOBS_DIR = str(tmp_path / "jobs")
    yield
    translation.deactivate()


def _job(user, **kw) -> Job:
    values = {
        "kind": "remind",
        "title": "发送待办提醒",
        "user": user,
        "created": NOW,
        "summary": "整个数据库",
    }
    return Job.objects.create(**{**values, **kw})


def test_a_job_started_in_english_stores_chinese_and_reads_in_either_language(client_for, users):
    office = users["office"]
    office.display_name = "王科长"
    office.save()
    c = client_for("office")
    switch(c, "en", "/jobs/")
    assert "Start: Send to-do reminders" in c.get("/jobs/").content.decode()
    c.post("/jobs/new/remind/")
    job = Job.objects.get(kind="remind")
    assert job.state == JobState.DONE and job.title == "发送待办提醒" and job.message == "已完成"
    today = timezone.localdate()
    assert job.result_json["message"].startswith(f"{today.year}年{today.month}月{today.day}日：检查 ")
    assert today.isoformat() not in job.result_json["message"]  # a date as the office writes it

    html = c.get(f"/jobs/{job.pk}/").content.decode()
    assert "Send to-do reminders" in html and "users checked" in html and "Done" in html
    assert "started by 王科长" in html and "started by office" not in html
    assert not chinese_left(html, people_and_places())
    status = c.get(f"/jobs/{job.pk}/status.json").json()
    assert status["title"] == "Send to-do reminders" and status["message"] == "Done"
    assert status["state_label"] == "Done"

    switch(c, "zh-hans", "/jobs/")
    html = c.get(f"/jobs/{job.pk}/").content.decode()
    assert "发送待办提醒" in html and "发起人 王科长" in html and "检查 " in html


def test_a_failure_reads_in_english_and_an_unknown_reason_is_marked_chinese(client_for, users):
    office = users["office"]
    crashed = _job(office, state=JobState.FAILED, error=UNEXPECTED, message="失败")
    refused = _job(
        office, state=JobState.FAILED, error="数据截至日期之后没有统计数据，无法生成", message="失败"
    )
    c = client_for("office")
    switch(c, "en", "/jobs/")
    html = c.get(f"/jobs/{crashed.pk}/").content.decode()
    assert "An unexpected error occurred" in html and not chinese_left(html, people_and_places())
    html = c.get(f"/jobs/{refused.pk}/").content.decode()
    assert 'lang="zh-Hans">数据截至日期之后没有统计数据，无法生成</span>' in html
    assert not chinese_left(html, people_and_places())


def test_the_job_list_is_amber_for_nothing_red_for_a_failure_green_when_done(client_for, users):
    office = users["office"]
    for state in (JobState.QUEUED, JobState.RUNNING, JobState.DONE, JobState.FAILED):
        _job(office, state=state)
    html = client_for("office").get("/jobs/").content.decode()
    tags = dict(
        (label, cls) for cls, label in re.findall(r'<td><span class="(tag[^"]*)">([^<]*)</span></td>', html)
    )
    assert tags == {"排队中": "tag", "进行中": "tag", "已完成": "tag done", "失败": "tag late"}


def test_the_patterns_rebuild_texts_with_figures_in_english():
    with translation.override("en"):
        assert wording.shown("正在读取并检查：已读 1200 行") == ("Reading and checking: 1200 rows read", "")
        assert wording.shown("2019年第二季度，数据截至 2019年7月20日") == (
            "Q2 2019, data as of 20 July 2019",
            "",
        )
        assert wording.shown("2026年12月7日的待办提醒") == ("To-do reminders of 7 December 2026", "")
        assert wording.shown("关于2019年6月全州技改项目推进情况的通报") == (
            "关于2019年6月全州技改项目推进情况的通报",
            "zh-Hans",
        )
    assert wording.shown("正在读取并检查：已读 1200 行") == ("正在读取并检查：已读 1200 行", "")
