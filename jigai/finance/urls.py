from django.urls import path

from . import views

app_name = "finance"
urlpatterns = [
    path("", views.index, name="index"),
    path("needs/", views.need_list, name="needs"),
    path("needs/<id:pk>/", views.need_detail, name="need"),
    path("needs/<id:pk>/withdraw/", views.need_withdraw, name="need_withdraw"),
    path("loans/", views.loan_list, name="loans"),
    path("loans.xlsx", views.loan_export, name="loans_export"),
    path("loans/<id:pk>/", views.loan_detail, name="loan"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/<id:pk>/", views.meeting_detail, name="meeting"),
    path("coverage/", views.coverage, name="coverage"),
    path("scores/", views.scores, name="scores"),
    path("fund/", views.fund, name="fund"),
    path("claims/<id:pk>/decide/", views.claim_decide, name="claim_decide"),
    path("banks/", views.bank_list, name="banks"),
]
