from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from jigai.accounts.permissions import can, guard, not_found
from jigai.core import audit, money
from jigai.core.edges import refused
from jigai.core.models import Industry, Region

from . import exports, selectors, services
from .forms import EnterpriseForm, ProjectForm, ScaleYearForm, TransitionForm
from .models import Enterprise, Project, ProjectStatus
from .selectors import FLAG_FIELDS, ProjectFilters

PAGE_SIZE = 50


@guard("project.view")
def project_list(request):
    filters = ProjectFilters.from_params(request.GET)
    qs = selectors.project_list(request.user, filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    regions = Region.objects.filter(level=Region.Level.UNIT).order_by("sort_order", "id")
    if request.user.role == "clerk":
        regions = regions.filter(pk=request.user.region_id)
    return render(
        request,
        "registry/project_list.html",
        {
            "page": page,
            "filters": filters,
            "querystring": params.urlencode(),
            "regions": regions,
            "statuses": ProjectStatus.choices,
            "industries": Industry.objects.order_by("code"),
            "flag_choices": [(k, v[1]) for k, v in FLAG_FIELDS.items()],
            "years": range(2017, timezone.localdate().year + 2),
        },
    )


@guard("project.export")
def project_export(request):
    filters = ProjectFilters.from_params(request.GET)
    qs = selectors.project_list(request.user, filters)
    audit.record("export", object_type="registry.project", message=f"导出项目库 {request.GET.urlencode()}")
    return exports.project_xlsx_response(qs)


@guard("project.view")
def project_detail(request, pk: int):
    project = selectors.project_detail(request.user, pk)
    if project is None:
        raise not_found(Project, pk, gettext("项目不存在或无权访问"))
    transition_form = None
    if can(request.user, "project.transition") and services.TRANSITIONS[project.status]:
        transition_form = TransitionForm(project=project, initial={"version": project.version})
    return render(
        request,
        "registry/project_detail.html",
        {
            "project": project,
            "transitions": project.transitions.order_by("at", "id"),
            "transition_form": transition_form,
            "can_edit": can(request.user, "project.edit") and request.user.role != "enterprise",
        },
    )


@guard("project.create")
def project_create(request):
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with refused(form=form, field_map=ProjectForm.FIELD_MAP) as attempt:
            project = services.project_create(
                user=request.user, data=form.domain_data(), plan_years=form.cleaned_data["plan_years"]
            )
        if attempt.ok:
            messages.success(request, gettext("项目“%(name)s”已登记。") % {"name": project.name})
            return redirect("registry:project_detail", pk=project.pk)
    return render(request, "registry/project_form.html", {"form": form, "title": gettext("登记技改项目")})


@guard("project.edit")
def project_edit(request, pk: int):
    project = selectors.project_detail(request.user, pk)
    if project is None:
        raise not_found(Project, pk, gettext("项目不存在或无权访问"))
    if request.method == "POST":
        form = ProjectForm(request.POST, user=request.user)
        if form.is_valid():
            with refused(form=form, field_map=ProjectForm.FIELD_MAP) as attempt:
                services.project_update(
                    user=request.user,
                    project=project,
                    data=form.domain_data(),
                    expected_version=form.cleaned_data.get("version") or 0,
                    plan_years=form.cleaned_data["plan_years"],
                )
            if attempt.ok:
                messages.success(request, gettext("修改已保存。"))
                return redirect("registry:project_detail", pk=project.pk)
    else:
        form = ProjectForm(initial=ProjectForm.initial_from(project), user=request.user)
    title = gettext("修改项目：%(name)s") % {"name": project.name}
    return render(request, "registry/project_form.html", {"form": form, "title": title, "project": project})


@require_POST
@guard("project.transition")
def project_transition(request, pk: int):
    project = selectors.project_detail(request.user, pk)
    if project is None:
        raise not_found(Project, pk, gettext("项目不存在或无权访问"))
    form = TransitionForm(request.POST, project=project)
    if form.is_valid():
        with refused(request=request) as attempt:
            services.project_transition(
                user=request.user,
                project=project,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
                at=timezone.now(),
                effective_date=form.cleaned_data.get("effective_date"),
                expected_version=form.cleaned_data["version"],
            )
        if attempt.ok:
            messages.success(
                request,
                gettext("状态已变更为“%(status)s”。")
                % {"status": ProjectStatus(form.cleaned_data["to_status"]).label},
            )
    else:
        for field, errs in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for e in errs:
                text = gettext("%(label)s：%(error)s") % {"label": label, "error": e} if label else e
                messages.error(request, text)
    return redirect(reverse("registry:project_detail", args=[pk]))


@guard("enterprise.view")
def enterprise_list(request):
    region = request.GET.get("region", "").strip()
    q = request.GET.get("q", "").strip()[:100]
    industry = request.GET.get("industry", "").strip()
    qs = selectors.enterprise_list(request.user, region=region, q=q, industry=industry)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    regions = Region.objects.filter(level=Region.Level.UNIT).order_by("sort_order", "id")
    if request.user.role == "clerk":
        regions = regions.filter(pk=request.user.region_id)
    return render(
        request,
        "registry/enterprise_list.html",
        {
            "page": page,
            "region": region,
            "q": q,
            "industry": industry,
            "querystring": params.urlencode(),
            "regions": regions,
            "industries": Industry.objects.order_by("code"),
        },
    )


@guard("enterprise.view")
def enterprise_detail(request, pk: int):
    enterprise = (
        selectors.enterprise_queryset(request.user)
        .select_related("region", "industry", "champion_industry")
        .filter(pk=pk)
        .first()
    )
    if enterprise is None:
        raise not_found(Enterprise, pk, gettext("企业不存在或无权访问"))
    projects = (
        selectors.project_queryset(request.user)
        .filter(enterprise=enterprise)
        .select_related("region")
        .order_by("-id")
    )
    return render(
        request,
        "registry/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "projects": projects,
            "scale_years": enterprise.scale_years.order_by("year", "id"),
            "can_edit": can(request.user, "enterprise.edit"),
            "scale_form": ScaleYearForm(initial={"year": timezone.localdate().year - 1})
            if can(request.user, "enterprise.create")
            else None,
        },
    )


@require_POST
@guard("enterprise.create")
def enterprise_scale(request, pk: int):
    enterprise = selectors.enterprise_queryset(request.user).filter(pk=pk).first()
    if enterprise is None:
        raise not_found(Enterprise, pk)
    form = ScaleYearForm(request.POST)
    if form.is_valid():
        cd = form.cleaned_data
        revenue = money.wan_to_yuan(cd["revenue_wan"]) if cd["revenue_wan"] is not None else None
        with refused(request=request) as attempt:
            services.enterprise_scale_set(
                user=request.user,
                enterprise=enterprise,
                year=cd["year"],
                above_scale=cd["above_scale"],
                revenue_yuan=revenue,
            )
        if attempt.ok:
            messages.success(request, gettext("规上状态已保存。"))
    else:
        for field, errs in form.errors.items():
            for e in errs:
                messages.error(request, f"{form.fields[field].label}：{e}" if field in form.fields else e)
    return redirect("registry:enterprise_detail", pk=pk)


@guard("enterprise.create")
def enterprise_create(request):
    form = EnterpriseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        with refused(form=form) as attempt:
            ent = services.enterprise_create(user=request.user, data=data)
        if attempt.ok:
            messages.success(request, gettext("企业“%(name)s”已登记。") % {"name": ent.name})
            return redirect("registry:enterprise_detail", pk=ent.pk)
    return render(request, "registry/enterprise_form.html", {"form": form, "title": gettext("登记企业")})


@guard("enterprise.edit")
def enterprise_edit(request, pk: int):
    enterprise = selectors.enterprise_queryset(request.user).filter(pk=pk).first()
    if enterprise is None:
        raise not_found(Enterprise, pk, gettext("企业不存在或无权访问"))
    if request.method == "POST":
        form = EnterpriseForm(request.POST, user=request.user)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            with refused(form=form) as attempt:
                services.enterprise_update(
                    user=request.user,
                    enterprise=enterprise,
                    data=data,
                    expected_version=form.cleaned_data.get("version") or 0,
                )
            if attempt.ok:
                messages.success(request, gettext("修改已保存。"))
                return redirect("registry:enterprise_detail", pk=enterprise.pk)
    else:
        initial = {f: getattr(enterprise, f) for f in services.ENTERPRISE_FIELDS}
        initial["version"] = enterprise.version
        form = EnterpriseForm(initial=initial, user=request.user)
    title = gettext("修改企业：%(name)s") % {"name": enterprise.name}
    return render(
        request, "registry/enterprise_form.html", {"form": form, "title": title, "enterprise": enterprise}
    )
