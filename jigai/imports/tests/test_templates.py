"""The downloadable template, and the round trip: an export re-imports as "unchanged"."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl

from jigai.imports import ImportContext, build_export, build_template, run, validate

from .tables import VALID_CODE, DictAdapter, make_code, project_spec

D = Decimal


def open_xlsx(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_the_template_has_chinese_headers_with_units_frozen_and_bold():
    wb = open_xlsx(build_template(project_spec()))
    ws = wb["技改项目"]
    headers = [c.value for c in ws[1]]
    assert headers[:5] == ["项目名称", "所属县市", "统一社会信用代码", "总投资（万元）", "设备投资（万元）"]
    assert ws.freeze_panes == "A2"
    assert all(c.font.b for c in ws[1])
    assert ws.column_dimensions["A"].width >= 10
    assert ws.max_row == 1  # no example row to import by mistake


def test_the_template_has_drop_downs_for_yes_no_units_and_industries():
    wb = open_xlsx(build_template(project_spec()))
    ws = wb["技改项目"]
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["H2"] == '"是,否"'
    assert lists["B2"] == '"恩施市,利川市,建始县,巴东县,宣恩县,咸丰县,来凤县,鹤峰县,州高新区"'
    # 42 industries do not fit Excel's 255-character inline list: they live on a hidden sheet.
    assert lists["I2"] == "'选项'!$A$2:$A$43"
    options = wb["选项"]
    assert options.sheet_state == "hidden"
    assert options["A2"].value == "01 农业"
    assert "13 农副食品加工业" in [c.value for c in options["A"]]


def test_the_template_explains_every_column():
    wb = open_xlsx(build_template(project_spec()))
    ws = wb["说明"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    header_at = next(i for i, r in enumerate(rows) if r[0] == "列名")
    assert rows[header_at] == ["列名", "含义", "单位", "是否必填", "填写格式", "示例"]
    table = {r[0]: r for r in rows[header_at + 1 :]}
    assert table["总投资（万元）"][1:4] == ["项目计划总投资", "万元", "必填"]
    assert "6 位小数" in table["总投资（万元）"][4]
    assert table["设备投资（万元）"][3] == "选填"
    assert table["统一社会信用代码"][5] == VALID_CODE
    assert table["开工日期"][5] == "2018-03-15"


def test_an_empty_template_validates_with_no_rows_and_no_problems():
    report = validate(project_spec(), build_template(project_spec()), filename="模板.xlsx")
    assert not report.file_errors
    assert report.rows == []
    assert [s["sheet"] for s in report.sheets] == ["技改项目"]


def test_a_filled_in_template_imports():
    wb = open_xlsx(build_template(project_spec()))
    ws = wb["技改项目"]
    ws.append(
        ["甲", "恩施市", VALID_CODE, 1200, 300, 100, dt.date(2018, 3, 15), "是", "13 农副食品加工业", 2018]
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    spec = project_spec()
    report = run(spec, buffer.getvalue(), ImportContext(unit="422801"), atomic=spec.adapter.atomic)
    assert report.written, report.as_text()
    assert spec.adapter.store[(VALID_CODE, "甲")]["year"] == 2018


def records():
    out = []
    for i in range(1, 41):
        out.append(
            {
                "name": f"=项目{i}" if i == 3 else f"项目{i}",  # a name that looks like a formula
                "unit": ["422801", "422802", "GXQ"][i % 3],
                "credit_code": make_code(i),
                "total": D(i * 1234567) + D("0.01") * i,
                "equipment": D("0.01") * i if i % 2 else None,
                "completed": D("123456789012.34") if i == 5 else D(i * 1000),
                "start_date": dt.date(2018, 1 + i % 12, 1 + i % 28),
                "key_project": bool(i % 2),
                "industry": "13",
                "year": 2018 + i % 3,
            }
        )
    return out


def test_an_export_of_the_library_reimports_as_unchanged():
    source = records()
    adapter = DictAdapter(
        {(r["credit_code"], r["name"]): {k: v for k, v in r.items() if v is not None} for r in source}
    )
    spec = project_spec(adapter)
    before = {k: dict(v) for k, v in adapter.store.items()}
    data = build_export(spec, source)
    report = run(spec, data, ImportContext(), filename="导出.xlsx", atomic=adapter.atomic)
    assert not report.file_errors
    assert report.counts["unchanged"] == 40, report.as_text(limit=5)
    assert not report.written
    assert adapter.store == before


def test_formula_like_text_is_exported_as_text():
    data = build_export(project_spec(), records())
    ws = openpyxl.load_workbook(io.BytesIO(data))["技改项目"]
    cell = ws["A4"]
    assert cell.value == "=项目3"
    assert cell.data_type == "s"
