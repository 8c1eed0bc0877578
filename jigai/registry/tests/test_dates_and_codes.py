"""Dates that make sense and codes checked as docs/programme.md (参考数据) says: a plan for 9999 or a start
in 2035 is refused, the history follows a corrected start date, and “not-a-code” is not a project code."""

import datetime as dt
import zoneinfo

import pytest

from conftest import ProjectFactory
from jigai.core.codes import CodeError, validate_project_code
from jigai.registry import services
from jigai.registry.models import Project, ProjectTransition

from .test_pages_and_api import _form

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("planned_completion_date", "9999-12-31", "计划竣工日期 9999-12-31 不在合理范围内（2000—2030年）"),
        ("actual_start_date", "2035-03-01", "实际开工日期 2035-03-01 不在合理范围内"),
        ("plan_years", "2018,2099", "计划年度 2099 不在合理范围内"),
        ("project_code", "not-a-code", "“not-a-code”不是项目代码"),
    ],
)
def test_implausible_dates_and_codes_are_refused_on_the_edit_form(client_for, users, field, value, message):
    p = ProjectFactory(region=users["clerk"].region)
    r = client_for("clerk").post(f"/projects/{p.pk}/edit/", _form(p, **{field: value}))
    assert r.status_code == 200 and message in r.content.decode()
    p.refresh_from_db()
    assert p.version == 1 and p.project_code in (None, "")
    assert not Project.objects.filter(project_code="NOT-A-CODE").exists()


def test_the_range_is_a_setting(settings, users):
    settings.JIGAI_PROJECT_YEARS = (2000, 2040)
    p = ProjectFactory(region=users["clerk"].region)
    services.project_update(user=users["office"], project=p, data={"planned_completion_date": dt.date(2035, 6, 30)},
                            expected_version=p.version)  # fmt: skip


def test_legacy_codes_need_the_year_they_were_issued():
    assert validate_project_code("ENSHI2018-001") == "ENSHI2018-001"
    for bad in ("not-a-code", "NOT-A-CODE", "ABC-1"):
        with pytest.raises(CodeError, match="不是项目代码"):
            validate_project_code(bad)


def test_a_start_date_corrected_in_the_edit_form_is_corrected_in_the_history(client_for, users):
    p = ProjectFactory(region=users["clerk"].region, status="reserve", actual_start_date=None)
    services.project_transition(user=users["clerk"], project=p, to_status="construction", reason="开工",
                                at=dt.datetime(2019, 3, 2, 9, tzinfo=BEIJING),
                                effective_date=dt.date(2019, 3, 1))  # fmt: skip
    p.refresh_from_db()
    r = client_for("clerk").post(f"/projects/{p.pk}/edit/", _form(p, actual_start_date="2019-04-15"))
    assert r.status_code == 302
    p.refresh_from_db()
    move = ProjectTransition.objects.get(project=p, to_status="construction")
    assert p.actual_start_date == move.effective_date == dt.date(2019, 4, 15)
    assert "实际开工日期已由 2019-03-01 更正为 2019-04-15" in move.reason
    page = client_for("clerk").get(f"/projects/{p.pk}/").content.decode()
    assert "2019年4月15日" in page or "2019-04-15" in page


def test_a_name_too_long_is_refused_in_the_office_words_not_djangos(client_for, users):
    p = ProjectFactory(region=users["clerk"].region)
    page = client_for("clerk").post(f"/projects/{p.pk}/edit/", _form(p, name="技" * 130)).content.decode()
    assert "最多 120 个字（现有 130 个字），请精简。" in page and "确保该变量" not in page


def test_an_amount_reads_the_same_in_the_list_and_on_the_detail_page(client_for, users):
    from decimal import Decimal

    p = ProjectFactory(region=users["clerk"].region, total_investment_yuan=Decimal("50000000.00"),
                       equipment_investment_yuan=Decimal("3000001.00"))  # fmt: skip
    c = client_for("clerk")
    detail = c.get(f"/projects/{p.pk}/").content.decode()
    listing = c.get("/projects/").content.decode()
    assert "5,000.00" in detail and "5,000.00" in listing and "5,000.0000" not in detail
    assert "300.0001" in detail and "300.0001" in listing  # a typed 300.0001 万元 is never rounded away
