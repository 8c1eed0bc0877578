from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TargetClause


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class NotifyForm(VersionForm):
    notice_date = forms.DateField(label=_("通知日期"), widget=DateInput())
    scheduled_text = forms.CharField(
        label=_("约谈时间和地点"),
        max_length=200,
        required=False,
        help_text=_("如：2019年7月20日上午9:00，州政府第三会议室；不填则为“另行通知”"),
    )


class RecordForm(VersionForm):
    held_date = forms.DateField(label=_("约谈日期"), widget=DateInput())
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    interviewer = forms.CharField(label=_("约谈人"), max_length=100, help_text=_("如：州人民政府副州长 某某"))
    attendees = forms.CharField(label=_("参加人员"), widget=forms.Textarea(attrs={"rows": 3}))
    commitments = forms.CharField(label=_("整改承诺"), widget=forms.Textarea(attrs={"rows": 4}))
    follow_up_deadline_date = forms.DateField(label=_("整改报告期限"), widget=DateInput())


class FollowUpForm(VersionForm):
    reported_date = forms.DateField(label=_("报告日期"), widget=DateInput())
    content = forms.CharField(label=_("整改落实情况"), widget=forms.Textarea(attrs={"rows": 5}))


class CloseForm(VersionForm):
    note = forms.CharField(label=_("办结意见"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class LeaderForm(forms.Form):
    deputy_name = forms.CharField(label=_("分管领导"), max_length=40, required=False)
    deputy_title = forms.CharField(label=_("分管领导职务"), max_length=80, required=False)
    principal_name = forms.CharField(label=_("主要领导"), max_length=40, required=False)
    principal_title = forms.CharField(label=_("主要领导职务"), max_length=80, required=False)


class TargetFigureForm(forms.Form):
    clause = forms.ChoiceField(label=_("条款"), choices=TargetClause.choices)
    value = forms.IntegerField(label=_("数值"), min_value=0, max_value=100000)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)
