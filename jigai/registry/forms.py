from decimal import Decimal

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jigai.accounts.models import Role
from jigai.core import money
from jigai.core.codes import CodeError, validate_credit_code
from jigai.core.models import ChampionIndustry, Industry, Region

from .models import Enterprise, ProjectStatus
from .services import TRANSITIONS


class WanField(forms.DecimalField):
    """Typed in 万元 (up to 6 decimals = fen), stored in yuan (docs/programme.md, reading 2).

    Read by ``jigai.core.money`` as on every other path: full-width digits, grouping commas only in
    groups of three (``3,000,000.50``; ``3000000,50`` is refused), at most ``money.MAX_WAN``. A text
    input, so a browser lets the clerk type what the import would accept."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", None)
        kwargs.setdefault("decimal_places", money.UNIT_PLACES["万元"])
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("max_value", money.MAX_WAN)
        label = kwargs.get("label") or _("金额")
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _("请输入数字（单位：万元）"),
                "max_decimal_places": _("最多 %(max)s 位小数（万元精确到分为6位小数）"),
                "min_value": _("金额不能为负数"),
                "max_value": format_lazy(
                    _("{label}超出上限（最多 {limit} 万元）"), label=label, limit=f"{money.MAX_WAN:,f}"
                ),
                "required": _("请填写金额"),
            },
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return money.parse_decimal(value if isinstance(value, Decimal) else str(value))
        except money.MoneyError as exc:
            if str(exc).startswith(("不是有效", "应为数字")):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
            raise forms.ValidationError(str(exc), code="invalid") from None

    def widget_attrs(self, widget):
        return {}  # no number-input attributes (step, min, max) on a text input


def regions_for(user):
    qs = Region.objects.filter(level=Region.Level.UNIT).order_by("sort_order", "id")
    if user.role == Role.CLERK:
        qs = qs.filter(pk=user.region_id)
    return qs


class EnterpriseForm(forms.Form):
    name = forms.CharField(label=_("企业名称"), max_length=100)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=24)
    region = forms.ModelChoiceField(label=_("报送单位"), queryset=Region.objects.none())
    industry = forms.ModelChoiceField(
        label=_("行业（国民经济行业大类）"), queryset=Industry.objects.order_by("code")
    )
    champion_industry = forms.ModelChoiceField(
        label=_("重点行业（3.1.2）"), required=False, queryset=ChampionIndustry.objects.order_by("id")
    )
    registered_in_prefecture = forms.BooleanField(label=_("州内注册"), required=False, initial=True)
    contact_person = forms.CharField(label=_("联系人"), max_length=40, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for(user)
        if user.role == Role.ENTERPRISE:
            for name in list(self.fields):
                if name not in {"contact_person", "contact_phone", "address", "version"}:
                    del self.fields[name]

    def clean_credit_code(self):
        try:
            return validate_credit_code(self.cleaned_data["credit_code"])
        except CodeError as exc:
            raise forms.ValidationError(str(exc)) from exc


class ScaleYearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    above_scale = forms.BooleanField(label=_("规上企业"), required=False)
    revenue_wan = WanField(label=_("主营业务收入（万元）"), required=False)


class ProjectForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=_("企业"), queryset=Enterprise.objects.none())
    region = forms.ModelChoiceField(label=_("报送单位"), queryset=Region.objects.none())
    name = forms.CharField(label=_("项目名称"), max_length=120)
    content = forms.CharField(label=_("建设内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    project_code = forms.CharField(
        label=_("项目代码"),
        max_length=40,
        required=False,
        help_text=_("投资项目在线审批监管平台赋予的代码，没有可不填"),
    )
    industry = forms.ModelChoiceField(label=_("行业"), queryset=Industry.objects.order_by("code"))
    total_investment_wan = WanField(label=_("总投资（万元）"))
    equipment_investment_wan = WanField(label=_("设备投资（万元）"))
    fixed_asset_investment_wan = WanField(label=_("固定资产投资（万元）"))
    planned_start_date = forms.DateField(
        label=_("计划开工日期"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    planned_completion_date = forms.DateField(
        label=_("计划竣工日期"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    actual_start_date = forms.DateField(
        label=_("实际开工日期"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    actual_completion_date = forms.DateField(
        label=_("实际竣工日期"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    plan_years = forms.CharField(
        label=_("列入年度计划"), required=False, help_text=_("如 2018,2019；未列入留空")
    )
    conforms_industrial_policy = forms.BooleanField(label=_("符合国家产业政策"), required=False, initial=True)
    is_key = forms.BooleanField(label=_("重点项目"), required=False)
    is_demonstration = forms.BooleanField(label=_("示范项目"), required=False)
    zero_new_land = forms.BooleanField(label=_("零新增地"), required=False)
    leader_name = forms.CharField(label=_("挂点领导姓名"), max_length=40, required=False)
    leader_title = forms.CharField(label=_("挂点领导职务"), max_length=60, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for(user)
        ents = Enterprise.objects.order_by("name", "id")
        if user.role == Role.CLERK:
            ents = ents.filter(region_id=user.region_id)
        self.fields["enterprise"].queryset = ents

    def clean_plan_years(self):
        raw = self.cleaned_data.get("plan_years") or ""
        years = []
        for part in raw.replace("，", ",").replace("、", ",").replace(" ", ",").split(","):
            if not part:
                continue
            if not part.isdigit() or not 2000 <= int(part) <= 2100:
                raise forms.ValidationError(gettext("“%(value)s”不是有效的年度（如 2018）") % {"value": part})
            years.append(int(part))
        return sorted(set(years))

    def domain_data(self) -> dict:
        cd = self.cleaned_data
        data = {
            k: cd[k]
            for k in (
                "enterprise",
                "region",
                "name",
                "content",
                "project_code",
                "industry",
                "planned_start_date",
                "planned_completion_date",
                "actual_start_date",
                "actual_completion_date",
                "conforms_industrial_policy",
                "is_key",
                "is_demonstration",
                "zero_new_land",
                "leader_name",
                "leader_title",
            )
        }
        for f in ("total_investment", "equipment_investment", "fixed_asset_investment"):
            data[f"{f}_yuan"] = money.wan_to_yuan(cd[f"{f}_wan"])
        return data

    @staticmethod
    def initial_from(project) -> dict:
        initial = {
            f: getattr(project, f)
            for f in (
                "enterprise",
                "region",
                "name",
                "content",
                "project_code",
                "industry",
                "planned_start_date",
                "planned_completion_date",
                "actual_start_date",
                "actual_completion_date",
                "conforms_industrial_policy",
                "is_key",
                "is_demonstration",
                "zero_new_land",
                "leader_name",
                "leader_title",
                "version",
            )
        }
        for f in ("total_investment", "equipment_investment", "fixed_asset_investment"):
            initial[f"{f}_wan"] = money.yuan_to_wan(getattr(project, f"{f}_yuan"))
        initial["plan_years"] = ",".join(str(p.year) for p in project.plan_years.all())
        return initial

    FIELD_MAP = {
        "total_investment_yuan": "total_investment_wan",
        "equipment_investment_yuan": "equipment_investment_wan",
        "fixed_asset_investment_yuan": "fixed_asset_investment_wan",
    }


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("变更为"), choices=())
    effective_date = forms.DateField(
        label=_("发生日期（开工/竣工日期）"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    reason = forms.CharField(label=_("原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [
            (s, ProjectStatus(s).label) for s in ProjectStatus.values if s in TRANSITIONS[project.status]
        ]
