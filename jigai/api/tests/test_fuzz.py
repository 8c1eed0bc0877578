"""Schema-driven fuzzing of /api/v1 (docs/security.md, Platform): for every role and for an anonymous caller,
every operation of the API's own OpenAPI document gets generated requests, valid and invalid, and no
answer may be a server error. Every answer must also be one the document promises (status, content type,
body schema); every 4xx is JSON in Chinese; an anonymous caller gets 401 everywhere; and no call changes
what the role may not change (another county's records for a clerk, the government's fields for an
enterprise, anything at all for the read-only and administrator roles).

Requests go in-process through Django's WSGI handler (no server, no network), with a Bearer token per
role. Each example runs in a savepoint that is rolled back, so examples are independent and a failure
reproduces from its seed (``derandomize``). A third of the examples take real identifiers and codes (path
parameters, ``enterprise_id``, ``region_code`` …) so that the fuzzed text, amounts and dates around them
reach the services and the database instead of stopping at a lookup; another share carries integers out of
every range (ids beyond 64 bits, negative years), which must be a 404 or a 422, never a 500.

The default (16 examples per operation, 4 for roles refused everything) keeps the file near 45 s on SQLite
and 60 s on PostgreSQL on a 2-core machine; ``JIGAI_FUZZ_EXAMPLES=100`` searches deeper (about 5 minutes).
"""

from __future__ import annotations

import os
import re
import traceback
from decimal import Decimal

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import make_credit_code
from jigai.accounts.models import Role
from jigai.accounts.permissions import ENTERPRISE_OWNED_FIELDS
from jigai.accounts.services import token_create
from jigai.api.api import api
from jigai.assessment import services as assessment_services
from jigai.assessment.models import CaseStatus, InterviewCase, Ranking
from jigai.assessment.periods import Period
from jigai.assessment.ranking import BASES
from jigai.assessment.tests.factories import AT, june_2019
from jigai.dispatch import services as dispatch_services
from jigai.dispatch.models import Bulletin, ProgressReport, RegionStatistic
from jigai.dispatch.tests.helpers import bj, project, report
from jigai.incentives import services as incentive_services
from jigai.incentives.models import Acceptance, AcceptanceAmendment
from jigai.policy.tests.test_decisions import RECORD as POLICY_RECORD
from jigai.registry.models import (
    Enterprise,
    EnterpriseScaleYear,
    Project,
    ProjectPlanYear,
    ProjectStatus,
    ProjectTransition,
)
from jigai.support import services as support_services
from jigai.support.models import ApprovalItem, Filing, FollowUp, Land, Meeting, Secretary

pytestmark = pytest.mark.django_db

SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema())
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
ANONYMOUS = "anonymous"
ROLES = [*Role.values, ANONYMOUS]
# Roles refused everything the API offers answer the same 401/403 to every request: fewer examples.
EXAMPLES = int(os.environ.get("JIGAI_FUZZ_EXAMPLES", "16"))
REFUSED_EXAMPLES = max(2, EXAMPLES // 4)
REFUSED_ROLES = {ANONYMOUS, Role.BANK, Role.AUDITOR, Role.SECURITY_ADMIN, Role.SYSADMIN}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler, called in-process. As Django's test client does, the handler must not close
    the test's database connection at the end of a request: that would end the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def server_errors():
    """The traceback behind each 500, for the failure message."""
    seen: list[str] = []

    def keep(sender, request=None, **kwargs):
        seen.append(traceback.format_exc())

    signals.got_request_exception.connect(keep)
    yield seen
    signals.got_request_exception.disconnect(keep)


@pytest.fixture
def world(users):
    """Two counties with enterprises, projects in several states and reports; statistics; a published
    monthly bulletin and a published ranking with its interview cases."""
    clerk, office = users["clerk"], users["office"]
    own = project("422801", enterprise=users["_own_enterprise"], total_wan=3000)
    mine = project("422801", total_wan=5000)
    project("422801", start=None)
    theirs = project("422802", total_wan=2000)
    project("422802", completion=bj(2019, 5, 1).date())
    for m in (5, 6):
        report(clerk, own, 2019, m, 100, 100 * m)
        report(clerk, mine, 2019, m, 200, 200 * m)
        report(office, theirs, 2019, m, 50, 50 * m)
    june_2019()
    dispatch_services.bulletin_publish(
        user=office, year=2019, month=6, at=bj(2019, 7, 12), issue_date=bj(2019, 7, 12).date()
    )
    assessment_services.ranking_publish(user=office, period=Period.parse("2019Q2"), basis="cumulative", at=AT)
    for code, outcome, deadline in (("422801", "pass", None), ("422802", "rectify", bj(2019, 9, 30).date())):
        incentive_services.acceptance_record(
            user=office, project=project(code, completion=bj(2019, 5, 1).date()), inspection_date=bj(2019, 7, 1).date(),
            team=[office, users["finance"]], leader=office, findings="现场核查", outcome=outcome,
            rectify_deadline_date=deadline, at=AT,
        )  # fmt: skip
    # Funds (lane funds): an item proposed for two counties' projects, in a batch waiting for finance.
    from jigai.funds import services as funds_services
    from jigai.funds.models import Batch as FundBatch
    from jigai.funds.models import Item as FundItem

    fund_items = [
        funds_services.item_propose(
            user=office,
            source=f"fuzz:{p.pk}",
            clause="3.1.1",
            year=2019,
            enterprise=p.enterprise,
            project=p,
            region=p.region,
            entitled_yuan=Decimal("100000.00"),
            prefecture_share_yuan=Decimal("50000.00"),
            county_share_yuan=Decimal("50000.00"),
            decision={},
            explanation="按3.1.1测算",
            at=AT,
        )
        for p in (own, theirs)
    ]
    funds_services.batch_prepare(user=office, title="第一批", items=fund_items, at=AT)
    # Enterprise services (3.5, 4.2): a receipted filing, an approval item and a meeting with a follow-up.
    support_services.filing_submit(
        user=users["enterprise"], project=own, facts={"project_type": "equipment_renewal", "new_land_area_m2": "0"},
        content="设备更新", filing_date=bj(2019, 3, 4).date(), at=AT,
    )  # fmt: skip
    support_services.approval_add(user=office, project=mine, kind="eia", at=AT)
    support_services.meeting_record(
        user=office, kind="consultation", title="会商", date=bj(2019, 3, 1).date(), chair="主任", participants="各部门",
        projects=[own], decisions=[{"decision": "协调", "owner": clerk, "time_limit_days": 5, "project": own}], at=AT,
    )  # fmt: skip
    # Applications (lane apps): a submitted application of the own enterprise, with its equipment list and
    # supporting files (so that the application and attachment reads are reached).
    from jigai.attachments.models import Attachment
    from jigai.attachments.services import attachment_store
    from jigai.attachments.tests import files as sample_files
    from jigai.incentives.models import Application

    ent_user = users["enterprise"]
    applied = project("422801", enterprise=users["_own_enterprise"], completion=bj(2019, 5, 1).date())
    application = incentive_services.application_create(
        user=ent_user, project=applied, claimed_equipment_investment_yuan=applied.equipment_investment_yuan,
        claimed_fixed_asset_investment_yuan=applied.fixed_asset_investment_yuan, at=AT,
    )  # fmt: skip
    incentive_services.equipment_line_add(
        user=ent_user, application=application, name="数控机床", model="", quantity=1, supplier="某公司",
        invoice_number="0001", amount_yuan=applied.equipment_investment_yuan, at=AT,
    )  # fmt: skip
    for kind, _label in incentive_services.REQUIRED_FILES:
        attachment_store(
            user=ent_user, owner=application, kind=kind, upload=sample_files.upload(f"{kind}.pdf", sample_files.PDF),
            at=AT,
        )  # fmt: skip
    incentive_services.application_submit(user=ent_user, application=application, at=AT)
    # Attachments, champions, notices (lane attach): a verified declaration with its certificate, its award
    # approved and on a public notice with an objection.
    from jigai.attachments import services as attachment_services
    from jigai.champions import services as champion_services
    from jigai.champions.models import Declaration
    from jigai.notices import services as notice_services
    from jigai.notices.models import Notice, NoticeEntry, Objection

    ent_user, own_ent = users["enterprise"], users["_own_enterprise"]
    decl = champion_services.declaration_create(
        user=ent_user, enterprise=own_ent, technology="富硒茶多酚提取", year=2019, level="national", rank=1,
        industry="硒食品加工", at=AT,
    )  # fmt: skip
    attachment_services.attachment_store(
        user=ent_user,
        owner=decl,
        kind="certificate",
        upload=sample_files.upload("证书.pdf", sample_files.PDF),
        at=AT,
    )
    decl = champion_services.declaration_submit(user=ent_user, declaration=decl, at=AT)
    champion_services.declaration_verify(user=office, declaration=decl, at=AT)
    funds_services.budget_allocate(
        user=users["finance"], year=2019, level="prefecture", allocated_yuan=Decimal("1000000"), at=AT
    )
    funds_services.budget_allocate(
        user=users["finance"], year=2019, level="county", region=own_ent.region, allocated_yuan=Decimal("1000000"),
        at=AT,
    )  # fmt: skip
    award = FundItem.objects.get(source=f"champion:{decl.pk}")
    funds_services.batch_prepare(user=office, title="奖励", items=[award], at=AT)
    funds_services.item_approve(user=users["finance"], item=award, at=AT)
    notice = notice_services.notice_publish(
        user=office, items=[award], title="奖励公示", starts_on=AT.date(), at=AT
    )
    notice_services.objection_record(
        user=office,
        entry=notice.entries.get(),
        raised_by="李四",
        content="异议",
        received_on=AT.date(),
        at=AT,
    )
    # Background jobs (lane tasks): one finished job of the office, one of the clerk.
    from jigai.jobs.models import Job

    for who in (office, clerk):
        Job.objects.create(
            kind="remind", title="发送待办提醒", user=who, created=AT, state="done", done=1, total=1
        )
    ids = {
        "jobs": list(Job.objects.order_by("id").values_list("id", flat=True)),
        "applications": list(Application.objects.order_by("id").values_list("id", flat=True)),
        "attachments": list(Attachment.objects.order_by("id").values_list("id", flat=True)),
        "declarations": list(Declaration.objects.order_by("id").values_list("id", flat=True)),
        "notices": list(Notice.objects.order_by("id").values_list("id", flat=True)),
        "notice_entries": list(NoticeEntry.objects.order_by("id").values_list("id", flat=True)),
        "objections": list(Objection.objects.order_by("id").values_list("id", flat=True)),
        "fund_items": list(FundItem.objects.order_by("id").values_list("id", flat=True)),
        "fund_batches": list(FundBatch.objects.order_by("id").values_list("id", flat=True)),
        "filings": list(Filing.objects.order_by("id").values_list("id", flat=True)),
        "items": list(ApprovalItem.objects.order_by("id").values_list("id", flat=True)),
        "meetings": list(Meeting.objects.order_by("id").values_list("id", flat=True)),
        "followups": list(FollowUp.objects.order_by("id").values_list("id", flat=True)),
        "enterprises": list(Enterprise.objects.order_by("id").values_list("id", flat=True)),
        "projects": list(Project.objects.order_by("id").values_list("id", flat=True)),
        "reports": list(ProgressReport.objects.order_by("id").values_list("id", flat=True)),
        "bulletins": list(Bulletin.objects.order_by("id").values_list("id", flat=True)),
        "interviews": list(InterviewCase.objects.order_by("id").values_list("id", flat=True)),
        "acceptances": list(Acceptance.objects.order_by("id").values_list("id", flat=True)),
        **_finance_world(users, own, theirs),
    }
    return {**ids, "values": _real_values(ids)}


def _finance_world(users, own, theirs) -> dict:
    """Finance (3.4): the bank user's bank, a need on each county's project, a loan and a claim."""
    from jigai.finance import services as finance_services
    from jigai.finance.models import Bank, BankMembership, CompensationClaim, FinancingNeed, Loan

    bank = Bank.objects.create(name="中国农业银行恩施分行", short_name="农行", kind="state")
    BankMembership.objects.create(user=users["bank"], bank=bank)
    for p in (own, theirs):
        finance_services.need_post(
            user=users["office"], project=p, amount_yuan=1000000, purpose="购置设备", term_months=24,
            posted_on=bj(2019, 3, 1).date(), at=AT,
        )  # fmt: skip
    loan = finance_services.loan_record(
        user=users["bank"], need=FinancingNeed.objects.order_by("id").first(), amount_yuan=400000,
        rate_percent=4, issued_on=bj(2019, 4, 1).date(), maturity_on=bj(2021, 4, 1).date(), at=AT,
    )  # fmt: skip
    finance_services.claim_file(
        user=users["bank"], loan=loan, defaulted_on=bj(2019, 5, 1).date(), outstanding_principal_yuan=300000,
        reason="逾期", at=AT,
    )  # fmt: skip
    return {
        "finance_needs": list(FinancingNeed.objects.order_by("id").values_list("id", flat=True)),
        "finance_loans": list(Loan.objects.order_by("id").values_list("id", flat=True)),
        "finance_claims": list(CompensationClaim.objects.order_by("id").values_list("id", flat=True)),
    }


def _known_path_parameters(path: str, world: dict) -> st.SearchStrategy[dict] | None:
    """Path parameters naming real records (any county's: another county's must be a 404, not a 5xx)."""
    for prefix, key in (
        ("/api/v1/enterprises/", "enterprises"),
        ("/api/v1/projects/", "projects"),
        ("/api/v1/dispatch/reports/", "reports"),
        ("/api/v1/dispatch/bulletins/", "bulletins"),
        ("/api/v1/assessment/interviews/", "interviews"),
        ("/api/v1/acceptances/", "acceptances"),
        ("/api/v1/funds/items/", "fund_items"),
        ("/api/v1/funds/batches/", "fund_batches"),
        ("/api/v1/finance/needs/", "finance_needs"),
        ("/api/v1/finance/loans/", "finance_loans"),
        ("/api/v1/finance/claims/", "finance_claims"),
        ("/api/v1/jobs/", "jobs"),
        ("/api/v1/support/projects/", "projects"),
        ("/api/v1/support/filings/", "filings"),
        ("/api/v1/support/items/", "items"),
        ("/api/v1/support/meetings/", "meetings"),
        ("/api/v1/support/followups/", "followups"),
        ("/api/v1/applications/", "applications"),
        ("/api/v1/attachments/", "attachments"),
        ("/api/v1/champions/", "declarations"),
        ("/api/v1/notices/", "notices"),
        ("/api/v1/objections/", "objections"),
    ):
        if path.startswith(prefix + "{pk}"):
            params = {"pk": st.sampled_from(world[key])}
            if "{year}" in path:
                params["year"] = st.integers(2017, 2021)
            return st.fixed_dictionaries(params)
    if "{period}" in path:
        return st.fixed_dictionaries({"period": st.sampled_from(["2019Q2", "2019H1", "2019q4", "2018-H2"])})
    return None


def _real_values(world: dict) -> dict[str, st.SearchStrategy]:
    """Real identifiers and codes for body and query fields, so that the fuzzed text, amounts and dates
    around them get past the lookups and reach the services and the database."""
    units = st.sampled_from(["422801", "422802", "GXQ"])
    number = st.floats(allow_nan=False, allow_infinity=False)  # JSON has no NaN
    fuzzed = st.one_of(st.text(max_size=30), st.integers(), number, st.none(), st.booleans())
    record = st.dictionaries(st.sampled_from(list(POLICY_RECORD)), fuzzed, max_size=3).map(
        lambda changes: {**POLICY_RECORD, **changes}
    )
    return {
        "enterprise_id": st.sampled_from(world["enterprises"]),
        # An owner's type and id drawn together, so that the attachment reads reach real files.
        "owner_type": st.sampled_from(["incentives.application", "champions.declaration"]),
        "owner_id": st.sampled_from(
            sorted(set(world["applications"]) & set(world["declarations"]))
            or world["applications"] + world["declarations"]
        ),
        "entry_id": st.sampled_from(world["notice_entries"]),
        "enterprise": st.sampled_from(world["enterprises"]),
        "project_id": st.sampled_from(world["projects"]),
        "need_id": st.sampled_from(world["finance_needs"]),
        "region_code": units,
        "region": units,
        "unit": units,
        "industry_code": st.sampled_from(["15", "27", "39"]),
        "industry": st.sampled_from(["15", "27", "39"]),
        "champion_industry": st.sampled_from([None, "biomedicine", "selenium_food"]),
        "credit_code": st.integers(900, 999).map(make_credit_code),
        "version": st.integers(1, 3),
        "to_status": st.sampled_from(ProjectStatus.values),
        "status": st.sampled_from([*ProjectStatus.values, *CaseStatus.values]),
        "year": st.integers(2017, 2021),
        "month": st.integers(1, 12),
        "basis": st.sampled_from(sorted(BASES)),
        "records": st.lists(record, min_size=1, max_size=3),
        "settings": st.lists(st.sampled_from(["stacking=higher_only", "3.1.1.rate@2021=0.04"]), max_size=2),
    }


@st.composite
def _realistic(draw, operation, world: dict):
    known = _known_path_parameters(operation.path, world)
    params = draw(known) if known is not None else None
    case = draw(operation.as_strategy(path_parameters=params))
    real = world["values"]
    for container in (case.body, case.query):
        if isinstance(container, dict):
            for name in sorted(container):
                if name in real:
                    container[name] = draw(real[name])
    return case


# Integers outside every bound the schema states (issue 11 point 9): beyond 64 bits SQLite cannot bind
# them at all, beyond 63 they are no id, beyond 31 no PostgreSQL integer; zero and negatives name nothing.
OUT_OF_RANGE = st.sampled_from([10**20 - 1, -(10**20), 2**63, 2**63 - 1, 2**31, -1, 0])


@st.composite
def _out_of_range(draw, operation, world: dict):
    """A realistic request whose integers (path, query and top-level body fields) are all out of range."""
    case = draw(_realistic(operation, world))
    for container in (case.path_parameters, case.query, case.body):
        if isinstance(container, dict):
            for name in sorted(container):
                value = container[name]
                if isinstance(value, int) and not isinstance(value, bool):
                    container[name] = draw(OUT_OF_RANGE)
                elif isinstance(value, list) and value and all(type(v) is int for v in value):
                    container[name] = [draw(OUT_OF_RANGE) for _ in value]
    return case


def _strategy(operation, world: dict) -> st.SearchStrategy:
    return st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        _realistic(operation, world),
        _out_of_range(operation, world),
    )


# What an enterprise may change on its own record (permissions.ENTERPRISE_OWNED_FIELDS) and the bookkeeping.
OWNED_BY_ENTERPRISE = {*ENTERPRISE_OWNED_FIELDS, "version", "updated_at"}


def _rows(qs, *, omit=frozenset()) -> list[tuple]:
    names = [f.attname for f in qs.model._meta.concrete_fields if f.name not in omit]
    return list(qs.order_by("id").values_list(*names))


def _must_not_change(role: str, users: dict):
    """A snapshot of what the role may never modify through any call (docs/security.md: row level, an
    enterprise's own fields, read-only roles), or None for the office, which may change anything."""
    if role == Role.OFFICE:
        return None
    # Acceptance records are written by the office and the finance bureau only (issue 12 point 3).
    published = (
        Bulletin,
        Ranking,
        InterviewCase,
        *((Acceptance, AcceptanceAmendment) if role != Role.FINANCE else ()),
    )
    if role == Role.CLERK:
        mine = users["clerk"].region_id
        return lambda: [
            _rows(Enterprise.objects.exclude(region_id=mine)),
            _rows(EnterpriseScaleYear.objects.exclude(enterprise__region_id=mine)),
            _rows(Project.objects.exclude(region_id=mine)),
            _rows(ProjectPlanYear.objects.exclude(project__region_id=mine)),
            _rows(ProjectTransition.objects.exclude(project__region_id=mine)),
            _rows(ProgressReport.objects.exclude(region_id=mine)),
            _rows(RegionStatistic.objects.exclude(region_id=mine)),
            *(_rows(model.objects.all()) for model in published),
            # Enterprise services: another county's items, land and filings; secretaries and meetings are
            # the office's; a clerk reports only the follow-ups they own.
            *(_rows(m.objects.exclude(project__region_id=mine)) for m in (ApprovalItem, Land, Filing)),
            _rows(Secretary.objects.all()),
            _rows(Meeting.objects.all()),
            _rows(FollowUp.objects.exclude(owner_id=users["clerk"].pk)),
        ]
    own = users["_own_enterprise"].pk
    if role == Role.ENTERPRISE:
        return lambda: [
            _rows(Enterprise.objects.filter(pk=own), omit=OWNED_BY_ENTERPRISE),
            _rows(Enterprise.objects.exclude(pk=own)),
            *(_rows(model.objects.all()) for model in (EnterpriseScaleYear, Project, ProjectPlanYear)),
            _rows(ProgressReport.objects.exclude(project__enterprise_id=own)),
            *(_rows(model.objects.all()) for model in (RegionStatistic, *published)),
            # Enterprise services: it files its own projects (which may add their approval items), nothing else.
            *(_rows(m.objects.exclude(project__enterprise_id=own)) for m in (Filing, ApprovalItem)),
            *(_rows(m.objects.all()) for m in (Secretary, Land, Meeting, FollowUp)),
        ]
    models = (Enterprise, EnterpriseScaleYear, Project, ProjectPlanYear, ProjectTransition, ProgressReport,
              RegionStatistic, *published, Secretary, ApprovalItem, Filing, Land, Meeting, FollowUp)  # fmt: skip
    return lambda: [_rows(model.objects.all()) for model in models]


def json_error_in_chinese(response) -> None:
    """Every 4xx is JSON that says what is wrong in Chinese: ``{"detail": …, "errors": [{"message": …}]}``
    (the policy engine's row errors, documented as its own 400 body, carry only the ``errors``)."""
    if not 400 <= response.status_code < 500:
        return
    content_type = response.headers.get("content-type", [""])[0]
    assert content_type.startswith("application/json"), (
        f"{response.status_code} 不是 JSON：{response.text[:300]}"
    )
    body = response.json()
    assert isinstance(body, dict), body
    texts = [body["detail"]] if "detail" in body else []
    texts += [e.get("message", "") for e in body.get("errors") or [] if isinstance(e, dict)]
    assert texts and all(CHINESE.search(str(t)) for t in texts), body


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.mark.parametrize("role", ROLES)
def test_no_operation_answers_a_server_error(role, users, world, wsgi_app, server_errors):
    headers = (
        {}
        if role == ANONYMOUS
        else {"Authorization": f"Bearer {token_create(user=users[role], name='fuzz')}"}
    )
    examples = REFUSED_EXAMPLES if role in REFUSED_ROLES else EXAMPLES
    guarded = _must_not_change(role, users)
    before = guarded() if guarded else None
    failures, answered = [], set()
    for operation in OPERATIONS:
        server_errors.clear()

        @settings(
            max_examples=examples,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=_strategy(operation, world))
        def run(case):
            with transaction.atomic():
                response = case.call(app=wsgi_app, headers=headers)
                try:
                    # A valid token is never "not logged in": the fuzz must not pass by being refused at the door.
                    assert (response.status_code == 401) == (role == ANONYMOUS), response.status_code
                    if response.status_code < 300:
                        answered.add(case.operation.label)
                    json_error_in_chinese(response)
                    case.validate_response(response, checks=CHECKS, headers=headers)
                    if guarded and case.method != "GET":
                        assert guarded() == before, f"{role} 修改了无权修改的数据（{response.status_code}）"
                finally:
                    transaction.set_rollback(True)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:
            failures.append(f"{operation.label}: {exc}\n{''.join(server_errors[-1:])}")
    assert not failures, "\n\n".join(failures)
    if role == Role.OFFICE:  # the fuzz reaches the code behind every read, not only its refusals
        assert {op.label for op in OPERATIONS if op.method.upper() == "GET"} <= answered
