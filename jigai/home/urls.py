from django.urls import path

from . import views

app_name = "home"
urlpatterns = [
    path("", views.index, name="index"),
    path("todo/", views.todo_list, name="todo"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<id:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
]
