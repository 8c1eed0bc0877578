"""An import's memory is bounded whatever the file (issue 11, point 4).

A 19 MB workbook whose sharedStrings.xml inflated to 409 MB (21.7:1, inside the ratio limit) grew a
worker to 1.7 GB. Each part is now bounded by what the reader may hold of it, checked from the zip
directory before anything is parsed; the figures behind the defaults come from
benchmarks/import_hostile.py. The hostile files are built here, small on disk.
"""

import io
import zipfile

import pytest

from jigai.imports import ImportContext, validate
from jigai.imports.engine import DEFAULT_MAX_ROWS, LISTED_PROBLEMS, MAX_CELL_CHARS, row_limit
from jigai.imports.safety import UploadLimits, UploadRefused, check_upload

from .tables import make_code, project_spec
from .workbooks import CONTENT_TYPES, MAIN_XLSX, ROOT_RELS, WORKBOOK

MB = 1024 * 1024
SST_HEAD = b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
SHEET = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1">'
    + "".join(
        f'<c t="inlineStr"><is><t>{h}</t></is></c>'
        for h in ("项目名称", "所属县市", "统一社会信用代码", "总投资")
    )
    + "</row>"
    "{rows}</sheetData></worksheet>"
)


def _text(value: str) -> str:
    return f'<c t="inlineStr"><is><t>{value}</t></is></c>'


def _row(n: int, name: str | None = None) -> str:
    """A valid row; its name is the first shared string when ``name`` is None and n == 2."""
    first = '<c t="s"><v>0</v></c>' if n == 2 and name is None else _text(name or f"项目{n}")
    return f'<row r="{n}">{first}{_text("恩施市")}{_text(make_code(n))}<c><v>100</v></c></row>'


REL = '<Relationship Id="{id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" Target="{target}"/>'


def _rels(*relations: tuple[str, str]) -> str:
    body = "".join(REL.format(id=f"rId{i}", kind=k, target=t) for i, (k, t) in enumerate(relations, 1))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{body}</Relationships>'
    )


def workbook(
    *,
    shared_bytes: int = 0,
    sheet_rows: int = 0,
    strings_at: str = "xl/sharedStrings.xml",
    also_a_sheet: bool = False,
) -> bytes:
    """A workbook whose shared strings inflate to about ``shared_bytes`` (about 22:1, as in the issue's
    file) and whose sheet has ``sheet_rows`` more rows; ``strings_at`` names the shared strings part."""
    relations = [("worksheet", "worksheets/sheet1.xml"), ("sharedStrings", strings_at.removeprefix("xl/"))]
    if also_a_sheet:
        relations.append(("worksheet", strings_at.removeprefix("xl/")))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=MAIN_XLSX, extra=""))
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _rels(*relations))
        rows = "".join(_row(n) for n in range(2, 3 + sheet_rows))
        z.writestr("xl/worksheets/sheet1.xml", SHEET.format(rows=rows))
        with z.open(strings_at, "w") as fh:
            fh.write(SST_HEAD)
            written, n = 0, 0
            while written < shared_bytes:
                chunk = "".join(
                    f"<si><t>恩施州传统产业技术改造项目{i:x}</t></si>" for i in range(n, n + 5000)
                )
                fh.write(chunk.encode())
                written += len(chunk.encode())
                n += 5000
            fh.write("<si><t>甲</t></si></sst>".encode())
    return buffer.getvalue()


def refused(data: bytes, limits: UploadLimits) -> UploadRefused:
    with pytest.raises(UploadRefused) as err:
        check_upload(data, filename="hostile.xlsx", limits=limits)
    return err.value


def test_the_defaults_are_the_documented_limits(settings):
    limits = UploadLimits.from_settings()
    assert (limits.max_part_bytes, limits.max_sheet_bytes, limits.max_uncompressed_bytes) == (
        32 * MB,
        100 * MB,
        160 * MB,
    )
    assert UploadLimits() == limits  # the settings' defaults and the code's agree
    settings.JIGAI_UPLOAD_MAX_PART_BYTES = 5 * MB
    settings.JIGAI_UPLOAD_MAX_SHEET_BYTES = 7 * MB
    assert (UploadLimits.from_settings().max_part_bytes, UploadLimits.from_settings().max_sheet_bytes) == (
        5 * MB,
        7 * MB,
    )


def test_the_issues_shape_is_refused_from_the_zip_directory_at_the_default_limits():
    """Shared strings just over the default part limit, 22:1 (inside the ratio limit), 2 MB on disk."""
    data = workbook(shared_bytes=33 * MB)
    assert len(data) < 3 * MB
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/sharedStrings.xml")
    assert 10 < info.file_size / info.compress_size < 200
    err = refused(data, UploadLimits())
    assert err.code == "part_too_large"
    assert err.message.startswith("工作簿部件 xl/sharedStrings.xml 解压后为 33.")
    assert "超过单个部件的上限 32.0 MB" in err.message
    assert "请拆分为多个文件分批导入" in err.message


def test_the_import_reports_the_refusal_in_chinese_and_reads_nothing(settings):
    settings.JIGAI_UPLOAD_MAX_PART_BYTES = 1 * MB
    report = validate(project_spec(), workbook(shared_bytes=2 * MB), ImportContext(), filename="x.xlsx")
    assert report.refused and not report.rows
    assert "超过单个部件的上限 1.0 MB" in report.file_errors[0].reason


def test_a_worksheet_gets_the_larger_limit_and_is_bounded_too():
    limits = UploadLimits(max_part_bytes=1 * MB, max_sheet_bytes=4 * MB)
    data = workbook(sheet_rows=15_000)  # a sheet of about 2.8 MB: over the part limit, under the sheet's
    assert 1 * MB < zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml").file_size < 4 * MB
    assert check_upload(data, filename="ok.xlsx", limits=limits).kind == "xlsx"
    err = refused(data, UploadLimits(max_part_bytes=1 * MB, max_sheet_bytes=2 * MB))
    assert err.code == "part_too_large" and err.message.startswith("工作簿工作表 xl/worksheets/sheet1.xml")


@pytest.mark.parametrize(
    ("strings_at", "also_a_sheet"),
    [("xl/worksheets/sheet9.xml", False), ("xl/strings.xml", True)],
    ids=["named-like-a-sheet", "listed-as-a-sheet-too"],
)
def test_shared_strings_cannot_pass_as_a_worksheet(strings_at, also_a_sheet):
    """The reader finds the shared strings by their relationship, whatever the part's name: so does the
    check, and a part that is also listed as a worksheet still gets the smaller limit."""
    data = workbook(shared_bytes=2 * MB, strings_at=strings_at, also_a_sheet=also_a_sheet)
    err = refused(data, UploadLimits(max_part_bytes=1 * MB, max_sheet_bytes=100 * MB))
    assert err.code == "part_too_large" and strings_at in err.message


def test_all_parts_together_are_bounded():
    data = workbook(shared_bytes=3 * MB)
    err = refused(data, UploadLimits(max_part_bytes=10 * MB, max_uncompressed_bytes=2 * MB))
    assert err.code == "zip_bomb" and "2.0 MB" in err.message


def test_a_file_within_the_limits_still_imports():
    data = workbook(shared_bytes=100_000, sheet_rows=10)
    report = validate(project_spec(), data, ImportContext(), filename="ok.xlsx")
    assert not report.file_errors and report.counts["new"] == 11, report.as_text()


def test_rows_per_file_are_bounded_by_a_setting(settings):
    assert row_limit() == DEFAULT_MAX_ROWS == 50_000
    settings.JIGAI_IMPORT_MAX_ROWS = 5
    report = validate(project_spec(), workbook(sheet_rows=10), ImportContext(), filename="x.xlsx")
    assert report.refused and "数据超过 5 行的上限，请拆分文件后分批导入" in report.file_errors[0].reason


def test_a_cell_over_excels_own_limit_is_refused_without_being_parsed():
    big = "甲" * (MAX_CELL_CHARS + 1)
    data = workbook()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace("<t>恩施市</t>".encode(), f"<t>{big}</t>".encode(), 1)
            dst.writestr(item, content)
    report = validate(project_spec(), buffer.getvalue(), ImportContext(), filename="x.xlsx")
    [issue] = [i for i in report.row(2).issues if i.column == "所属县市"]
    assert issue.reason == "单元格超过 32767 个字符（Excel 单元格的上限），请检查文件"
    assert len(issue.value) <= 60


def test_problems_beyond_the_listed_number_keep_one_per_row():
    rows = LISTED_PROBLEMS // 3 + 100  # three problems a row: an error cell, an unknown unit, a bad code
    bad = '<c t="e"><v>#N/A</v></c>' + _text("火星市") + _text("不是代码") + "<c><v>100</v></c>"
    body = "".join(f'<row r="{n}">{bad}</row>' for n in range(2, rows + 2))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=MAIN_XLSX, extra=""))
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _rels(("worksheet", "worksheets/sheet1.xml")))
        z.writestr("xl/worksheets/sheet1.xml", SHEET.format(rows=body))
    report = validate(project_spec(), buffer.getvalue(), ImportContext(), filename="x.xlsx")
    assert report.counts["rejected"] == rows  # every row is still rejected
    assert len(report.row(2).issues) == 3
    listed = sum(len(r.issues) for r in report.rows)
    assert LISTED_PROBLEMS <= listed < LISTED_PROBLEMS + 200
    assert all(len(r.issues) == 1 for r in report.rows[-50:])
    assert any(f"问题超过 {LISTED_PROBLEMS} 处" in w.reason for w in report.file_warnings)


def test_a_character_reference_in_a_target_does_not_hide_the_shared_strings():
    """The relationships are read as the reader reads them (expat decodes &#46;): the part named both a
    worksheet and, written differently, the shared strings, keeps the smaller limit."""
    data = workbook(shared_bytes=2 * MB)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename == "xl/_rels/workbook.xml.rels":
                content = _rels(
                    ("worksheet", "worksheets/sheet1.xml"),
                    ("worksheet", "sharedStrings.xml"),
                    ("sharedStrings", "sharedStrings&#46;xml"),
                ).encode()
            dst.writestr(item, content)
    err = refused(buffer.getvalue(), UploadLimits(max_part_bytes=1 * MB, max_sheet_bytes=100 * MB))
    assert err.code == "part_too_large" and "xl/sharedStrings.xml" in err.message
