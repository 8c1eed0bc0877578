"""列对应: a workbook whose headers the engine does not recognise is imported after the user maps them, on
the preview page (Django test client) and with ``jigai import --map``; the page's mapping is remembered
for the unit and table, and only for that unit."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import make_credit_code, make_user
from jigai.accounts.models import Role
from jigai.core.errors import PermissionDeniedError, ValidationError
from jigai.core.models import AuditEvent, Region
from jigai.imports import ImportContext, tables, validate
from jigai.imports.mapping import IGNORE, parse_map_options
from jigai.imports.tests.workbooks import xlsx
from jigai.registry.models import Enterprise, ImportColumnMapping
from jigai.registry.selectors import import_mapping_for
from jigai.registry.services import import_mapping_save

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kept_uploads(settings, tmp_path):
    settings.JIGAI_IMPORT_UPLOAD_DIR = str(tmp_path / "uploads")
    return tmp_path / "uploads"


def book(*names: str, unit: str = "422801") -> bytes:
    """An enterprise sheet as a county writes it: 企业全称 (not a header the table knows) and a 备注信息
    column nobody asked for."""
    rows = [["企业全称", "统一社会信用代码", "报送单位", "行业代码", "联系人", "备注信息"]]
    rows += [
        [name, make_credit_code(i + 500, unit), unit, "15", "张三", "老客户"] for i, name in enumerate(names)
    ]
    return xlsx(rows)


def upload(client, data: bytes, table: str = "enterprises"):
    return client.post(
        "/imports/upload/",
        {"table": table, "mode": "all", "file": SimpleUploadedFile("恩施市企业.xlsx", data)},
    )


def test_the_engine_reports_what_to_map_and_reads_the_file_once_mapped():
    spec = tables.get("enterprises")
    report = validate(spec, book("恩施硒茶有限公司"), ImportContext())
    assert report.refused
    assert report.unrecognised == ["企业全称", "备注信息"] and report.missing_columns == ["name"]
    assert "--map '表头=字段'" in report.as_text()
    mapping, problems = parse_map_options(spec, ["企业全称=企业名称", "备注 信息=忽略"])
    assert problems == [] and mapping == {"企业全称": "name", "备注信息": IGNORE}
    report = validate(spec, book("恩施硒茶有限公司"), ImportContext(mapping=mapping))
    assert not report.refused and report.counts["new"] == 1
    assert report.unrecognised == [] and report.missing_columns == []
    assert any("按设置的列对应读作“企业名称”" in w.reason for w in report.file_warnings)
    _, problems = parse_map_options(spec, ["企业全称=法人代表", "没有等号"])
    assert "“法人代表”不是“企业”的字段" in problems[0] and "应为 表头=字段" in problems[1]


def test_the_preview_page_maps_the_columns_shows_the_result_at_once_and_imports(client_for, users):
    c = client_for("clerk")
    r = upload(c, book("恩施硒茶有限公司", "恩施魔芋有限公司"))
    page = r.content.decode()
    assert r.status_code == 200 and 'id="map-form"' in page and 'id="confirm-form"' not in page
    assert "缺少的必填字段：企业名称" in page and "企业全称" in page and "备注信息" in page
    rows = r.context["mapping_rows"]
    assert [m["header"] for m in rows] == ["企业全称", "备注信息"]
    token = r.context["token"]

    r = c.post(
        "/imports/map/",
        {
            "token": token,
            "mode": "all",
            "header_0": "企业全称",
            "field_0": "name",
            "header_1": "备注信息",
            "field_1": "-",
        },
    )
    page = r.content.decode()
    assert r.status_code == 200 and r.context["counts"]["new"] == 2, page
    assert 'id="confirm-form"' in page and 'id="map-form"' not in page
    assert "企业全称 → 企业名称" in page and "备注信息 → 忽略" in page
    assert Enterprise.objects.filter(name="恩施硒茶有限公司").count() == 0  # a preview writes nothing

    r = c.post("/imports/confirm/", {"token": r.context["token"], "mode": "all"})
    assert "已写入：新增 2 行" in r.content.decode()
    assert Enterprise.objects.filter(name__in=["恩施硒茶有限公司", "恩施魔芋有限公司"]).count() == 2
    kept = ImportColumnMapping.objects.get(region_code="422801", table="enterprises")
    assert kept.mapping == {"企业全称": "name", "备注信息": "-"} and kept.updated_by == users["clerk"]
    assert AuditEvent.objects.filter(object_type="registry.importcolumnmapping", event="create").exists()

    # Next time the unit's file is read with the mapping at once.
    r = upload(c, book("恩施硒茶有限公司", "恩施魔芋有限公司", "恩施药业有限公司"))
    page = r.content.decode()
    assert r.context["counts"]["new"] == 1 and r.context["counts"]["unchanged"] == 2
    assert 'id="confirm-form"' in page and 'id="map-form"' not in page

    # Only for that unit: 利川市's clerk, or the office, still gets the mapping form.
    lichuan = make_user("clerk_422802", Role.CLERK, region=Region.objects.get(code="422802"))
    c.force_login(lichuan)
    assert 'id="map-form"' in upload(c, book("利川企业", unit="422802")).content.decode()
    c.force_login(users["office"])
    assert 'id="map-form"' in upload(c, book("州企业")).content.decode()
    assert import_mapping_for(users["office"], "enterprises") == {}
    assert import_mapping_for(users["clerk"], "projects") == {}  # and only for that table


def test_the_import_command_takes_map_options(users, tmp_path):
    path = tmp_path / "企业.xlsx"
    path.write_bytes(book("恩施硒茶有限公司"))
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import", "enterprises", str(path), "--user", "clerk", stdout=out)
    assert exc.value.returncode == 2 and "缺少必填列：企业名称" in out.getvalue()
    assert "--map '表头=字段'" in out.getvalue() and "“企业全称”" in out.getvalue()
    with pytest.raises(CommandError) as exc:
        call_command(
            "import", "enterprises", str(path), "--user", "clerk", "--map", "企业全称=法人", stdout=out
        )
    assert exc.value.returncode == 2 and "不是“企业”的字段" in str(exc.value)
    out = io.StringIO()
    call_command(
        "import", "enterprises", str(path), "--user", "clerk",
        "--map", "企业全称=企业名称", "--map", "备注信息=忽略", stdout=out,
    )  # fmt: skip
    assert "已写入：新增 1 行" in out.getvalue()
    assert Enterprise.objects.filter(name="恩施硒茶有限公司", region__code="422801").exists()
    assert not ImportColumnMapping.objects.exists()  # --map is for this run only


def test_the_command_applies_the_units_remembered_mapping(users, tmp_path):
    import_mapping_save(
        user=users["clerk"], table="enterprises", mapping={"企业全称": "name", "备注信息": "-"}, at=_now()
    )
    path = tmp_path / "企业.xlsx"
    path.write_bytes(book("恩施硒茶有限公司"))
    out = io.StringIO()
    call_command("import", "enterprises", str(path), "--user", "clerk", stdout=out)
    assert "已写入：新增 1 行" in out.getvalue()


def test_the_mapping_service_refuses_what_it_cannot_keep(users):
    clerk = users["clerk"]
    with pytest.raises(ValidationError) as exc:
        import_mapping_save(user=clerk, table="enterprises", mapping={"企业全称": "legal_person"}, at=_now())
    assert "mapping" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        import_mapping_save(user=clerk, table="enterprises", mapping={"甲": "name", "乙": "name"}, at=_now())
    assert "只能对应一列" in exc.value.errors["mapping"][0]
    with pytest.raises(ValidationError):
        import_mapping_save(user=clerk, table="nothing", mapping={"甲": "name"}, at=_now())
    with pytest.raises(PermissionDeniedError):
        import_mapping_save(user=users["enterprise"], table="enterprises", mapping={"甲": "name"}, at=_now())
    import_mapping_save(user=clerk, table="enterprises", mapping={"企业全称": "name"}, at=_now())
    import_mapping_save(user=clerk, table="enterprises", mapping={"单位全称": "name"}, at=_now())
    # A field mapped anew drops the header it was mapped from before.
    assert import_mapping_for(clerk, "enterprises") == {"单位全称": "name"}


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("office", True), ("clerk", True), ("finance", False), ("leader", False), ("enterprise", False)],
)
def test_who_may_map_columns(client_for, role, allowed):
    r = client_for(role).post("/imports/map/", {"token": "0" * 64, "mode": "all"})
    assert (r.status_code != 403) is allowed


def _now():
    return dt.datetime(2019, 5, 1, 9, 0, tzinfo=dt.UTC)
