from pathlib import Path

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jigai.accounts.permissions import guard

from . import audit, docnumbers
from .models import AuditEvent, AuditHead, DocumentNumber
from .params import int_param


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


@guard("documents.register")
def document_register(request):
    """发文登记: every 发文字号 the platform handed out, newest first (docs/documents.md)."""
    year = int_param(request.GET.get("year"), lo=1900, hi=9999)
    years = list(DocumentNumber.objects.order_by("-year").values_list("year", flat=True).distinct())
    page = Paginator(docnumbers.register(year=year), 100).get_page(request.GET.get("page"))
    return render(request, "core/document_register.html", {"page": page, "year": year, "years": years})


FAVICON = Path(__file__).resolve().parent.parent / "static" / "jigai" / "favicon.ico"


@login_not_required
@require_GET
def favicon(request):
    """/favicon.ico, which browsers ask for on their own: the vendored icon, before any login."""
    response = HttpResponse(FAVICON.read_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response
