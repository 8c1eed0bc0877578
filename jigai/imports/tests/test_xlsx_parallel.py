"""A large sheet is parsed in a forked child process: same rows, same refusals, no stray processes."""

import io
import multiprocessing
import os
import zipfile

import pytest

from jigai.imports import validate
from jigai.imports import xlsx as xlsx_module
from jigai.imports.safety import UploadRefused
from jigai.imports.xlsx import XlsxBook

from .tables import project_spec
from .test_engine import clerk, messy_workbook
from .test_xlsx import book_1904, handmade, odd_workbook
from .workbooks import xlsx

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="the child reader needs fork"
)


def book(data: bytes) -> XlsxBook:
    return XlsxBook(zipfile.ZipFile(io.BytesIO(data)))


def many_rows(n: int) -> bytes:
    rows = [["项目名称", "所属县市", "总投资（万元）"]]
    rows += [[f"项目{i}", "恩施市", i * 1.5] for i in range(n)]
    return xlsx(rows)


@pytest.fixture(autouse=True)
def no_children_left():
    yield
    assert multiprocessing.active_children() == []


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(xlsx_module, "BATCH_ROWS", 7)


@pytest.mark.parametrize("make", [messy_workbook, odd_workbook, book_1904], ids=["messy", "odd", "1904"])
def test_the_child_process_gives_the_same_rows(make, small_batches):
    b = book(make())
    sheet = b.sheets[0]
    serial = list(b.rows(sheet, parallel=False))
    parallel = list(b.rows(sheet, parallel=True))
    assert parallel == serial
    # the kinds survive the trip (Formula and CellError are str subclasses)
    assert [type(v) for _, row in parallel for v in row] == [type(v) for _, row in serial for v in row]


def test_rows_arrive_in_order_across_many_batches(small_batches):
    b = book(many_rows(100))
    rows = list(b.rows(b.sheets[0], parallel=True))
    assert [n for n, _ in rows] == list(range(1, 102))
    assert rows[-1] == (101, ("项目99", "恩施市", 148.5))


def test_only_a_large_sheet_goes_to_a_child(monkeypatch):
    started = []
    real = XlsxBook._forked_rows

    def spy(self, sheet):
        started.append(sheet.name)
        return real(self, sheet)

    monkeypatch.setattr(XlsxBook, "_forked_rows", spy)
    monkeypatch.setattr(xlsx_module, "_can_fork", lambda: True)
    b = book(many_rows(50))
    size = b.archive.getinfo(b.sheets[0].path).file_size
    monkeypatch.setattr(xlsx_module, "PARALLEL_MIN_BYTES", size + 1)
    list(b.rows(b.sheets[0]))
    assert started == []
    monkeypatch.setattr(xlsx_module, "PARALLEL_MIN_BYTES", size)
    list(b.rows(b.sheets[0]))
    assert started == [b.sheets[0].name]
    monkeypatch.setattr(xlsx_module, "_can_fork", lambda: False)  # one core, or no fork
    list(b.rows(b.sheets[0]))
    assert len(started) == 1


def test_a_broken_sheet_is_refused_the_same_way():
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1"><v>1</v>'
    )
    b = book(handmade(sheet))
    with pytest.raises(UploadRefused) as serial:
        list(b.rows(b.sheets[0], parallel=False))
    with pytest.raises(UploadRefused) as parallel:
        list(b.rows(b.sheets[0], parallel=True))
    assert (parallel.value.message, parallel.value.code) == (serial.value.message, serial.value.code)
    assert parallel.value.code == "corrupt"


def test_a_refusal_after_some_rows_comes_at_the_same_point(small_batches):
    body = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 21))
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<sheetData>{body}<row r="21"><c r="A21" t="s"><v>5</v></c></row></sheetData></worksheet>'
    )
    b = book(handmade(sheet))
    seen: dict[bool, list] = {False: [], True: []}
    for parallel in (False, True):
        with pytest.raises(UploadRefused):
            for item in b.rows(b.sheets[0], parallel=parallel):
                seen[parallel].append(item)
    assert seen[True] == seen[False]


def test_stopping_early_ends_the_child(monkeypatch):
    monkeypatch.setattr(xlsx_module, "BATCH_ROWS", 1)
    b = book(many_rows(2000))
    rows = b.rows(b.sheets[0], parallel=True)
    assert next(rows) == (1, ("项目名称", "所属县市", "总投资（万元）"))
    assert len(multiprocessing.active_children()) == 1
    rows.close()  # what happens when the engine stops at the row limit
    assert multiprocessing.active_children() == []


def test_a_child_that_dies_is_a_clear_refusal(monkeypatch):
    monkeypatch.setattr(xlsx_module, "_produce", lambda *args: os._exit(3))
    b = book(many_rows(10))
    with pytest.raises(UploadRefused) as err:
        list(b.rows(b.sheets[0], parallel=True))
    assert "读取中断" in err.value.message and "工作表" in err.value.message


def test_a_bug_in_the_child_is_raised_with_its_traceback(monkeypatch):
    def broken(self, sheet):
        raise ZeroDivisionError("boom")
        yield  # pragma: no cover

    monkeypatch.setattr(XlsxBook, "_rows", broken)
    b = book(many_rows(10))
    with pytest.raises(RuntimeError, match="ZeroDivisionError: boom"):
        list(b.rows(b.sheets[0], parallel=True))


def test_when_no_process_can_be_started_the_sheet_is_read_here(monkeypatch):
    def refuse(self):
        raise OSError("no more processes")

    monkeypatch.setattr(multiprocessing.context.ForkProcess, "start", refuse)
    b = book(many_rows(30))
    assert list(b.rows(b.sheets[0], parallel=True)) == list(b.rows(b.sheets[0], parallel=False))


def test_a_whole_validation_reports_the_same_either_way(monkeypatch):
    data = messy_workbook()
    serial = validate(project_spec(), data, clerk(), filename="2018年项目.xlsx").as_dict()
    monkeypatch.setattr(xlsx_module, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(xlsx_module, "_can_fork", lambda: True)
    parallel = validate(project_spec(), data, clerk(), filename="2018年项目.xlsx").as_dict()
    for report in (serial, parallel):
        report.pop("timings", None)
    assert parallel == serial
    assert serial["counts"]["rejected"] > 0  # the messy rows are there to compare
