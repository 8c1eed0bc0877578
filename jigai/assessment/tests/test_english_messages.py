"""Domain errors and page messages of 考核督办 and 月通报 read in the request's language (msgids Chinese,
named placeholders); the official documents stay Chinese in the English interface."""

import pytest
from django.utils import translation

from jigai.assessment import services
from jigai.assessment.models import InterviewCase
from jigai.assessment.periods import Period
from jigai.core.errors import NotFoundError, StaleEditError, ValidationError
from jigai.core.tests.test_i18n import switch
from jigai.dispatch import services as dispatch_services
from jigai.documents import inspect

from .factories import AT, june_2019

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese_after_each_test():
    yield
    translation.deactivate()


@pytest.fixture
def case(users):
    june_2019()
    services.ranking_publish(user=users["office"], period=Period.parse("2019Q2"), basis="cumulative", at=AT)
    return InterviewCase.objects.select_related("region").get(region__code="422828")


def test_default_messages_follow_the_language_where_raised():
    with translation.override("en"):
        assert StaleEditError().messages() == [
            "Someone else has changed this record and your page is out of date. Open it again before editing "
            "so you do not overwrite their change."
        ]
        assert "does not exist" in NotFoundError().message
        assert ValidationError({"x": ["金额不能为负数"]}).errors == {"x": ["金额不能为负数"]}  # as given
    with translation.override("zh-hans"):
        assert StaleEditError().message.startswith("该记录已被他人修改")
        assert NotFoundError().message == "记录不存在或无权访问"


def test_the_interview_pages_refuse_in_english_and_in_chinese(client_for, case):
    c = client_for("office")
    switch(c, "en", f"/assessment/interviews/{case.pk}/")
    # No leaders recorded: the notice is refused, with the unit's name as data.
    r = c.post(f"/assessment/interviews/{case.pk}/notify/", {"version": case.version, "notice_date": "2019-07-12"},
               follow=True)  # fmt: skip
    page = r.content.decode()
    assert (
        f"Record the names and titles in the county and city leaders list first: {case.region.name}, 2019: "
        "Principal leader, Leader in charge" in page
    )
    assert "请先登记" not in page
    # Recording an interview not yet notified: the statuses and the action in English.
    r = c.post(f"/assessment/interviews/{case.pk}/record/", {
        "version": case.version, "held_date": "2019-07-20", "place": "州政府", "interviewer": "副州长",
        "attendees": "张三", "commitments": "转正", "follow_up_deadline_date": "2019-08-20",
    }, follow=True)  # fmt: skip
    page = r.content.decode()
    assert "The interview is “To notify”; “Record the interview” needs it to be “Notified”" in page
    # Publishing the same ranking again.
    r = c.post("/assessment/rankings/2019Q2/publish/", {"basis": "cumulative"}, follow=True)
    page = r.content.decode()
    assert "is already published; a published ranking cannot be changed" in page and "Q2 2019" in page
    switch(c, "zh-hans", f"/assessment/interviews/{case.pk}/")
    r = c.post(f"/assessment/interviews/{case.pk}/notify/", {"version": case.version, "notice_date": "2019-07-12"},
               follow=True)  # fmt: skip
    assert (
        f"请先登记{case.region.name}2019年的主要领导、分管领导姓名和职务（县市领导名单）"
        in r.content.decode()
    )


def test_the_notice_stays_chinese_in_the_english_interface(client_for, case):
    c = client_for("office")
    switch(c, "en", f"/assessment/interviews/{case.pk}/")
    r = c.get(f"/assessment/interviews/{case.pk}/notice.docx")
    assert r.status_code == 200
    text = "\n".join(inspect.body_texts(r.content))
    assert "2019年第二季度" in text and "Q2" not in text


def test_the_bulletin_publish_errors_read_in_english(client_for, users):
    c = client_for("office")
    switch(c, "en", "/dispatch/bulletins/draft/2019/6/")
    r = c.post("/dispatch/bulletins/draft/2019/6/publish/", {"issue_date": ""}, follow=True)
    assert "Enter the date of issue" in r.content.decode() and "请填写成文日期" not in r.content.decode()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        dispatch_services.bulletin_publish(user=users["office"], year=2019, month=8, at=AT)
    assert refused.value.errors == {"month": ["8/2019 has not ended; its bulletin cannot be published yet"]}
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        dispatch_services.bulletin_publish(user=users["office"], year=2019, month=8, at=AT)
    assert refused.value.errors == {"month": ["2019年8月尚未结束，不能发布该月通报"]}
