from django.urls import path

from . import views

app_name = "dispatch"
urlpatterns: list = [
    path("", views.index, name="index"),
    path("<int:year>/<int:month>/report/", views.month_entry, name="month_entry"),
    path("<int:year>/<int:month>/reports.xlsx", views.month_export, name="month_export"),
    path("reports/<id:pk>/", views.report_detail, name="report_detail"),
    path("statistics/<int:year>/<int:month>/", views.statistics, name="statistics"),
    path("import/<slug:table>/", views.import_upload, name="import"),
    path("import/<slug:table>/template.xlsx", views.import_template, name="import_template"),
    path("bulletins/", views.bulletin_list, name="bulletin_list"),
    path("bulletins/<id:pk>/", views.bulletin_detail, name="bulletin_detail"),
    path("bulletins/<id:pk>/bulletin.docx", views.bulletin_docx, name="bulletin_docx"),
    path("bulletins/<id:pk>/bulletin.xlsx", views.bulletin_xlsx, name="bulletin_xlsx"),
    path("bulletins/<id:pk>/correct/", views.bulletin_correct, name="bulletin_correct"),
    path("bulletins/draft/<int:year>/<int:month>/", views.bulletin_draft, name="bulletin_draft"),
    path("bulletins/draft/<int:year>/<int:month>/publish/", views.bulletin_publish, name="bulletin_publish"),
]
