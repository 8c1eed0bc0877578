"""Champion declaration pages (隐形冠军, 3.1.2): declare with the certificate, submit, verify or return;
the decision and where its award stands on the money path."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from jigai.accounts.permissions import can, guard, not_found, scope_enterprises
from jigai.attachments import selectors as attachment_selectors
from jigai.attachments import services as attachment_services
from jigai.core.edges import form_errors_to_messages, refused
from jigai.core.params import int_param
from jigai.funds import selectors as funds_selectors
from jigai.registry.models import Enterprise

from . import selectors, services
from .forms import CertificateForm, DeclarationForm, ReturnForm, VerifyForm
from .models import Declaration, Level, State
from .rules import may_attach


def _enterprises(user):
    return scope_enterprises(user, Enterprise.objects.order_by("name"))


@guard("champion.view")
def declaration_list(request):
    year = int_param(request.GET.get("year"), None, 2000, 2100)
    state = request.GET.get("state") if request.GET.get("state") in State.values else None
    return render(
        request,
        "champions/list.html",
        {
            "declarations": selectors.declaration_list(request.user, year=year, state=state)[:1000],
            "may_declare": can(request.user, "champion.declare"),
            "states": State.choices,
            "year": year,
            "state": state,
        },
    )


@guard("champion.declare")
def declaration_new(request):
    enterprises = list(_enterprises(request.user)[:2000])
    form = DeclarationForm(
        request.POST if request.method == "POST" else None,
        initial={"year": timezone.localdate().year, "level": Level.PROVINCIAL},
    )
    form.fields["enterprise"].choices = [(e.pk, e.name) for e in enterprises]
    if request.method == "POST" and form.is_valid():
        enterprise = next(e for e in enterprises if e.pk == form.cleaned_data["enterprise"])
        with refused(form=form) as attempt:
            d = services.declaration_create(
                user=request.user, enterprise=enterprise, at=timezone.now(), **form.domain_data()
            )
        if attempt.ok:
            messages.success(request, gettext("申报已保存为草稿，请上传获奖证书后提交。"))
            return redirect("champions:detail", pk=d.pk)
    return render(request, "champions/new.html", {"form": form})


def _declaration_or_404(request, pk: int) -> Declaration:
    d = selectors.declaration_detail(request.user, pk)
    if d is None:
        raise not_found(Declaration, pk, gettext("申报不存在或无权访问"))
    return d


@guard("champion.view")
def declaration_detail(request, pk: int):
    d = _declaration_or_404(request, pk)
    user = request.user
    may_edit = can(user, "champion.declare") and d.editable
    edit_form = None
    if may_edit:
        edit_form = DeclarationForm(
            initial={f: getattr(d, f) for f in services.FIELDS}
            | {"version": d.version, "enterprise": d.enterprise_id}
        )
        edit_form.fields["enterprise"].choices = [(d.enterprise_id, d.enterprise.name)]
        edit_form.fields["enterprise"].disabled = True
    may_verify = can(user, "champion.verify") and d.state == State.SUBMITTED
    return render(
        request,
        "champions/detail.html",
        {
            "d": d,
            "attachments": attachment_selectors.attachments_for(d),
            "may_attach": may_attach(user, d),
            "certificate_form": CertificateForm() if may_attach(user, d) else None,
            "edit_form": edit_form,
            "may_submit": may_edit,
            "verify_form": VerifyForm() if may_verify else None,
            "return_form": ReturnForm() if may_verify else None,
            "preview": services.preview(d) if may_verify else None,
            "items": funds_selectors.items_for_source(d.source) if d.state == State.VERIFIED else [],
        },
    )


@require_POST
@guard("champion.declare")
def declaration_edit(request, pk: int):
    d = _declaration_or_404(request, pk)
    form = DeclarationForm(request.POST)
    form.fields["enterprise"].choices = [(d.enterprise_id, d.enterprise.name)]
    form.fields["enterprise"].required = False
    if form.is_valid():
        with refused(request=request) as attempt:
            services.declaration_update(
                user=request.user,
                declaration=d,
                expected_version=form.cleaned_data["version"],
                at=timezone.now(),
                **form.domain_data(),
            )
        if attempt.ok:
            messages.success(request, gettext("申报已保存。"))
    else:
        form_errors_to_messages(request, form)
    return redirect("champions:detail", pk=d.pk)


@require_POST
@guard("attachment.upload")
def certificate_upload(request, pk: int):
    d = _declaration_or_404(request, pk)
    form = CertificateForm(request.POST, request.FILES)
    if form.is_valid():
        with refused(request=request) as attempt:
            attachment_services.attachment_store(
                user=request.user,
                owner=d,
                kind=services.CERTIFICATE,
                upload=form.cleaned_data["file"],
                at=timezone.now(),
            )
        if attempt.ok:
            messages.success(request, gettext("证书已上传。"))
    else:
        form_errors_to_messages(request, form)
    return redirect("champions:detail", pk=d.pk)


@require_POST
@guard("champion.declare")
def declaration_submit(request, pk: int):
    d = _declaration_or_404(request, pk)
    with refused(request=request) as attempt:
        services.declaration_submit(
            user=request.user,
            declaration=d,
            expected_version=int_param(request.POST.get("version")),
            at=timezone.now(),
        )
    if attempt.ok:
        messages.success(request, gettext("申报已提交，等待州项目办核实。"))
    return redirect("champions:detail", pk=d.pk)


@require_POST
@guard("champion.verify")
def declaration_verify(request, pk: int):
    d = _declaration_or_404(request, pk)
    form = VerifyForm(request.POST)
    if form.is_valid():
        with refused(request=request) as attempt:
            d = services.declaration_verify(
                user=request.user,
                declaration=d,
                industry_confirmation=form.cleaned_data["industry_confirmation"],
                at=timezone.now(),
            )
        if attempt.ok:
            messages.success(
                request,
                gettext("已核实：%(outcome)s，%(amount)s 元。")
                % {"outcome": d.get_outcome_display(), "amount": d.amount_yuan},
            )
    else:
        form_errors_to_messages(request, form)
    return redirect("champions:detail", pk=d.pk)


@require_POST
@guard("champion.verify")
def declaration_return(request, pk: int):
    d = _declaration_or_404(request, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        with refused(request=request) as attempt:
            services.declaration_return(
                user=request.user, declaration=d, reason=form.cleaned_data["reason"], at=timezone.now()
            )
        if attempt.ok:
            messages.success(request, gettext("申报已退回。"))
    else:
        form_errors_to_messages(request, form)
    return redirect("champions:detail", pk=d.pk)
