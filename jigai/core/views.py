from django.core.paginator import Paginator
from django.shortcuts import render

from jigai.accounts.permissions import guard

from . import audit
from .models import AuditEvent, AuditHead


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
