import io
import json

import pytest

from jigai.imports import ImportContext, cli, tables

from .tables import DictAdapter, make_code, project_spec
from .test_engine import messy_workbook
from .workbooks import xlsx


@pytest.fixture
def adapter():
    adapter = DictAdapter()
    tables.register("test-projects", lambda: project_spec(adapter))
    yield adapter
    tables.unregister("test-projects")


@pytest.fixture(autouse=True)
def no_django_transaction(monkeypatch, adapter):
    # No database here: the in-memory adapter brings its own "transaction".
    from django.db import transaction

    monkeypatch.setattr(transaction, "atomic", lambda using=None: adapter.atomic())


def clerk(user):
    return ImportContext(user=user, unit="422801" if user == "enshi" else None)


def call(*argv):
    out = io.StringIO()
    code = cli.main(list(argv), clerk, out=out)
    return code, out.getvalue()


def test_all_or_nothing_exits_2_when_rows_are_rejected(tmp_path, adapter):
    path = tmp_path / "项目.xlsx"
    path.write_bytes(messy_workbook())
    code, text = call("test-projects", str(path), "--user", "enshi")
    assert code == 2
    assert "拒绝 5 行" in text
    assert adapter.store == {}


def test_good_rows_only_exits_0_and_writes(tmp_path, adapter):
    path = tmp_path / "项目.xlsx"
    path.write_bytes(messy_workbook())
    code, text = call("test-projects", str(path), "--mode", "good", "--user", "enshi")
    assert code == 0
    assert "已写入：新增 2 行" in text
    assert len(adapter.store) == 2


def test_a_dry_run_prints_the_report_as_json_and_writes_nothing(tmp_path, adapter):
    path = tmp_path / "项目.xlsx"
    path.write_bytes(
        xlsx([["项目名称", "所属县市", "统一社会信用代码", "总投资"], ["甲", "恩施市", make_code(1), 1]])
    )
    code, text = call("test-projects", str(path), "--dry-run", "--json")
    assert code == 0
    data = json.loads(text)
    assert data["counts"]["new"] == 1 and data["dry_run"] is True
    assert adapter.store == {}


def test_an_unknown_table_or_file_is_a_clear_message(tmp_path, adapter):
    code, text = call("nothing", "x.xlsx")
    assert code == 2 and text.startswith("没有名为“nothing”的导入表。可导入的表：")
    assert "test-projects" in text  # besides the apps' own tables (projects, enterprises …)
    code, text = call("test-projects", str(tmp_path / "missing.xlsx"))
    assert code == 2 and "找不到文件" in text


def test_an_xls_file_exits_2_with_the_save_as_message(tmp_path, adapter):
    path = tmp_path / "旧.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000)
    code, text = call("test-projects", str(path))
    assert code == 2
    assert "请将文件另存为 .xlsx 格式后再导入" in text


def test_a_failed_write_exits_1(tmp_path, adapter):
    adapter.fail_after = 0
    path = tmp_path / "项目.xlsx"
    path.write_bytes(
        xlsx([["项目名称", "所属县市", "统一社会信用代码", "总投资"], ["甲", "恩施市", make_code(1), 1]])
    )
    code, text = call("test-projects", str(path))
    assert code == 1
    assert "已全部撤销" in text
    assert adapter.store == {}
