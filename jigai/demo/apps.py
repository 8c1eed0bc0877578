from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "jigai.demo"
    label = "demo"
    verbose_name = "演示数据"
