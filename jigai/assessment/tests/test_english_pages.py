"""Every page of 月通报 and 考核督办, the statistics and report pages read in English in the English
interface: on the demo, no Chinese is left outside data values (names of units, enterprises, projects and
people, document numbers, what people typed) and the record texts a page marks ``lang="zh-Hans"`` (a frozen
ranking's explanation, a bulletin's body). Official documents stay Chinese in either interface."""

import json
import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from jigai.assessment.models import FollowUp, InterviewCase, InterviewRecord, UnitLeader
from jigai.core.models import Region
from jigai.core.tests.english import DOCUMENT_NUMBER, HAN, visible_text
from jigai.core.tests.test_i18n import switch
from jigai.dispatch.models import Bulletin, ProgressReport
from jigai.registry.models import Enterprise, Project


def data_values() -> list[str]:
    """The Chinese that is data: names and what people typed, longest first so parts are not left over."""
    values: set[str] = set()
    values.update(Region.objects.values_list("name", flat=True))
    values.update(Region.objects.values_list("short_name", flat=True)) if hasattr(
        Region, "short_name"
    ) else None
    values.update(Enterprise.objects.values_list("name", flat=True))
    for f in ("name", "progress_text", "problems", "department_asked"):
        values.update(Project.objects.values_list(f, flat=True)) if hasattr(Project, f) else None
    for f in ("progress_text", "problems", "department_asked", "submitted_by_name"):
        values.update(ProgressReport.objects.values_list(f, flat=True))
    for f in ("deputy_name", "deputy_title", "principal_name", "principal_title"):
        values.update(UnitLeader.objects.values_list(f, flat=True))
    for f in ("principal_name", "principal_title", "deputy_name", "deputy_title", "notice_number",
              "scheduled_text", "closing_note"):  # fmt: skip
        values.update(InterviewCase.objects.values_list(f, flat=True))
    for f in ("place", "interviewer", "attendees", "commitments"):
        values.update(InterviewRecord.objects.values_list(f, flat=True))
    values.update(FollowUp.objects.values_list("content", flat=True))
    values.update(FollowUp.objects.values_list("submitted_by_name", flat=True))
    values.update(b.document_number for b in Bulletin.objects.all())
    values.update(Bulletin.objects.values_list("number_prefix", flat=True))
    values.update(Bulletin.objects.values_list("published_by_name", flat=True))
    values.update(Bulletin.objects.values_list("correction_reason", flat=True))
    User = get_user_model()
    for f in ("display_name", "username", "first_name", "last_name"):
        if hasattr(User, f):
            values.update(User.objects.values_list(f, flat=True))
    return sorted((v for v in values if v and HAN.search(v)), key=len, reverse=True)


@pytest.fixture(autouse=True)
def _chinese_after_each_test():
    yield
    translation.deactivate()


@pytest.mark.django_db
def test_every_bulletin_and_assessment_page_reads_in_english_on_the_demo(demo_data):
    from django.test import Client

    office = get_user_model().objects.filter(role="office").first()
    c = Client()
    c.force_login(office)
    switch(c, "en", "/dispatch/")
    bulletin = Bulletin.objects.order_by("pk").first()
    case = InterviewCase.objects.order_by("pk").first()
    report = ProgressReport.objects.order_by("pk").first()
    pages = [
        f"/dispatch/bulletins/{bulletin.pk}/",
        f"/dispatch/bulletins/draft/{bulletin.year}/{bulletin.month}/",
        f"/dispatch/statistics/{bulletin.year}/{bulletin.month}/",
        f"/dispatch/reports/{report.pk}/",
        "/assessment/",
        f"/assessment/targets/?year={bulletin.year}",
        "/assessment/rankings/",
        "/assessment/interviews/",
        f"/assessment/interviews/{case.pk}/",
        "/assessment/leaders/",
        "/assessment/warning/",
        "/assessment/accountability/",
        "/assessment/meeting-pack/",
        f"/dispatch/{report.year}/{report.month}/report/?unit={report.region.code}",
    ]
    values = data_values()
    left = {}
    for url in pages:
        r = c.get(url)
        assert r.status_code == 200, url
        html = r.content.decode()
        assert '<html lang="en">' in html, url
        text = visible_text(html)
        for v in values:
            text = text.replace(v, "")
        text = DOCUMENT_NUMBER.sub("", text).replace("简体中文", "")  # the language switch names itself
        han = [text[max(m.start() - 30, 0) : m.end() + 30] for m in HAN.finditer(text)]
        if han:
            left[url] = han
    # The charts' titles, legends and axes too (their JSON is outside the visible text).
    html = c.get(f"/dispatch/bulletins/{bulletin.pk}/").content.decode()
    charts = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    charts = json.dumps(json.loads(charts), ensure_ascii=False)
    for v in values:
        charts = charts.replace(v, "")
    assert not HAN.findall(charts), HAN.findall(charts)
    html = c.get(f"/assessment/targets/?year={bulletin.year}").content.decode()
    series = [unescape(s) for s in re.findall(r'data-series="([^"]*)"', html)]
    assert series and not any(HAN.search(s) for s in series), series
    assert not left, "\n".join(f"{url}: {han}" for url, han in left.items())
    # the official documents stay Chinese in the English interface
    r = c.get(f"/dispatch/bulletins/{bulletin.pk}/bulletin.docx")
    assert r.status_code == 200
