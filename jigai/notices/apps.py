from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "jigai.notices"
    label = "notices"
    verbose_name = "公示"
