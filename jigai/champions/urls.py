from django.urls import path

from . import views

app_name = "champions"
urlpatterns = [
    path("", views.declaration_list, name="list"),
    path("new/", views.declaration_new, name="new"),
    path("<id:pk>/", views.declaration_detail, name="detail"),
    path("<id:pk>/edit/", views.declaration_edit, name="edit"),
    path("<id:pk>/certificate/", views.certificate_upload, name="certificate"),
    path("<id:pk>/submit/", views.declaration_submit, name="submit"),
    path("<id:pk>/verify/", views.declaration_verify, name="verify"),
    path("<id:pk>/return/", views.declaration_return, name="return"),
]
