"""Forms of the finance pages (3.4): amounts typed in 万元, stored in yuan."""

from django import forms

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


class NeedForm(forms.Form):
    project = forms.ModelChoiceField(label="项目", queryset=Project.objects.none())
    amount_wan = WanField(label="融资需求（万元）")
    purpose = forms.CharField(label="资金用途", max_length=200)
    term_months = forms.IntegerField(label="期限（月）", min_value=1, max_value=360)
    posted_on = forms.DateField(label="发布日期", widget=DATE)
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


class LoanForm(forms.Form):
    amount_wan = WanField(label="贷款金额（万元）")
    rate_percent = forms.DecimalField(label="年利率（%）", max_digits=6, decimal_places=3)
    issued_on = forms.DateField(label="放款日期", widget=DATE)
    maturity_on = forms.DateField(label="到期日期", widget=DATE)
    FIELD_MAP = WAN_MAP

    def domain_data(self) -> dict:
        cd = self.cleaned_data
        return {
            "amount_yuan": _yuan(cd["amount_wan"]),
            "rate_percent": cd["rate_percent"],
            "issued_on": cd["issued_on"],
            "maturity_on": cd["maturity_on"],
        }


class ClaimForm(forms.Form):
    defaulted_on = forms.DateField(label="违约日期", widget=DATE)
    outstanding_principal_wan = WanField(label="未偿本金（万元）")
    reason = forms.CharField(label="违约情况", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    FIELD_MAP = WAN_MAP

    def domain_data(self) -> dict:
        cd = self.cleaned_data
        return {
            "defaulted_on": cd["defaulted_on"],
            "outstanding_principal_yuan": _yuan(cd["outstanding_principal_wan"]),
            "reason": cd["reason"],
        }


class PolicyForm(forms.Form):
    policy_no = forms.CharField(label="保单号", max_length=40)
    insurer = forms.CharField(label="保险机构", max_length=60)
    amount_insured_wan = WanField(label="保险金额（万元）")
    premium_wan = WanField(label="保费（万元）")
    premium_subsidy_wan = WanField(label="保费补贴（万元，无则填0）", required=False)
    start_on = forms.DateField(label="保险起期", widget=DATE)
    end_on = forms.DateField(label="保险止期", widget=DATE)
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


class ContributionForm(forms.Form):
    amount_wan = WanField(label="注入金额（万元）")
    source = forms.CharField(label="资金来源", max_length=100)
    entry_date = forms.DateField(label="日期", widget=DATE)
    FIELD_MAP = WAN_MAP

    def domain_data(self) -> dict:
        cd = self.cleaned_data
        return {
            "amount_yuan": _yuan(cd["amount_wan"]),
            "source": cd["source"],
            "entry_date": cd["entry_date"],
        }


class MeetingForm(forms.Form):
    held_on = forms.DateField(label="召开日期", widget=DATE)
    place = forms.CharField(label="地点", max_length=100)
    organiser = forms.CharField(label="主办单位", max_length=100)
    region = forms.ModelChoiceField(
        label="所在县市（空为全州）", queryset=Region.objects.none(), required=False
    )
    banks = forms.ModelMultipleChoiceField(
        label="参会银行", queryset=Bank.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    enterprises = forms.ModelMultipleChoiceField(label="参会企业", queryset=Enterprise.objects.none())
    note = forms.CharField(label="会议情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.filter(level=Region.Level.UNIT).order_by("sort_order", "id")
        if user.role == Role.CLERK:
            regions = regions.filter(pk=user.region_id)
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


class IntentionForm(forms.Form):
    bank = forms.ModelChoiceField(label="银行", queryset=Bank.objects.none())
    project = forms.ModelChoiceField(label="项目", queryset=Project.objects.none())
    amount_wan = WanField(label="意向金额（万元）")
    note = forms.CharField(label="备注", max_length=200, required=False)
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


class BankForm(forms.Form):
    name = forms.CharField(label="银行名称", max_length=60)
    short_name = forms.CharField(label="简称", max_length=20)
    kind = forms.ChoiceField(label="类型", choices=BankKind.choices)


class MemberForm(forms.Form):
    member = forms.ModelChoiceField(label="银行用户", queryset=User.objects.none())
    bank = forms.ModelChoiceField(label="所属银行", queryset=Bank.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = User.objects.filter(role=Role.BANK, is_active=True).order_by(
            "username"
        )
        self.fields["member"].label_from_instance = lambda u: (
            f"{u}（{u.bank_name}）" if u.bank_name and u.bank_name not in str(u) else str(u)
        )
        self.fields["bank"].queryset = Bank.objects.filter(is_active=True).order_by("kind", "id")
