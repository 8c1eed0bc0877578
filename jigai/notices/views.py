"""Notice pages: the public page (no login, published figures only) and the office's pages (publish,
objections, end of the period), with the notice as .docx."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from jigai.accounts.permissions import can, guard, not_found
from jigai.core import audit
from jigai.core.edges import form_errors_to_messages, refused
from jigai.core.params import MAX_ID
from jigai.documents.http import docx_response
from jigai.funds.models import Item

from . import documents, selectors, services
from .forms import EndForm, ObjectionForm, PublishForm, ResolveForm
from .models import Notice, NoticeState, Objection

# --- public (公示: anyone on the network, no login) -------------------------------------------------


def _public_notice(pk: int) -> Notice:
    notice = Notice.objects.filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if notice is None:
        raise Http404(gettext("公示不存在"))
    return notice


@login_not_required
def public_list(request):
    return render(
        request,
        "notices/public_list.html",
        {"notices": selectors.public_notices(), "contact": settings.JIGAI_NOTICE_CONTACT},
    )


@login_not_required
def public_detail(request, pk: int):
    notice = _public_notice(pk)
    entries = list(selectors.public_entries(notice))
    return render(
        request,
        "notices/public_detail.html",
        {
            "notice": notice,
            "entries": entries,
            "total": sum((e.amount_yuan for e in entries), start=0),
            "contact": settings.JIGAI_NOTICE_CONTACT,
        },
    )


@login_not_required
def public_docx(request, pk: int):
    notice = _public_notice(pk)
    data = documents.notice_document(notice).to_bytes()
    return docx_response(documents.document_name(notice), data)


# --- the office's pages -------------------------------------------------------------------------------


@guard("notice.view")
def notice_list(request):
    may_publish = can(request.user, "notice.publish")
    form = None
    candidates = []
    if may_publish:
        candidates = list(selectors.items_to_publish()[:1000])
        form = PublishForm(
            request.POST if request.method == "POST" else None,
            initial={
                "starts_on": timezone.localdate(),
                "days": services.period_days(),
                "items": [i.pk for i in candidates],
            },
        )
        form.fields["items"].choices = [(i.pk, str(i.pk)) for i in candidates]
        if request.method == "POST" and form.is_valid():
            cd = form.cleaned_data
            items = list(Item.objects.filter(pk__in=cd["items"]))
            with refused(form=form) as attempt:
                notice = services.notice_publish(
                    user=request.user,
                    items=items,
                    title=cd["title"],
                    starts_on=cd["starts_on"],
                    days=cd["days"],
                    at=timezone.now(),
                )
            if attempt.ok:
                messages.success(request, gettext("%(ref)s 已发布。") % {"ref": notice.ref})
                return redirect("notices:detail", pk=notice.pk)
    elif request.method == "POST":
        return redirect("notices:list")
    return render(
        request,
        "notices/list.html",
        {"notices": selectors.notice_list(request.user), "form": form, "candidates": candidates},
    )


def _notice_or_404(request, pk: int) -> Notice:
    notice = selectors.notice_detail(request.user, pk)
    if notice is None:
        raise not_found(Notice, pk, gettext("公示不存在"))
    return notice


@guard("notice.view")
def notice_detail(request, pk: int):
    notice = _notice_or_404(request, pk)
    entries = list(notice.entries.all())
    objection_form = end_form = None
    if can(request.user, "notice.objection") and notice.state == NoticeState.OPEN:
        objection_form = ObjectionForm(initial={"received_on": timezone.localdate()})
        objection_form.fields["entry"].choices = [
            (e.pk, f"{e.position}. {e.enterprise_name}") for e in entries
        ]
    if can(request.user, "notice.publish") and notice.state == NoticeState.OPEN:
        end_form = EndForm(
            initial={
                "on": max(timezone.localdate(), notice.ends_on + dt.timedelta(days=1)),
                "version": notice.version,
            }
        )
    return render(
        request,
        "notices/detail.html",
        {
            "notice": notice,
            "entries": entries,
            "objection_form": objection_form,
            "end_form": end_form,
            "resolve_form": ResolveForm() if can(request.user, "notice.objection") else None,
            "total": sum((e.amount_yuan for e in entries), start=0),
        },
    )


@require_POST
@guard("notice.objection")
def objection_add(request, pk: int):
    notice = _notice_or_404(request, pk)
    form = ObjectionForm(request.POST)
    form.fields["entry"].choices = [(e.pk, e.pk) for e in notice.entries.all()]
    if form.is_valid():
        cd = form.cleaned_data
        entry = notice.entries.get(pk=cd["entry"])
        with refused(request=request) as attempt:
            services.objection_record(
                user=request.user,
                entry=entry,
                raised_by=cd["raised_by"],
                contact=cd["contact"],
                content=cd["content"],
                received_on=cd["received_on"],
                at=timezone.now(),
            )
        if attempt.ok:
            messages.success(request, gettext("异议已登记，该事项暂停拨付，待处理。"))
    else:
        form_errors_to_messages(request, form)
    return redirect("notices:detail", pk=notice.pk)


@require_POST
@guard("notice.objection")
def objection_resolve(request, pk: int):
    objection = selectors.objection_detail(request.user, pk)
    if objection is None:
        raise not_found(Objection, pk, gettext("异议不存在"))
    form = ResolveForm(request.POST)
    if form.is_valid():
        with refused(request=request) as attempt:
            services.objection_resolve(
                user=request.user,
                objection=objection,
                upheld=form.cleaned_data["upheld"],
                resolution=form.cleaned_data["resolution"],
                at=timezone.now(),
            )
        if attempt.ok:
            messages.success(request, gettext("异议处理结果已登记。"))
    else:
        form_errors_to_messages(request, form)
    return redirect("notices:detail", pk=objection.entry.notice_id)


@require_POST
@guard("notice.publish")
def notice_end(request, pk: int):
    notice = _notice_or_404(request, pk)
    form = EndForm(request.POST)
    if form.is_valid():
        with refused(request=request) as attempt:
            services.notice_end(
                user=request.user,
                notice=notice,
                on=form.cleaned_data["on"],
                expected_version=form.cleaned_data["version"],
                at=timezone.now(),
            )
        if attempt.ok:
            messages.success(request, gettext("公示已结束，无异议的事项已转为待拨付。"))
    else:
        form_errors_to_messages(request, form)
    return redirect("notices:detail", pk=notice.pk)


@guard("notice.view")
def notice_docx(request, pk: int):
    notice = _notice_or_404(request, pk)
    data = documents.notice_document(notice).to_bytes()
    audit.record("export", obj=notice, message=f"下载公示 {notice.ref}")
    return docx_response(documents.document_name(notice), data)
