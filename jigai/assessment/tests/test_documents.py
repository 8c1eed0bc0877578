"""The interview notice and the quarterly meeting pack, read back from the .docx (docs/documents.md)."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from jigai.assessment import documents, selectors, services
from jigai.assessment.models import InterviewCase, UnitLeader
from jigai.assessment.periods import Period
from jigai.core.models import Region
from jigai.documents import format_wan, inspect

from .factories import AT, june_2019, stats

pytestmark = pytest.mark.django_db


def _notified_case(users) -> InterviewCase:
    june_2019()
    for code, name in (("422828", "鹤峰"), ("422827", "来凤")):
        UnitLeader.objects.create(region=Region.objects.get(code=code), year=2019, deputy_name=f"{name}副",
                                  deputy_title="副县长", principal_name=f"{name}正", principal_title="县长")  # fmt: skip
    services.ranking_publish(user=users["office"], period=Period.parse("2019Q2"), basis="cumulative", at=AT)
    case = InterviewCase.objects.get(region__code="422828")
    return services.interview_notify(user=users["office"], case=case, notice_date=dt.date(2019, 7, 12),
                                     scheduled_text="2019年7月20日上午9:00，州政府第三会议室")  # fmt: skip


def test_a_title_that_repeats_the_government_is_not_written_twice(users):
    case = _notified_case(users)
    case.principal_title, case.principal_name = "鹤峰县人民政府县长", "×××"
    body = "\n".join(inspect.body_texts(documents.interview_notice(case).to_bytes()))
    assert "约谈鹤峰县人民政府县长×××同志" in body and "人民政府鹤峰县人民政府" not in body


def test_the_interview_notice_reads_back_in_the_official_layout(users):
    case = _notified_case(users)
    data = documents.interview_notice(case).to_bytes()
    page = inspect.page_setup(data)
    assert (page.width_mm, page.height_mm, page.top_mm, page.left_mm) == (210, 297, 37, 28)
    assert inspect.head(data).text == documents.ISSUER and inspect.head(data).color == "FF0000"
    assert inspect.red_line(data).color == "FF0000"
    assert re.fullmatch(r"恩施州技改办〔2019〕[1-9]\d*号", inspect.number_text(data))
    title = inspect.title(data)
    assert title.text.replace("\n", "") == "关于约谈鹤峰县人民政府主要领导的通知" and title.size_pt == 22
    assert inspect.addressees(data) == "鹤峰县人民政府："
    body = "\n".join(inspect.body_texts(data))
    assert "决定约谈鹤峰县人民政府县长鹤峰正同志，副县长鹤峰副同志参加" in body
    assert "你县" in body and "你县市" not in body
    assert "2019年7月20日上午9:00，州政府第三会议室" in body
    assert [h for _, h in inspect.headings(data)] == ["一、约谈事由", "二、约谈时间和地点", "三、有关要求"]
    # The table's figures equal those computed independently: 鹤峰县 −3 % on a 10,000,000 base.
    table = inspect.tables(data)[0]
    assert table[0] == ["考核期间", "技改投资", "上年同期", "增幅", "排名"]
    expected_now = Decimal(10_000_000) * Decimal("0.97")
    assert table[1] == ["2019年第二季度", format_wan(expected_now), "1000.00", "-3.00%", "9"]
    assert table[2][0] == "2019年上半年" and table[2][4] == "9"
    assert inspect.date_line(data) == "2019年7月12日"
    assert inspect.record_lines(data) == [
        f"抄送：{documents.NOTICE_CC}。", f"{documents.PRINTER}\t2019年7月12日印发",
    ]  # fmt: skip


def test_a_notice_before_it_is_issued_is_a_draft_without_a_number(users):
    june_2019()
    services.ranking_publish(user=users["office"], period=Period.parse("2019Q2"), basis="cumulative", at=AT)
    case = InterviewCase.objects.get(region__code="422827")
    data = documents.interview_notice(case).to_bytes()
    assert inspect.number_text(data) is None
    assert inspect.title(data).text.replace("\n", "").endswith("（草稿）")


def test_the_high_tech_zone_is_addressed_through_its_management_committee():
    assert documents.government_of("GXQ", "州高新区") == "州高新区管委会"
    assert documents.government_of("422801", "恩施市") == "恩施市人民政府"


def test_the_meeting_pack_reads_back_with_the_figures_the_platform_computed(users):
    _notified_case(users)
    stats(2019, 6, {"422801": 14_000_000})  # unchanged: the pack reads what is stored
    data_obj = selectors.meeting_pack_data(Period.parse("2019Q2"), as_of=dt.date(2019, 7, 20))
    data = documents.meeting_pack(data_obj, date=dt.date(2019, 7, 20)).to_bytes()
    title = inspect.title(data).text.replace("\n", "")
    assert title == "恩施州传统产业改造升级工作领导小组2019年第二季度联席会议材料"
    assert [h for level, h in inspect.headings(data) if level == 1] == [
        "一、全州技改投入完成情况", "二、目标任务完成情况", "三、第二季度技改投入增幅排名", "四、约谈情况",
        "五、需要研究决定的问题",
    ]  # fmt: skip
    tables = inspect.tables(data)
    investment = tables[0]
    assert investment[0] == ["单位", "技改投资", "上年同期", "增幅", "工业投资", "增幅"]
    # The prefecture's total: nine units at 10,000,000 each, grown as june_2019() sets them.
    growths = [40, 35, 30, 25, 20, 15, 12, 5, -3]
    total_now = sum(Decimal(10_000_000) * (1 + Decimal(g) / 100) for g in growths)
    total_growth = (total_now - Decimal(90_000_000)) / Decimal(90_000_000) * 100
    assert investment[-1][:4] == [
        "全州",
        format_wan(total_now),
        "9000.00",
        f"{total_growth.quantize(Decimal('0.01'))}%",
    ]
    ranking_q2 = next(t for t in tables if t[0][:2] == ["名次", "单位"])
    assert ranking_q2[1][:2] == ["1", "恩施市"] and ranking_q2[-1][:2] == ["9", "鹤峰县"]
    assert "后两位" in ranking_q2[-1][5]
    due = next(t for t in tables if t[0] == ["单位", "层级", "依据", "状态"])
    assert {row[0] for row in due[1:]} == {"来凤县", "鹤峰县"}
    problems = [t for t in inspect.body_texts(data) if re.match(r"\d+\. ", t)]
    assert problems, "the pack lists the problems needing a decision"
    assert inspect.date_line(data) == "2019年7月20日"
