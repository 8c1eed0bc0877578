from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "jigai.home"
    label = "home"
    verbose_name = "首页、待办与提醒"
