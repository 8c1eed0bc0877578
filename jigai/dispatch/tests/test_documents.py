"""The bulletin read back: the GB/T 9704 Word document (head, number, title, tables, 发/送 lines) and the
.xlsx tables, each checked against the frozen figures."""

import io
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pytest

from jigai.dispatch import services
from jigai.dispatch.render import docx_bytes, xlsx_bytes
from jigai.documents import inspect

from .helpers import bj

pytestmark = pytest.mark.django_db


def wan(yuan: str | None) -> str:
    if yuan is None:
        return "—"
    return str((Decimal(yuan) / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def pct(ratio: str | None) -> str:
    if ratio is None:
        return "—"
    return f"{(Decimal(ratio) * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


@pytest.fixture
def published(world, users):
    first = services.bulletin_publish(
        user=users["office"], year=2019, month=6, at=bj(2019, 7, 12), issue_date=bj(2019, 7, 12).date()
    )
    return first


def test_the_word_bulletin_has_the_official_layout_and_the_frozen_figures(published):
    snap = published.snapshot
    data = docx_bytes(snap)
    page = inspect.page_setup(data)
    assert (page.width_mm, page.height_mm, page.top_mm, page.left_mm) == (210, 297, 37, 28)
    assert inspect.head(data).text == "恩施州传统产业改造升级工作领导小组办公室"
    assert inspect.red_line(data).color == "FF0000"
    assert inspect.number_text(data) == "恩施州技改办〔2019〕1号"
    title = inspect.title(data)
    assert "".join(title.lines) == "关于2019年6月全州技改项目推进情况的通报" and title.size_pt == 22
    assert inspect.addressees(data) == "各县市人民政府，州高新区管委会："
    assert [h for level, h in inspect.headings(data) if level == 1] == [
        "一、总体情况", "二、各县市推进情况", "三、需要关注的项目", "四、数据核查提示", "五、工作要求"]  # fmt: skip
    body = "\n".join(inspect.body_texts(data))
    assert (
        f"全州完成技改投资{wan(snap['prefecture']['tech_ytd'])}万元，同比增长40.00%，高于年度增长20%的目标20.00个百分点"
        in body
    )
    assert "全州今年已实施技改项目6个" in body and "逾期报送1个，未报送1个" in body
    tables = inspect.tables(data)
    investment = tables[0]
    assert investment[0] == [
        "单位",
        "技改投资累计",
        "同比增长",
        "排名",
        "项目库月调度累计",
        "工业投资累计",
        "同比增长",
    ]
    for row, unit in zip(investment[1:10], snap["units"], strict=True):
        assert row[0] == unit["name"]
        assert row[1] == wan(unit["tech_ytd"]) and row[2] == pct(unit["tech_growth"])
        assert row[4] == wan(unit["library_ytd"]) and row[5] == wan(unit["industrial_ytd"])
    enshi = investment[1]
    assert enshi == ["恩施市", "1200.00", "20.00%", "3", "1380.00", "3600.00", "20.00%"]
    assert investment[-1][:3] == ["全州", "4200.00", "40.00%"]
    projects = tables[1]
    assert projects[1] == ["恩施市", "15", "3", "1", "1", "0", "1", "2", "1", "1", "0"]
    assert projects[-1][0] == "全州" and projects[-1][2] == "6"
    captions = inspect.table_captions(data)
    assert captions[0].startswith("表1") and "单位：万元" not in captions[0]
    assert inspect.signature(data) == "恩施州传统产业改造升级工作领导小组办公室"
    assert inspect.date_line(data) == "2019年7月12日"
    record = inspect.record_lines(data)
    assert record[0].startswith("发：各县市人民政府") and record[0].endswith("。")
    assert record[1].startswith("送：") and record[-1] == "恩施州经济和信息化委员会办公室\t2019年7月12日印发"


def test_a_corrected_bulletin_is_marked_and_names_the_one_it_replaces(published, users):
    second = services.bulletin_correct(user=users["office"], bulletin=published, reason="利川市补报数据",
                                       at=bj(2019, 7, 20), issue_date=bj(2019, 7, 20).date())  # fmt: skip
    data = docx_bytes(second.snapshot)
    assert inspect.number_text(data) == "恩施州技改办〔2019〕2号"
    assert "".join(inspect.title(data).lines).endswith("（更正版）")
    assert (
        inspect.body_texts(data)[0]
        == "本通报为恩施州技改办〔2019〕1号的更正版，原通报同时废止。更正原因：利川市补报数据"
    )


def test_the_excel_tables_hold_the_exact_figures(published):
    snap = published.snapshot
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(snap)))
    assert wb.sheetnames == [
        "技改投资",
        "项目实施",
        "滞后于序时进度",
        "停工停滞",
        "报送情况",
        "协调问题",
        "数据核查",
    ]
    ws = wb["技改投资"]
    rows = list(ws.iter_rows(values_only=True))
    assert "恩施州技改办〔2019〕1号" in rows[0][0]
    assert rows[1][0] == "单位"
    by_name = {r[0]: r for r in rows[2:]}
    for unit in snap["units"]:
        row = by_name[unit["name"]]
        if unit["tech_ytd"] is None:
            assert row[1] is None
        else:
            assert Decimal(str(row[1])) == Decimal(unit["tech_ytd"]) / 10000
        assert Decimal(str(row[4])) == Decimal(unit["library_ytd"]) / 10000
    assert Decimal(str(by_name["恩施市"][2])) == Decimal("0.2")
    reporting = list(wb["报送情况"].iter_rows(values_only=True))[2:]
    assert {(r[1], r[3]) for r in reporting} == {
        (snap["late"][0]["name"], "逾期报送"),
        (snap["missing"][0]["name"], "未报送"),
    }


def test_the_pages_downloads_are_the_published_snapshot(published, client_for):
    c = client_for("leader")
    r = c.get(f"/dispatch/bulletins/{published.pk}/bulletin.docx")
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    assert inspect.number_text(r.content) == published.document_number
    r = c.get(f"/api/v1/dispatch/bulletins/{published.pk}/bulletin.xlsx")
    assert r.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(r.content)).sheetnames[0] == "技改投资"


def test_a_long_list_is_cut_in_the_printed_bulletin_and_complete_in_the_excel(published):
    snap = dict(published.snapshot)
    snap["missing"] = [{**snap["missing"][0], "name": f"未报项目{i}"} for i in range(70)]
    data = docx_bytes(snap)
    reporting = next(
        t for t in inspect.tables(data) if t[0] == ["单位", "项目名称", "企业", "情况", "报送日期"]
    )
    assert len(reporting) == 1 + 50
    assert any("共71个，下表列出前50个" in t for t in inspect.body_texts(data))
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(snap)))
    assert len(list(wb["报送情况"].iter_rows(values_only=True))) == 2 + 71
