"""Who may do what (docs/security.md, 访问控制): a role × operation matrix, and row-level scoping.

Deny by default: an operation not listed for a role is refused. There is one way to guard an operation:
:func:`require` in services (with the record for a row-level check), :func:`guard` on a view or an API
route. A refusal is a :class:`jigai.core.errors.PermissionDeniedError`; the edge that answers it records
the denied access once (:func:`jigai.core.edges.record_denial`), after any transaction it rolled back.
"""

from __future__ import annotations

import functools
import inspect

from jigai.core.errors import NotFoundError, PermissionDeniedError
from jigai.core.params import MAX_ID

from .models import Role

R = Role
MATRIX: dict[str, frozenset[str]] = {
    "project.view": frozenset({R.OFFICE, R.FINANCE, R.CLERK, R.ENTERPRISE, R.LEADER}),
    "project.create": frozenset({R.OFFICE, R.CLERK}),
    "project.edit": frozenset({R.OFFICE, R.CLERK}),
    "project.transition": frozenset({R.OFFICE, R.CLERK}),
    "project.export": frozenset({R.OFFICE, R.FINANCE, R.CLERK, R.LEADER}),
    "enterprise.view": frozenset({R.OFFICE, R.FINANCE, R.CLERK, R.ENTERPRISE, R.LEADER}),
    "enterprise.create": frozenset({R.OFFICE, R.CLERK}),
    "enterprise.edit": frozenset({R.OFFICE, R.CLERK, R.ENTERPRISE}),
    "enterprise.export": frozenset({R.OFFICE, R.FINANCE, R.CLERK, R.LEADER}),
    "policy.evaluate": frozenset({R.OFFICE, R.FINANCE, R.CLERK, R.LEADER, R.ENTERPRISE}),
    # Monthly dispatch (issue 5) and assessment (issue 6); their apps refine these operations.
    "dispatch.view": frozenset({R.OFFICE, R.FINANCE, R.CLERK, R.ENTERPRISE, R.LEADER}),
    # A bulletin is addressed to the county governments and names every unit's and enterprise's figures,
    # problems and late reports: not for an enterprise, which keeps its own monthly reports (issue 11, 7).
    "dispatch.bulletin": frozenset({R.OFFICE, R.FINANCE, R.CLERK, R.LEADER}),
    "dispatch.report": frozenset({R.OFFICE, R.CLERK, R.ENTERPRISE}),
    "dispatch.statistics": frozenset({R.OFFICE, R.CLERK}),
    "dispatch.import": frozenset({R.OFFICE, R.CLERK}),
    "dispatch.monitor": frozenset({R.OFFICE, R.FINANCE, R.CLERK, R.LEADER}),
    "dispatch.draft": frozenset({R.OFFICE, R.FINANCE, R.LEADER}),
    "dispatch.publish": frozenset({R.OFFICE}),
    "assessment.view": frozenset({R.OFFICE, R.FINANCE, R.CLERK, R.LEADER}),
    "assessment.publish": frozenset({R.OFFICE}),
    "assessment.interview": frozenset({R.OFFICE}),
    "assessment.followup": frozenset({R.OFFICE, R.CLERK}),
    "assessment.manage": frozenset({R.OFFICE}),
    "assessment.pack": frozenset({R.OFFICE, R.FINANCE, R.LEADER}),
    # Acceptance inspections (验收, 4.2; issue 12 point 3): the team is the office's and the finance
    # bureau's; the clerk sees their unit's, a leader all; only the office corrects a verified figure.
    "acceptance.view": frozenset({R.OFFICE, R.FINANCE, R.CLERK, R.LEADER}),
    "acceptance.inspect": frozenset({R.OFFICE, R.FINANCE}),
    "acceptance.amend": frozenset({R.OFFICE}),
    # Applications (申报) of lane apps: the enterprise its own (or the clerk on its behalf, own unit);
    # the clerk (or the office) checks completeness and forwards or returns; row level by in_unit.
    "application.view": frozenset({R.OFFICE, R.FINANCE, R.CLERK, R.ENTERPRISE, R.LEADER}),
    "application.edit": frozenset({R.CLERK, R.ENTERPRISE}),
    "application.check": frozenset({R.CLERK, R.OFFICE}),
    # Attachments (lane attach; issue 12 point 2): the operation, then the owning record's own rule
    # (jigai/attachments/registry.py) decides row by row; another enterprise's file answers 404.
    "attachment.download": frozenset({R.OFFICE, R.FINANCE, R.CLERK, R.ENTERPRISE, R.LEADER}),
    "attachment.upload": frozenset({R.OFFICE, R.FINANCE, R.CLERK, R.ENTERPRISE}),
    # Public notice (公示) before payment (lane attach; issue 12 point 8): the page itself is public; the
    # office publishes, records and resolves objections and ends the period; others read the record.
    "notice.view": frozenset({R.OFFICE, R.FINANCE, R.CLERK, R.LEADER}),
    "notice.publish": frozenset({R.OFFICE}),
    "notice.objection": frozenset({R.OFFICE}),
    # Champion declarations (隐形冠军, 3.1.2; lane attach, issue 12 point 5): an enterprise declares (or its
    # county's clerk on its behalf), the office verifies and the decision goes to funds.
    "champion.view": frozenset({R.OFFICE, R.FINANCE, R.CLERK, R.ENTERPRISE, R.LEADER}),
    "champion.declare": frozenset({R.CLERK, R.ENTERPRISE}),
    "champion.verify": frozenset({R.OFFICE}),
    # Funds (lane funds; 3.1, 4.2): the office proposes, prepares batches and runs the public notice;
    # the finance bureau approves (never its own batch), budgets and pays; a clerk sees their unit's
    # items, budget and ledger, an enterprise its own items.
    "funds.view": frozenset({R.OFFICE, R.FINANCE, R.CLERK, R.ENTERPRISE, R.LEADER}),
    "funds.propose": frozenset({R.OFFICE}),
    "funds.prepare": frozenset({R.OFFICE}),
    "funds.approve": frozenset({R.FINANCE}),
    "funds.notice": frozenset({R.OFFICE}),
    "funds.pay": frozenset({R.FINANCE}),
    "funds.budget": frozenset({R.FINANCE}),
    "funds.ledger": frozenset({R.OFFICE, R.FINANCE, R.CLERK, R.LEADER}),
    # Finance support (金融支持, 3.4; lane finance): a bank user sees its own bank's loans, intentions,
    # claims and score and the needs open to banks (row level in jigai/finance/access.py); an enterprise
    # its own needs and loans; a clerk their county's; office and finance everything; a leader reads.
    "finance.view": frozenset({R.OFFICE, R.FINANCE, R.CLERK, R.ENTERPRISE, R.BANK, R.LEADER}),
    "finance.bank.manage": frozenset({R.OFFICE, R.FINANCE}),
    "finance.meeting.record": frozenset({R.OFFICE, R.FINANCE, R.CLERK}),
    "finance.need.post": frozenset({R.OFFICE, R.CLERK, R.ENTERPRISE}),
    "finance.loan.record": frozenset({R.BANK}),
    "finance.score.view": frozenset({R.OFFICE, R.FINANCE, R.BANK, R.LEADER}),
    "finance.fund.view": frozenset({R.OFFICE, R.FINANCE, R.LEADER}),
    "finance.fund.contribute": frozenset({R.FINANCE}),
    "finance.claim.file": frozenset({R.BANK}),
    "finance.claim.review": frozenset({R.OFFICE}),
    "finance.claim.pay": frozenset({R.FINANCE}),
    "finance.policy.record": frozenset({R.OFFICE, R.FINANCE}),
    "finance.export": frozenset({R.OFFICE, R.FINANCE, R.CLERK, R.ENTERPRISE, R.BANK, R.LEADER}),
    # Enterprise services (support lane; 3.3, 3.5, 4.2): secretaries, approval items, online filing, land,
    # consultation meetings. Row level in jigai/support/selectors.py: a clerk their county's, an enterprise
    # its own projects, and a project's secretary that project wherever it is.
    "support.view": frozenset({R.OFFICE, R.FINANCE, R.CLERK, R.ENTERPRISE, R.LEADER}),
    "support.secretary": frozenset({R.OFFICE}),
    "support.approval": frozenset({R.OFFICE, R.CLERK}),
    "support.filing": frozenset({R.OFFICE, R.CLERK, R.ENTERPRISE}),
    "support.land": frozenset({R.OFFICE, R.CLERK}),
    "support.meeting.view": frozenset({R.OFFICE, R.FINANCE, R.CLERK, R.LEADER}),
    "support.meeting": frozenset({R.OFFICE}),
    "support.followup": frozenset({R.OFFICE, R.CLERK}),
    # Lane edges: the document-number register (发文登记) every official document takes its number from.
    "documents.register": frozenset({R.OFFICE, R.LEADER, R.AUDITOR}),
    "import.run": frozenset({R.OFFICE, R.CLERK}),
    # fidelity lane: the import preview's 列对应, remembered per unit and table (registry.ImportColumnMapping).
    "import.map": frozenset({R.OFFICE, R.CLERK}),
    "audit.view": frozenset({R.AUDITOR}),
    "user.manage": frozenset({R.SECURITY_ADMIN}),
    "reference.manage": frozenset({R.SYSADMIN}),
    "system.backup": frozenset({R.SYSADMIN}),
    # Home lane: every role's home page, its to-do list and its in-app reminders (items are computed per
    # user by jigai.core.todo, so the operation itself is open to every role).
    "home.view": frozenset(R),
    "todo.view": frozenset(R),
    "notification.view": frozenset(R),
    "notification.read": frozenset(R),
    # tasks lane: background jobs (jigai/jobs). Each role sees its own jobs (the office every one); starting
    # one also needs the operation of the work it runs (the kind's, e.g. dispatch.bulletin).
    "job.view": frozenset(R),
    "job.start": frozenset(R),
    "job.remind": frozenset({R.OFFICE}),
}

# Fields an enterprise user owns on its own enterprise record; everything else is the government's.
ENTERPRISE_OWNED_FIELDS = frozenset({"contact_person", "contact_phone", "address"})

ALL_UNITS_ROLES = frozenset({R.OFFICE, R.FINANCE, R.LEADER})


def can(user, operation: str) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.role in MATRIX.get(operation, frozenset())


def in_unit(user, obj) -> bool:
    """Row level: the prefecture's roles any record, a clerk their unit's, an enterprise its own.

    ``obj`` is a record with a ``region_id`` (a project, an enterprise, an interview case), and for an
    enterprise user a ``credit_code`` or an ``enterprise`` that has one."""
    if user.role in ALL_UNITS_ROLES:
        return True
    if user.role == R.CLERK:
        return user.region_id is not None and getattr(obj, "region_id", None) == user.region_id
    if user.role == R.ENTERPRISE:
        owner = obj if hasattr(obj, "credit_code") else getattr(obj, "enterprise", None)
        return bool(user.credit_code) and getattr(owner, "credit_code", None) == user.credit_code
    return False


def require(user, operation: str, obj=None, *, message: str | None = None) -> None:
    """Refuse unless the role may perform ``operation`` (and, given ``obj``, on that record)."""
    if can(user, operation) and (obj is None or in_unit(user, obj)):
        return
    exc = PermissionDeniedError(message)
    exc.operation = operation
    exc.obj = obj
    raise exc


def guard(operation: str):
    """Declare the operation a view or an API route performs: ``@guard("project.view")``.

    The first argument of the wrapped function is the request; the check runs before the function does,
    and a refusal is answered (and audited) by the edge like any other. A name not in MATRIX is a mistake
    of the code, found when the module loads rather than as a page nobody may open."""
    if operation not in MATRIX:
        raise ValueError(f"unknown operation {operation!r}: add it to accounts.permissions.MATRIX")

    def decorate(func):
        @functools.wraps(func)
        def wrapper(request, *args, **kwargs):
            require(request.user, operation)
            return func(request, *args, **kwargs)

        wrapper.operation = operation
        # django-ninja reads the parameters' types from the signature, resolving string annotations in the
        # function's own module: hand it the resolved signature, since the wrapper lives in this one.
        wrapper.__signature__ = inspect.signature(func, eval_str=True)
        return wrapper

    return decorate


def scope(user, qs, *, credit_code: str):
    """Row level for a list: what :func:`in_unit` allows, as a filter. ``credit_code`` is the path from
    the model to the owning enterprise's code (``"credit_code"``, ``"enterprise__credit_code"``)."""
    if user.role in ALL_UNITS_ROLES:
        return qs
    if user.role == R.CLERK:
        return qs.filter(region_id=user.region_id)
    if user.role == R.ENTERPRISE:
        return qs.filter(**{credit_code: user.credit_code})
    return qs.none()


def scope_enterprises(user, qs):
    return scope(user, qs, credit_code="credit_code")


def scope_projects(user, qs):
    return scope(user, qs, credit_code="enterprise__credit_code")


def not_found(model, pk, message: str | None = None) -> NotFoundError:
    """The 404 for a record that is not in the user's scope (docs/security.md, row level on every path).

    Another unit's record answers exactly like one that does not exist; it is also a denied access, so
    the error says so and the edge records it (issue 11 point 10)."""
    exc = NotFoundError(message)
    if isinstance(pk, int) and 0 < pk <= MAX_ID and model._default_manager.filter(pk=pk).exists():
        exc.outside_scope = (model._meta.label_lower, str(pk))
    return exc


def can_write_region(user, region_id: int) -> bool:
    if user.role == R.OFFICE:
        return True
    if user.role == R.CLERK:
        return user.region_id == region_id
    return False
