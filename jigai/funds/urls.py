from django.urls import path

from . import views

app_name = "funds"
urlpatterns = [
    path("", views.item_list, name="items"),
    path("items/<id:pk>/", views.item_detail, name="item"),
    path("items/<id:pk>/decide/", views.item_decide, name="decide"),
    path("items/<id:pk>/pay/", views.payment_record, name="pay"),
    path("batches/", views.batch_list, name="batches"),
    path("batches/prepare/", views.batch_prepare, name="prepare"),
    path("batches/<id:pk>/", views.batch_detail, name="batch"),
    path("payments/<id:pk>/reverse/", views.payment_reverse, name="reverse"),
    path("payments/<id:pk>/notice.docx", views.payment_notice, name="payment_notice"),
    path("budgets/", views.budgets, name="budgets"),
    path("ledger/", views.ledger_page, name="ledger"),
    path("enterprises/<id:pk>/", views.statement, name="statement"),
]
