from django.urls import path

from . import acceptance_views as views

app_name = "acceptance"
urlpatterns = [
    path("projects/<id:pk>/", views.project_acceptance, name="project"),
    path("<id:pk>/amend/", views.acceptance_amend, name="amend"),
    path("<id:pk>/opinion.docx", views.opinion_docx, name="opinion"),
]
