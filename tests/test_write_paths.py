"""Every public write path, for every business entity, leaves one audit record per changed row (issue 10
point 5, issue 11 points 8 and 10).

Each case writes through one path (page, API, import page, `jigai import`, admin) as one user, then
compares the entity's table before and after: every created or changed row must have its own audit
record naming that user and the path; an import's records also name the file (name and SHA-256). A
path that must not write (the admin for enterprises and projects, `jigai loaddata`) must be refused
and change nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.forms.models import model_to_dict

from conftest import ProjectFactory, make_credit_code
from jigai.assessment import services as assessment_services
from jigai.assessment.models import FollowUp, InterviewCase, UnitLeader
from jigai.assessment.periods import Period
from jigai.assessment.tests.factories import AT, june_2019
from jigai.core import audit
from jigai.core.models import AuditEvent, Region
from jigai.dispatch.models import ProgressReport, RegionStatistic
from jigai.dispatch.tests.test_pages import form_data
from jigai.imports.tests.workbooks import xlsx
from jigai.registry.models import Enterprise, Project

pytestmark = pytest.mark.django_db

D = dt.date
PROGRESS_HEAD = ["报送单位", "年度", "月份", "项目名称", "本月完成投资", "开工累计完成投资"]
STAT_HEAD = ["报送单位", "年度", "月份", "工业投资累计", "技改投资累计"]
ENTERPRISE_HEAD = ["企业名称", "统一社会信用代码", "报送单位", "行业代码"]
PROJECT_HEAD = ["项目名称", "统一社会信用代码", "总投资", "设备投资", "固定资产投资", "计划开工日期"]


class World:
    """The users, a logged-in client per role, and the records the writes start from."""

    def __init__(self, users, client, tmp_path, settings):
        settings.JIGAI_IMPORT_UPLOAD_DIR = str(tmp_path / "uploads")
        self.users, self._client, self.tmp = users, client, tmp_path
        self.region = Region.objects.get(code="422801")
        self.enterprise = users["_own_enterprise"]
        self.project = ProjectFactory(enterprise=self.enterprise, name="在建项目", actual_start_date=D(2019, 1, 10),
                                      status="construction")  # fmt: skip
        self.file = ""  # the file name an import case used

    def client(self, role: str):
        self._client.force_login(self.users[role])
        return self._client

    def upload(self, role: str, table: str, rows: list, name: str) -> None:
        self.file = name
        c = self.client(role)
        r = c.post(
            "/imports/upload/", {"table": table, "mode": "all", "file": SimpleUploadedFile(name, xlsx(rows))}
        )
        assert r.status_code == 200 and "token" in r.context, r.content.decode()[:500]
        r = c.post("/imports/confirm/", {"token": r.context["token"], "mode": "all"})
        assert "已写入" in r.content.decode(), r.content.decode()[:2000]

    def command(self, role: str, table: str, rows: list, name: str) -> None:
        self.file = name
        path = self.tmp / name
        path.write_bytes(xlsx(rows))
        call_command("import", table, str(path), "--user", self.users[role].username, stdout=io.StringIO())


# --- the writes -------------------------------------------------------------------------------------


def enterprise_page(w: World):
    r = w.client("clerk").post("/projects/enterprises/new/", {
        "name": "页面企业", "credit_code": make_credit_code(501), "region": w.region.pk,
        "industry": w.enterprise.industry_id, "registered_in_prefecture": "on",
    })  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:500]


def enterprise_api(w: World):
    r = w.client("clerk").post("/api/v1/enterprises", {
        "name": "接口企业", "credit_code": make_credit_code(502), "region_code": "422801", "industry_code": "15",
    }, content_type="application/json")  # fmt: skip
    assert r.status_code == 201, r.content


def enterprise_rows(w: World) -> list:
    return [ENTERPRISE_HEAD, ["导入企业甲", make_credit_code(503), "恩施市", "15"],
            [w.enterprise.name + "（更名）", w.enterprise.credit_code, "恩施市", "15"]]  # fmt: skip


def project_page(w: World):
    p = w.project
    r = w.client("clerk").post(f"/projects/{p.pk}/edit/", {
        "enterprise": p.enterprise_id, "region": p.region_id, "name": "页面改名", "content": "", "project_code": "",
        "industry": p.industry_id, "total_investment_wan": "5000", "equipment_investment_wan": "2000",
        "fixed_asset_investment_wan": "4000", "planned_start_date": "2018-03-01",
        "planned_completion_date": "2019-06-30", "plan_years": "2018", "conforms_industrial_policy": "on",
        "version": p.version,
    })  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:500]


def project_api(w: World):
    r = w.client("clerk").post("/api/v1/projects", {
        "enterprise_id": w.enterprise.pk, "name": "接口项目", "industry_code": "15",
        "total_investment_yuan": "30000000.00", "equipment_investment_yuan": "3000000.00",
        "fixed_asset_investment_yuan": "25000000.00", "plan_years": [2018],
    }, content_type="application/json")  # fmt: skip
    assert r.status_code == 201, r.content


def project_rows(w: World) -> list:
    credit = w.enterprise.credit_code
    return [PROJECT_HEAD, ["导入项目甲", credit, 800, 300, 600, "2019-03-01"],
            ["在建项目", credit, 6000, 2000, 4000, "2018-03-01"]]  # fmt: skip


def report_page(w: World):
    c = w.client("clerk")
    data = form_data(c.get("/dispatch/2019/6/report/").content.decode())
    assert data["form-0-project_id"] == str(w.project.pk)
    data.update({"form-0-month_investment_wan": "10", "form-0-cumulative_investment_wan": "10"})
    r = c.post("/dispatch/2019/6/report/", data, follow=True)
    assert "新报送 1 个" in r.content.decode(), r.content.decode()[:3000]


def report_api(w: World):
    r = w.client("clerk").post("/api/v1/dispatch/reports", json.dumps({
        "project_id": w.project.pk, "year": 2019, "month": 6, "month_investment_yuan": "100000.00",
        "cumulative_investment_yuan": "100000.00",
    }), content_type="application/json")  # fmt: skip
    assert r.status_code == 201, r.content


def report_rows(w: World) -> list:
    return [PROGRESS_HEAD, ["恩施市", 2019, 5, "在建项目", 10, 10], ["恩施市", 2019, 6, "在建项目", 5, 15]]


def statistic_page(w: World):
    r = w.client("clerk").post("/dispatch/statistics/2019/6/", {
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-region_id": str(w.region.pk),
        "form-0-industrial_wan": "85000", "form-0-tech_wan": "32000.5", "form-0-note": "",
    })  # fmt: skip
    assert r.status_code == 302


def statistic_api(w: World):
    r = w.client("clerk").put("/api/v1/dispatch/statistics", json.dumps({
        "region_code": "422801", "year": 2019, "month": 6, "industrial_investment_ytd_yuan": "850000000.00",
        "tech_investment_ytd_yuan": "320000000.00",
    }), content_type="application/json")  # fmt: skip
    assert r.status_code == 200, r.content


def statistic_rows(w: World) -> list:
    return [STAT_HEAD, ["恩施市", 2019, 5, 80000, 30000], ["恩施市", 2019, 6, 85000, 32000]]


def _held_case(w: World) -> InterviewCase:
    june_2019()
    assessment_services.ranking_publish(
        user=w.users["office"], period=Period.parse("2019Q2"), basis="cumulative", at=AT
    )
    case = InterviewCase.objects.get(region__code="422828")
    UnitLeader.objects.create(region=case.region, year=2019, deputy_name="李四", deputy_title="副县长",
                              principal_name="张三", principal_title="县长")  # fmt: skip
    return case


def interview_page(w: World):
    case = w.case
    r = w.client("office").post(f"/assessment/interviews/{case.pk}/notify/", {
        "version": case.version, "notice_date": "2019-07-12", "scheduled_text": "7月20日",
    })  # fmt: skip
    assert r.status_code == 302


def followup_page(w: World):
    case = w.case
    office = w.users["office"]
    case = assessment_services.interview_notify(user=office, case=case, notice_date=D(2019, 7, 12),
                                                scheduled_text="7月20日")  # fmt: skip
    assessment_services.interview_record(
        user=office, case=case, held_date=D(2019, 7, 20), place="州政府", interviewer="副州长", attendees="张三",
        commitments="三季度转正", follow_up_deadline_date=D(2019, 8, 20), at=AT,
    )  # fmt: skip
    case.refresh_from_db()
    w.users["clerk"].region = case.region
    w.users["clerk"].save()
    w.begin()  # what the set-up above wrote is not this case's write
    r = w.client("clerk").post(f"/assessment/interviews/{case.pk}/follow-up/", {
        "version": case.version, "reported_date": "2019-08-10", "content": "已落实整改",
    })  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:500]


def leaders_page(w: World):
    data = {"year": "2019", "422801-deputy_name": "副县长甲", "422801-principal_name": "县长甲"}
    assert w.client("office").post("/assessment/leaders/", data).status_code == 302


def region_admin(w: World):
    region = Region.objects.get(code="422802")
    data = {k: v for k, v in model_to_dict(region).items() if k != "id"}
    data["sort_order"] = region.sort_order + 20
    r = w.client("sysadmin").post(f"/admin/core/region/{region.pk}/change/", data)
    assert r.status_code == 302, r.context["adminform"].form.errors if r.context else r
    assert Region.objects.get(pk=region.pk).sort_order == region.sort_order + 20


def project_admin(w: World):
    p = w.project
    data = {k: v for k, v in model_to_dict(p).items() if v is not None}
    data.update(
        {"name": "管理后台修改", "equipment_investment_yuan": "999999999999", "total_investment_yuan": "1.00"}
    )
    assert w.client("office").post(f"/admin/registry/project/{p.pk}/change/", data).status_code == 403


def enterprise_admin(w: World):
    e = w.enterprise
    data = {**model_to_dict(e), "name": "管理后台改名"}
    data = {k: v for k, v in data.items() if v is not None}
    assert w.client("office").post(f"/admin/registry/enterprise/{e.pk}/change/", data).status_code == 403


def project_loaddata(w: World):
    fixture = w.tmp / "projects.json"
    fixture.write_text(json.dumps([{"model": "registry.project", "pk": w.project.pk, "fields": {
        **{k: str(v) if isinstance(v, Decimal | dt.date) else v for k, v in model_to_dict(w.project).items()
           if k not in ("id", "plan_years")}, "name": "fixture 改名", "created_at": "2019-01-01T00:00:00Z",
        "updated_at": "2019-01-01T00:00:00Z",
    }}]))  # fmt: skip
    with pytest.raises(CommandError, match="loaddata 不能写入技改通的业务数据"):
        call_command("loaddata", str(fixture), stdout=io.StringIO())


# --- the table --------------------------------------------------------------------------------------


@dataclass
class Case:
    entity: str
    path: str
    model: type
    write: Callable[[World], None]
    user: str = "clerk"
    source: str = "page"
    rows: Callable[[World], list] | None = None  # an import: the workbook's rows
    table: str = ""
    changed: int = 1  # rows created or changed; 0: the path is refused and writes nothing
    setup: Callable[[World], object] | None = None

    @property
    def id(self) -> str:
        return f"{self.entity}-{self.path}"


def imported(entity, model, table, rows, path, changed=2):
    source_user = "clerk"

    def write(w: World):
        name = f"{table}-{path}.xlsx"
        if path == "import":
            w.upload(source_user, table, rows(w), name)
        else:
            w.command(source_user, table, rows(w), name)

    return Case(entity, path, model, write, rows=rows, table=table, source="import", changed=changed)


CASES = [
    Case("enterprise", "page", Enterprise, enterprise_page),
    Case("enterprise", "api", Enterprise, enterprise_api, source="api"),
    imported("enterprise", Enterprise, "enterprises", enterprise_rows, "import"),
    imported("enterprise", Enterprise, "enterprises", enterprise_rows, "cli"),
    Case("enterprise", "admin", Enterprise, enterprise_admin, user="office", source="admin", changed=0),
    Case("project", "page", Project, project_page),
    Case("project", "api", Project, project_api, source="api"),
    imported("project", Project, "projects", project_rows, "import"),
    imported("project", Project, "projects", project_rows, "cli"),
    Case("project", "admin", Project, project_admin, user="office", source="admin", changed=0),
    Case("project", "cli-loaddata", Project, project_loaddata, source="command", changed=0),
    Case("monthly report", "page", ProgressReport, report_page),
    Case("monthly report", "api", ProgressReport, report_api, source="api"),
    imported("monthly report", ProgressReport, "progress", report_rows, "import"),
    imported("monthly report", ProgressReport, "progress", report_rows, "cli"),
    Case("region statistic", "page", RegionStatistic, statistic_page),
    Case("region statistic", "api", RegionStatistic, statistic_api, source="api"),
    imported("region statistic", RegionStatistic, "statistics", statistic_rows, "import"),
    imported("region statistic", RegionStatistic, "statistics", statistic_rows, "cli"),
    Case("interview case", "page", InterviewCase, interview_page, user="office", setup=_held_case),
    Case("follow-up", "page", FollowUp, followup_page, setup=_held_case),
    Case("unit leader", "page", UnitLeader, leaders_page, user="office"),
    Case("reporting unit (reference data)", "admin", Region, region_admin, user="sysadmin", source="admin"),
]


def table_state(model) -> dict:
    """Every row's audited fields (what `@track` records), by primary key."""
    fields = audit._TRACKED[model]
    return {obj.pk: audit.snapshot(obj, fields) for obj in model._base_manager.all()}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_every_changed_row_has_its_own_audit_record_naming_who_what_and_the_source(
    case, users, client, tmp_path, settings
):
    w = World(users, client, tmp_path, settings)
    w.case = case.setup(w) if case.setup else None

    def begin():
        w.before = table_state(case.model)
        w.seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0

    w.begin = begin
    begin()
    case.write(w)
    after = table_state(case.model)
    changed = {pk for pk, values in after.items() if w.before.get(pk) != values}
    assert len(changed) == case.changed, (changed, case)
    label = case.model._meta.label_lower
    records = list(AuditEvent.objects.filter(seq__gt=w.seq, object_type=label).order_by("seq"))
    recorded = {int(r.object_id) for r in records}
    assert changed <= recorded, f"rows without an audit record: {sorted(changed - recorded)}"
    user = users[case.user]
    for r in records:
        assert (r.username, r.user_id_ref, r.source) == (user.username, user.pk, case.source), r.__dict__
        if case.rows is not None:  # an import names its file in every record
            assert r.source_detail.startswith(w.file) and "sha256:" in r.source_detail, r.source_detail
    if not case.changed:
        assert records == []
    else:
        assert {r.event for r in records} <= {"create", "update", "correct"}
    assert audit.verify() == []
