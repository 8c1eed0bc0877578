from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jigai.core import money
from jigai.core.models import Industry
from jigai.registry.forms import WanField


class CalculatorForm(forms.Form):
    registered_in_prefecture = forms.BooleanField(label=_("在州内注册"), required=False, initial=True)
    conforms_industrial_policy = forms.BooleanField(label=_("符合国家产业政策"), required=False, initial=True)
    plan_year = forms.TypedChoiceField(
        label=_("列入年度技改计划"), required=False, coerce=int, empty_value=None, choices=()
    )
    industry_division = forms.ChoiceField(label=_("行业（国民经济行业大类）"), choices=())
    key_project = forms.BooleanField(label=_("重点技术改造项目"), required=False)
    start_date = forms.DateField(
        label=_("开工日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    completion_date = forms.DateField(
        label=_("竣工日期（未竣工填计划日期）"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    in_production = forms.BooleanField(label=_("已建成投产"), required=False)
    equipment_investment_wan = WanField(label=_("设备投资（万元）"))
    fixed_asset_investment_wan = WanField(label=_("固定资产投资（万元）"))
    verified_equipment_investment_wan = WanField(label=_("验收核定设备投资（万元，可空）"), required=False)
    verified_fixed_asset_investment_wan = WanField(
        label=_("验收核定固定资产投资（万元，可空）"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan_year"].choices = [("", gettext("未列入"))] + [
            (y, gettext("%(year)s年") % {"year": y}) for y in range(2017, 2024)
        ]
        self.fields["industry_division"].choices = [
            (i.code, f"{i.code} {i.name}") for i in Industry.objects.order_by("code")
        ]

    def record(self, project_id: str = "试算") -> dict:
        cd = self.cleaned_data
        rec = {
            "project_id": project_id,
            "registered_in_prefecture": cd["registered_in_prefecture"],
            "conforms_industrial_policy": cd["conforms_industrial_policy"],
            "plan_year": cd["plan_year"] or "",
            "industry_division": cd["industry_division"],
            "key_project": cd["key_project"],
            "start_date": cd["start_date"].isoformat(),
            "completion_date": cd["completion_date"].isoformat(),
            "in_production": cd["in_production"],
        }
        for f in (
            "equipment_investment",
            "fixed_asset_investment",
            "verified_equipment_investment",
            "verified_fixed_asset_investment",
        ):
            value = cd.get(f"{f}_wan")
            if value is not None:
                rec[f"{f}_yuan"] = str(money.wan_to_yuan(value))
        return rec


class AwardForm(forms.Form):
    technology = forms.CharField(label=_("单项技术"), max_length=100)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, initial=2019)
    industry = forms.CharField(
        label=_("行业"),
        max_length=40,
        help_text=_("如 硒食品加工、生物医药、清洁能源、新型建材、电子信息、智能制造"),
    )
    level = forms.ChoiceField(label=_("级别"), choices=[("全国", _("全国")), ("全省", _("全省"))])
    rank = forms.IntegerField(label=_("名次"), min_value=1, max_value=99)
