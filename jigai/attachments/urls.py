from django.urls import path

from . import views

app_name = "attachments"
urlpatterns = [
    path("<id:pk>/", views.download, name="download"),
    path("<id:pk>/delete/", views.delete, name="delete"),
]
