"""Forms of the finance pages (3.4): amounts typed in 万元, stored in yuan."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jigai.accounts.models import Role, User
from jigai.core import money
from jigai.core.models import Region
from jigai.registry.forms import WanField
from jigai.registry.models import Enterprise, Project

from .models import Bank, BankKind

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
WAN_MAP = {
    "amount_yuan": "amount_wan",
    "outstanding_principal_yuan": "outstanding_principal_wan",
    "amount_insured_yuan": "amount_insured_wan",
    "premium_yuan": "premium_wan",
    "premium_subsidy_yuan": "premium_subsidy_wan",
}


def _yuan(wan):
    return None if wan is None else money.wan_to_yuan(wan)


class _Form(forms.Form):
    """Errors as the office writes them, naming the field, instead of Django's default wording."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            msgs = field.error_messages
            if not isinstance(field, WanField):
                msgs["required"] = gettext("请填写%(label)s") % {"label": field.label}
            if isinstance(field, forms.CharField) and field.max_length:
                msgs["max_length"] = gettext("%(label)s过长（最多 %(max)s 个字）") % {
                    "label": field.label,
                    "max": field.max_length,
                }
            if isinstance(field, forms.DateField):
                msgs["invalid"] = gettext("%(label)s不是有效的日期") % {"label": field.label}
            if isinstance(field, forms.ModelMultipleChoiceField):
                msgs["required"] = gettext("请选择%(label)s") % {"label": field.label}
                msgs["invalid_choice"] = gettext("所选的%(label)s不在可选范围内") % {"label": field.label}
                msgs["invalid_pk_value"] = msgs["invalid_choice"]
            elif isinstance(field, (forms.ModelChoiceField, forms.ChoiceField)):
                if isinstance(field, forms.ModelChoiceField) and field.empty_label is not None:
                    field.empty_label = gettext("（请选择）")
                msgs["required"] = gettext("请选择%(label)s") % {"label": field.label}
                msgs["invalid_choice"] = gettext("所选的%(label)s不在可选范围内") % {"label": field.label}
            elif isinstance(field, forms.IntegerField):
                msgs["invalid"] = gettext("%(label)s须为整数") % {"label": field.label}
            if isinstance(field, forms.DecimalField) and not isinstance(field, WanField):
                msgs["invalid"] = gettext("%(label)s须为数字") % {"label": field.label}


class NeedForm(_Form):
    project = forms.ModelChoiceField(label=_("项目"), queryset=Project.objects.none())
    amount_wan = WanField(label=_("融资需求（万元）"))
    purpose = forms.CharField(label=_("资金用途"), max_length=200)
    term_months = forms.IntegerField(
        label=_("期限（月）"),
        min_value=1,
        max_value=360,
        error_messages={"min_value": _("期限须为 1 至 360 个月"), "max_value": _("期限须为 1 至 360 个月")},
    )
    posted_on = forms.DateField(label=_("发布日期"), widget=DATE)
    FIELD_MAP = WAN_MAP

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["project"].label_from_instance = lambda p: f"{p.name}（{p.enterprise.name}）"

    def domain_data(self) -> dict:
        cd = self.cleaned_data
        return {
            "project": cd["project"],
            "amount_yuan": _yuan(cd["amount_wan"]),
            "purpose": cd["purpose"],
            "term_months": cd["term_months"],
            "posted_on": cd["posted_on"],
        }


class LoanForm(_Form):
    amount_wan = WanField(label=_("贷款金额（万元）"))
    rate_percent = forms.DecimalField(
        label=_("年利率（%）"),
        max_digits=6,
        decimal_places=3,
        error_messages={
            "max_decimal_places": _("年利率最多 3 位小数"),
            "max_digits": _("年利率须大于 0 且不超过 36%"),
            "max_whole_digits": _("年利率须大于 0 且不超过 36%"),
        },
    )
    issued_on = forms.DateField(label=_("放款日期"), widget=DATE)
    maturity_on = forms.DateField(label=_("到期日期"), widget=DATE)
    FIELD_MAP = WAN_MAP

    def domain_data(self) -> dict:
        cd = self.cleaned_data
        return {
            "amount_yuan": _yuan(cd["amount_wan"]),
            "rate_percent": cd["rate_percent"],
            "issued_on": cd["issued_on"],
            "maturity_on": cd["maturity_on"],
        }


class ClaimForm(_Form):
    defaulted_on = forms.DateField(label=_("违约日期"), widget=DATE)
    outstanding_principal_wan = WanField(label=_("未偿本金（万元）"))
    reason = forms.CharField(label=_("违约情况"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    FIELD_MAP = WAN_MAP

    def domain_data(self) -> dict:
        cd = self.cleaned_data
        return {
            "defaulted_on": cd["defaulted_on"],
            "outstanding_principal_yuan": _yuan(cd["outstanding_principal_wan"]),
            "reason": cd["reason"],
        }


class PolicyForm(_Form):
    policy_no = forms.CharField(label=_("保单号"), max_length=40)
    insurer = forms.CharField(label=_("保险机构"), max_length=60)
    amount_insured_wan = WanField(label=_("保险金额（万元）"))
    premium_wan = WanField(label=_("保费（万元）"))
    premium_subsidy_wan = WanField(label=_("保费补贴（万元，无则填0）"), required=False)
    start_on = forms.DateField(label=_("保险起期"), widget=DATE)
    end_on = forms.DateField(label=_("保险止期"), widget=DATE)
    FIELD_MAP = WAN_MAP

    def domain_data(self) -> dict:
        cd = self.cleaned_data
        return {
            "policy_no": cd["policy_no"],
            "insurer": cd["insurer"],
            "amount_insured_yuan": _yuan(cd["amount_insured_wan"]),
            "premium_yuan": _yuan(cd["premium_wan"]),
            "premium_subsidy_yuan": _yuan(cd.get("premium_subsidy_wan")) or 0,
            "start_on": cd["start_on"],
            "end_on": cd["end_on"],
        }


class ContributionForm(_Form):
    amount_wan = WanField(label=_("注入金额（万元）"))
    source = forms.CharField(label=_("资金来源"), max_length=100)
    entry_date = forms.DateField(label=_("日期"), widget=DATE)
    FIELD_MAP = WAN_MAP

    def domain_data(self) -> dict:
        cd = self.cleaned_data
        return {
            "amount_yuan": _yuan(cd["amount_wan"]),
            "source": cd["source"],
            "entry_date": cd["entry_date"],
        }


class MeetingForm(_Form):
    held_on = forms.DateField(label=_("召开日期"), widget=DATE)
    place = forms.CharField(label=_("地点"), max_length=100)
    organiser = forms.CharField(label=_("主办单位"), max_length=100)
    region = forms.ModelChoiceField(
        label=_("所在县市（空为全州）"), queryset=Region.objects.none(), required=False
    )
    banks = forms.ModelMultipleChoiceField(
        label=_("参会银行"), queryset=Bank.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    enterprises = forms.ModelMultipleChoiceField(label=_("参会企业"), queryset=Enterprise.objects.none())
    note = forms.CharField(label=_("会议情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.filter(level=Region.Level.UNIT).order_by("sort_order", "id")
        if user.role == Role.CLERK:  # their own county's meetings only: no prefecture-wide choice
            regions = regions.filter(pk=user.region_id)
            self.fields["region"].required = True
            self.fields["region"].empty_label = None
            self.fields["region"].label = _("所在县市")
        else:
            self.fields["region"].empty_label = gettext("全州")
        self.fields["region"].queryset = regions
        self.fields["banks"].queryset = Bank.objects.filter(is_active=True).order_by("kind", "id")
        self.fields["enterprises"].queryset = enterprises

    def domain_data(self) -> dict:
        cd = self.cleaned_data
        return {
            "held_on": cd["held_on"],
            "place": cd["place"],
            "organiser": cd["organiser"],
            "region": cd.get("region"),
            "banks": list(cd["banks"]),
            "enterprises": list(cd["enterprises"]),
            "note": cd.get("note", ""),
        }


class IntentionForm(_Form):
    bank = forms.ModelChoiceField(label=_("银行"), queryset=Bank.objects.none())
    project = forms.ModelChoiceField(label=_("项目"), queryset=Project.objects.none())
    amount_wan = WanField(label=_("意向金额（万元）"))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
    FIELD_MAP = WAN_MAP

    def __init__(self, *args, meeting, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank"].queryset = meeting.banks.order_by("id")
        self.fields["project"].queryset = projects.filter(enterprise__in=meeting.enterprises.all())
        self.fields["project"].label_from_instance = lambda p: f"{p.name}（{p.enterprise.name}）"

    def domain_data(self) -> dict:
        cd = self.cleaned_data
        return {
            "bank": cd["bank"],
            "project": cd["project"],
            "amount_yuan": _yuan(cd["amount_wan"]),
            "note": cd.get("note", ""),
        }


class BankForm(_Form):
    name = forms.CharField(label=_("银行名称"), max_length=60)
    short_name = forms.CharField(label=_("简称"), max_length=20)
    kind = forms.ChoiceField(label=_("类型"), choices=BankKind.choices)


class MemberForm(_Form):
    member = forms.ModelChoiceField(label=_("银行用户"), queryset=User.objects.none())
    bank = forms.ModelChoiceField(label=_("所属银行"), queryset=Bank.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = User.objects.filter(role=Role.BANK, is_active=True).order_by(
            "username"
        )
        self.fields["member"].label_from_instance = lambda u: (
            f"{u}（{u.bank_name}）" if u.bank_name and u.bank_name not in str(u) else str(u)
        )
        self.fields["bank"].queryset = Bank.objects.filter(is_active=True).order_by("kind", "id")
