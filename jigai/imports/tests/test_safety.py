import io
import time
import tracemalloc
import zipfile

import openpyxl
import pytest

from jigai.imports import safety
from jigai.imports.reader import read_upload
from jigai.imports.safety import CheckedUpload, UploadLimits, UploadRefused, check_upload

from .tables import project_spec
from .workbooks import BILLION_LAUGHS, MAIN_XLSM, XXE, handmade_xlsx, xlsx, zip_bomb

LIMITS = UploadLimits()


def refusal(data, **kwargs) -> UploadRefused:
    with pytest.raises(UploadRefused) as err:
        check_upload(data, limits=kwargs.pop("limits", LIMITS), **kwargs)
    return err.value


def test_openpyxl_parses_xml_through_defusedxml():
    assert openpyxl.DEFUSEDXML is True
    safety.require_defusedxml()


def test_a_plain_workbook_passes_and_is_fingerprinted():
    data = xlsx([["项目名称", "所属县市"], ["甲", "恩施市"]])
    upload = check_upload(data, filename="projects.xlsx", limits=LIMITS)
    assert upload.kind == "xlsx"
    assert len(upload.sha256) == 64
    assert upload.source.startswith("projects.xlsx (sha256:")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    class Huge:
        name = "big.xlsx"
        size = 50 * 1024 * 1024

        def read(self, n=-1):
            raise AssertionError("must not be read")

    err = refusal(Huge())
    assert err.code == "too_large"
    assert "20.0 MB" in err.message


def test_the_size_limit_is_a_parameter():
    data = xlsx([["项目名称"]])
    assert refusal(data, max_bytes=1000).code == "too_large"
    assert refusal(io.BytesIO(data), max_bytes=1000).code == "too_large"


def test_the_default_size_limit_comes_from_the_setting(settings):
    settings.JIGAI_UPLOAD_MAX_BYTES = 1234
    assert UploadLimits.from_settings().max_bytes == 1234


def test_an_xls_file_is_refused_with_save_as_xlsx():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000
    err = refusal(ole, filename="项目.xls")
    assert err.code == "xls"
    assert "请将文件另存为 .xlsx 格式后再导入" in err.message


def test_an_xls_that_is_really_a_web_page_is_refused_too():
    err = refusal(b"<html><table><tr><td>1</td></tr></table></html>", filename="export.xls")
    assert "另存为 .xlsx" in err.message


def test_an_xlsm_file_is_refused_as_a_macro_workbook():
    assert refusal(handmade_xlsx(), filename="项目.xlsm").code == "macro"


def test_a_workbook_with_a_vba_project_is_refused_whatever_its_name():
    data = handmade_xlsx(extra_parts={"xl/vbaProject.bin": b"\0" * 100})
    err = refusal(data, filename="项目.xlsx")
    assert err.code == "macro"
    assert "宏" in err.message


def test_a_macro_enabled_content_type_is_refused():
    assert refusal(handmade_xlsx(main=MAIN_XLSM), filename="a.xlsx").code == "macro"


def test_excel4_macro_sheets_are_refused():
    data = handmade_xlsx(extra_parts={"xl/macrosheets/sheet1.xml": b"<xm/>"})
    assert refusal(data).code == "macro"


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("readme.txt", "hello")
    assert refusal(buffer.getvalue(), filename="a.xlsx").code == "not_xlsx"


def test_a_truncated_workbook_is_refused():
    data = xlsx([["项目名称"]])
    assert refusal(data[: len(data) // 2]).code == "bad_zip"


def test_an_empty_file_is_refused():
    assert refusal(b"").code == "empty"


def test_binary_junk_is_refused():
    assert refusal(b"\x00\x01\x02" * 100, filename="a.csv").code == "binary"


def test_a_zip_bomb_is_refused_quickly_from_the_zip_directory_with_bounded_memory():
    bomb = zip_bomb()  # 1 GB of zeros in about 1 MB
    assert len(bomb) < 2 * 1024 * 1024
    tracemalloc.start()
    started = time.perf_counter()
    try:
        err = refusal(bomb, filename="bomb.xlsx")
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    elapsed = time.perf_counter() - started
    assert err.code == "zip_bomb"
    assert "压缩炸弹" in err.message
    assert elapsed < 1.0
    assert peak < 10 * 1024 * 1024


def test_an_extreme_compression_ratio_is_refused_even_under_the_total_limit():
    bomb = zip_bomb(uncompressed=64 * 1024 * 1024)
    err = refusal(bomb, limits=UploadLimits(max_uncompressed_bytes=10**12))
    assert err.code == "zip_bomb"
    assert "压缩比" in err.message


def test_too_many_zip_entries_are_refused():
    data = handmade_xlsx(extra_parts={f"xl/media/image{i}.png": b"x" for i in range(50)})
    assert refusal(data, limits=UploadLimits(max_entries=20)).code == "zip_entries"


def test_an_encrypted_zip_entry_is_refused():
    data = bytearray(handmade_xlsx())
    # Set the "encrypted" flag of every entry in the central directory.
    start = 0
    while (i := data.find(b"PK\x01\x02", start)) != -1:
        data[i + 8] |= 1
        start = i + 4
    assert refusal(bytes(data)).code == "encrypted"


@pytest.mark.parametrize("doctype", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_entity_declarations_in_a_workbook_are_refused_before_parsing(doctype):
    data = handmade_xlsx(doctype=doctype, cell="&lol9;" if "lol" in doctype else "&xxe;")
    tracemalloc.start()
    started = time.perf_counter()
    try:
        err = refusal(data, filename="evil.xlsx")
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert err.code == "xml_entities"
    assert time.perf_counter() - started < 1.0
    assert peak < 10 * 1024 * 1024


@pytest.mark.parametrize("doctype", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_defusedxml_refuses_entities_even_if_the_prescan_were_bypassed(doctype):
    data = handmade_xlsx(doctype=doctype, cell="&lol9;" if "lol" in doctype else "&xxe;")
    upload = CheckedUpload("xlsx", data, "evil.xlsx", "0" * 64)  # as if check_upload had passed it
    with pytest.raises(UploadRefused) as err:
        for sheet in read_upload(upload, project_spec()):
            list(sheet.rows)
    assert err.value.code == "xml_entities"


def test_a_doctype_hidden_behind_a_long_prolog_is_refused():
    padding = "<!--" + "x" * 70000 + "-->"
    data = handmade_xlsx(doctype=padding + XXE, cell="&xxe;")
    assert refusal(data).code in {"xml_prolog", "xml_entities"}


def test_a_handmade_workbook_without_tricks_is_readable():
    upload = check_upload(handmade_xlsx(), limits=LIMITS)
    sheets = list(read_upload(upload, project_spec()))
    assert sheets[0].header_rows == (1,)
