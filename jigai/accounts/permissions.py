"""Who may do what (docs/security.md, 访问控制): a role × operation matrix, and row-level scoping.

Deny by default: an operation not listed for a role is refused.
"""

from __future__ import annotations

from django.http import Http404

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
    "import.run": frozenset({R.OFFICE, R.CLERK}),
    "audit.view": frozenset({R.AUDITOR}),
    "user.manage": frozenset({R.SECURITY_ADMIN}),
    "reference.manage": frozenset({R.SYSADMIN}),
    "system.backup": frozenset({R.SYSADMIN}),
}

# Fields an enterprise user owns on its own enterprise record; everything else is the government's.
ENTERPRISE_OWNED_FIELDS = frozenset({"contact_person", "contact_phone", "address"})

ALL_UNITS_ROLES = frozenset({R.OFFICE, R.FINANCE, R.LEADER})


class PermissionDeniedError(Exception):
    def __init__(self, message: str = "您没有执行此操作的权限"):
        super().__init__(message)
        self.message = message


def can(user, operation: str) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.role in MATRIX.get(operation, frozenset())


def require(user, operation: str) -> None:
    if not can(user, operation):
        raise PermissionDeniedError()


def scope_enterprises(user, qs):
    if user.role in ALL_UNITS_ROLES:
        return qs
    if user.role == R.CLERK:
        return qs.filter(region_id=user.region_id)
    if user.role == R.ENTERPRISE:
        return qs.filter(credit_code=user.credit_code)
    return qs.none()


def scope_projects(user, qs):
    if user.role in ALL_UNITS_ROLES:
        return qs
    if user.role == R.CLERK:
        return qs.filter(region_id=user.region_id)
    if user.role == R.ENTERPRISE:
        return qs.filter(enterprise__credit_code=user.credit_code)
    return qs.none()


def get_scoped_or_404(qs, **lookup):
    """Another unit's record answers 404, exactly like a record that does not exist."""
    obj = qs.filter(**lookup).first()
    if obj is None:
        raise Http404("记录不存在或无权访问")
    return obj


def can_write_region(user, region_id: int) -> bool:
    if user.role == R.OFFICE:
        return True
    if user.role == R.CLERK:
        return user.region_id == region_id
    return False
