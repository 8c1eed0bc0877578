"""The import in the English interface (issue 14, point 13): a refused file, every row problem, the result
and a background import's page read in English; the command line's report and the files stay Chinese.
What Chinese is left on these pages is the file's own: its sheet's name, its headers, its cells."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from jigai.core.tests.english import chinese_left, people_and_places
from jigai.core.tests.test_i18n import switch
from jigai.imports import tables
from jigai.jobs.models import Job
from jigai.registry.models import Project, ProjectStatus
from jigai.registry.tests.import_books import (
    HEADER_LOWER,
    HEADER_UPPER,
    county_rows,
    county_workbook,
    library,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dirs(settings, tmp_path):
    settings.JIGAI_IMPORT_UPLOAD_DIR = str(tmp_path / "uploads")
    settings.JIGAI_JOBS_DIR = str(tmp_path / "jobs")
    yield
    translation.deactivate()


def _rows(lib):
    e = lib.enshi
    return [
        *county_rows(lib),
        # 16: an amount that is no number, a date that does not exist
        [9, "硒茶冷链仓储改造项目", e.name, e.credit_code, "恩施市", "三百", 100, "1,000,000", "2019-02-30", "否",
         2019, "储备"],
        # 17: a date out of range, a yes/no cell that is neither, a plan year that is no year
        [10, "硒茶烘干线改造项目", e.name, e.credit_code, "恩施市", 300, 100, "1,000,000", "1899-01-01", "也许",
         "明年", "储备"],
        # 18: the name missing (required), a status that is none (the options as a cell must carry them)
        [11, None, e.name, e.credit_code, "恩施市", 300, 100, "1,000,000", "2019-05-01", "否", 2019, "搁置"],
    ]  # fmt: skip


def _file_values(rows) -> set[str]:
    """The file's own words: its sheet, title lines, headers and cells (shown as found, in Chinese)."""
    values = {"恩施市", "恩施市2019年传统产业技术改造项目汇总表", "（截至2019年6月）"}
    values |= {str(v).strip() for v in [*HEADER_UPPER, *HEADER_LOWER] if v}
    values |= {"投资", "总投资（万元）", "设备投资（万元）"}
    for row in rows:
        values |= {str(v).strip() for v in row if isinstance(v, str)}
    # The table's column names are the headers a file must carry: shown as they are, as on the import page.
    values |= {c.label for c in tables.get("projects").columns}
    # The choices a cell must carry, listed when a cell carries none of them.
    with translation.override("zh-hans"):
        values |= {str(s.label) for s in ProjectStatus}
    return values | people_and_places()


def _upload(c, data, name="恩施市.xlsx", mode="good"):
    return c.post(
        "/imports/upload/", {"table": "projects", "mode": mode, "file": SimpleUploadedFile(name, data)}
    )


def test_a_refused_file_says_why_in_english_and_in_chinese(client_for, users):
    c = client_for("clerk")
    switch(c, "en", "/imports/")
    r = _upload(c, b"this is a text file, not a workbook", name="projects.xlsx")
    page = r.content.decode()
    assert r.status_code == 400
    assert (
        "The file is named .xlsx, but it is not an Excel workbook. Save the file as .xlsx and import it again."
        in page
    )
    assert not chinese_left(page, people_and_places()), chinese_left(page, people_and_places())

    switch(c, "zh-hans", "/imports/")
    page = _upload(c, b"this is a text file, not a workbook", name="projects.xlsx").content.decode()
    assert "文件扩展名是 .xlsx，但内容不是 Excel 工作簿。请将文件另存为 .xlsx 格式后再导入" in page


def test_every_row_problem_of_a_county_workbook_reads_in_english(client_for, users):
    lib = library()
    rows = _rows(lib)
    c = client_for("clerk")
    switch(c, "en", "/imports/")
    r = _upload(c, county_workbook(lib, rows))
    assert r.status_code == 200
    page = r.content.decode()
    report = r.context["report"]
    assert report.counts["rejected"] == 7
    for english in (
        "The check character of the unified social credit code is wrong",  # 8
        "You can only import data of your own unit (恩施市); this row belongs to 利川市",  # 9
        "No enterprise with the unified social credit code",  # 11
        "Only the month is given; recorded as the 1st of that month",  # 12 (a warning)
        "Status not imported (“Pipeline” in the project library)",  # 6 (a warning)
        "The equipment investment cannot exceed the total investment",  # 10
        "“三百” is not an amount",  # 16
        "No such date: 2019-2-30",  # 16
        "The date 1899-01-01 is out of range (2000-01-01 to 2100-12-31)",  # 17
        "Enter “是” or “否” (√/×, Y/N and 1/0 also work)",  # 17
        "“明年” is not a year; write e.g. 2018 or 2018,2019",  # 17
        "Required, but not filled in",  # 18
        "Project status “搁置” is not one of the options (储备, 在建, 竣工投产, 已验收, 终止)",  # 18
        "Total row, skipped",  # 14
        "Note or signature row, skipped",  # 15
        "rows are rejected and will not be imported; of the others,",  # the message
    ):
        assert english in page, english
    left = chinese_left(page, _file_values(rows))
    assert not left, left

    # The same file read in Chinese says the same in Chinese.
    switch(c, "zh-hans", "/imports/")
    page = _upload(c, county_workbook(lib, rows)).content.decode()
    for chinese in (
        "无法识别的金额“三百”",
        "日期不存在：2019年2月30日",
        "必填项未填写",
        "只能导入本单位（恩施市）的数据",
    ):
        assert chinese in page, chinese

    # The result of the import, in English.
    switch(c, "en", "/imports/")
    token = _upload(c, county_workbook(lib, rows)).context["token"]
    page = c.post("/imports/confirm/", {"token": token, "mode": "good"}).content.decode()
    assert "Written: 2 new rows, 1 updated; 1 unchanged; 7 rejected and not imported" in page
    assert not chinese_left(page, _file_values(rows)), chinese_left(page, _file_values(rows))


def test_a_background_import_reads_in_the_language_of_the_page_that_shows_it(client_for, users, settings):
    lib = library()
    rows = _rows(lib)
    settings.JIGAI_JOBS_IMPORT_ROWS = 3
    c = client_for("clerk")
    switch(c, "en", "/imports/")
    token = _upload(c, county_workbook(lib, rows)).context["token"]
    r = c.post("/imports/confirm/", {"token": token, "mode": "good"})
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/jobs/{job.pk}/"
    # The job ran in Chinese and keeps its words in Chinese (the API, the record), with how they were said.
    assert job.result_json["message"].startswith("已写入：新增 2 行")
    assert any("无法识别的金额“三百”" in i for i in job.result_json["issues"])

    page = c.get(f"/jobs/{job.pk}/").content.decode()
    assert "Written: 2 new rows, 1 updated; 1 unchanged; 7 rejected and not imported" in page
    assert "sheet “恩施市”, row 16, column “总投资”, (F16), value “三百”: “三百” is not an amount" in page
    assert "You can only import data of your own unit (恩施市); this row belongs to 利川市" in page
    assert "project: 恩施市.xlsx, 11 rows (Only the rows without errors)" in page
    left = chinese_left(page, _file_values(rows))
    assert not left, left

    switch(c, "zh-hans", f"/jobs/{job.pk}/")
    page = c.get(f"/jobs/{job.pk}/").content.decode()
    assert "已写入：新增 2 行，更新 1 行" in page
    assert "工作表“恩施市”第 16 行“总投资”列（F16），值“三百”：无法识别的金额“三百”" in page


def test_the_command_line_report_stays_chinese_in_an_english_environment(users, tmp_path):
    lib = library()
    rows = _rows(lib)
    path = tmp_path / "恩施市.xlsx"
    path.write_bytes(county_workbook(lib, rows))
    out = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("import", "projects", str(path), "--user", "clerk", "--dry-run", stdout=out)
    assert "有行被拒绝" in str(refused.value)  # rows were rejected under "all": exit 2
    text = out.getvalue()
    assert "无法识别的金额“三百”" in text and "日期不存在：2019年2月30日" in text and "必填项未填写" in text
    assert "not an amount" not in text and "Required" not in text
    assert not Project.objects.filter(name="硒茶冷链仓储改造项目").exists()
