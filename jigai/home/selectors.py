"""What each role's home page shows: the to-do list, this month's deadlines, the figures the role watches,
and for a leader the cockpit (驾驶舱). Reads only; every figure links to the page that explains it, and
only to a page the role may open."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F, Sum
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext

from jigai.accounts.models import Role, User
from jigai.accounts.permissions import can, scope_projects
from jigai.assessment import accountability
from jigai.assessment import selectors as assessment
from jigai.assessment.models import CaseStatus, InterviewCase
from jigai.assessment.periods import Period, PeriodError
from jigai.core import todo
from jigai.core.errors import ValidationError
from jigai.core.models import AuditEvent, Region
from jigai.core.money import format_wan
from jigai.dispatch import selectors as dispatch
from jigai.dispatch.models import ProgressReport, ProgressState
from jigai.dispatch.periods import BEIJING, Month
from jigai.finance import access as finance_access
from jigai.finance import home_figures as finance_figures
from jigai.finance import selectors as finance
from jigai.finance.models import NeedStatus
from jigai.registry.models import Project, ProjectStatus
from jigai.support import home_figures as support_figures
from jigai.support import selectors as support
from jigai.support.models import OPEN_STATES, Secretary
from jigai.support.models import State as ItemState


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    url: str = ""  # empty: the role has no page behind the figure
    note: str = ""


@dataclass(frozen=True)
class Deadline:
    day: dt.date
    title: str
    url: str = ""
    overdue: bool = False


@dataclass
class Home:
    today: dt.date
    todos: list[todo.Todo]
    overdue_keys: set[str]
    deadlines: list[Deadline]
    figures: list[Figure]
    cockpit: Cockpit | None = None


@dataclass
class Cockpit:
    targets: object | None  # assessment.selectors.TargetsReport
    targets_url: str
    ranking: object | None  # assessment.models.Ranking
    ranking_url: str
    lagging: list[ProgressReport] = field(default_factory=list)
    lagging_month: Month | None = None
    interviews: list[dict] = field(default_factory=list)
    target_lines: list = field(default_factory=list)  # the prefecture's own lines (scope 全州)
    ranking_period: Period | None = None


def zh_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _ym(month: Month) -> dict:
    return {"year": month.year, "month": month.month}


def home_for(user, today: dt.date) -> Home:
    items = todo.todos_for(user, today)
    page = Home(
        today=today,
        todos=items,
        overdue_keys={t.key for t in items if t.overdue_on(today)},
        deadlines=month_deadlines(user, today, items),
        figures=figures_for(user, today),
    )
    if user.role == Role.LEADER:
        page.cockpit = cockpit(today)
    return page


# --- this month's deadlines ----------------------------------------------------------------------------


def month_deadlines(user, today: dt.date, items: list[todo.Todo]) -> list[Deadline]:
    """The month's dates: the monthly reports' deadline (4.2, the 5th), the user's to-do items falling due
    this month, and the interviews' rectification deadlines of the units the user sees."""
    month = Month.of(today)
    out: list[Deadline] = []
    if can(user, "dispatch.view"):
        reported = month.previous
        day = reported.deadline_date()
        url = reverse("dispatch:index") + f"?month={reported.key}"
        title = gettext("%(year)s年%(month)s月项目月调度报送截止") % _ym(reported)
        # The user's own reports of that month: the count and the overdue mark on the same line.
        own = [t for t in items if t.step == "dispatch.report"]
        if own:
            count = sum(t.extra.get("count", 0) for t in own)
            title += gettext("（尚有 %(count)s 个项目未报）") % {"count": count}
            url = own[0].url
        out.append(Deadline(day, title, url, overdue=bool(own) and today > day))
    seen = set()
    for t in items:
        if t.step == "dispatch.report":
            continue
        due = t.due_date()
        if due is not None and month.first_day <= due <= month.last_day:
            out.append(Deadline(due, t.title, t.url, overdue=t.overdue_on(today)))
            seen.add(t.extra.get("case_id"))
    if can(user, "assessment.view"):
        for case in _cases(user).filter(
            status__in=(CaseStatus.HELD, CaseStatus.NOTIFIED),
            record__follow_up_deadline_date__range=(month.first_day, month.last_day),
        ):
            if case.pk in seen:
                continue
            due = case.record.follow_up_deadline_date
            out.append(
                Deadline(
                    due,
                    gettext("%(unit)s约谈整改报告期限") % {"unit": case.region.name},
                    _case_url(case),
                    overdue=today > due,
                )
            )
    return sorted(out, key=lambda d: (d.day, d.title))


def _cases(user):
    return assessment.case_queryset(user).select_related("region", "record")


def _case_url(case) -> str:
    return reverse("assessment:case_detail", args=[case.pk])


# --- the figures each role watches ----------------------------------------------------------------------


def _count(qs) -> str:
    return f"{qs.count():,}"


def _wan(total) -> str:
    return gettext("%(amount)s 万元") % {"amount": format_wan(total or 0, grouping=True)}


def figures_for(user, today: dt.date) -> list[Figure]:
    role = user.role
    if role == Role.ENTERPRISE:
        return _programme_figures(user, today) + _enterprise_service_figures(user, today)
    if role in (Role.OFFICE, Role.CLERK):
        return _programme_figures(user, today) + _finance_figures(user, today) + _support_figures(user, today)
    if role == Role.FINANCE:
        return _programme_figures(user, today) + _finance_figures(user, today)
    if role == Role.LEADER:
        return _programme_figures(user, today)
    if role == Role.BANK:
        return _bank_figures(user, today)
    if role == Role.AUDITOR:
        return _auditor_figures(today)
    if role == Role.SECURITY_ADMIN:
        return _security_figures()
    if role == Role.SYSADMIN:
        return _sysadmin_figures()
    return []


def _programme_figures(user, today: dt.date) -> list[Figure]:
    projects = scope_projects(user, Project.objects.all())
    building = projects.filter(status=ProjectStatus.CONSTRUCTION)
    out = [
        Figure(
            gettext("在建项目"), _count(building), reverse("registry:project_list") + "?status=construction"
        ),
        Figure(
            gettext("在库项目计划总投资"),
            _wan(
                projects.exclude(status=ProjectStatus.TERMINATED).aggregate(s=Sum("total_investment_yuan"))[
                    "s"
                ]
            ),
            reverse("registry:project_list"),
        ),
    ]
    month = Month.of(today).previous
    if can(user, "dispatch.monitor") or user.role == Role.ENTERPRISE:
        lines = dispatch.due_projects(month, projects=projects)
        now = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0, 0), tzinfo=BEIJING)
        states = dispatch.report_states(month, lines, now=now)
        reported = sum(1 for s in states if s.status in ("on_time", "late"))
        url = reverse("dispatch:index") + f"?month={month.key}"
        out.append(
            Figure(
                gettext("月调度已报（%(year)s年%(month)s月）") % _ym(month),
                f"{reported} / {len(states)}",
                url,
            )
        )
    if can(user, "assessment.view"):
        open_cases = _cases(user).exclude(status=CaseStatus.CLOSED)
        out.append(Figure(gettext("未办结约谈"), _count(open_cases), reverse("assessment:case_list")))
    if user.role == Role.FINANCE and can(user, "acceptance.view"):
        waiting = projects.filter(status=ProjectStatus.COMPLETED)
        out.append(
            Figure(
                gettext("竣工待验收项目"),
                _count(waiting),
                reverse("registry:project_list") + "?status=completed",
            )
        )
    if user.role in (Role.OFFICE, Role.CLERK) and can(user, "assessment.view"):
        region_id = user.region_id if user.role == Role.CLERK else None
        items = accountability.overdue_items(as_of=today, region_id=region_id, months_back=3)
        open_items = [i for i in items if i.done_date is None]
        url = reverse("assessment:accountability") + f"?as_of={today.isoformat()}"
        out.append(Figure(gettext("逾期未办事项（近三个月）"), f"{len(open_items):,}", url))
    return out


def _person(user) -> str:
    return user.display_name or user.get_full_name() or user.get_username()


def _open_needs(user) -> list[Figure]:
    needs = finance.need_list(user, status=NeedStatus.OPEN)
    total = needs.aggregate(s=Sum("amount_yuan"))["s"]
    return [Figure(
        gettext("待对接融资需求"), _count(needs), reverse("finance:needs") + "?status=open",
        note=gettext("合计 %(amount)s") % {"amount": _wan(total)},
    )]  # fmt: skip


def _finance_figures(user, today: dt.date) -> list[Figure]:
    """What the office, the finance bureau and a county clerk watch of finance support (3.4): open needs,
    the year's loans and 应贷尽贷 coverage — a clerk's of their own county (finance.access)."""
    if not can(user, "finance.view"):
        return []
    year = finance.default_year(today)
    needs = finance_figures.open_needs(user)
    loans = finance_figures.loans_in_year(user, year)
    ratio = finance_figures.coverage_ratio(user, year)
    return [
        Figure(
            gettext("待对接融资需求"), f"{needs.count:,}", reverse("finance:needs") + "?status=open",
            note=gettext("合计 %(amount)s") % {"amount": _wan(needs.yuan)},
        ),
        Figure(
            gettext("%(year)s年技改贷款") % {"year": year}, gettext("%(count)s 笔") % {"count": f"{loans.count:,}"},
            reverse("finance:loans") + f"?year={year}", note=gettext("合计 %(amount)s") % {"amount": _wan(loans.yuan)},
        ),
        Figure(
            gettext("%(year)s年应贷尽贷率") % {"year": year}, f"{ratio}%" if ratio is not None else "—",
            reverse("finance:coverage") + f"?year={year}",
            note="" if ratio is not None else gettext("当年尚无融资需求"),
        ),
    ]  # fmt: skip


def _support_figures(user, today: dt.date) -> list[Figure]:
    """What the office and a county clerk watch of the enterprise services (3.5): approval items overdue
    and falling due within five working days, filings waiting for a manual check — a clerk's county only."""
    if not can(user, "support.view"):
        return []
    a = support_figures.approvals(user, today)
    index = reverse("support:index")
    return [
        Figure(gettext("逾期未办结审批事项"), f"{a.overdue:,}", index),
        Figure(
            gettext("5 个工作日内到期的审批事项"), f"{a.due_soon:,}", index,
            note=gettext("至 %(day)s") % {"day": date_format(a.soon_until, gettext("Y年n月j日"))},
        ),
        Figure(gettext("待人工审核的网上备案"), f"{support_figures.filings_waiting(user):,}", reverse("support:filings")),
    ]  # fmt: skip


def _enterprise_service_figures(user, today: dt.date) -> list[Figure]:
    """The enterprise's secretary (3.5 秘书制), its filings and approval items (3.5) and its financing needs
    (3.4): its own records only, each linking to the page that lists them."""
    out = []
    if can(user, "support.view"):
        projects = support.projects_for(user)
        secretaries = list(
            Secretary.objects.filter(project__in=projects.values("pk"))
            .select_related("user")
            .order_by("project__name", "project_id")
        )
        people = {s.user_id: s for s in secretaries}
        if len(people) == 1:
            s = next(iter(people.values()))
            value, note = _person(s.user), gettext("联系电话 %(phone)s") % {"phone": s.phone}
        elif people:
            value, note = (
                gettext("%(count)s 位") % {"count": len(people)},
                "、".join(f"{_person(s.user)} {s.phone}" for s in people.values()),
            )
        else:
            value, note = gettext("尚未指定"), gettext("重点项目由州项目办指定")
        out.append(Figure(gettext("项目秘书"), value, reverse("support:index"), note=note))
        items = support.items_for(user).filter(state__in=OPEN_STATES)
        late = items.filter(state=ItemState.IN_PROGRESS, due_date__lt=today).count()
        out.append(Figure(
            gettext("未办结审批事项"), _count(items), reverse("support:index"),
            note=gettext("其中逾期 %(count)s 项") % {"count": late} if late else "",
        ))  # fmt: skip
        out.append(Figure(gettext("网上备案"), _count(support.filings_for(user)), reverse("support:filings")))
    if can(user, "finance.view"):
        out += _open_needs(user)
    return out


def _bank_figures(user, today: dt.date) -> list[Figure]:
    """What a bank watches (3.4): the needs open to banks in the prefecture, its own loans of the year, its
    contribution score and rank. A bank user sees no project record beyond the open needs (docs/security.md);
    a bank user not yet linked to a bank sees the open needs only."""
    out = _open_needs(user)
    bank = finance_access.bank_of(user)
    year = finance.default_year(today)
    if bank is None:
        return [
            *out,
            Figure(
                gettext("所属银行"),
                gettext("未关联"),
                note=gettext("请州经信委或州财政局在“合作银行”中关联本账户"),
            ),
        ]
    loans = finance.loan_list(user, year=year)
    lent = loans.aggregate(s=Sum("amount_yuan"))["s"]
    out.append(Figure(
        gettext("本行%(year)s年技改贷款") % {"year": year},
        gettext("%(count)s 笔") % {"count": f"{loans.count():,}"}, reverse("finance:loans") + f"?year={year}",
        note=gettext("合计 %(amount)s") % {"amount": _wan(lent)},
    ))  # fmt: skip
    if can(user, "finance.score.view"):
        url = reverse("finance:scores") + f"?year={year}"
        try:
            data = finance.scores(user, year)
        except ValidationError:
            out.append(
                Figure(
                    gettext("%(year)s年贡献度") % {"year": year},
                    gettext("无法计算"),
                    url,
                    note=gettext("贡献度权重参数有误"),
                )
            )
        else:
            own = data["rows"][0] if data["rows"] else None
            if own is not None:
                out.append(Figure(
                    gettext("%(year)s年贡献度得分") % {"year": year}, f"{own.score}", url,
                    note=gettext("第 %(rank)s 名 / 共 %(banks)s 家") % {"rank": own.rank, "banks": data["banks_ranked"]},
                ))  # fmt: skip
    return out


def _auditor_figures(today: dt.date) -> list[Figure]:
    audit_url = reverse("core:audit_list")
    start = dt.datetime.combine(today - dt.timedelta(days=6), dt.time(0, 0), tzinfo=BEIJING)
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0, 0), tzinfo=BEIJING)
    week = AuditEvent.objects.filter(at__gte=start, at__lt=end)
    denied = week.filter(event="access_denied")
    failed = week.filter(event="login_failure")
    return [
        Figure(gettext("近 7 日审计记录"), _count(week), audit_url),
        Figure(gettext("近 7 日越权访问"), _count(denied), audit_url + "?event=access_denied"),
        Figure(gettext("近 7 日登录失败"), _count(failed), audit_url + "?event=login_failure"),
        Figure(gettext("审计记录总数"), _count(AuditEvent.objects.all()), audit_url),
    ]


def _security_figures() -> list[Figure]:
    users = User.objects.all()
    url = reverse("admin:accounts_user_changelist")
    return [
        Figure(gettext("在用账户"), _count(users.filter(is_active=True)), url + "?is_active__exact=1"),
        Figure(gettext("已停用账户"), _count(users.filter(is_active=False)), url + "?is_active__exact=0"),
        Figure(gettext("锁定中的账户"), _count(users.filter(locked_until_at__isnull=False)), url),
        Figure(gettext("未启用动态口令的账户"), _count(users.filter(is_active=True, totp_secret="")), url),
    ]


def _sysadmin_figures() -> list[Figure]:
    return [
        Figure(
            gettext("报送单位"),
            _count(Region.objects.filter(level=Region.Level.UNIT)),
            reverse("admin:core_region_changelist"),
        ),
        Figure(gettext("在库项目"), _count(Project.objects.all()), reverse("admin:index")),
        Figure(gettext("月调度报告"), _count(ProgressReport.objects.all()), reverse("admin:index")),
    ]


# --- the leader's cockpit ------------------------------------------------------------------------------


def data_as_of(today: dt.date) -> tuple[int, dt.date]:
    """The programme's latest year with statistics and the day to read it at: today, or — when the data
    end earlier (the demo's in 2020) — the end of the month after the latest month with statistics."""
    latest = assessment.latest_statistic_month()
    if latest is None:
        return today.year, today
    y, m = latest
    after = Month(y, m).next
    return y, min(today, after.last_day)


def _period(text: str) -> Period | str:
    try:
        return Period.parse(text)
    except PeriodError:
        return text


def cockpit(today: dt.date) -> Cockpit:
    year, as_of = data_as_of(today)
    report = assessment.targets_report(year, as_of=as_of)
    targets_url = reverse("assessment:targets") + f"?year={year}&as_of={as_of.isoformat()}"
    ranking = assessment.published_rankings(1).first()
    ranking_url = reverse("assessment:rankings") + (f"?period={ranking.period}" if ranking else "")
    latest = ProgressReport.objects.filter(first_submitted_at__lt=dt.datetime.combine(
        as_of + dt.timedelta(days=1), dt.time(0, 0), tzinfo=BEIJING)).order_by("-year", "-month").first()  # fmt: skip
    lagging, month = [], None
    if latest is not None:
        month = Month(latest.year, latest.month)
        lagging = list(
            ProgressReport.objects.filter(
                year=month.year, month=month.month, state__in=(ProgressState.BEHIND, ProgressState.STALLED)
            )
            .select_related("project", "project__enterprise", "region")
            .order_by("-state", "region__sort_order", "project_id")[:12]
        )
    interviews = []
    cases = (
        InterviewCase.objects.exclude(status=CaseStatus.CLOSED)
        .select_related("region", "record")
        .order_by(F("record__follow_up_deadline_date").asc(nulls_last=True), "year", "end_month", "id")
    )
    for case in cases[:12]:
        record = getattr(case, "record", None)
        due = record.follow_up_deadline_date if record is not None else None
        interviews.append({
            "case": case, "url": _case_url(case), "due": due,
            "overdue": due is not None and case.status == CaseStatus.HELD and as_of > due,
        })  # fmt: skip
    return Cockpit(
        targets=report, targets_url=targets_url, ranking=ranking, ranking_url=ranking_url,
        lagging=lagging, lagging_month=month, interviews=interviews,
        target_lines=[t for t in report.lines if t.scope == "全州"] if report is not None else [],
        ranking_period=_period(ranking.period) if ranking else None,
    )  # fmt: skip
