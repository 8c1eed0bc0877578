from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("<id:pk>/", views.notice_detail, name="detail"),
    path("<id:pk>/objections/", views.objection_add, name="objection_add"),
    path("objections/<id:pk>/resolve/", views.objection_resolve, name="objection_resolve"),
    path("<id:pk>/end/", views.notice_end, name="end"),
    path("<id:pk>/notice.docx", views.notice_docx, name="docx"),
]
