"""Forms of the dispatch pages. Amounts are typed in 万元 (WanField) and stored in yuan."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jigai.core import money
from jigai.registry.forms import WanField

from .models import ProgressState


def to_yuan(wan: Decimal | None) -> Decimal | None:
    return None if wan is None else money.wan_to_yuan(wan)


to_wan = money.yuan_to_wan


class ReportRowForm(forms.Form):
    """One project's month on the unit's month screen. Every input is a single line, so Enter submits."""

    project_id = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    month_investment_wan = WanField(label=_("本月完成投资（万元）"), required=False)
    cumulative_investment_wan = WanField(
        label=_("开工累计完成投资（万元）"), required=False, help_text=_("留空则按上月累计加本月计算")
    )
    progress_pct = forms.IntegerField(label=_("形象进度（%）"), min_value=0, max_value=100, required=False)
    progress_text = forms.CharField(label=_("形象进度"), max_length=300, required=False)
    state = forms.ChoiceField(
        label=_("推进状态"), choices=ProgressState.choices, initial=ProgressState.ON_SCHEDULE
    )
    problems = forms.CharField(label=_("需协调解决的问题"), max_length=2000, required=False)
    department_asked = forms.CharField(label=_("请求协调部门"), max_length=100, required=False)

    AMOUNT_FIELDS = ("month_investment_wan", "cumulative_investment_wan")

    def __init__(self, *args, previous_cumulative: Decimal | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.previous_cumulative = previous_cumulative
        for name in self.AMOUNT_FIELDS:
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "class": "amount"})
        self.fields["progress_pct"].widget.attrs.update({"class": "pct"})
        for name in ("progress_text", "problems", "department_asked"):
            self.fields[name].widget.attrs["class"] = name

    def is_blank(self) -> bool:
        """A row left empty for a project without a report: nothing to save for it."""
        cd = self.cleaned_data
        return not cd.get("version") and all(
            cd.get(k) in (None, "")
            for k in (*self.AMOUNT_FIELDS, "progress_pct", "progress_text", "problems")
        )

    def clean(self):
        cd = super().clean()
        if self.errors or self.is_blank():
            return cd
        month, cum = cd.get("month_investment_wan"), cd.get("cumulative_investment_wan")
        prev = to_wan(self.previous_cumulative) if self.previous_cumulative is not None else Decimal(0)
        if month is None and cum is None:
            self.add_error("month_investment_wan", gettext("请填写本月完成投资或开工累计完成投资"))
        elif cum is None:
            cd["cumulative_investment_wan"] = prev + month
        elif month is None:
            cd["month_investment_wan"] = max(cum - prev, Decimal(0))
        return cd

    def domain_data(self) -> dict:
        cd = self.cleaned_data
        return {
            "month_investment_yuan": to_yuan(cd["month_investment_wan"]),
            "cumulative_investment_yuan": to_yuan(cd["cumulative_investment_wan"]),
            "progress_pct": cd.get("progress_pct") or 0,
            "progress_text": cd.get("progress_text") or "",
            "state": cd.get("state") or ProgressState.ON_SCHEDULE,
            "problems": cd.get("problems") or "",
            "department_asked": cd.get("department_asked") or "",
            "version": cd.get("version"),
        }

    FIELD_MAP = {
        "month_investment_yuan": "month_investment_wan",
        "cumulative_investment_yuan": "cumulative_investment_wan",
    }

    @staticmethod
    def initial_for(row) -> dict:
        r = row.report
        if r is not None:
            return {
                "project_id": row.project.pk, "version": r.version,
                "month_investment_wan": to_wan(r.month_investment_yuan),
                "cumulative_investment_wan": to_wan(r.cumulative_investment_yuan),
                "progress_pct": r.progress_pct, "progress_text": r.progress_text, "state": r.state,
                "problems": r.problems, "department_asked": r.department_asked,
            }  # fmt: skip
        initial = {"project_id": row.project.pk}
        if row.previous is not None:  # what the project said last month, to type over
            initial.update({"state": row.previous.state, "department_asked": row.previous.department_asked})
        return initial


ReportRowFormSet = forms.formset_factory(ReportRowForm, extra=0, can_delete=False)


class CorrectionReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("更正原因"), max_length=500, required=False,
        help_text=_("修改已报送的数据，或开工累计低于上月（累计投资回落）时必填（如“企业补报发票，本月投资更正”）"),
    )  # fmt: skip


class StatisticRowForm(forms.Form):
    region_id = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    industrial_wan = WanField(label=_("工业投资累计（万元）"), required=False)
    tech_wan = WanField(label=_("技改投资累计（万元）"), required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def clean(self):
        cd = super().clean()
        if self.errors:
            return cd
        filled = [cd.get("industrial_wan") is not None, cd.get("tech_wan") is not None]
        if any(filled) and not all(filled):
            self.add_error(None, gettext("工业投资和技改投资累计数须同时填写"))
        return cd


StatisticRowFormSet = forms.formset_factory(StatisticRowForm, extra=0, can_delete=False)


class PublishForm(forms.Form):
    issue_date = forms.DateField(
        label=_("成文日期"), error_messages={"required": _("请填写成文日期"), "invalid": _("成文日期格式不正确")},
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "required": True}),
    )  # fmt: skip
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class BulletinCorrectionForm(PublishForm):
    reason = forms.CharField(label=_("更正原因"), max_length=500, widget=forms.TextInput(attrs={"size": 60}))
