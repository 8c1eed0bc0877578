from django.urls import path

from . import application_views as views

app_name = "applications"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/<id:project_pk>/", views.application_new, name="new"),
    path("<id:pk>/", views.application_detail, name="detail"),
    path("<id:pk>/edit/", views.application_edit, name="edit"),
    path("<id:pk>/lines/", views.line_add, name="line_add"),
    path("<id:pk>/lines/<id:line_pk>/delete/", views.line_delete, name="line_delete"),
    path("<id:pk>/loans/", views.loan_add, name="loan_add"),
    path("<id:pk>/loans/<id:loan_pk>/delete/", views.loan_delete, name="loan_delete"),
    path("<id:pk>/attachments/", views.attachment_upload, name="attach"),
    path("<id:pk>/submit/", views.submit, name="submit"),
    path("<id:pk>/forward/", views.forward, name="forward"),
    path("<id:pk>/return/", views.send_back, name="return"),
    path("<id:pk>/propose/", views.propose, name="propose"),
    path("<id:pk>/equipment/import/", views.equipment_import, name="import"),
    path("<id:pk>/equipment/template.xlsx", views.equipment_template, name="template"),
]
