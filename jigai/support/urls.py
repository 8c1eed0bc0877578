from django.urls import path

from . import views

app_name = "support"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("projects/<id:pk>/", views.project, name="project"),
    path("projects/<id:pk>/secretary/", views.secretary, name="secretary"),
    path("projects/<id:pk>/propose/", views.propose, name="propose"),
    path("projects/<id:pk>/items/", views.item_add, name="item_add"),
    path("projects/<id:pk>/land/", views.land, name="land"),
    path("projects/<id:pk>/land/priority/", views.land_priority, name="land_priority"),
    path("items/<id:pk>/", views.item_update, name="item_update"),
    path("items.xlsx", views.items_xlsx, name="items_xlsx"),
    path("filings/", views.filings, name="filings"),
    path("filings/new/", views.filing_new, name="filing_new"),
    path("filings/<id:pk>/", views.filing, name="filing"),
    path("filings/<id:pk>/receipt.docx", views.receipt_docx, name="receipt"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<id:pk>/", views.meeting, name="meeting"),
    path("meetings/<id:pk>/minutes.docx", views.minutes_docx, name="minutes"),
    path("followups/<id:pk>/close/", views.followup_close, name="followup_close"),
]
