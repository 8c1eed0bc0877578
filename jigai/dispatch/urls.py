from django.urls import path

from . import views

app_name = "dispatch"
urlpatterns: list = [
    path("", views.index, name="index"),
]
