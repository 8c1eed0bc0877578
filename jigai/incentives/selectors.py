"""Reads of the money path, scoped like the project library (a clerk sees only their unit's)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jigai.accounts.permissions import in_unit, scope
from jigai.funds import selectors as funds_selectors
from jigai.registry import selectors as registry_selectors
from jigai.registry.models import Project

from .models import (
    Acceptance,
    AcceptanceAmendment,
    Application,
    ApplicationState,
    EquipmentLine,
    LoanLine,
    Outcome,
    StoredDecision,
)


def acceptance_queryset(user) -> QuerySet[Acceptance]:
    projects = registry_selectors.project_queryset(user).values("pk")
    return (
        Acceptance.objects.filter(project__in=projects)
        .select_related("project", "project__enterprise", "project__region", "leader", "recorded_by")
        .prefetch_related(
            "team",
            Prefetch(
                "amendments", queryset=AcceptanceAmendment.objects.select_related("by").order_by("at", "id")
            ),
        )
    )


def acceptance_list(user, *, project_id: int | None = None) -> QuerySet[Acceptance]:
    qs = acceptance_queryset(user)
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    return qs.order_by("-inspection_date", "-id")


def acceptance_detail(user, pk: int) -> Acceptance | None:
    a = acceptance_queryset(user).filter(pk=pk).first()
    return a if a is not None and in_unit(user, a.project) else None


def passed_acceptance(project: Project) -> Acceptance | None:
    """The inspection that accepted ``project`` (4.2), or None."""
    return Acceptance.objects.filter(project=project, outcome=Outcome.PASS).first()


# --- Applications (申报) ------------------------------------------------------------------------------


def application_queryset(user) -> QuerySet[Application]:
    """Scoped like the library: the prefecture's roles all, a clerk their unit's, an enterprise its own."""
    qs = Application.objects.select_related("project", "enterprise", "region", "checked_by")
    return scope(user, qs, credit_code="enterprise__credit_code")


def application_list(user, *, state: str = "") -> QuerySet[Application]:
    qs = application_queryset(user)
    if state in ApplicationState.values:
        qs = qs.filter(state=state)
    return qs.order_by("-created_at", "-id")


def application_detail(user, pk: int) -> Application | None:
    app = (
        application_queryset(user)
        .prefetch_related(
            Prefetch("equipment_lines", queryset=EquipmentLine.objects.order_by("id")),
            Prefetch("loan_lines", queryset=LoanLine.objects.order_by("id")),
            Prefetch("decisions", queryset=StoredDecision.objects.order_by("clause")),
        )
        .filter(pk=pk)
        .first()
    )
    return app if app is not None and in_unit(user, app) else None


def application_for_project(project: Project) -> Application | None:
    return Application.objects.filter(project=project).first()


def funds_items(application: Application) -> list:
    """The money path's items of the application's decisions (funds: items_for_source), clause by clause."""
    out = []
    for d in application.decisions.all():
        out.extend(funds_selectors.items_for_source(d.source))
    return out


APPROVED = {"approved", "queued", "notice", "objection", "payable", "paid", "reversed", "recover"}
NOTICE_DONE = {"payable", "paid", "reversed"}


def application_steps(application: Application, items: list | None = None) -> list[dict]:
    """Where the application stands at every step (提交 → 县市受理 → 验收 → 决定 → 审批 → 公示 → 拨付):
    each step ``done``, ``current`` (waiting on it, or refused there) or ``todo``, with a note."""
    S = ApplicationState
    state = application.state
    items = funds_items(application) if items is None else items
    states = {i.state for i in items}
    order = [S.DRAFT, S.RETURNED, S.SUBMITTED, S.FORWARDED, S.RECTIFYING, S.FAILED, S.ACCEPTED, S.DECIDED]
    rank = order.index(S(state))
    steps = [
        ("submit", _("提交"), rank >= order.index(S.SUBMITTED), state in (S.DRAFT, S.RETURNED)),
        ("check", _("县市受理"), rank >= order.index(S.FORWARDED), state == S.SUBMITTED),
        (
            "inspect",
            _("验收"),
            rank >= order.index(S.ACCEPTED),
            state in (S.FORWARDED, S.RECTIFYING, S.FAILED),
        ),
        ("decide", _("决定"), state == S.DECIDED, state == S.ACCEPTED),
        ("approve", _("审批"), bool(states & APPROVED), state == S.DECIDED and not states & APPROVED),
        ("notice", _("公示"), bool(states & NOTICE_DONE), bool(states & {"approved", "notice", "objection"})),
        ("pay", _("拨付"), "paid" in states, "payable" in states),
    ]
    notes = {
        "submit": {
            S.RETURNED: gettext("退回补正：%(reasons)s") % {"reasons": application.return_reasons},
            S.DRAFT: _("草稿，尚未提交"),
        },
        "inspect": {S.FAILED: _("验收不通过"), S.RECTIFYING: _("限期整改后复验")},
    }
    out = []
    for key, label, done, current in steps:
        out.append(
            {
                "key": key,
                "label": label,
                "status": "done" if done else ("current" if current else "todo"),
                "note": notes.get(key, {}).get(state, ""),
            }
        )
    return out


def funds_items_for(decision: StoredDecision) -> list:
    return funds_selectors.items_for_source(decision.source)
