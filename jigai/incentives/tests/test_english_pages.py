"""The pages of 申报, 验收, 公示, 隐形冠军, the document register, the audit log, the targets with their notes and
the statistics with their warnings read in English in the English interface (issue 14, point 13): on the
demo, no Chinese is left outside data values (names, what people typed, document numbers) and the record
texts a page marks ``lang="zh-Hans"`` (a frozen decision's explanation, an official document's title).
The computed words (a target's note, a data check's message) read in English from their figures; the
Chinese interface reads as before."""

import io
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from jigai.assessment.models import TargetFigure
from jigai.attachments.models import Attachment
from jigai.champions.models import Declaration
from jigai.core.tests.english import chinese_left, people_and_places, values_of
from jigai.core.tests.test_i18n import switch
from jigai.dispatch.checks import flag_text
from jigai.dispatch.models import Bulletin, ProgressReport
from jigai.incentives.models import Acceptance, Application, EquipmentLine, LoanLine
from jigai.notices.models import Notice, NoticeEntry, Objection
from jigai.registry.models import Enterprise

TYPED = {"恒温萃取新工艺", "生物医药"}  # what the declaration below is typed with


@pytest.fixture(autouse=True)
def _chinese_after_each_test():
    yield
    translation.deactivate()


def _values() -> set[str]:
    values = people_and_places() | TYPED | {settings.JIGAI_NOTICE_CONTACT}
    values |= values_of(Enterprise, "address", "contact_person")
    values |= values_of(EquipmentLine, "name", "model", "supplier", "invoice_number", "rejection_reason")
    values |= values_of(LoanLine, "bank")
    values |= values_of(Application, "return_reasons")
    values |= values_of(Acceptance, "findings", "adjustment_reason")
    values |= values_of(Attachment, "original_name") | {a.download_name for a in Attachment.objects.all()}
    values |= values_of(Declaration, "technology", "industry", "issuer", "note", "return_reason")
    values |= values_of(Notice, "title") | values_of(
        NoticeEntry, "unit_name", "enterprise_name", "project_name"
    )
    values |= values_of(Objection, "raised_by", "contact", "content", "resolution")
    values |= values_of(TargetFigure, "note")
    values |= values_of(ProgressReport, "progress_text", "problems", "department_asked", "submitted_by_name")
    return values


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    switch(c, "en")
    return c


def _statistics_post(c: Client, url: str) -> dict:
    """The statistics screen as loaded, with the first unit's 技改投资 made larger than its 工业投资."""
    html = c.get(url).content.decode()
    form = re.search(r'<form method="post" novalidate>(.*?)</form>', html, re.S).group(1)
    data = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            data[name.group(1)] = value.group(1) if value else ""
    data["form-0-industrial_wan"], data["form-0-tech_wan"] = "100", "250"
    return data


@pytest.mark.django_db
def test_the_money_notice_champion_register_target_and_statistics_pages_read_in_english_on_the_demo():
    call_command("demo", stdout=io.StringIO())
    User = get_user_model()
    office = _client(User.objects.filter(role="office").first())
    auditor = _client(User.objects.filter(role="auditor").first())
    ent = User.objects.filter(role="enterprise").order_by("username").first()
    enterprise = _client(ent)
    public = Client()
    switch(public, "en")

    decided = Application.objects.filter(state="decided").order_by("pk").first()
    returned = Application.objects.filter(state="returned").order_by("pk").first()
    ended, open_notice = (Notice.objects.get(state=s) for s in ("ended", "open"))
    declarations = {d.state: d for d in Declaration.objects.order_by("-pk")}
    bulletin = Bulletin.objects.order_by("-year", "-month").first()
    flagged = {}
    for pk, flags in ProgressReport.objects.order_by("pk").values_list("pk", "flags"):
        for f in flags or []:
            flagged.setdefault(f["code"], pk)
    assert {"cumulative_falling", "month_outlier"} <= set(flagged), flagged
    stats_url = f"/dispatch/statistics/{bulletin.year}/{bulletin.month}/"

    pages = [
        (office, "/applications/"),
        (office, f"/applications/{decided.pk}/"),
        (office, f"/applications/{returned.pk}/"),
        (office, f"/acceptance/projects/{decided.project_id}/"),
        (office, "/notices/"),
        (office, f"/notices/{ended.pk}/"),
        (office, f"/notices/{open_notice.pk}/"),
        (public, "/public/notices/"),
        (public, f"/public/notices/{ended.pk}/"),
        (public, f"/public/notices/{open_notice.pk}/"),
        (office, "/champions/"),
        *((office, f"/champions/{d.pk}/") for d in declarations.values()),
        (enterprise, "/champions/new/"),
        (enterprise, "/applications/"),
        (office, "/documents/numbers/"),
        (auditor, "/audit/"),
        *((office, f"/assessment/targets/?year={y}") for y in (2018, 2019, 2020)),
        *((office, f"/dispatch/reports/{pk}/") for pk in flagged.values()),
        (office, f"/dispatch/bulletins/{bulletin.pk}/"),
        (office, stats_url),
    ]
    values = _values()
    left = {}
    for c, url in pages:
        r = c.get(url)
        assert r.status_code == 200, url
        html = r.content.decode()
        assert '<html lang="en">' in html, url
        if han := chinese_left(html, values):
            left[url] = han

    # The error states: a declaration the champions service refuses, a statistic that warns.
    r = enterprise.post(
        "/champions/new/",
        {"enterprise": Enterprise.objects.get(credit_code=ent.credit_code).pk, "technology": "恒温萃取新工艺",
         "year": "2099", "level": "provincial", "rank": "9", "industry": "生物医药"},
    )  # fmt: skip
    html = r.content.decode()
    assert r.status_code == 200 and "2099" in html, html[-2000:]
    if han := chinese_left(html, values):
        left["/champions/new/ (refused)"] = han
    r = office.post(stats_url, _statistics_post(office, stats_url), follow=True)
    html = r.content.decode()
    assert "is greater than cumulative industrial investment" in html, html[-3000:]
    assert "tag-warn" in html or "warning" in html
    if han := chinese_left(html, values):
        left[f"{stats_url} (saved)"] = han
    assert not left, "\n".join(f"{url}: {han}" for url, han in left.items())

    # The computed words read in English from their figures…
    html = office.get("/assessment/targets/?year=2020").content.decode()
    assert "of which" in html and "new starts" in html and "cumulative, year on year" in html
    report = ProgressReport.objects.get(pk=flagged["cumulative_falling"])
    html = office.get(f"/dispatch/reports/{report.pk}/").content.decode()
    with translation.override("en"):
        english = [flag_text(f) for f in report.flags]
    assert any(t.startswith("Cumulative investment since start") for t in english), english
    for text in english:
        assert text.isascii() and text in html, text

    # …and the Chinese interface reads exactly as written.
    switch(office, "zh-hans")
    html = office.get(f"/dispatch/reports/{report.pk}/").content.decode()
    for f in report.flags:
        assert f["message"] in html, f["message"]
        with translation.override("zh-hans"):
            assert flag_text(f) == f["message"]
    html = office.get("/assessment/targets/?year=2020").content.decode()
    assert "其中新开工" in html and "累计同比" in html and "of which" not in html
    html = office.get("/champions/").content.decode()
    assert "隐形冠军奖励申报（第3.1.2条）" in html and "全省同行业第" in html
    html = office.get(f"/notices/{ended.pk}/").content.decode()
    assert "公示期" in html and "3.1.2 隐形冠军奖励" in html
