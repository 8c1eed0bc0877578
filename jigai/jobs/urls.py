from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("new/<slug:kind>/", views.job_new, name="new"),
    path("<id:pk>/", views.job_detail, name="detail"),
    path("<id:pk>/status.json", views.job_status, name="status"),
    path("<id:pk>/download/", views.job_download, name="download"),
]
