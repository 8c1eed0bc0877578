"""Every page of 企业服务 reads in English in the English interface, for each role that uses it: on the demo,
the office, a county clerk who is also a project secretary, and an enterprise user see no Chinese outside
data values (names, what people typed, document numbers) and the record texts a page marks
``lang="zh-Hans"`` (a filing's frozen reasons, the 3.3 determination). No page shows an ISO date. The
filing receipt, the minutes and the approval-item export stay Chinese in either interface; the Chinese
interface reads as before."""

import io
import re
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from jigai.core.tests.english import chinese_left, people_and_places, values_of, visible_text
from jigai.core.tests.test_i18n import switch
from jigai.registry.models import Project
from jigai.support.models import ApprovalItem, Filing, FollowUp, Land, Meeting, Secretary

ISO_DATE = re.compile(r"\b(19|20)\d\d-\d\d-\d\d\b")


@pytest.fixture(autouse=True)
def _chinese_after_each_test():
    yield
    translation.deactivate()


def data_values() -> set[str]:
    """Names and what people typed. Not the items' departments and notes: the demo's are the platform's
    defaults (州环保局, 第3.5条：环评…), which the pages translate."""
    values = people_and_places()
    values |= values_of(Project, "leader_name", "leader_title")
    values |= values_of(Filing, "content") | values_of(Secretary, "phone")
    values |= values_of(Meeting, "title", "chair", "participants", "problems")
    values |= values_of(FollowUp, "decision", "result")
    # a meeting's problems and participants are shown line by line
    values |= {line for v in values_of(Meeting, "problems", "participants") for line in v.splitlines()}
    return values


def _english_client(username: str) -> Client:
    c = Client()
    c.force_login(get_user_model().objects.get(username=username))
    switch(c, "en", "/support/")
    return c


def _read(c: Client, url: str, values, left: dict, *, data=None, status=200) -> str:
    r = c.post(url, data, follow=True) if data is not None else c.get(url)
    assert r.status_code == status, (url, r.status_code)
    html = r.content.decode()
    assert '<html lang="en">' in html, url
    if url.startswith("/projects/"):  # the registry's page: only the block this app renders into it
        html = re.search(r'<section class="support-block".*?</section>', html, re.S).group()
    han = chinese_left(html, values)
    if han:
        left[url + (" (POST)" if data is not None else "")] = han
    iso = ISO_DATE.findall(visible_text(html))
    assert not iso, (url, "ISO date on the page")
    return html


@pytest.mark.django_db
def test_every_support_page_reads_in_english_for_every_role_on_the_demo(demo_data):
    values = data_values()
    left: dict[str, list[str]] = {}
    eligible = Filing.objects.filter(outcome="eligible").order_by("pk").first()
    ordinary = Filing.objects.exclude(outcome="eligible").order_by("pk").first()
    consultation = Meeting.objects.filter(kind="consultation").order_by("pk").first()
    visit = Meeting.objects.filter(kind="contact_point").order_by("pk").first()
    land = Land.objects.order_by("pk").first()
    with_items = ApprovalItem.objects.filter(state="in_progress").order_by("pk").first().project
    open_followup = FollowUp.objects.filter(done_date__isnull=True).order_by("pk").first()

    # 州项目办 (office): every page, forms and their error states.
    c = _english_client("office")
    for url in (
        "/support/",
        "/support/mine/",
        "/support/filings/",
        "/support/filings/new/",
        f"/support/filings/{eligible.pk}/",
        f"/support/filings/{ordinary.pk}/",
        "/support/meetings/",
        "/support/meetings/new/",
        f"/support/meetings/{consultation.pk}/",
        f"/support/meetings/{visit.pk}/",
        f"/support/projects/{land.project_id}/",
        f"/support/projects/{with_items.pk}/",
        f"/projects/{land.project_id}/",  # the registry's project page with its enterprise-services block
        f"/projects/{with_items.pk}/",
        *(f"/support/projects/{pk}/" for pk in Land.objects.values_list("project_id", flat=True)),
    ):
        _read(c, url, values, left)
    page = _read(c, "/support/filings/new/", values, left, data={"project": "0", "new_land_area_m2": "-1"})
    assert "Choose one from the list" in page and "Required" in page
    page = _read(c, "/support/meetings/new/", values, left, data={"kind": "x", "d0-decision": "协调"})
    assert 'class="errorlist"' in page
    p = land.project_id
    page = _read(c, f"/support/projects/{p}/secretary/", values, left, data={"secretary": "", "phone": " "})
    assert "Choose one" in page
    page = _read(
        c, f"/support/projects/{p}/land/", values, left,
        data={"land_kind": "existing", "area_m2": "1", "plot_ratio_before": "1", "plot_ratio_after": "2",
              "acquisition": "lease_then_transfer", "approval": "pending", "application_date": "2020-01-02",
              "version": str(land.version)},
    )  # fmt: skip
    assert "they do not apply to existing land" in page
    item = ApprovalItem.objects.filter(project=with_items).order_by("pk").first()
    page = _read(
        c, f"/support/items/{item.pk}/", values, left,
        data={f"i{item.pk}-state": "done", f"i{item.pk}-department": "州环保局",
              f"i{item.pk}-time_limit_days": "5", f"i{item.pk}-version": str(item.version)},
    )  # fmt: skip
    assert "A completed item needs its completion date" in page
    page = _read(
        c, f"/support/followups/{open_followup.pk}/close/", values, left,
        data={f"f{open_followup.pk}-done_date": "2000-01-03", f"f{open_followup.pk}-result": "已落实",
              f"f{open_followup.pk}-version": str(open_followup.version)},
    )  # fmt: skip
    assert "cannot be before the meeting" in page

    # A county clerk, secretary of their county's key projects: the overview, my projects, a project.
    clerk = get_user_model().objects.get(username="clerk_422801")
    served = Secretary.objects.filter(user=clerk).order_by("pk").first().project
    assert served.region_id == clerk.region_id
    c = _english_client("clerk_422801")
    for url in (
        "/support/",
        "/support/mine/",
        "/support/filings/",
        "/support/meetings/",
        f"/support/meetings/{consultation.pk}/",
        f"/support/projects/{served.pk}/",
        f"/projects/{served.pk}/",
    ):
        _read(c, url, values, left)

    # An enterprise user: their projects with secretary and items, online filing (form, result, receipt).
    c = _english_client(eligible.filed_by.username)
    for url in (
        "/support/",
        "/support/filings/",
        "/support/filings/new/",
        f"/support/filings/{eligible.pk}/",
        f"/support/projects/{eligible.project_id}/",
        f"/projects/{eligible.project_id}/",
    ):
        _read(c, url, values, left)
    values.add("新建厂房")
    page = _read(
        c, "/support/filings/new/", values, left,
        data={"project": str(eligible.project_id), "filing_date": "2020-05-06", "project_type": "new_build",
              "new_land_area_m2": "100", "content": "新建厂房"},
    )  # fmt: skip
    assert "does not qualify for zero-approval online filing" in page

    assert not left, "\n".join(f"{url}: {han}" for url, han in left.items())

    # The official documents stay Chinese in the English interface.
    c = _english_client("office")
    r = c.get(f"/support/filings/{eligible.pk}/receipt.docx")
    assert r.status_code == 200
    body = zipfile.ZipFile(io.BytesIO(r.content)).read("word/document.xml").decode()
    assert "予以备案" in body
    for url in (
        f"/api/v1/support/filings/{eligible.pk}/receipt.docx",
        f"/support/filings/{eligible.pk}/receipt.docx",
    ):
        body = zipfile.ZipFile(io.BytesIO(c.get(url).content)).read("word/document.xml").decode()
        assert "设备更新改造" in body and "Equipment renewal" not in body, url
    r = c.get(f"/support/meetings/{consultation.pk}/minutes.docx")
    body = zipfile.ZipFile(io.BytesIO(r.content)).read("word/document.xml").decode()
    assert "议定事项" in body and "项目会商" in body
    r = c.get(f"/api/v1/support/meetings/{consultation.pk}/minutes.docx")
    body = zipfile.ZipFile(io.BytesIO(r.content)).read("word/document.xml").decode()
    assert "项目会商" in body and "Project consultation meeting" not in body
    r = c.get("/support/items.xlsx")
    rows = list(load_workbook(io.BytesIO(r.content), read_only=True).active.iter_rows(values_only=True))
    assert any(row and "报送单位" in row for row in rows)
    assert any(row and "已办结" in row for row in rows)

    # The Chinese interface reads as before.
    c = Client()
    c.force_login(get_user_model().objects.get(username="office"))
    switch(c, "zh-hans", "/support/")
    page = c.get("/support/").content.decode()
    assert "逾期的审批事项" in page and re.search(r'<span class="tag late">逾期 \d+ 天</span>', page)
    page = c.get(f"/support/projects/{land.project_id}/").content.decode()
    assert "用地（第3.3条）" in page and "平方米" in page
    page = c.get(f"/support/projects/{with_items.pk}/").content.decode()
    assert '<span class="tag late">已逾期</span>' in page
