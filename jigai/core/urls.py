from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("favicon.ico", views.favicon, name="favicon"),
    path("audit/", views.audit_list, name="audit_list"),
    path("documents/numbers/", views.document_register, name="document_register"),
]
