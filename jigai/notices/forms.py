from django import forms
from django.utils.translation import gettext_lazy as _

# An <input type="date"> accepts only ISO dates; the locale's format (2026/12/07) leaves it empty.
DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class PublishForm(forms.Form):
    title = forms.CharField(label=_("公示标题"), max_length=120, initial="2019年度技术改造奖补资金拟拨付名单")
    starts_on = forms.DateField(label=_("公示开始日"), widget=DATE)
    days = forms.IntegerField(label=_("公示期（天）"), min_value=1, max_value=60)
    items = forms.TypedMultipleChoiceField(
        label=_("公示事项"), coerce=int, widget=forms.CheckboxSelectMultiple
    )


class ObjectionForm(forms.Form):
    entry = forms.TypedChoiceField(label=_("异议事项"), coerce=int)
    raised_by = forms.CharField(label=_("异议人（单位或个人）"), max_length=100)
    contact = forms.CharField(label=_("联系方式"), max_length=100, required=False)
    received_on = forms.DateField(label=_("收到日期"), widget=DATE)
    content = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("处理结论"),
        choices=[("0", _("异议不成立，照常拨付")), ("1", _("异议成立，不予拨付"))],
        coerce=lambda v: v == "1",
    )
    resolution = forms.CharField(
        label=_("处理结果及理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class EndForm(forms.Form):
    on = forms.DateField(label=_("结束日期"), widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)
