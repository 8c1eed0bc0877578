from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("", views.index, name="index"),
    path("targets/", views.targets, name="targets"),
    path("targets/figure/", views.target_figure, name="target_figure"),
    path("rankings/", views.rankings, name="rankings"),
    path("rankings/<str:period>/publish/", views.ranking_publish, name="ranking_publish"),
    path("interviews/", views.case_list, name="case_list"),
    path("interviews/<id:pk>/", views.case_detail, name="case_detail"),
    path("interviews/<id:pk>/notice.docx", views.notice_docx, name="notice_docx"),
    path("interviews/<id:pk>/notify/", views.case_notify, name="case_notify"),
    path("interviews/<id:pk>/record/", views.case_record, name="case_record"),
    path("interviews/<id:pk>/follow-up/", views.case_follow_up, name="case_follow_up"),
    path("interviews/<id:pk>/close/", views.case_close, name="case_close"),
    path("leaders/", views.leaders, name="leaders"),
    path("warning/", views.warning, name="warning"),
    path("accountability/", views.accountability_list, name="accountability"),
    path("meeting-pack/", views.meeting_pack, name="meeting_pack"),
]
