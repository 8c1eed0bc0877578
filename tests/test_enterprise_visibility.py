"""An enterprise sees its own projects and monthly reports, and nothing addressed to the governments:
not the monthly bulletin (every unit's and enterprise's figures, problems and late reports), statistics,
rankings, interviews or warnings (issue 11, point 7; docs/security.md, 访问控制).

The table names every page and API operation of the dispatch and the assessment, so that a new one
cannot be added without deciding what an enterprise gets from it.
"""

import pytest

from jigai.api.api import api
from jigai.assessment import services as assessment_services
from jigai.assessment import urls as assessment_urls
from jigai.assessment.models import InterviewCase
from jigai.assessment.periods import Period
from jigai.assessment.tests.factories import AT, june_2019
from jigai.dispatch import services
from jigai.dispatch import urls as dispatch_urls
from jigai.dispatch.tests.helpers import bj, project, report, stat

pytestmark = pytest.mark.django_db

OK, DENIED, MISSING = 200, 403, 404
NOT_ALLOWED = 405  # a GET to a POST-only page

# (method, route as declared, address with the fixture's ids, what the enterprise gets)
PAGES = [
    ("GET", "/dispatch/", "/dispatch/?month=2019-06", OK),  # its own projects only (checked below)
    ("GET", "/dispatch/<int:year>/<int:month>/report/", "/dispatch/2019/6/report/", OK),
    ("GET", "/dispatch/<int:year>/<int:month>/reports.xlsx", "/dispatch/2019/6/reports.xlsx", DENIED),
    ("GET", "/dispatch/reports/<id:pk>/", "/dispatch/reports/{mine_r}/", OK),
    ("GET", "/dispatch/reports/<id:pk>/", "/dispatch/reports/{other_r}/", MISSING),
    ("GET", "/dispatch/statistics/<int:year>/<int:month>/", "/dispatch/statistics/2019/6/", DENIED),
    ("GET", "/dispatch/import/<slug:table>/", "/dispatch/import/progress/", DENIED),
    ("GET", "/dispatch/import/<slug:table>/template.xlsx", "/dispatch/import/progress/template.xlsx", DENIED),
    ("GET", "/dispatch/bulletins/", "/dispatch/bulletins/", DENIED),
    ("GET", "/dispatch/bulletins/<id:pk>/", "/dispatch/bulletins/{bulletin}/", DENIED),
    ("GET", "/dispatch/bulletins/<id:pk>/bulletin.docx", "/dispatch/bulletins/{bulletin}/bulletin.docx", DENIED),
    ("GET", "/dispatch/bulletins/<id:pk>/bulletin.xlsx", "/dispatch/bulletins/{bulletin}/bulletin.xlsx", DENIED),
    ("POST", "/dispatch/bulletins/<id:pk>/correct/", "/dispatch/bulletins/{bulletin}/correct/", DENIED),
    ("GET", "/dispatch/bulletins/draft/<int:year>/<int:month>/", "/dispatch/bulletins/draft/2019/6/", DENIED),
    ("GET", "/dispatch/bulletins/draft/<int:year>/<int:month>/", "/dispatch/bulletins/draft/2019/6/?format=xlsx", DENIED),
    ("POST", "/dispatch/bulletins/draft/<int:year>/<int:month>/publish/", "/dispatch/bulletins/draft/2019/7/publish/", DENIED),
    ("GET", "/assessment/", "/assessment/", DENIED),
    ("GET", "/assessment/targets/", "/assessment/targets/?year=2019", DENIED),
    ("POST", "/assessment/targets/figure/", "/assessment/targets/figure/", DENIED),
    ("GET", "/assessment/rankings/", "/assessment/rankings/?period=2019Q2", DENIED),
    ("POST", "/assessment/rankings/<str:period>/publish/", "/assessment/rankings/2019Q3/publish/", DENIED),
    ("GET", "/assessment/interviews/", "/assessment/interviews/", DENIED),
    ("GET", "/assessment/interviews/<id:pk>/", "/assessment/interviews/{case}/", DENIED),
    ("GET", "/assessment/interviews/<id:pk>/notice.docx", "/assessment/interviews/{case}/notice.docx", DENIED),
    ("POST", "/assessment/interviews/<id:pk>/notify/", "/assessment/interviews/{case}/notify/", DENIED),
    ("POST", "/assessment/interviews/<id:pk>/record/", "/assessment/interviews/{case}/record/", DENIED),
    ("POST", "/assessment/interviews/<id:pk>/follow-up/", "/assessment/interviews/{case}/follow-up/", DENIED),
    ("POST", "/assessment/interviews/<id:pk>/close/", "/assessment/interviews/{case}/close/", DENIED),
    ("GET", "/assessment/leaders/", "/assessment/leaders/?year=2019", DENIED),
    ("GET", "/assessment/warning/", "/assessment/warning/?year=2019&month=5", DENIED),
    ("GET", "/assessment/accountability/", "/assessment/accountability/", DENIED),
    ("GET", "/assessment/meeting-pack/", "/assessment/meeting-pack/", DENIED),
]  # fmt: skip

API = [
    ("GET", "/api/v1/dispatch/reports", "/api/v1/dispatch/reports?year=2019&month=6", OK),  # its own only
    ("GET", "/api/v1/dispatch/reports/{pk}", "/api/v1/dispatch/reports/{mine_r}", OK),
    ("GET", "/api/v1/dispatch/reports/{pk}", "/api/v1/dispatch/reports/{other_r}", MISSING),
    ("GET", "/api/v1/dispatch/status", "/api/v1/dispatch/status?year=2019&month=6", DENIED),
    ("GET", "/api/v1/dispatch/statistics", "/api/v1/dispatch/statistics?year=2019&month=6", DENIED),
    ("PUT", "/api/v1/dispatch/statistics", "/api/v1/dispatch/statistics", DENIED),
    ("GET", "/api/v1/dispatch/bulletins", "/api/v1/dispatch/bulletins", DENIED),
    ("POST", "/api/v1/dispatch/bulletins", "/api/v1/dispatch/bulletins", DENIED),
    ("GET", "/api/v1/dispatch/bulletins/{pk}", "/api/v1/dispatch/bulletins/{bulletin}", DENIED),
    ("GET", "/api/v1/dispatch/bulletins/{pk}/bulletin.docx", "/api/v1/dispatch/bulletins/{bulletin}/bulletin.docx", DENIED),
    ("GET", "/api/v1/dispatch/bulletins/{pk}/bulletin.xlsx", "/api/v1/dispatch/bulletins/{bulletin}/bulletin.xlsx", DENIED),
    ("POST", "/api/v1/dispatch/bulletins/{pk}/corrections", "/api/v1/dispatch/bulletins/{bulletin}/corrections", DENIED),
    ("GET", "/api/v1/assessment/rankings/{period}", "/api/v1/assessment/rankings/2019Q2", DENIED),
    ("POST", "/api/v1/assessment/rankings/{period}/publish", "/api/v1/assessment/rankings/2019Q3/publish", DENIED),
    ("GET", "/api/v1/assessment/interviews", "/api/v1/assessment/interviews", DENIED),
    ("GET", "/api/v1/assessment/interviews/{pk}", "/api/v1/assessment/interviews/{case}", DENIED),
    ("GET", "/api/v1/assessment/warning", "/api/v1/assessment/warning?year=2019&month=5", DENIED),
    ("GET", "/api/v1/assessment/targets", "/api/v1/assessment/targets?year=2019", DENIED),
    ("GET", "/api/v1/assessment/targets/programme", "/api/v1/assessment/targets/programme?year=2019", DENIED),
    ("GET", "/api/v1/assessment/accountability", "/api/v1/assessment/accountability", DENIED),
]  # fmt: skip
# Valid bodies, so that the answer is about who asks, not about what was sent.
BODIES = {
    "/api/v1/dispatch/statistics": '{"region_code": "422801", "year": 2019, "month": 6, '
    '"industrial_investment_ytd_yuan": "1.00", "tech_investment_ytd_yuan": "1.00"}',
    "/api/v1/dispatch/bulletins": '{"year": 2019, "month": 7}',
    "/api/v1/dispatch/bulletins/{bulletin}/corrections": '{"reason": "更正"}',
    "/api/v1/assessment/rankings/2019Q3/publish": '{"basis": "cumulative"}',
}
# Operations an enterprise uses to report its own projects; their answers are tested in dispatch/tests.
REPORTING = {("POST", "/api/v1/dispatch/reports"), ("PATCH", "/api/v1/dispatch/reports/{pk}")}


@pytest.fixture
def world(users):
    mine = project("422801", name="本企业项目", enterprise=users["_own_enterprise"])
    other = project("422801", name="同县他企项目")
    mine_r = report(users["clerk"], mine, 2019, 6, 10, 100)
    other_r = report(users["clerk"], other, 2019, 6, 10, 100, problems="他企的问题：资金未到位")
    stat("422801", 2019, 6, 300, 100)
    stat("422802", 2019, 6, 300, 100)
    bulletin = services.bulletin_publish(
        user=users["office"], year=2019, month=6, at=bj(2019, 7, 10), issue_date=bj(2019, 7, 10).date()
    )
    june_2019()
    assessment_services.ranking_publish(
        user=users["office"], period=Period.parse("2019Q2"), basis="cumulative", at=AT
    )
    case = InterviewCase.objects.order_by("id").first()
    ids = {"mine_r": mine_r.pk, "other_r": other_r.pk, "bulletin": bulletin.pk, "case": case.pk}
    return {"ids": ids, "other": other, "bulletin": bulletin}


def _routes_declared() -> set[tuple[str, str]]:
    routes = {("/dispatch/" + str(p.pattern)) for p in dispatch_urls.urlpatterns}
    routes |= {("/assessment/" + str(p.pattern)) for p in assessment_urls.urlpatterns}
    operations = {
        (method.upper(), path)
        for path, ops in api.get_openapi_schema()["paths"].items()
        if path.startswith(("/api/v1/dispatch/", "/api/v1/assessment/"))
        for method in ops
    }
    return {("PAGE", r) for r in routes} | operations


def test_the_table_names_every_dispatch_and_assessment_route():
    listed = {("PAGE", route) for _m, route, _u, _s in PAGES}
    listed |= {(method, route) for method, route, _u, _s in API} | REPORTING
    assert _routes_declared() - listed == set()


@pytest.mark.parametrize(("method", "route", "address", "expected"), PAGES + API)
def test_an_enterprise_gets_only_what_is_meant_for_it(client_for, world, method, route, address, expected):
    kwargs = {}
    if method in ("PUT", "POST"):
        kwargs = {"content_type": "application/json", "data": BODIES.get(address, "{}")}
    r = client_for("enterprise").generic(method, address.format(**world["ids"]), **kwargs)
    assert r.status_code == expected, r.content[:300]
    if expected != OK:
        body = r.content.decode("utf-8", "replace")
        assert world["other"].name not in body and "他企的问题" not in body


def test_the_enterprises_dispatch_page_lists_its_own_projects_and_no_bulletin(client_for, world):
    page = client_for("enterprise").get("/dispatch/?month=2019-06").content.decode()
    assert "本企业项目" in page
    assert world["other"].name not in page and world["bulletin"].document_number not in page
    assert "已发布的月通报" not in page
    reports = client_for("enterprise").get("/api/v1/dispatch/reports?year=2019&month=6").json()
    assert [r["project_name"] for r in reports] == ["本企业项目"]


@pytest.mark.parametrize("role", ["office", "finance", "clerk", "leader"])
def test_the_governments_still_read_the_bulletin(client_for, world, role):
    c = client_for(role)
    pk = world["bulletin"].pk
    assert world["bulletin"].document_number in c.get("/dispatch/?month=2019-06").content.decode()
    assert c.get(f"/dispatch/bulletins/{pk}/").status_code == 200
    assert c.get(f"/api/v1/dispatch/bulletins/{pk}").json()["snapshot"]["period"]["key"] == "2019-06"


def test_a_refused_enterprise_is_recorded(client_for, world):
    from jigai.core.models import AuditEvent

    client_for("enterprise").get(f"/dispatch/bulletins/{world['bulletin'].pk}/")
    assert AuditEvent.objects.filter(event="access_denied", outcome="failure").exists()
