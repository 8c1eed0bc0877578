"""Forms of the application pages (申报): claimed amounts in 万元, an equipment line and a loan in 元."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jigai.attachments.models import Kind as AttachmentKind
from jigai.core import money
from jigai.registry.forms import WanField

from .models import SupportMode

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class ApplicationForm(forms.Form):
    claimed_equipment_investment_wan = WanField(label=_("申报设备投资（万元）"))
    claimed_fixed_asset_investment_wan = WanField(label=_("申报固定资产投资（万元）"))
    support_mode = forms.ChoiceField(
        label=_("第3.2条支持方式"), choices=SupportMode.choices, initial=SupportMode.AWARD
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    FIELD_MAP = {
        "claimed_equipment_investment_yuan": "claimed_equipment_investment_wan",
        "claimed_fixed_asset_investment_yuan": "claimed_fixed_asset_investment_wan",
        "project": None,
    }

    def domain_data(self) -> dict:
        cd = self.cleaned_data
        return {
            "claimed_equipment_investment_yuan": money.wan_to_yuan(cd["claimed_equipment_investment_wan"]),
            "claimed_fixed_asset_investment_yuan": money.wan_to_yuan(
                cd["claimed_fixed_asset_investment_wan"]
            ),
            "support_mode": cd["support_mode"],
        }


class YuanField(forms.DecimalField):
    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)


class EquipmentLineForm(forms.Form):
    name = forms.CharField(label=_("设备名称"), max_length=100)
    model = forms.CharField(label=_("规格型号"), max_length=100, required=False)
    quantity = forms.IntegerField(label=_("数量"), min_value=1, max_value=1_000_000)
    supplier = forms.CharField(label=_("供应商"), max_length=100)
    invoice_number = forms.CharField(label=_("发票号码"), max_length=40)
    amount_yuan = YuanField(label=_("金额（元）"))


class LoanLineForm(forms.Form):
    bank = forms.CharField(label=_("贷款银行"), max_length=100)
    amount_yuan = YuanField(label=_("贷款金额（元）"))
    interest_paid_yuan = YuanField(label=_("支持期内实际支付利息（元）"))
    start_date = forms.DateField(label=_("贷款起始日"), widget=DATE)
    end_date = forms.DateField(label=_("贷款到期日"), widget=DATE)


class ReturnForm(forms.Form):
    reasons = forms.CharField(
        label=_("退回补正的原因"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("设备清单（.xlsx）"))


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料类别"), choices=AttachmentKind.choices)
    file = forms.FileField(label=_("文件（PDF、图片、.xlsx 或 .docx）"))
