"""The pages of 申报, 验收, 公示, 隐形冠军, the document register, the audit log, the targets with their notes and
the statistics with their warnings read in English in the English interface (issue 14, point 13): on the
demo, no Chinese is left outside data values (names, what people typed, document numbers) and the record
texts a page marks ``lang="zh-Hans"`` (a frozen decision's explanation, an official document's title).
The computed words (a target's note, a data check's message) read in English from their figures; the
Chinese interface reads as before."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
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
def test_the_money_notice_champion_register_target_and_statistics_pages_read_in_english_on_the_demo(
    demo_data,
):
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

    # Colours by meaning: green done, amber waiting on someone, red refused.
    html = office.get("/applications/").content.decode()
    assert re.search(r'<tr data-state="decided">[^\n]*<span class="tag done">', html)
    assert re.search(r'<tr data-state="returned">[^\n]*<span class="tag risk">', html)
    html = office.get(f"/notices/{ended.pk}/").content.decode()
    assert re.search(r'<tr data-state="rejected">[^\n]*<span class="tag late">Not approved</span>', html)
    assert re.search(r'<tr data-state="paid">[^\n]*<span class="tag done">Paid</span>', html)
    html = office.get("/champions/").content.decode()
    assert re.search(r'<tr data-state="verified">[^\n]*<span class="tag done">Verified</span>', html)

    # The audit log names roles, sources and outcomes in words (the codes stay in the record).
    html = auditor.get("/audit/").content.decode()
    assert ">Success<" in html and ">success<" not in html and ">command" not in html, html[-3000:]

    # The computed words read in English from their figures…
    html = office.get("/assessment/targets/?year=2020").content.decode()
    assert "of which" in html and "new starts" in html and "cumulative, year on year" in html
    assert "Three-year targets (2018–2020" in html and "2.1.a.industrial_growth" not in html
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


# ---- the computed words, without the demo ------------------------------------------------------------


class _Whole(HTMLParser):
    """All the text of a page, the marked Chinese included."""

    def __init__(self, html: str):
        super().__init__()
        self.parts: list[str] = []
        self.feed(html)

    def handle_data(self, data):
        self.parts.append(data)


def _every_flag() -> list[dict]:
    from decimal import Decimal as D

    from jigai.dispatch import checks

    points = [
        checks.Point(2019, m, D(v), D(c)) for m, v, c in ((1, 10, 10), (2, 5, 12), (3, 900, 800), (5, 1, 700))
    ]
    series = checks.series_flags(points, planned_total_yuan=D(500), outlier_factor=D(3), outlier_min_months=2)
    flags = [f for month in series.values() for f in month]
    flags += checks.unit_flags(official_yuan=None, library_yuan=D(1), gap=D("0.3"))
    flags += checks.unit_flags(official_yuan=D(0), library_yuan=D(100), gap=D("0.3"))
    flags += checks.unit_flags(
        official_yuan=D(1000), library_yuan=D(100), gap=D("0.3"), industrial_yuan=D(10)
    )
    return flags


def test_every_data_check_message_reads_in_english_from_its_figures_and_as_recorded_in_chinese():
    from jigai.core.tests.english import HAN
    from jigai.dispatch.checks import MESSAGES, statistic_warnings

    flags = _every_flag()
    assert {f["code"] for f in flags} == set(MESSAGES), {f["code"] for f in flags}
    for f in flags:
        with translation.override("zh-hans"):
            assert flag_text(f) == f["message"] and HAN.search(f["message"])
        with translation.override("en"):
            english = flag_text(f)
        assert not HAN.search(english) and "%(" not in english, english
    # Recorded before the figures were kept: read as written, and marked so on the page.
    from django.template.loader import render_to_string

    old = {"code": "cumulative_falling", "label": "累计投资回落", "message": "累计回落"}
    assert flag_text(old) == "累计回落"
    with translation.override("en"):
        assert render_to_string("dispatch/_flag_message.html", {"fl": old}).strip() == (
            '<span lang="zh-Hans">累计回落</span>'
        )
        for f in flags:  # the page's template says what flag_text says
            assert render_to_string("dispatch/_flag_message.html", {"fl": f}).strip() == flag_text(f)
    # The statistics page's warning reads in the page's language; the bulletin's record stays Chinese.
    from decimal import Decimal as D

    with translation.override("en"):
        (w,) = statistic_warnings(industrial_yuan=D(10000), tech_yuan=D(20000))
    assert w["message"] == (
        "Cumulative renovation investment 2.00 (10k yuan) is greater than cumulative industrial investment 1.00 "
        "(renovation investment is part of industrial investment); please check"
    )
    assert w["params"] == {"tech": "2.00", "industrial": "1.00"}


def test_every_target_note_reads_in_english_and_as_written_in_chinese():
    from jigai.assessment.targets import NOTE_FORMS, note_text
    from jigai.core.tests.english import HAN

    notes = [
        "其中新开工 12 个",
        "其中新开工 145 个；各单位任务数合计 105 个",
        "18/38 户",
        "2020年规上企业 215 户，已实施技改 142 户，未覆盖 73 户",
        "1月累计同比",
        "1—12月累计同比",
        "1—6月累计同比，九个报送单位合计",
        "未报送统计数据",
        "尚有单位未报送统计数据",
        "按已批准的第3.1.2条奖励统计：截至当日尚无",
        "按已批准的第3.1.2条奖励统计：甲公司、乙公司等 12 户",
        "按已批准的第3.1.2条奖励统计：甲公司、乙公司",
        "本年度尚无经批准的隐形冠军奖励，领导小组办公室也未登记历史数据",
        "历史数据（领导小组办公室手工登记，平台无本年度奖励记录）：手工登记的说明",
        "历史数据（领导小组办公室手工登记，平台无本年度奖励记录）",
        "缺少2017年全年数据（上年基数）",
        "2020年全年统计数据未齐",
        "2020年全年 2,676,094.83 比2019年全年 2,312,930.57（万元），九个报送单位合计；目标为2020年参数",
        "暂无",
    ]
    used = set()
    for note in notes:
        with translation.override("zh-hans"):
            assert note_text(note) == note
        with translation.override("en"):
            english = note_text(note)
        for data in ("甲公司", "乙公司", "手工登记的说明"):
            english = english.replace(data, "")
        assert not HAN.search(english), (note, english)
        used |= {i for i, (pattern, _m) in enumerate(NOTE_FORMS) if pattern.match(note)}
    assert used == set(range(len(NOTE_FORMS)))
    with translation.override("en"):
        assert note_text("1—6月累计同比") == "Jan–6 cumulative, year on year"


@pytest.mark.django_db
def test_the_calculator_results_read_in_english_but_the_programme_text_and_memo(client_for):
    c = client_for("office")
    switch(c, "en")
    form = {
        "kind": "project", "registered_in_prefecture": "on", "conforms_industrial_policy": "on",
        "key_project": "on", "in_production": "on", "plan_year": "2019", "industry_division": "15",
        "start_date": "2019-09-25", "completion_date": "2020-04-25", "equipment_investment_wan": "300",
        "fixed_asset_investment_wan": "7811.9047",
    }  # fmt: skip
    html = c.post("/policy/calculator/", form).content.decode()
    for text in ("Clause 3.1.1", "Renovation equipment subsidy", "Key renovation project support", "Eligible",
                 "Equipment investment threshold", "2018 to 2020", "Subsidy rate 3%",
                 "All conditions of the clause are met", "Amount computed from the base and the rate"):  # fmt: skip
        assert text in html, text
    results = html.split('id="calc-project"', 1)[1].split("</form>", 1)[1].split('id="calc-award"')[0]
    assert 'lang="zh-Hans"' in results  # the text's numbering, its 原文, the engine's reasons and the memo
    industry = {
        "酒、饮料和精制茶制造业"
    }  # division 15's name: reference data, as the project library shows it
    assert not chinese_left(results, industry), chinese_left(results, industry)
    switch(c, "zh-hans")
    html = c.post("/policy/calculator/", form).content.decode()
    text = "".join(_Whole(html).parts)
    assert "第3.1.1条〔三（一）“一是”〕 技改设备投资补助：" in text and "列入年度计划：2019年" in text
    assert "符合第3.1.1条条件：州内注册" in text  # the engine's own sentence


def test_every_reason_word_names_a_reason_of_the_engine():
    from jigai.incentives.plain import REASON_WORDS
    from jigai.policy.decision import REASON_CODES

    assert set(REASON_WORDS) <= set(REASON_CODES)


@pytest.mark.django_db
def test_the_import_preview_names_its_counts_and_modes_in_english(client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = client_for("clerk")
    switch(c, "en")
    upload = SimpleUploadedFile(
        "e.csv", "企业名称,统一社会信用代码\n某公司,123\n".encode(), content_type="text/csv"
    )
    r = c.post("/imports/upload/", {"table": "enterprises", "file": upload, "mode": "all"}, follow=True)
    html = r.content.decode()
    assert r.status_code == 200 and 'id="import-counts"' in html, html[-3000:]
    counts = html.split('id="import-counts"')[1].split("</table>")[0]
    for word in ("New", "Updated", "Unchanged", "Rejected"):
        assert f">{word}<" in counts, counts
    assert "All rows or none" in html
    switch(c, "zh-hans")
    upload.seek(0)
    html = c.post("/imports/upload/", {"table": "enterprises", "file": upload, "mode": "all"}, follow=True)
    html = html.content.decode()
    assert ">新增<" in html and "全部或不导入" in html


def test_an_amount_above_the_maximum_is_refused_in_the_page_language():
    from django import forms
    from django.utils.translation import gettext_lazy

    from jigai.registry.forms import WanField

    class AmountForm(forms.Form):
        x = WanField(label=gettext_lazy("总投资（万元）"))

    for language, expected in (
        ("en", "Total investment (10k yuan) is above the maximum (9,999,999,999.999999 in 10k yuan)"),
        ("zh-hans", "总投资（万元）超出上限（最多 9,999,999,999.999999 万元）"),
    ):
        with translation.override(language):
            form = AmountForm({"x": "99999999999999"})
            assert not form.is_valid() and form.errors["x"] == [expected]
