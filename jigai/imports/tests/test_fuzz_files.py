"""Whatever bytes arrive, the engine answers with a report: never an exception, never a write."""

import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jigai.imports import ImportContext, validate

from .tables import make_code, project_spec
from .workbooks import csv_bytes, xlsx

GOOD = xlsx(
    [["项目名称", "所属县市", "统一社会信用代码", "总投资（万元）"], ["甲", "恩施市", make_code(1), 12.5]]
)
SPEC = project_spec()


def check(data: bytes, name: str):
    report = validate(SPEC, data, ImportContext(), filename=name)
    report.as_text()
    report.as_dict()
    return report


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=4096), name=st.sampled_from(["a.xlsx", "a.csv", "a.xls", "a"]))
def test_random_bytes_give_a_report(data, name):
    check(data, name)


@settings(max_examples=100, deadline=None)
@given(
    positions=st.lists(st.integers(min_value=0, max_value=len(GOOD) - 1), min_size=1, max_size=8),
    byte=st.integers(0, 255),
)
def test_a_damaged_workbook_gives_a_report(positions, byte):
    data = bytearray(GOOD)
    for p in positions:
        data[p] = byte
    check(bytes(data), "a.xlsx")


@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(st.lists(st.one_of(st.none(), st.text(max_size=12), st.integers()), max_size=6), max_size=8)
)
def test_random_csv_tables_give_a_report(rows):
    data = csv_bytes([["项目名称", "所属县市", "统一社会信用代码", "总投资"], *rows])
    report = check(data, "a.csv")
    assert not report.written


@settings(max_examples=50, deadline=None)
@given(xml=st.text(max_size=300))
def test_random_sheet_xml_gives_a_report(xml):
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(GOOD)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = xml.encode()
            target.writestr(info, data)
    check(buffer.getvalue(), "a.xlsx")
