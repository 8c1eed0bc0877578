"""/imports/: the Excel import pages for every registered table (jigai.imports.tables)."""

from django.urls import path

from . import import_views

app_name = "imports"
urlpatterns = [
    path("", import_views.index, name="index"),
    path("upload/", import_views.upload, name="upload"),
    path("confirm/", import_views.confirm, name="confirm"),
    path("sheet/", import_views.choose_sheet, name="sheet"),
    path("map/", import_views.map_columns, name="map"),
    path("<slug:table>/template.xlsx", import_views.template, name="template"),
]
