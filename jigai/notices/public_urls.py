"""The public notice (公示): the only pages of the platform open without a login."""

from django.urls import path

from . import views

app_name = "public_notices"
urlpatterns = [
    path("", views.public_list, name="list"),
    path("<id:pk>/", views.public_detail, name="detail"),
    path("<id:pk>/notice.docx", views.public_docx, name="docx"),
]
