"""Pages and API: who sees what, publishing through the page and the API, a clerk's own unit only."""

import datetime as dt

import pytest

from jigai.assessment import services
from jigai.assessment.models import CaseStatus, InterviewCase, Ranking, UnitLeader
from jigai.assessment.periods import Period
from jigai.core.models import Region

from .factories import AT, june_2019, stats

pytestmark = pytest.mark.django_db

PAGES = [
    "/assessment/", "/assessment/targets/?year=2019&as_of=2019-07-15", "/assessment/rankings/?period=2019Q2",
    "/assessment/rankings/?period=2019H2&basis=single", "/assessment/interviews/", "/assessment/leaders/?year=2019",
    "/assessment/warning/?year=2019&month=5", "/assessment/accountability/?as_of=2019-08-01",
]  # fmt: skip


@pytest.mark.parametrize("role", ["office", "finance", "clerk", "leader"])
@pytest.mark.parametrize("url", PAGES)
def test_every_assessment_page_opens_for_the_roles_with_assessment_view(client_for, role, url):
    june_2019()
    r = client_for(role).get(url)
    assert r.status_code == 200, r.content.decode()[:500]


@pytest.mark.parametrize("role", ["enterprise", "bank", "auditor", "sysadmin"])
def test_other_roles_are_refused(client_for, role):
    assert client_for(role).get("/assessment/rankings/").status_code == 403
    assert client_for(role).get("/api/v1/assessment/rankings/2019Q2").status_code == 403


def test_the_ranking_page_shows_the_figures_and_the_reading_behind_each_rank(client_for):
    june_2019()
    html = client_for("leader").get("/assessment/rankings/?period=2019Q2").content.decode()
    assert "鹤峰县" in html and "-3.00%" in html and "解读10" in html and "后两位" in html
    assert "发布" not in html.split("发布后将启动的约谈")[1] if "发布后将启动的约谈" in html else True
    assert "约谈主要领导" not in html or "主要领导（分管领导参加）" in html


def test_the_office_publishes_from_the_ranking_page_and_the_page_then_shows_the_frozen_ranking(client_for):
    june_2019()
    c = client_for("office")
    page = c.get("/assessment/rankings/?period=2019Q2").content.decode()
    assert "发布2019年第二季度及2019年上半年排名" in page
    r = c.post("/assessment/rankings/2019Q2/publish/", {"basis": "cumulative"}, follow=True)
    assert "已发布2019年第二季度、2019年上半年排名（已冻结），启动约谈 2 件" in r.content.decode()
    html = c.get("/assessment/rankings/?period=2019H1").content.decode()
    assert "排名已冻结" in html and "发布2019年" not in html
    r = c.post("/assessment/rankings/2019Q2/publish/", {"basis": "single"}, follow=True)
    assert "不能修改或重新发布" in r.content.decode()
    assert Ranking.objects.count() == 2


def test_only_the_office_may_publish_through_the_page(client_for):
    june_2019()
    assert (
        client_for("leader").post("/assessment/rankings/2019Q2/publish/", {"basis": "cumulative"}).status_code
        == 403
    )
    assert not Ranking.objects.exists()


@pytest.fixture
def cases(users):
    june_2019()
    services.ranking_publish(user=users["office"], period=Period.parse("2019Q2"), basis="cumulative", at=AT)
    return {c.region.code: c for c in InterviewCase.objects.select_related("region")}


def test_a_clerk_sees_only_the_own_units_interviews(client_for, users, cases):
    mine = cases["422828"]
    users["clerk"].region = mine.region
    users["clerk"].save()
    c = client_for("clerk")
    other = cases["422827"]
    assert c.get(f"/assessment/interviews/{mine.pk}/").status_code == 200
    for url in (f"/assessment/interviews/{other.pk}/", f"/assessment/interviews/{other.pk}/notice.docx",
                f"/api/v1/assessment/interviews/{other.pk}"):  # fmt: skip
        assert c.get(url).status_code == 404, url
    listed = c.get("/api/v1/assessment/interviews").json()
    assert [x["region_code"] for x in listed] == ["422828"]
    assert "来凤县" not in c.get("/assessment/interviews/").content.decode()


def test_the_office_runs_an_interview_through_the_pages(client_for, cases):
    case = cases["422828"]
    UnitLeader.objects.create(region=case.region, year=2019, deputy_name="李四", deputy_title="副县长",
                              principal_name="张三", principal_title="县长")  # fmt: skip
    c = client_for("office")
    r = c.post(f"/assessment/interviews/{case.pk}/notify/", {"version": case.version, "notice_date": "2019-07-12",
                                                               "scheduled_text": "7月20日"})  # fmt: skip
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED and case.notice_number == "恩施州技改办〔2019〕1号"
    r = c.get(f"/assessment/interviews/{case.pk}/notice.docx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in r["Content-Disposition"]
    r = c.post(f"/assessment/interviews/{case.pk}/record/", {
        "version": case.version, "held_date": "2019-07-20", "place": "州政府", "interviewer": "副州长",
        "attendees": "张三、李四", "commitments": "三季度转正", "follow_up_deadline_date": "2019-08-20",
    })  # fmt: skip
    case.refresh_from_db()
    assert case.status == CaseStatus.HELD
    page = c.get(f"/assessment/interviews/{case.pk}/").content.decode()
    assert "三季度转正" in page and "报送整改情况" in page


def test_the_leaders_list_is_kept_per_unit_and_year(client_for):
    c = client_for("office")
    data = {"year": "2019"}
    for r in Region.objects.filter(level="unit"):
        data[f"{r.code}-deputy_name"] = f"{r.short_name}副"
        data[f"{r.code}-principal_name"] = f"{r.short_name}正"
    assert c.post("/assessment/leaders/", data).status_code == 302
    assert UnitLeader.objects.filter(year=2019).count() == 9
    assert client_for("leader").post("/assessment/leaders/", data).status_code == 403


def test_the_ranking_api_gives_every_unit_with_its_figures(client_for):
    june_2019()
    body = client_for("clerk").get("/api/v1/assessment/rankings/2019Q2?basis=cumulative").json()
    assert body["published"] is False and len(body["rows"]) == 9
    last = body["rows"][-1]
    assert {k: last[k] for k in ("region_code", "growth_pct", "rank", "bottom", "flags")} == {
        "region_code": "422828", "growth_pct": "-3.00", "rank": 9, "bottom": True, "flags": [],
    }  # fmt: skip
    assert (
        last["current_yuan"] == "9700000.00"
        and last["base_yuan"] == "10000000.00"
        and "解读10" in last["explanation"]
    )
    bad = client_for("clerk").get("/api/v1/assessment/rankings/2019Q5")
    assert bad.status_code == 400 and "考核期间" in bad.json()["detail"]


def test_publishing_through_the_api_is_for_the_office_only(client_for):
    june_2019()
    r = client_for("finance").post("/api/v1/assessment/rankings/2019Q2/publish", {"basis": "cumulative"},
                                   content_type="application/json")  # fmt: skip
    assert r.status_code == 403
    r = client_for("office").post("/api/v1/assessment/rankings/2019Q2/publish", {"basis": "cumulative"},
                                  content_type="application/json")  # fmt: skip
    assert r.status_code == 201 and r.json() == {"published": ["2019Q2", "2019H1"], "cases": 2}
    again = client_for("office").post("/api/v1/assessment/rankings/2019H1/publish", {"basis": "cumulative"},
                                      content_type="application/json")  # fmt: skip
    assert again.status_code == 409
    body = client_for("leader").get("/api/v1/assessment/rankings/2019H1").json()
    assert body["published"] is True


def test_the_warning_targets_and_accountability_apis_answer(client_for):
    june_2019()
    c = client_for("leader")
    warning = c.get("/api/v1/assessment/warning?year=2019&month=6").json()
    assert [w["period"] for w in warning] == ["2019Q2", "2019H1"] and warning[0]["final"] is True
    targets = c.get("/api/v1/assessment/targets?year=2019&as_of=2019-07-01").json()
    assert {t["clause"] for t in targets} == {"2.1.a", "2.1.b", "2.1.c", "2.2.a", "2.2.b"}
    assert c.get(f"/api/v1/assessment/accountability?as_of={dt.date(2019, 8, 1)}").status_code == 200


def test_the_targets_page_and_api_show_each_programme_year_against_the_year_before(client_for):
    # 2.1.a 年增长 (issue 13, point 9): 2019 grew 10 % on 2018, shown as such, not as a 年均 from 2017.
    units = ["422801", "422802", "422822", "422823", "422825", "422826", "422827", "422828", "GXQ"]
    for year, amount in ((2017, 10_000_000), (2018, 15_000_000), (2019, 16_500_000), (2020, 19_800_000)):
        stats(year, 12, dict.fromkeys(units, amount))
    c = client_for("leader")
    html = c.get("/assessment/targets/?year=2020&as_of=2021-01-15").content.decode()
    assert "比上年增长" in html and "10.00%" in html and "比2018年全年" in html and "年均增长" not in html
    rows = c.get("/api/v1/assessment/targets/programme?year=2020&as_of=2021-01-15").json()
    tech = [(r["scope"], r["actual"], r["status"]) for r in rows if r["label"].startswith("技改")]
    assert tech == [
        ("2018年", "50.00%", "done"),
        ("2019年", "10.00%", "missed"),
        ("2020年", "20.00%", "done"),
    ]


def test_the_meeting_pack_downloads_for_the_leading_group_not_for_a_clerk(client_for):
    june_2019()
    r = client_for("leader").get("/assessment/meeting-pack/?period=2019Q2&as_of=2019-07-20&download=1")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client_for("clerk").get("/assessment/meeting-pack/").status_code == 403


def test_a_day_outside_the_months_the_platform_knows_is_refused_by_the_api_and_ignored_by_the_pages(
    client_for,
):
    # Found by the API fuzzer: as_of=0146-05-01 reached dispatch.periods.Month, which refused it with a 500.
    c = client_for("office")
    for url in ("/api/v1/assessment/accountability?as_of=0146-05-01",
                "/api/v1/assessment/targets?year=2019&as_of=2101-01-01"):  # fmt: skip
        r = c.get(url)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "as_of", url
    assert c.get("/api/v1/assessment/accountability?as_of=2000-01-01").status_code == 200
    for url in (
        "/assessment/accountability/?as_of=0146-05-01",
        "/assessment/targets/?year=2019&as_of=9999-12-31",
    ):
        assert c.get(url).status_code == 200, url
