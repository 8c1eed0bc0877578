from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from jigai.accounts.models import Role
from jigai.accounts.permissions import guard

from . import audit
from .models import AuditEvent, AuditHead


def home(request):
    role = request.user.role
    if role == Role.AUDITOR:
        return redirect("core:audit_list")
    if role in (Role.SECURITY_ADMIN, Role.SYSADMIN):
        return redirect("/admin/")
    if role == Role.BANK:
        return render(request, "core/home.html", {})
    return redirect("registry:project_list")


@guard("audit.view")
def audit_list(request):
    qs = AuditEvent.objects.order_by("-seq")
    event = request.GET.get("event", "").strip()
    username = request.GET.get("username", "").strip()
    if event:
        qs = qs.filter(event=event)
    if username:
        qs = qs.filter(username__iexact=username)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    # Reading the audit log is itself an audited event (docs/security.md).
    audit.record("audit_read", object_type="core.auditevent", message=f"page={page.number} event={event}")
    head = AuditHead.objects.filter(id=1).first()
    return render(
        request,
        "core/audit_list.html",
        {"page": page, "event": event, "username": username, "purged_seq": head.purged_seq if head else 0},
    )
