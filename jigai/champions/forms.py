from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Level


class DeclarationForm(forms.Form):
    enterprise = forms.TypedChoiceField(label=_("企业"), coerce=int)
    technology = forms.CharField(label=_("单项技术（产品或工艺）"), max_length=200)
    year = forms.IntegerField(label=_("获奖年度"), min_value=2000, max_value=2100)
    level = forms.ChoiceField(label=_("排名级别"), choices=Level.choices)
    rank = forms.IntegerField(label=_("名次"), min_value=1, max_value=99)
    industry = forms.CharField(
        label=_("所属行业"),
        max_length=50,
        help_text=_("如：硒食品加工、生物医药、清洁能源、新型建材、电子信息、智能制造"),
    )
    issuer = forms.CharField(label=_("发证机构"), max_length=200, required=False)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def domain_data(self) -> dict:
        cd = self.cleaned_data
        return {k: cd[k] for k in ("technology", "year", "level", "rank", "industry", "issuer", "note")}


class CertificateForm(forms.Form):
    file = forms.FileField(label=_("获奖证书（PDF 或图片）"))


class VerifyForm(forms.Form):
    industry_confirmation = forms.CharField(
        label=_("行业认定理由（行业不在原文列明范围时填写）"), max_length=500, required=False
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
