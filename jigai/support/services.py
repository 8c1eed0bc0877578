"""Writes of the enterprise services (3.3, 3.5, 4.2). Every write goes through these functions
(docs/architecture.md): keyword-only, atomic, permission first, the shared domain errors; "now" (``at``)
and "today" come from the edge. Tracked models record each changed row in the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from jigai.accounts.models import Role, User
from jigai.accounts.permissions import can, require
from jigai.core import audit, workdays
from jigai.core.dates import local_date
from jigai.core.docnumbers import Kind as DocKind
from jigai.core.docnumbers import next_document_number
from jigai.core.errors import ConflictError, PermissionDeniedError, StaleEditError, ValidationError
from jigai.policy import inputs as policy_inputs
from jigai.policy.decision import ELIGIBLE, INELIGIBLE
from jigai.policy.measures import evaluate_filing, evaluate_land
from jigai.registry.models import Project

from . import conf
from .conf import Kind
from .documents import RECEIPT_PREFIX, project_receipt_title
from .models import (
    Acquisition,
    Approval,
    ApprovalItem,
    Filing,
    FollowUp,
    Land,
    LandKind,
    Meeting,
    Outcome,
    ProjectType,
    Secretary,
    Source,
    State,
)
from .selectors import is_secretary

# The priority items (3.3 优先规划，优先报批，优先供应) by the rule's keys (jigai/policy/inputs.py LAND_PRIORITY).
PRIORITY_KEYS = {Kind.LAND_PLANNING: "planning", Kind.LAND_APPROVAL: "approval", Kind.LAND_SUPPLY: "supply"}
SECRETARY_ROLES = frozenset({Role.OFFICE, Role.CLERK})
MAX_AREA = Decimal("9999999999.99")
MAX_RATIO = Decimal("9999.99")


def require_project(user, operation: str, project: Project) -> None:
    """``require`` on a project, where the project's secretary counts as in scope wherever it is."""
    if can(user, operation) and is_secretary(user, project):
        return
    require(user, operation, project)


def _stale(obj, expected_version: int | None) -> None:
    if expected_version is not None and obj.version != expected_version:
        raise StaleEditError()


def _due(start: dt.date, days: int, field: str) -> dt.date:
    """``days`` working days after ``start`` on China's official calendar; a year it does not cover is
    refused naming the form's field."""
    try:
        return workdays.add(start, days)
    except workdays.CalendarNotCovered as exc:
        raise ValidationError({field: exc.messages()}) from exc


def _limit(errors: dict, field: str, value, prefix: str = "") -> int | None:
    try:
        days = int(value)
    except (TypeError, ValueError):
        errors.setdefault(field, []).append(prefix + gettext("时限须为工作日数（整数）"))
        return None
    if not 1 <= days <= 365:
        errors.setdefault(field, []).append(
            prefix + gettext("时限须在 1 到 365 个工作日之间，收到 %(days)s") % {"days": days}
        )
        return None
    return days


# --- secretaries (秘书制, 3.5) --------------------------------------------------------------------------


@transaction.atomic
def secretary_assign(
    *,
    user,
    project: Project,
    secretary: User | None,
    phone: str,
    expected_version: int | None = None,
    at: dt.datetime,
) -> Secretary:
    """Name (or change) the official who serves ``project`` through its approvals (3.5 秘书制)."""
    require(user, "support.secretary", project)
    errors: dict[str, list[str]] = {}
    if secretary is None:
        errors["secretary"] = [gettext("请选择项目秘书")]
    elif secretary.role not in SECRETARY_ROLES or not secretary.is_active:
        errors["secretary"] = [gettext("项目秘书须为州项目办或县市经办部门的在岗工作人员")]
    phone = (phone or "").strip()
    if not phone:
        errors["phone"] = [gettext("请填写项目秘书的联系电话，企业凭此联系秘书")]
    elif len(phone) > 40:
        errors["phone"] = [gettext("联系电话最多 40 个字符")]
    if errors:
        raise ValidationError(errors)
    current = Secretary.objects.select_for_update().filter(project=project).first()
    if current is None:
        if expected_version not in (None, 0):
            raise StaleEditError()
        try:
            with transaction.atomic():
                return Secretary.objects.create(
                    project=project, user=secretary, phone=phone, assigned_by=user, assigned_at=at
                )
        except IntegrityError as exc:
            raise StaleEditError() from exc
    _stale(current, expected_version)
    current.user, current.phone, current.assigned_by, current.assigned_at = secretary, phone, user, at
    current.version += 1
    current.save()
    return current


# --- approval items (审批代办, 3.5) ---------------------------------------------------------------------


def _new_item(project: Project, kind: str, source: str, at: dt.datetime, note: str = "") -> ApprovalItem:
    return ApprovalItem.objects.create(
        project=project,
        kind=kind,
        department=conf.DEPARTMENTS[kind],
        time_limit_days=conf.time_limit(kind),
        source=source,
        created_at=at,
        note=note,
    )


def _add_approvals(
    project: Project, approvals: Iterable[str], source: str, at: dt.datetime
) -> list[ApprovalItem]:
    have = set(ApprovalItem.objects.filter(project=project).values_list("kind", flat=True))
    created = []
    for name in approvals:
        kind = conf.kind_of(name)
        if kind is None or kind in have:
            continue
        have.add(kind)
        created.append(_new_item(project, kind, source, at, note=f"第3.5条：{name}"))
    return created


def _filing_case(errors: dict, *, case_id: str, filing_date, facts: dict) -> policy_inputs.FilingCase | None:
    project_type = facts.get("project_type")
    if project_type not in ProjectType.values:
        errors["project_type"] = [gettext("请选择项目类型")]
    try:
        land = Decimal(
            str(facts.get("new_land_area_m2") if facts.get("new_land_area_m2") not in (None, "") else "0")
        )
        if not land.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["new_land_area_m2"] = [gettext("新增用地须为平方米数")]
        land = None
    if land is not None and not Decimal(0) <= land <= MAX_AREA:
        errors["new_land_area_m2"] = [gettext("新增用地须在 0 到 9999999999.99 平方米之间")]
    elif land is not None and land != land.quantize(Decimal("0.01")):
        errors["new_land_area_m2"] = [gettext("新增用地最多保留两位小数")]
    if filing_date is None:
        errors["filing_date"] = [gettext("请填写日期")]
    if errors:
        return None
    return policy_inputs.FilingCase(
        case_id=case_id,
        filing_date=filing_date,
        project_type=project_type,
        new_land_area_m2=land,
        advanced_mature_process=bool(facts.get("advanced_mature_process")),
        changes_pollutant_discharge=bool(facts.get("changes_pollutant_discharge")),
        involves_major_hazard=bool(facts.get("involves_major_hazard")),
        new_buildings=bool(facts.get("new_buildings")),
        energy_review_required=bool(facts.get("energy_review_required")),
    )


@transaction.atomic
def approvals_propose(*, user, project: Project, facts: dict, today: dt.date, at: dt.datetime):
    """Propose ``project``'s approval items from its facts by the 3.5 rule (the approvals its decision
    lists); items already there are kept as they are. Returns (decision, created items)."""
    require_project(user, "support.approval", project)
    errors: dict[str, list[str]] = {}
    case = _filing_case(errors, case_id=str(project.pk), filing_date=today, facts=facts)
    if errors:
        raise ValidationError(errors)
    decision = evaluate_filing(case)
    created = _add_approvals(project, decision.approvals or (), Source.RULE, at)
    audit.record(
        "approvals_propose",
        obj=project,
        after={
            "outcome": decision.outcome,
            "approvals": list(decision.approvals or ()),
            "created": [i.kind for i in created],
        },
        message=f"{project.name}：按第3.5条提出审批事项 {len(created)} 项",
    )
    return decision, created


@transaction.atomic
def approval_add(*, user, project: Project, kind: str, note: str = "", at: dt.datetime) -> ApprovalItem:
    """Add one approval item by hand (editable: the rule proposes, the official decides)."""
    require_project(user, "support.approval", project)
    if kind not in Kind.values:
        raise ValidationError({"kind": [gettext("未知的审批事项：%(kind)s") % {"kind": kind}]})
    if ApprovalItem.objects.filter(project=project, kind=kind).exists():
        raise ConflictError({"kind": [gettext("该项目已有“%(kind)s”事项") % {"kind": Kind(kind).label}]})
    return _new_item(project, kind, Source.MANUAL, at, note=(note or "").strip()[:500])


@transaction.atomic
def approval_update(
    *,
    user,
    item: ApprovalItem,
    state: str,
    department: str,
    time_limit_days,
    started_date: dt.date | None = None,
    done_date: dt.date | None = None,
    note: str = "",
    expected_version: int,
    at: dt.datetime,
) -> ApprovalItem:
    """Change an item's state, department, time limit, dates or note. Taken in (办理中) it needs its date
    of acceptance, and its deadline is that date plus the time limit in working days (core.workdays);
    done (已办结) needs the date; not needed (无需办理) its reason in the note."""
    current = ApprovalItem.objects.select_for_update().select_related("project").get(pk=item.pk)
    require_project(user, "support.approval", current.project)
    _stale(current, expected_version)
    errors: dict[str, list[str]] = {}
    if state not in State.values:
        errors["state"] = [gettext("未知的办理状态：%(state)s") % {"state": state}]
    department = (department or "").strip()
    if not department:
        errors["department"] = [gettext("请填写责任部门")]
    elif len(department) > 60:
        errors["department"] = [gettext("责任部门最多 60 个字符")]
    days = _limit(errors, "time_limit_days", time_limit_days)
    note = (note or "").strip()
    if len(note) > 500:
        errors["note"] = [gettext("备注最多 500 个字符")]
    if state in (State.IN_PROGRESS, State.DONE) and started_date is None:
        errors["started_date"] = [gettext("办理中或已办结的事项须填写受理日期")]
    if state == State.DONE and done_date is None:
        errors["done_date"] = [gettext("已办结的事项须填写办结日期")]
    if state != State.DONE and done_date is not None:
        errors["done_date"] = [gettext("只有已办结的事项才填写办结日期")]
    if started_date and done_date and done_date < started_date:
        errors["done_date"] = [gettext("办结日期不能早于受理日期")]
    if state == State.NOT_NEEDED and not note:
        errors["note"] = [gettext("无需办理的事项须在备注中说明理由")]
    if state == State.NOT_STARTED and started_date is not None:
        errors["started_date"] = [gettext("未开始的事项不填受理日期")]
    if errors:
        raise ValidationError(errors)
    due = _due(started_date, days, "started_date") if started_date else None
    current.state, current.department, current.time_limit_days = state, department, days
    current.started_date, current.done_date, current.due_date, current.note = (
        started_date,
        done_date,
        due,
        note,
    )
    current.version += 1
    current.save()
    return current


# --- zero-approval online filing (网上备案零审批, 3.5) ----------------------------------------------------


@transaction.atomic
def filing_submit(
    *, user, project: Project, facts: dict, content: str, filing_date: dt.date, at: dt.datetime
) -> Filing:
    """An enterprise files ``project`` online (3.5). The rule decides at once: a qualifying project gets
    its numbered receipt on the spot (零审批), listing the statutory approvals that still apply; one that
    does not is told why and which approvals it needs. Either way the approvals it lists become the
    project's approval items (not started), for its secretary to handle."""
    require_project(user, "support.filing", project)
    errors: dict[str, list[str]] = {}
    content = (content or "").strip()
    if not content:
        errors["content"] = [gettext("请填写建设内容")]
    elif len(content) > 5000:
        errors["content"] = [gettext("建设内容最多 5000 个字符")]
    case = _filing_case(errors, case_id=str(project.pk), filing_date=filing_date, facts=facts)
    if case is not None and filing_date > local_date(at) + dt.timedelta(days=1):
        errors["filing_date"] = [gettext("备案日期不能晚于今天")]
    if errors:
        raise ValidationError(errors)
    decision = evaluate_filing(case)
    outcome = {ELIGIBLE: Outcome.ELIGIBLE, INELIGIBLE: Outcome.INELIGIBLE}.get(
        decision.outcome, Outcome.REVIEW
    )
    values = dict(
        project=project,
        filing_date=filing_date,
        project_type=case.project_type,
        new_land_area_m2=case.new_land_area_m2,
        advanced_mature_process=case.advanced_mature_process,
        changes_pollutant_discharge=case.changes_pollutant_discharge,
        involves_major_hazard=case.involves_major_hazard,
        new_buildings=case.new_buildings,
        energy_review_required=case.energy_review_required,
        content=content,
        outcome=outcome,
        reasons=[{"code": r.code, "clause": r.clause, "message": r.message} for r in decision.reasons],
        approvals=list(decision.approvals or ()),
        explanation=decision.explain(),
        filed_by=user,
        filed_at=at,
    )
    if outcome == Outcome.ELIGIBLE:
        # The receipt's number (备案号) comes from the platform's one document-number register
        # (docs/documents.md, 发文登记), in the receipts' own series 恩施州技改备〔年〕N号: the register locks
        # the series while it hands the next one out, so simultaneous filings get distinct numbers.
        number = next_document_number(
            issuer=RECEIPT_PREFIX, year=filing_date.year, kind=DocKind.FILING_RECEIPT, at=at, user=user,
            title=project_receipt_title(project), issue_date=filing_date, obj=project,
        )  # fmt: skip
        values["receipt_year"], values["receipt_serial"] = number.year, number.serial
    try:
        with transaction.atomic():
            filing = Filing.objects.create(**values)
    except IntegrityError as exc:
        # filing_receipt_unique stays as a backstop: a receipt number is never held twice.
        raise ConflictError(gettext("备案回执编号冲突，请重新提交")) from exc
    _add_approvals(project, filing.approvals, Source.FILING, at)
    return filing


# --- land (3.3) --------------------------------------------------------------------------------------------


def _decimal(errors: dict, field: str, label: str, value, top: Decimal) -> Decimal | None:
    try:
        d = Decimal(str(value).strip())
        if not d.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError):
        errors[field] = [gettext("请填写%(label)s（数字）") % {"label": label}]
        return None
    if not Decimal(0) <= d <= top:
        errors[field] = [gettext("%(label)s须在 0 到 %(top)s 之间") % {"label": label, "top": top}]
        return None
    if d != d.quantize(Decimal("0.01")):
        errors[field] = [gettext("%(label)s最多保留两位小数") % {"label": label}]
        return None
    return d


LAND_FLAGS = (
    "industrial_land",
    "change_of_use",
    "conforms_urban_plan",
    "within_original_site",
    "multi_storey",
    "extra_floors",
    "underground",
)


@transaction.atomic
def land_save(
    *, user, project: Project, data: dict, expected_version: int | None = None, at: dt.datetime
) -> Land:
    """Record ``project``'s land facts (3.3); the determination is computed from them when shown."""
    require_project(user, "support.land", project)
    errors: dict[str, list[str]] = {}
    if data.get("land_kind") not in LandKind.values:
        errors["land_kind"] = [gettext("请选择用地类型")]
    if data.get("acquisition", Acquisition.NONE) not in Acquisition.values:
        errors["acquisition"] = [gettext("请选择取得方式")]
    area = _decimal(errors, "area_m2", gettext("用地面积"), data.get("area_m2"), MAX_AREA)
    before = _decimal(
        errors, "plot_ratio_before", gettext("改造前容积率"), data.get("plot_ratio_before"), MAX_RATIO
    )
    after = _decimal(
        errors, "plot_ratio_after", gettext("改造后容积率"), data.get("plot_ratio_after"), MAX_RATIO
    )
    if data.get("application_date") is None:
        errors["application_date"] = [gettext("请填写申请日期")]
    approval = data.get("approval") or Approval.PENDING
    if approval not in Approval.values:
        errors["approval"] = [gettext("请选择批准情况")]
    elif approval != Approval.PENDING and data.get("approval_date") is None:
        errors["approval_date"] = [gettext("已批准或未获批准的须填写批准（决定）日期")]
    elif approval == Approval.PENDING and data.get("approval_date") is not None:
        errors["approval_date"] = [gettext("待批准的不填批准日期")]
    if data.get("land_kind") == LandKind.EXISTING and data.get("acquisition") in (
        Acquisition.LEASE_THEN_TRANSFER,
        Acquisition.LEASE_AND_TRANSFER,
    ):
        errors["acquisition"] = [gettext("先租后让、租让结合是取得新增工业用地的方式，存量用地不适用")]
    if errors:
        raise ValidationError(errors)
    values = {f: bool(data.get(f)) for f in LAND_FLAGS}
    values.update(
        land_kind=data["land_kind"],
        area_m2=area,
        plot_ratio_before=before,
        plot_ratio_after=after,
        acquisition=data.get("acquisition") or Acquisition.NONE,
        approval=approval,
        approval_date=data.get("approval_date"),
        application_date=data["application_date"],
    )
    current = Land.objects.select_for_update().filter(project=project).first()
    if current is None:
        if expected_version not in (None, 0):
            raise StaleEditError()
        return Land.objects.create(project=project, **values)
    _stale(current, expected_version)
    for k, v in values.items():
        setattr(current, k, v)
    current.version += 1
    current.save()
    return current


def land_decision(land: Land):
    """3.3's determination on the recorded facts (jigai/policy/measures.py evaluate_land)."""
    case = policy_inputs.LandCase(
        case_id=str(land.project_id),
        application_date=land.application_date,
        industrial_land=land.industrial_land,
        existing_stock_land=land.land_kind == LandKind.EXISTING,
        change_of_use=land.change_of_use,
        conforms_urban_plan=land.conforms_urban_plan,
        within_original_site=land.within_original_site,
        plot_ratio_before=land.plot_ratio_before,
        plot_ratio_after=land.plot_ratio_after,
        measures=land.measures,
        approved={Approval.APPROVED: True, Approval.REFUSED: False}.get(land.approval),
        priority=tuple(
            PRIORITY_KEYS[k]
            for k in ApprovalItem.objects.filter(project_id=land.project_id, kind__in=conf.LAND_PRIORITY)
            .exclude(state=State.NOT_NEEDED)
            .order_by("kind")
            .values_list("kind", flat=True)
        ),
        acquisition=None if land.acquisition == Acquisition.NONE else land.acquisition,
    )
    return evaluate_land(case)


@transaction.atomic
def land_priority(
    *, user, project: Project, kinds: Iterable[str], started_date: dt.date, at: dt.datetime
) -> list[ApprovalItem]:
    """3.3 优先规划，优先报批，优先供应: record the priority handling of the project's land as approval
    items taken in on ``started_date``, each with its deadline in working days."""
    require_project(user, "support.land", project)
    kinds = [k for k in dict.fromkeys(kinds)]
    errors: dict[str, list[str]] = {}
    wrong = [k for k in kinds if k not in conf.LAND_PRIORITY]
    if not kinds or wrong:
        errors["kinds"] = [gettext("请选择优先规划、优先报批或优先供应")]
    if started_date is None:
        errors["started_date"] = [gettext("请填写受理日期")]
    if errors:
        raise ValidationError(errors)
    out = []
    for kind in kinds:
        item = ApprovalItem.objects.select_for_update().filter(project=project, kind=kind).first()
        if item is not None and item.state != State.NOT_STARTED:
            raise ConflictError(
                {"kinds": [gettext("“%(kind)s”已在办理或已办结") % {"kind": Kind(kind).label}]}
            )
        if item is None:
            item = _new_item(project, kind, Source.LAND, at)
        item.state, item.started_date = State.IN_PROGRESS, started_date
        item.due_date = _due(started_date, item.time_limit_days, "started_date")
        item.version += 1
        item.save()
        out.append(item)
    return out


# --- consultation meetings (会商, 4.2) and follow-ups ---------------------------------------------------


def _owner_ok(errors: dict, field: str, owner, prefix: str) -> None:
    if owner is None:
        errors.setdefault(field, []).append(prefix + gettext("请指定责任人"))
    elif owner.role not in SECRETARY_ROLES or not owner.is_active:
        errors.setdefault(field, []).append(
            prefix
            + gettext("责任人须为州项目办或县市经办部门的在岗工作人员：%(who)s")
            % {"who": owner.display_name or owner.get_username()}
        )


@transaction.atomic
def meeting_record(
    *,
    user,
    kind: str,
    title: str,
    date: dt.date,
    chair: str,
    participants: str,
    projects: Iterable[Project] = (),
    problems: str = "",
    decisions: Iterable[dict] = (),
    at: dt.datetime,
) -> Meeting:
    """Record a consultation meeting (or a leader's contact-point visit) and its decisions; each decision
    is a follow-up with its owner and a time limit in working days from the meeting's date (4.2)."""
    require(user, "support.meeting")
    errors: dict[str, list[str]] = {}
    title, chair, participants = (title or "").strip(), (chair or "").strip(), (participants or "").strip()
    if kind not in Meeting.Kind.values:
        errors["kind"] = [gettext("请选择类别")]
    if not title:
        errors["title"] = [gettext("请填写会议名称")]
    elif len(title) > 120:
        errors["title"] = [gettext("会议名称最多 120 个字符")]
    if date is None:
        errors["date"] = [gettext("请填写会议日期")]
    if not chair:
        errors["chair"] = [gettext("请填写主持人")]
    elif len(chair) > 60:
        errors["chair"] = [gettext("主持人最多 60 个字符")]
    if not participants:
        errors["participants"] = [gettext("请填写参会人员")]
    decisions = list(decisions)
    rows = []
    for i, d in enumerate(decisions, start=1):
        text = (d.get("decision") or "").strip()
        prefix = gettext("第%(n)s项议定事项：") % {"n": i}
        if not text:
            errors.setdefault("decisions", []).append(prefix + gettext("请填写内容"))
        elif len(text) > 500:
            errors.setdefault("decisions", []).append(prefix + gettext("最多 500 个字符"))
        _owner_ok(errors, "decisions", d.get("owner"), prefix)
        days = _limit(errors, "decisions", d.get("time_limit_days"), prefix)
        rows.append((text, d.get("owner"), days, d.get("project")))
    if errors:
        raise ValidationError(errors)
    meeting = Meeting.objects.create(
        kind=kind,
        title=title,
        date=date,
        chair=chair,
        participants=participants,
        problems=(problems or "").strip(),
        recorded_by=user,
        recorded_at=at,
    )
    projects = list(projects)
    meeting.projects.set(projects)
    for text, owner, days, project in rows:
        FollowUp.objects.create(
            meeting=meeting,
            decision=text,
            owner=owner,
            project=project,
            time_limit_days=days,
            due_date=_due(date, days, "date"),
        )
    audit.record(
        "meeting_projects",
        obj=meeting,
        after={"projects": [p.pk for p in projects]},
        message=f"{meeting.title}：研究项目 {len(projects)} 个，议定事项 {len(rows)} 项",
    )
    return meeting


@transaction.atomic
def followup_close(
    *, user, followup: FollowUp, done_date: dt.date, result: str, expected_version: int, at: dt.datetime
) -> FollowUp:
    """The owner (or the office) reports a decision carried out, with what was done."""
    require(user, "support.followup")
    current = FollowUp.objects.select_for_update().select_related("meeting").get(pk=followup.pk)
    if current.owner_id != user.pk and user.role != Role.OFFICE:
        raise PermissionDeniedError(gettext("只有责任人或州项目办可以报告落实情况"))
    _stale(current, expected_version)
    if current.done_date is not None:
        raise ConflictError(gettext("该议定事项已报告落实"))
    errors: dict[str, list[str]] = {}
    result = (result or "").strip()
    if not result:
        errors["result"] = [gettext("请填写落实情况")]
    elif len(result) > 500:
        errors["result"] = [gettext("落实情况最多 500 个字符")]
    if done_date is None:
        errors["done_date"] = [gettext("请填写完成日期")]
    elif done_date < current.meeting.date:
        errors["done_date"] = [gettext("完成日期不能早于会议日期")]
    if errors:
        raise ValidationError(errors)
    current.done_date, current.result = done_date, result
    current.version += 1
    current.save()
    return current
