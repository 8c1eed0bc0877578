"""Forms of the acceptance page (验收, 4.2): amounts typed in 万元, stored in yuan."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jigai.accounts.models import User
from jigai.core import money
from jigai.registry.forms import WanField

from .models import Outcome
from .services import TEAM_ROLES

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _team_choices():
    return User.objects.filter(role__in=TEAM_ROLES, is_active=True).order_by("role", "username", "id")


class AcceptanceForm(forms.Form):
    inspection_date = forms.DateField(label=_("验收日期"), widget=DATE)
    team = forms.ModelMultipleChoiceField(
        label=_("验收组成员（州项目办、财政部门）"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    leader = forms.ModelChoiceField(label=_("验收组组长"), queryset=User.objects.none())
    findings = forms.CharField(label=_("验收发现"), widget=forms.Textarea(attrs={"rows": 4}))
    outcome = forms.ChoiceField(label=_("验收结论"), choices=Outcome.choices)
    rectify_deadline_date = forms.DateField(
        label=_("整改期限（限期整改时填写）"), required=False, widget=DATE
    )
    verified_equipment_investment_wan = WanField(
        label=_("核定设备投资（万元，空则同申报数）"), required=False
    )
    verified_fixed_asset_investment_wan = WanField(
        label=_("核定固定资产投资（万元，空则同申报数）"), required=False
    )
    adjustment_reason = forms.CharField(
        label=_("核定数与申报数不同的原因"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    FIELD_MAP = {
        "verified_equipment_investment_yuan": "verified_equipment_investment_wan",
        "verified_fixed_asset_investment_yuan": "verified_fixed_asset_investment_wan",
        "project": None,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = _team_choices()
        self.fields["team"].queryset = users
        self.fields["leader"].queryset = users
        label = lambda u: f"{u}（{u.get_role_display()}）"  # noqa: E731 — the name, or the login without one
        self.fields["team"].label_from_instance = label
        self.fields["leader"].label_from_instance = label

    def domain_data(self) -> dict:
        cd = self.cleaned_data
        data = {k: cd[k] for k in ("inspection_date", "leader", "findings", "outcome", "adjustment_reason")}
        data["team"] = list(cd["team"])
        data["rectify_deadline_date"] = cd.get("rectify_deadline_date")
        for f in ("equipment_investment", "fixed_asset_investment"):
            wan = cd.get(f"verified_{f}_wan")
            data[f"verified_{f}_yuan"] = None if wan is None else money.wan_to_yuan(wan)
        return data


class AmendmentForm(forms.Form):
    verified_equipment_investment_wan = WanField(label=_("更正后核定设备投资（万元）"))
    verified_fixed_asset_investment_wan = WanField(label=_("更正后核定固定资产投资（万元）"))
    reason = forms.CharField(label=_("更正原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    FIELD_MAP = {
        "verified_equipment_investment_yuan": "verified_equipment_investment_wan",
        "verified_fixed_asset_investment_yuan": "verified_fixed_asset_investment_wan",
    }
